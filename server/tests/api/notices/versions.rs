//! A notice's life: versions published one after another, then closed, never deleted.

use app::api::notices::{NoticeDetail, Published};
use reqwest::StatusCode;

use super::{change, create, notice_form, public_notices, registry_admin};
use crate::helpers::spawn_app;
use crate::responses::{assert_ok, ok};

#[tokio::test]
async fn a_notice_is_versioned_and_closed_never_deleted() {
    let app = spawn_app().await;
    let admin = registry_admin(&app).await;
    let notice = create(&admin, &notice_form()).await;
    let response = change(&admin, "publish", notice).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Nothing more to publish until a new version is started.
    let response = change(&admin, "publish", notice).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_ok(change(&admin, "new-version", notice).await).await;
    let mut form = notice_form();
    form.devices[0].range_last = "LOT299".into();
    assert_ok(
        admin
            .call_json(
                "notices/save",
                &serde_json::json!({ "id": notice, "form": form }),
            )
            .await,
    )
    .await;
    let published: Published = ok(change(&admin, "publish", notice).await).await;
    assert_eq!(published.version, 2);
    assert_ok(change(&admin, "close", notice).await).await;
    let detail: NoticeDetail = ok(admin
        .call("notices/detail", &[("id", &notice.to_string())])
        .await)
    .await;
    assert_eq!(detail.versions.len(), 2, "{detail:?}");
    let response = change(&admin, "new-version", notice).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let (_, public) = public_notices(&app).await;
    assert_eq!(public.notices[0].status, "closed");
    assert_eq!(public.notices[0].version, 2);
}
