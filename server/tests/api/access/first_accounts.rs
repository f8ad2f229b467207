//! The first accounts: the first administrator by invitation (no default password), and demo
//! data with one account of each role, created once.

use crate::helpers::{Browser, PASSWORD, spawn_app};

#[tokio::test]
async fn the_first_administrator_is_created_by_invitation_without_a_default_password() {
    let app = spawn_app().await;
    let link = server::seed::create_admin(&app.state, "first.admin@example.test", "First Admin")
        .await
        .unwrap();
    assert!(link.contains("/account/set-password?token="), "{link}");
    let hash: Option<String> = app
        .sql_scalar("SELECT password_hash FROM users WHERE email = 'first.admin@example.test'")
        .await;
    assert_eq!(hash, None);
    assert!(
        server::seed::create_admin(&app.state, "first.admin@example.test", "Again")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn demo_data_has_one_account_of_each_role_and_is_created_once() {
    let app = spawn_app().await;
    server::seed::demo(&app.state, Some(PASSWORD))
        .await
        .unwrap();
    server::seed::demo(&app.state, Some(PASSWORD))
        .await
        .unwrap();
    let roles: Vec<String> = app.sql_column("SELECT role FROM users ORDER BY role").await;
    assert_eq!(
        roles,
        ["clinic_manager", "clinic_user", "patient", "registry_admin"]
    );
    let browser = Browser::new(&app);
    browser.sign_in("patient.demo@example.test").await;
}
