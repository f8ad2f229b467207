//! Device identification pages.

pub mod check;
