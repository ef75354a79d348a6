//! 12345 work orders and their local events.
