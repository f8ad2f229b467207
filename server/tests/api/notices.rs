//! Field safety notices: the affected (and possibly affected) records by clinic, each clinic
//! seeing and acknowledging only its own, patients seeing only notices on their own devices,
//! the emails, the audit trail and the public list. Answers are read into the app's own types
//! (`app::api::notices`), the public list into the REST contract's (`responses`).

use app::api::notices::clinic::{ClinicNotice, ClinicNoticeDetail, ConcernedRecord};
use app::api::notices::{ClinicProgress, NoticeProgress};
use app::api::patients::ImplantRecord;
use app::api::procedures::{ImplantCard, Receipt};
use app::api::session::Role;
use domain::register::{DateBoxes, DeviceScopeForm, NoticeForm};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp};
use crate::procedures::{pseudonymise, site_of, submission, submit};
use crate::register::import_gudid_fixture;
use crate::responses::{SafetyNoticeList, ok, read};

mod publication;
mod versions;

/// The Meridian Hip Stem of the GUDID fixture.
const STEM: &str = "05060123450026";

/// A registry administrator, signed in, with the GUDID fixture in the register.
async fn registry_admin(app: &TestApp) -> Browser<'_> {
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    import_gudid_fixture(&admin).await;
    admin
}

/// A clinic and its manager, signed in.
struct Clinic<'a> {
    app: &'a TestApp,
    manager: Browser<'a>,
    organisation: i64,
}

/// A record a clinic made, and what it was told.
struct Recorded {
    id: i64,
    claim_code: String,
    receipt: Receipt,
}

impl<'a> Clinic<'a> {
    async fn open(app: &'a TestApp, name: &str, manager: &str) -> Self {
        let organisation = app.organisation(name).await;
        let manager = app
            .signed_in(manager, Role::ClinicManager, Some(organisation))
            .await;
        Self {
            app,
            manager,
            organisation,
        }
    }

    /// A stem recorded with `lot` (none: the record lacks it), linked to `patient`.
    async fn record(
        &self,
        key: &str,
        lot: Option<&str>,
        patient: (&str, (u16, u8, u8)),
    ) -> Recorded {
        let site = site_of(self.app, self.organisation).await;
        let pseudonym = pseudonymise(&self.manager, patient.0, patient.1).await;
        let text = match lot {
            Some(lot) => format!("(01){STEM}(17)281231(10){lot}"),
            None => format!("(01){STEM}(17)281231"),
        };
        let component = domain::procedure::ComponentEntry {
            identity: domain::procedure::ComponentIdentity::Udi { text },
        };
        let (status, receipt) = submit(
            &self.manager,
            &submission(key, site, vec![component], Some(pseudonym)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
        let receipt: Receipt = read(&receipt);
        let card: ImplantCard = ok(self
            .manager
            .call(
                "procedures/card",
                &[("record_id", &receipt.record_id.to_string())],
            )
            .await)
        .await;
        Recorded {
            id: receipt.record_id,
            claim_code: card.claim_code.expect("a claim code"),
            receipt,
        }
    }

    async fn notices(&self) -> Vec<ClinicNotice> {
        ok(self.manager.call("clinic-notices/list", &[]).await).await
    }

    async fn notice(&self, notice: i64) -> ClinicNoticeDetail {
        ok(self
            .manager
            .call("clinic-notices/detail", &[("id", &notice.to_string())])
            .await)
        .await
    }

    async fn acknowledge(
        &self,
        notice: i64,
        record: i64,
        kind: &str,
        reason: &str,
    ) -> reqwest::Response {
        self.manager
            .call_json(
                "clinic-notices/acknowledge",
                &json!({ "request": { "notice_id": notice, "record_id": record, "kind": kind, "reason": reason } }),
            )
            .await
    }
}

fn notice_form() -> NoticeForm {
    NoticeForm {
        reference: "FSN-2026-101".into(),
        title: "Meridian Hip Stem: risk of fracture at the neck".into(),
        manufacturer_reference: "NO-FSN-77".into(),
        fsn_date: DateBoxes {
            day: "3".into(),
            month: "11".into(),
            year: "2026".into(),
        },
        problem: "Some stems of these lots may crack at the neck.".into(),
        risk: "A cracked stem can cause pain and need another operation.".into(),
        clinic_action: "Contact each patient and offer a review with an X-ray.".into(),
        patient_action: "You do not need to do anything now. Your clinic will contact you.".into(),
        devices: vec![DeviceScopeForm {
            device_identifier: STEM.into(),
            agency: "GS1".into(),
            selection: "lot_range".into(),
            range_first: "LOT100".into(),
            range_last: "LOT199".into(),
            ..DeviceScopeForm::default()
        }],
    }
}

/// A new notice from `form`, as a draft; its id.
async fn create(admin: &Browser<'_>, form: &NoticeForm) -> i64 {
    ok(admin
        .call_json("notices/create", &json!({ "form": form }))
        .await)
    .await
}

/// Asks to do `action` (`publish`, `new-version`, `close`) to the notice.
async fn change(browser: &Browser<'_>, action: &str, notice: i64) -> reqwest::Response {
    browser
        .call_json(&format!("notices/{action}"), &json!({ "id": notice }))
        .await
}

async fn progress(admin: &Browser<'_>, notice: i64) -> NoticeProgress {
    ok(admin
        .call("notices/progress", &[("id", &notice.to_string())])
        .await)
    .await
}

/// The public list, as sent and as read.
async fn public_notices(app: &TestApp) -> (String, SafetyNoticeList) {
    let response = app.get("/api/v1/safety-notices").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let list = read(&serde_json::from_str::<Value>(&text).unwrap());
    (text, list)
}

fn ids(records: &[ConcernedRecord]) -> Vec<i64> {
    let mut ids: Vec<i64> = records.iter().map(|record| record.record_id).collect();
    ids.sort();
    ids
}

fn notices_seen(implants: &Value) -> Vec<String> {
    read::<ImplantRecord>(implants)
        .notices()
        .into_iter()
        .map(|(_, _, notice)| notice.reference.clone())
        .collect()
}

fn clinic_row(progress: &NoticeProgress, organisation: i64) -> &ClinicProgress {
    progress
        .clinics
        .iter()
        .find(|row| row.organisation_id == organisation)
        .unwrap_or_else(|| panic!("no row for {organisation}: {progress:?}"))
}
