//! 市长信箱 letters and their events.
