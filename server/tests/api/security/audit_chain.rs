//! The audit chain: keyed, so it cannot be re-hashed by someone without the key, anchored
//! outside the database, so its tail cannot be cut; and reads across the registry audited.

use app::api::session::Role;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

/// Rewrites every entry from `from` on with `hash_of`, keeping the links consistent and the
/// head row in step: what someone with write access to the database could do.
async fn rechain(app: &TestApp, from: i64, hash_of: impl Fn(&str) -> String) {
    app.allow_audit_tampering().await;
    let mut connection = app.state.database.read().await.unwrap();
    let entries = server::db::audit::entries_after(&mut connection, 0, 10_000)
        .await
        .unwrap();
    drop(connection);
    let mut previous = server::audit::GENESIS.to_string();
    for mut entry in entries {
        if entry.id >= from {
            entry.previous_hash = previous.clone();
            entry.hash = hash_of(&server::audit::canonical(&entry));
            app.sql_execute(&format!(
                "UPDATE audit_log SET previous_hash = '{}', hash = '{}' WHERE id = {}",
                entry.previous_hash, entry.hash, entry.id
            ))
            .await;
        }
        previous = entry.hash;
    }
    app.sql_execute(&format!("UPDATE audit_head SET last_hash = '{previous}'"))
        .await;
}

#[tokio::test]
async fn the_audit_chain_cannot_be_rechained_without_its_key_nor_cut_at_the_tail() {
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    for n in 0..3 {
        app.signed_in(&format!("p{n}@example.test"), Role::Patient, None)
            .await;
    }
    let intact = server::audit::verify(&app.state.database, Some(&app.state.anchors))
        .await
        .unwrap();
    assert!(intact.first_broken.is_none(), "{intact:?}");

    // An edit re-hashed with plain SHA-256 (all anyone without the key can do) is found.
    app.allow_audit_tampering().await;
    app.sql_execute("UPDATE audit_log SET client_ip = '10.9.9.9' WHERE id = 2")
        .await;
    rechain(&app, 2, |text| {
        server::auth::tokens::hex(&Sha256::digest(text.as_bytes()))
    })
    .await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    let broken = report.first_broken.expect("a re-chained edit is found");
    assert_eq!(broken.entry_id, 2);

    // The tail: the newest entries removed and the head row set back. The chain alone is
    // whole, but the copy of the head kept outside the database is not in it.
    let app = spawn_app().await;
    for n in 0..3 {
        app.signed_in(&format!("p{n}@example.test"), Role::Patient, None)
            .await;
    }
    assert!(
        server::audit::anchor(&app.state.database, &app.state.anchors)
            .await
            .unwrap()
    );
    let last: i64 = app.sql_scalar("SELECT MAX(id) FROM audit_log").await;
    app.allow_audit_tampering().await;
    app.sql_execute(&format!("DELETE FROM audit_log WHERE id > {}", last - 2))
        .await;
    let (id, hash): (i64, String) = (
        app.sql_scalar("SELECT MAX(id) FROM audit_log").await,
        app.sql_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .await,
    );
    app.sql_execute(&format!(
        "UPDATE audit_head SET last_id = {id}, last_hash = '{hash}'"
    ))
    .await;
    let chain_alone = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    assert!(
        chain_alone.first_broken.is_none(),
        "the chain alone cannot tell"
    );
    let report = server::audit::verify(&app.state.database, Some(&app.state.anchors))
        .await
        .unwrap();
    let broken = report.first_broken.expect("the cut tail is found");
    assert!(
        broken.reason.contains("removed from the end"),
        "{}",
        broken.reason
    );
    assert_eq!(broken.entry_id, last);
}

#[tokio::test]
async fn reads_across_the_registry_are_audited() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    admin
        .call_json("procedures/list", &json!({ "query": {} }))
        .await;
    admin
        .call_json("audit/list", &json!({ "query": { "action": "sign_in" } }))
        .await;
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"procedures.listed".to_string()),
        "{actions:?}"
    );
    assert!(actions.contains(&"audit.viewed".to_string()), "{actions:?}");
}
