//! Cross-site requests are refused before any server function runs.

use app::api::session::Role;
use reqwest::StatusCode;

use crate::helpers::{HttpError, PASSWORD, spawn_app};

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(app.url("/api/sign-in"))
            .header(header, value)
            .form(&[("email", "pat@example.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{header}: {value}"
        );
        let body: HttpError = response.json().await.unwrap();
        assert_eq!(body.error, "cross_site_request");
    }
    // The same request from the portal's own pages passes.
    let response = app
        .client
        .post(app.url("/api/sign-in"))
        .header("origin", format!("http://{}", app.address))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "pat@example.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
