//! Subcommands of `mdis-server` beyond serving, each in its own module (`main.rs` only names
//! them).

pub mod import_devices;
