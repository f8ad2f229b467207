//! Lists of accounts and organisations: a manager's own organisation only, administrators
//! everything, a page at a time.

use app::api::accounts::{OrganisationDetail, UserSummary};
use app::api::common::Page;
use app::api::session::Role;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn managers_list_only_their_organisation_and_administrators_all_with_pages() {
    let app = spawn_app().await;
    let own = app.organisation("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    for index in 0..25 {
        app.user(
            &format!("staff{index:02}@own.test"),
            Role::ClinicUser,
            Some(own),
        )
        .await;
    }
    app.user("someone@other.test", Role::ClinicUser, Some(other))
        .await;
    let manager = app
        .signed_in("manager@own.test", Role::ClinicManager, Some(own))
        .await;
    let page: Page<UserSummary> = manager
        .read_json(
            "accounts/list",
            &json!({ "query": { "search": "", "page": 2 } }),
        )
        .await;
    assert_eq!(page.total, 26);
    assert_eq!(page.items.len(), 6);
    let other_search: Page<UserSummary> = manager
        .read_json(
            "accounts/list",
            &json!({ "query": { "search": "other.test" } }),
        )
        .await;
    assert_eq!(other_search.total, 0);

    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let all: Page<UserSummary> = admin
        .read_json("accounts/list", &json!({ "query": { "search": "" } }))
        .await;
    assert_eq!(all.total, 28);
    let organisations: Vec<OrganisationDetail> = admin.read("organisations/list", &[]).await;
    assert_eq!(organisations.len(), 2);
    let created: OrganisationDetail = admin
        .read_json(
            "organisations/create",
            &json!({ "name": "New Hospital", "sites": ["Theatre 1", " ", "Theatre 2"] }),
        )
        .await;
    assert_eq!(created.sites.len(), 2);
}
