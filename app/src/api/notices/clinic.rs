//! A clinic's side of safety notices: the notices that concern its patients' implants, each
//! with its affected records, and what the clinic did for each record.

use domain::calendar::CalendarDate;
use domain::register::{MissingDetail, NoticeStatus};
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::super::ApiError;
use super::NoticeContent;
#[cfg(feature = "ssr")]
use crate::api::context::{Access, CLINIC, RequestContext};

/// A notice that concerns at least one of the clinic's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicNotice {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: NoticeStatus,
    /// UTC, ISO 8601: when the version in force was published.
    pub published_at: String,
    pub affected: u64,
    pub possibly_affected: u64,
    pub outstanding: u64,
}

/// Whether a record is affected, or might be (its record lacks what would decide it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Concern {
    Affected,
    PossiblyAffected { missing: Vec<MissingDetail> },
}

impl Concern {
    pub fn label(&self) -> String {
        match self {
            Self::Affected => "Affected".to_string(),
            Self::PossiblyAffected { missing } => format!(
                "Possibly affected: the record has no {}",
                missing
                    .iter()
                    .map(|detail| detail.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        }
    }
}

/// A component the notice concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcernedComponent {
    pub name: String,
    pub device_identifier: String,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
}

/// What a clinic said it did for a record, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgementView {
    /// `patient_contacted`, `review_booked` or `not_affected`.
    pub kind: String,
    pub label: String,
    pub reason: Option<String>,
    pub by: String,
    /// UTC, ISO 8601.
    pub at: String,
}

/// One of the clinic's records a notice concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcernedRecord {
    pub record_id: i64,
    pub procedure_date: CalendarDate,
    pub site: String,
    pub linked_to_patient: bool,
    pub concern: Concern,
    pub components: Vec<ConcernedComponent>,
    pub acknowledgement: Option<AcknowledgementView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicNoticeDetail {
    pub id: i64,
    pub reference: String,
    pub status: NoticeStatus,
    pub version: u32,
    pub published_at: String,
    pub content: NoticeContent,
    /// Affected first, then possibly affected; each by procedure date.
    pub records: Vec<ConcernedRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgementRequest {
    pub notice_id: i64,
    pub record_id: i64,
    /// `patient_contacted`, `review_booked` or `not_affected`.
    pub kind: String,
    /// Required for `not_affected`.
    pub reason: String,
}

/// The notices that concern the clinic's records, newest first.
#[server(endpoint = "clinic-notices/list")]
pub async fn clinic_notices() -> Result<Vec<ClinicNotice>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(CLINIC))?;
    context
        .services
        .notices
        .clinic_list(&context, principal)
        .await
}

#[server(endpoint = "clinic-notices/detail")]
pub async fn load_clinic_notice(id: i64) -> Result<ClinicNoticeDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(CLINIC))?;
    context
        .services
        .notices
        .clinic_detail(&context, principal, id)
        .await
}

#[server(endpoint = "clinic-notices/acknowledge", input = Json)]
pub async fn acknowledge_record(
    request: AcknowledgementRequest,
) -> Result<AcknowledgementView, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(CLINIC))?;
    context
        .services
        .notices
        .acknowledge(&context, principal, request)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concerns_say_what_is_missing() {
        assert_eq!(Concern::Affected.label(), "Affected");
        let possibly = Concern::PossiblyAffected {
            missing: vec![MissingDetail::Lot, MissingDetail::ExpiryDate],
        };
        assert_eq!(
            possibly.label(),
            "Possibly affected: the record has no lot (batch) number or expiry date"
        );
    }
}
