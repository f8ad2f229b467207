//! A fabricated record: a clinic cannot read other clinics' records by claiming one it made up,
//! and such claims are set aside for the registry to review and remove.

use app::api::common::Page;
use app::api::patients::{ClaimFlag, ClaimReview, DataFile, ReviewOutcome};
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::{ALICE, claimed, implants, linked, record_for, record_ids};
use crate::helpers::records::register;
use crate::helpers::spawn_app;

/// The attack the security review reproduced: a clinic fabricates a record for someone whose
/// NHS number and date of birth it knows, prints its card, and claims it from a patient
/// account, hoping to read that person's records at every other clinic.
#[tokio::test]
async fn a_clinic_cannot_read_another_clinics_records_by_fabricating_one() {
    let app = spawn_app().await;
    let (stem, cup) = register(&app).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let shady = app.organisation("Shady Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(riverside))
        .await;
    let insider = app
        .signed_in("insider@example.test", Role::ClinicUser, Some(shady))
        .await;
    let (real, real_code) = record_for(
        &app,
        &nurse,
        riverside,
        "key-x001-aaaaaaaaaaaa",
        ALICE,
        &stem,
    )
    .await;
    let (fake, fake_code) =
        record_for(&app, &insider, shady, "key-x002-bbbbbbbbbbbb", ALICE, &cup).await;

    let mallory = app
        .signed_in("mallory@example.test", Role::Patient, None)
        .await;
    claimed(&mallory, &fake_code, ALICE).await;
    // Only the fabricated record: nothing from Riverside, in any view.
    assert_eq!(record_ids(&implants(&mallory).await), vec![fake]);
    let export: DataFile = mallory
        .read_json("patients/export", &json!({ "format": "Csv" }))
        .await;
    let csv = &export.content;
    assert!(!csv.contains("Riverside"), "{csv}");
    assert_eq!(csv.lines().count(), 2);
    // Nowhere in the answer, whichever field it might be in.
    let log = mallory
        .call("patients/access-log", &[("page", "1")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !log.contains("Riverside"),
        "Riverside's accesses are not shown: {log}"
    );
    let response = mallory
        .call("procedures/detail", &[("record_id", &real.to_string())])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The real patient is not locked out: her claim works, and she sees only her record.
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    claimed(&alice, &real_code, ALICE).await;
    assert_eq!(record_ids(&implants(&alice).await), vec![real]);

    // Both claims are set aside for the registry: the fabricated one was claimed at once, and
    // two accounts now claim one person.
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let reviews: Page<ClaimReview> = admin.read("admin/claim-reviews", &[("page", "1")]).await;
    let items = &reviews.items;
    assert_eq!(items.len(), 2, "{reviews:?}");
    let review_of = |email: &str| {
        items
            .iter()
            .find(|item| item.account_email == email)
            .unwrap()
    };
    let mallorys = review_of("mallory@example.test");
    let flags = &mallorys.flags;
    assert!(
        flags.contains(&ClaimFlag::RecentRecord) && flags.contains(&ClaimFlag::StaffAddress),
        "{flags:?}"
    );
    let alices = review_of("alice@example.test");
    assert!(
        alices.flags.contains(&ClaimFlag::SharedPseudonym),
        "{alices:?}"
    );
    assert_eq!(alices.other_accounts, 1);

    // The administrator removes the fabricated claim: Mallory sees nothing any more.
    let response = admin
        .call_json(
            "admin/claim-reviews/resolve",
            &json!({ "review_id": mallorys.id, "outcome": ReviewOutcome::Remove }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!linked(&mallory).await);
    assert_eq!(record_ids(&implants(&alice).await), vec![real]);
    assert!(app.audited("patient.claim_removed").await);
    assert!(app.audited("claim_reviews.listed").await);
}
