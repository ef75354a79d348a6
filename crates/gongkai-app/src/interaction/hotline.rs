//! 12345 work orders: import, local steps, listing (docs/law/public-interaction.md §3, §7).
