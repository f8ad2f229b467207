//! Types several areas of the API share.

use serde::{Deserialize, Serialize};

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        (self.total.div_ceil(u64::from(self.page_size.max(1))) as u32).max(1)
    }
}

/// How many items a page of a list holds.
pub const PAGE_SIZE: u32 = 20;

/// A site of an organisation, where procedures take place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub id: i64,
    pub name: String,
}
