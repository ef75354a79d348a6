//! 市长信箱 letters: docs/law/public-interaction.md §4.
