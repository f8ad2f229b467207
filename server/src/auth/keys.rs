//! Server secrets kept outside the database, in files in the keys folder (mode 0600, folder
//! 0700): a copy of the database alone does not reveal them.
//!
//! The database records each key's id. At start a key file that is missing, or that holds a
//! different key from the one the data was made with, is refused with a message saying which
//! file to restore: silently making a new key would make every later record unlinkable and
//! every stored authenticator secret unreadable. Keys are created only where no data depends
//! on them yet (a first start with an empty database).

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::auth::tokens::hex;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or create the key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the key file {path} does not hold a 32-byte key")]
    Malformed { path: String },
    #[error(
        "the {what} key file {path} is missing, but this database was made with key {expected}. \
         Restore the file from your key backup (see the README's \"Backup and restore\"); \
         do not let the server make a new one"
    )]
    Missing {
        what: &'static str,
        path: String,
        expected: String,
    },
    #[error(
        "the {what} key file {path} holds key {found}, but this database was made with key \
         {expected}. Put back the key file that belongs to this database"
    )]
    Mismatch {
        what: &'static str,
        path: String,
        expected: String,
        found: String,
    },
    #[error(
        "the {what} key file {path} is missing and this database already holds data that \
         needs it. Restore the file from your key backup"
    )]
    MissingForExistingData { what: &'static str, path: String },
}

fn describe(path: &Path) -> String {
    path.display().to_string()
}

/// Creates `folder` (and its parents) if needed and makes it private to this user (0700).
pub fn private_folder(folder: &Path) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: describe(folder),
        source,
    };
    std::fs::create_dir_all(folder).map_err(io)?;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).map_err(io)
}

/// Reads a 32-byte key from `path`; `None` if the file does not exist.
pub fn read(path: &Path) -> Result<Option<[u8; 32]>, KeyError> {
    match std::fs::read(path) {
        Ok(bytes) => bytes.try_into().map(Some).map_err(|_| KeyError::Malformed {
            path: describe(path),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyError::Io {
            path: describe(path),
            source,
        }),
    }
}

/// Writes a new key file (mode 0600), refusing to overwrite one.
pub fn create(path: &Path, key: &[u8; 32]) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: describe(path),
        source,
    };
    if let Some(parent) = path.parent() {
        private_folder(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    file.write_all(key)
        .and_then(|()| file.sync_all())
        .map_err(io)?;
    tracing::info!(path = %describe(path), "created a new key file");
    Ok(())
}

pub fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

/// A public fingerprint of a secret key: names it in the database and in messages without
/// revealing it.
pub fn fingerprint(key: &[u8; 32]) -> String {
    hex(&Sha256::digest(
        [b"MDIS key id v1:".as_slice(), key].concat(),
    ))[..16]
        .to_string()
}

/// One key the server needs: where it lives, and how to check it against the database.
pub struct KeySpec<'a> {
    pub what: &'static str,
    pub path: PathBuf,
    /// The id the database recorded for it, if any.
    pub recorded: Option<&'a str>,
    /// Whether data that needs this key exists already (then it may not be created).
    pub in_use: bool,
    /// The key's id (its fingerprint, or the scheme's own id).
    pub id_of: &'a dyn Fn(&[u8; 32]) -> String,
    pub generate: &'a dyn Fn() -> [u8; 32],
}

/// A key ready to use, with its id and whether it was created just now (to be recorded).
pub struct LoadedKey {
    pub key: [u8; 32],
    pub id: String,
    pub needs_recording: bool,
}

/// Loads a key as described in the module documentation.
pub fn load(spec: KeySpec<'_>) -> Result<LoadedKey, KeyError> {
    let path = describe(&spec.path);
    match (read(&spec.path)?, spec.recorded) {
        (Some(key), Some(expected)) => {
            let found = (spec.id_of)(&key);
            if found != expected {
                return Err(KeyError::Mismatch {
                    what: spec.what,
                    path,
                    expected: expected.to_string(),
                    found,
                });
            }
            Ok(LoadedKey {
                key,
                id: found,
                needs_recording: false,
            })
        }
        // A database from before key ids were recorded: the file in place is the key.
        (Some(key), None) => Ok(LoadedKey {
            id: (spec.id_of)(&key),
            key,
            needs_recording: true,
        }),
        (None, Some(expected)) => Err(KeyError::Missing {
            what: spec.what,
            path,
            expected: expected.to_string(),
        }),
        (None, None) if spec.in_use => Err(KeyError::MissingForExistingData {
            what: spec.what,
            path,
        }),
        (None, None) => {
            let key = (spec.generate)();
            create(&spec.path, &key)?;
            Ok(LoadedKey {
                id: (spec.id_of)(&key),
                key,
                needs_recording: true,
            })
        }
    }
}

/// Which row a sealed value belongs to: its ciphertext is bound to it (AES-GCM associated
/// data), so a value copied into another row, or another column, no longer opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedFor {
    /// A user's authenticator secret (active or being set up: one binding, as the set-up
    /// secret becomes the active one).
    Authenticator {
        user_id: i64,
    },
    ClaimCode {
        procedure_id: i64,
    },
    DraftKey {
        user_id: i64,
    },
    MailBody {
        message_id: i64,
    },
}

impl SealedFor {
    fn associated_data(self) -> String {
        match self {
            Self::Authenticator { user_id } => format!("users.totp:{user_id}"),
            Self::ClaimCode { procedure_id } => format!("procedures.claim_code:{procedure_id}"),
            Self::DraftKey { user_id } => format!("draft_keys.sealed_key:{user_id}"),
            Self::MailBody { message_id } => format!("mail_outbox.body:{message_id}"),
        }
    }
}

/// Encrypts small secrets (TOTP seeds, claim codes, draft keys, queued email bodies) for
/// storage: AES-256-GCM, a random nonce per value, bound to its row.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key>)")
    }
}

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// `nonce (12 bytes) || ciphertext+tag`.
    pub fn seal(&self, plaintext: &[u8], row: SealedFor) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = row.associated_data();
        let ciphertext = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a small value cannot fail");
        [nonce.as_slice(), &ciphertext].concat()
    }

    pub fn open(&self, sealed: &[u8], row: SealedFor) -> Option<Vec<u8>> {
        let aad = row.associated_data();
        self.decrypt(sealed, aad.as_bytes())
    }

    /// Seals as before values were bound to their rows (no associated data). Only to make such
    /// values where a test of the one-off rebinding at start needs them.
    pub fn seal_unbound(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext)
            .expect("AES-GCM encryption of a small value cannot fail");
        [nonce.as_slice(), &ciphertext].concat()
    }

    /// Opens a value sealed before values were bound to their rows (no associated data); used
    /// only once, at start, to seal such values again bound to their rows.
    pub fn open_unbound(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        self.decrypt(sealed, b"")
    }

    fn decrypt(&self, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests;
