//! One file's report as the import builds it: counts, and the first rows of each kind.

use app::api::register::import::{Change, FileReport, REPORT_ROWS_SHOWN, RowChange};
use domain::register::{IdentifierKind, RowRejection};

/// One file's report as it is built.
pub(super) struct Tally(pub(super) FileReport);

impl Tally {
    pub(super) fn new(file: &str) -> Self {
        Self(FileReport {
            file: file.to_string(),
            ..FileReport::default()
        })
    }

    pub(super) fn reject(&mut self, rejection: RowRejection) {
        self.0.rejected_total += 1;
        if self.0.rejected.len() < REPORT_ROWS_SHOWN {
            self.0.rejected.push(rejection);
        }
    }

    pub(super) fn reject_line(&mut self, line: u64, reason: impl Into<String>) {
        self.reject(RowRejection {
            line,
            reason: reason.into(),
        });
    }

    pub(super) fn change(&mut self, line: u64, identifier: &str, change: Change) {
        match change {
            Change::Added => self.0.added += 1,
            Change::Updated => self.0.updated += 1,
        }
        if self.0.changes.len() < REPORT_ROWS_SHOWN {
            self.0.changes.push(RowChange {
                line,
                identifier: identifier.to_string(),
                change,
            });
        }
    }
}

pub(super) fn kind_code(kind: IdentifierKind) -> &'static str {
    match kind {
        IdentifierKind::Primary => "primary",
        IdentifierKind::Secondary => "secondary",
        IdentifierKind::Package => "package",
        IdentifierKind::UnitOfUse => "unit_of_use",
        IdentifierKind::Previous => "previous",
        IdentifierKind::DirectMarking => "direct_marking",
    }
}
