//! Field safety notices: the registry's pages (list, form, review, publish, progress) and each
//! clinic's (the notices concerning its records, and what it did for each).

pub mod clinic;
pub mod detail;
pub mod form;
pub mod list;
mod text;

use domain::register::NoticeStatus;

/// How a notice's status reads, and its tag's colour.
pub fn status_tag(status: NoticeStatus) -> (String, &'static str) {
    let class = match status {
        NoticeStatus::Draft => "nhsuk-tag nhsuk-tag--grey",
        NoticeStatus::Published { .. } => "nhsuk-tag nhsuk-tag--red",
        NoticeStatus::Closed { .. } => "nhsuk-tag nhsuk-tag--green",
    };
    (status.label(), class)
}

/// `2026-11-20T10:00:00.000Z` as people read it: `2026-11-20 10:00 UTC`.
pub fn when(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_plainly() {
        assert_eq!(when("2026-11-20T10:04:05.123Z"), "2026-11-20 10:04 UTC");
        assert_eq!(
            status_tag(NoticeStatus::Published { version: 2 }).0,
            "Published (version 2)"
        );
    }
}
