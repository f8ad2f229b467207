//! A published notice reaches the clinics and patients it concerns, and no others.

use app::api::notices::Published;
use app::api::notices::clinic::{AcknowledgementView, Concern};
use app::api::patients::DataFile;
use app::api::session::Role;
use reqwest::StatusCode;

use super::{
    Clinic, change, clinic_row, create, ids, notice_form, notices_seen, progress, public_notices,
    registry_admin,
};
use crate::helpers::spawn_app;
use crate::patients::{ALICE, BOB, claim, implants};
use crate::responses::ok;

#[tokio::test]
async fn a_published_notice_reaches_each_clinic_and_patient_it_concerns_and_no_other() {
    let app = spawn_app().await;
    let admin = registry_admin(&app).await;
    let river = Clinic::open(&app, "Riverside Clinic", "manager@riverside.test").await;
    let hill = Clinic::open(&app, "Hillside Hospital", "manager@hillside.test").await;
    let (riverside, hillside) = (river.organisation, hill.organisation);

    let affected = river
        .record("key-n001-aaaaaaaaaaaa", Some("LOT150"), ALICE)
        .await;
    let no_lot = river.record("key-n002-bbbbbbbbbbbb", None, ALICE).await.id;
    let hills = hill
        .record("key-n003-cccccccccccc", Some("LOT120"), ALICE)
        .await
        .id;
    let outside = hill
        .record("key-n004-dddddddddddd", Some("LOT900"), BOB)
        .await;
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let bob = app.signed_in("bob@example.test", Role::Patient, None).await;
    assert_eq!(
        claim(&alice, &affected.claim_code, ALICE).await.0,
        StatusCode::OK
    );
    assert_eq!(
        claim(&bob, &outside.claim_code, BOB).await.0,
        StatusCode::OK
    );
    let (affected, outside) = (affected.id, outside.id);

    // A draft: only the registry sees it, as a preview of what it would match.
    let notice = create(&admin, &notice_form()).await;
    assert!(river.notices().await.is_empty());
    assert!(notices_seen(&implants(&alice).await).is_empty());
    let response = change(&river.manager, "publish", notice).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let published: Published = ok(change(&admin, "publish", notice).await).await;
    assert_eq!(
        published,
        Published {
            version: 1,
            clinics_told: 2,
            managers_emailed: 2,
            patients_emailed: 1,
        }
    );

    // The registry's view: by clinic, the record without a lot listed as possibly affected.
    let seen = progress(&admin, notice).await;
    let row = clinic_row(&seen, riverside);
    assert_eq!((row.affected, row.possibly_affected), (1, 1), "{row:?}");
    assert_eq!(row.acknowledged, 0);
    assert!(row.told_at.is_some());
    let row = clinic_row(&seen, hillside);
    assert_eq!((row.affected, row.possibly_affected), (1, 0), "{row:?}");

    // Each clinic sees only its own records.
    let listed = river.notices().await;
    assert_eq!(listed[0].id, notice);
    assert_eq!(listed[0].affected, 1);
    assert_eq!(listed[0].possibly_affected, 1);
    let detail = river.notice(notice).await;
    let mut expected = vec![affected, no_lot];
    expected.sort();
    assert_eq!(ids(&detail.records), expected);
    let possibly = detail
        .records
        .iter()
        .find(|record| record.record_id == no_lot)
        .unwrap();
    assert!(
        matches!(possibly.concern, Concern::PossiblyAffected { .. }),
        "{possibly:?}"
    );
    let detail = hill.notice(notice).await;
    assert_eq!(ids(&detail.records), vec![hills]);
    assert!(!ids(&detail.records).contains(&outside));

    // ... and acknowledges only its own.
    let response = river.acknowledge(notice, hills, "review_booked", "").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = river.acknowledge(notice, no_lot, "not_affected", "").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let _: AcknowledgementView = ok(river
        .acknowledge(notice, affected, "review_booked", "")
        .await)
    .await;
    let reason = "Lot checked in the theatre log: LOT300";
    let _: AcknowledgementView = ok(river
        .acknowledge(notice, no_lot, "not_affected", reason)
        .await)
    .await;
    let detail = river.notice(notice).await;
    let acknowledgement = detail
        .records
        .iter()
        .find(|record| record.record_id == affected)
        .unwrap()
        .acknowledgement
        .as_ref()
        .expect("acknowledged");
    assert_eq!(acknowledgement.kind, "review_booked");
    assert!(!acknowledgement.at.is_empty());
    let seen = progress(&admin, notice).await;
    assert_eq!(clinic_row(&seen, riverside).acknowledged, 2);
    assert_eq!(clinic_row(&seen, riverside).outstanding, 0);
    assert_eq!(clinic_row(&seen, hillside).outstanding, 1);
    let csv: DataFile = ok(admin
        .call("notices/progress-csv", &[("id", &notice.to_string())])
        .await)
    .await;
    assert!(csv.content.contains("Riverside Clinic"), "{csv:?}");

    // Patients: Alice (an affected stem) sees the notice; Bob (a lot outside the range) not.
    assert_eq!(notices_seen(&implants(&alice).await), vec!["FSN-2026-101"]);
    assert!(notices_seen(&implants(&bob).await).is_empty());

    let emails = app.emails_about("Safety notice FSN-2026-101").await;
    let mut told: Vec<String> = emails.iter().map(|m| m.to.clone()).collect();
    told.sort();
    assert_eq!(told, ["manager@hillside.test", "manager@riverside.test"]);
    assert!(!emails[0].body.contains("999"));
    let to_patients = app.emails_about("New information about your implant").await;
    assert_eq!(to_patients.len(), 1);
    assert_eq!(to_patients[0].to, "alice@example.test");
    assert!(!to_patients[0].body.contains("Meridian"));

    // A new submission that matches is warned about at once and joins the list.
    let later = river
        .record("key-n005-eeeeeeeeeeee", Some("LOT170"), BOB)
        .await;
    assert!(
        later
            .receipt
            .notices
            .iter()
            .any(|text| text.contains("FSN-2026-101")),
        "{:?}",
        later.receipt
    );
    assert!(ids(&river.notice(notice).await.records).contains(&later.id));

    // The public list: the notice, without clinics or patients.
    let (text, public) = public_notices(&app).await;
    assert_eq!(public.notices[0].reference, "FSN-2026-101");
    assert_eq!(public.notices[0].status, "published");
    assert!(
        !text.contains("Riverside") && !text.contains("Hillside"),
        "{text}"
    );

    let actions = app.audit_actions().await;
    for action in [
        "safety_notice.drafted",
        "safety_notice.published",
        "safety_notice.progress_viewed",
        "safety_notice.records_viewed",
        "safety_notice.acknowledged",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action} not in {actions:?}"
        );
    }
}
