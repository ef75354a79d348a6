//! 12345 work orders (the 承办单位 side): docs/law/public-interaction.md §3, §7.
