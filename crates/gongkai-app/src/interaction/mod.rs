//! Public interaction (政民互动): the 市长信箱 and 12345 work orders of an agency (docs/law/public-interaction.md).

pub mod hotline;
pub mod mailbox;
