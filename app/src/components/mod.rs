//! Reusable pieces of the interface, grouped by kind.

pub mod charts;
pub mod download;
pub mod form;
pub mod guard;
pub mod item;
pub mod layout;
pub mod pagination;
pub mod scanner;
pub mod submit;
pub mod table;
pub mod title;
pub mod udi;
