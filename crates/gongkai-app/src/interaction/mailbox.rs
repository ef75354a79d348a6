//! The 市长信箱: letters from the public, their handling in the console, publication (docs/law/public-interaction.md §4).
