//! The server's keys at start: loaded from the keys folder and checked against the ids the
//! database recorded (see `auth::keys`), and values sealed before values were bound to their
//! rows sealed again, bound.

use domain::pseudonym::Evaluator;

use crate::audit::AuditKey;
use crate::auth::keys::{self, KeySpec, SealedFor, SecretBox};
use crate::config::Config;
use crate::db::instance::{self, KeyKind};
use crate::db::secrets::{self, SealedColumn};
use crate::db::{Database, audit as stored_audit};

use super::OpenError;

/// The keys a running server holds.
pub struct KeyRing {
    pub secrets: SecretBox,
    pub evaluator: Evaluator,
    pub audit: AuditKey,
}

fn pseudonym_key_id(key: &[u8; 32]) -> String {
    Evaluator::from_secret_key(key)
        .map(|evaluator| evaluator.key_id().to_string())
        .unwrap_or_else(|_| "invalid".to_string())
}

fn new_pseudonym_key() -> [u8; 32] {
    Evaluator::generate_secret_key(&mut rand_core::OsRng)
        .try_into()
        .expect("a 32-byte secret key")
}

pub async fn load(config: &Config, database: &Database) -> Result<KeyRing, OpenError> {
    keys::private_folder(&config.keys_dir())?;
    let mut connection = database.read().await.map_err(OpenError::Query)?;
    let recorded = instance::recorded_keys(&mut connection)
        .await
        .map_err(OpenError::Query)?;
    let empty = instance::holds_no_data(&mut connection)
        .await
        .map_err(OpenError::Query)?;
    let audit_in_use = stored_audit::any_keyed(&mut connection)
        .await
        .map_err(OpenError::Query)?;
    drop(connection);
    let account = keys::load(KeySpec {
        what: "account",
        path: config.account_key_path(),
        recorded: recorded.account_key_id.as_deref(),
        in_use: !empty,
        id_of: &keys::fingerprint,
        generate: &keys::random_key,
    })?;
    let pseudonym = keys::load(KeySpec {
        what: "pseudonymisation",
        path: config.pseudonym_key_path(),
        recorded: recorded.pseudonym_key_id.as_deref(),
        in_use: !empty,
        id_of: &pseudonym_key_id,
        generate: &new_pseudonym_key,
    })?;
    // New in this version: created for a database that has no keyed entries yet.
    let audit = keys::load(KeySpec {
        what: "audit",
        path: config.audit_key_path(),
        recorded: recorded.audit_key_id.as_deref(),
        in_use: audit_in_use,
        id_of: &keys::fingerprint,
        generate: &keys::random_key,
    })?;
    let evaluator = Evaluator::from_secret_key(&pseudonym.key)
        .map_err(|_| OpenError::PseudonymKey(config.pseudonym_key_path().display().to_string()))?;
    let mut transaction = database.write().await.map_err(OpenError::Query)?;
    for (kind, loaded) in [
        (KeyKind::Account, &account),
        (KeyKind::Pseudonym, &pseudonym),
        (KeyKind::Audit, &audit),
    ] {
        if loaded.needs_recording {
            instance::record_key(&mut transaction, kind, &loaded.id)
                .await
                .map_err(OpenError::Query)?;
        }
    }
    transaction.commit().await.map_err(OpenError::Query)?;
    tracing::info!(account = %account.id, pseudonymisation = %pseudonym.id, audit = %audit.id, "keys loaded");
    let secrets = SecretBox::new(&account.key);
    if !recorded.secrets_bound {
        bind_sealed_values(database, &secrets).await?;
    }
    Ok(KeyRing {
        secrets,
        evaluator,
        audit: AuditKey::new(audit.key),
    })
}

fn binding(column: SealedColumn, row: i64) -> SealedFor {
    match column {
        SealedColumn::TotpSecret | SealedColumn::TotpPendingSecret => {
            SealedFor::Authenticator { user_id: row }
        }
        SealedColumn::ClaimCode => SealedFor::ClaimCode { procedure_id: row },
        SealedColumn::DraftKey => SealedFor::DraftKey { user_id: row },
    }
}

/// Seals every value sealed before values were bound to their rows again, bound (once, in one
/// transaction): after this, a value copied into another row no longer opens.
async fn bind_sealed_values(database: &Database, secrets: &SecretBox) -> Result<(), OpenError> {
    let mut transaction = database.write().await.map_err(OpenError::Query)?;
    let mut rebound = 0;
    for column in SealedColumn::ALL {
        for (row, sealed) in secrets::all(&mut transaction, column)
            .await
            .map_err(OpenError::Query)?
        {
            let bound = binding(column, row);
            if secrets.open(&sealed, bound).is_some() {
                continue;
            }
            let plain = secrets
                .open_unbound(&sealed)
                .ok_or_else(|| OpenError::Unsealable(format!("{column:?} of row {row}")))?;
            secrets::replace(&mut transaction, column, row, &secrets.seal(&plain, bound))
                .await
                .map_err(OpenError::Query)?;
            rebound += 1;
        }
    }
    instance::mark_secrets_bound(&mut transaction)
        .await
        .map_err(OpenError::Query)?;
    transaction.commit().await.map_err(OpenError::Query)?;
    if rebound > 0 {
        tracing::info!(rebound, "sealed values bound to their rows");
    }
    Ok(())
}
