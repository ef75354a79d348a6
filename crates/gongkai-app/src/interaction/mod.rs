//! Public interaction (政民互动): the 市长信箱, 12345 work orders and the call log of an agency, and their figures
//! (docs/law/public-interaction.md).

pub mod calls;
mod demo;
pub mod hotline;
pub mod mailbox;
mod settings;
pub mod stats;
