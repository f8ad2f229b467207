//! Staff's own pages: the start page they land on after signing in.

pub mod start;
