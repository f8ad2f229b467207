//! Server secrets kept outside the database, in files in the data folder (mode 0600): a copy
//! of the database alone does not reveal them.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or create the key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the key file {path} does not hold a 32-byte key")]
    Malformed { path: String },
}

/// Reads a 32-byte key from `path`, creating it with fresh random bytes if it does not exist.
pub fn load_or_create(path: &Path) -> Result<[u8; 32], KeyError> {
    load_or_create_with(path, || {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    })
}

/// Reads a 32-byte key from `path`, creating it with `generate` if it does not exist.
pub fn load_or_create_with(
    path: &Path,
    generate: impl FnOnce() -> [u8; 32],
) -> Result<[u8; 32], KeyError> {
    let describe = || path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => bytes
            .try_into()
            .map_err(|_| KeyError::Malformed { path: describe() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = generate();
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| KeyError::Io {
                    path: describe(),
                    source,
                })?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|source| KeyError::Io {
                    path: describe(),
                    source,
                })?;
            file.write_all(&key)
                .and_then(|()| file.sync_all())
                .map_err(|source| KeyError::Io {
                    path: describe(),
                    source,
                })?;
            tracing::info!(path = %describe(), "created a new key file");
            Ok(key)
        }
        Err(source) => Err(KeyError::Io {
            path: describe(),
            source,
        }),
    }
}

/// Encrypts small secrets (TOTP seeds) for storage: AES-256-GCM, a random nonce per value.
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
    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext)
            .expect("AES-GCM encryption of a small value cannot fail");
        [nonce.as_slice(), &ciphertext].concat()
    }

    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_created_once_private_and_reused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keys/account.key");
        let first = load_or_create(&path).unwrap();
        let second = load_or_create(&path).unwrap();
        assert_eq!(first, second);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_and_untampered() {
        let sealer = SecretBox::new(&[7u8; 32]);
        let sealed = sealer.seal(b"totp seed");
        assert_eq!(
            sealer.open(&sealed).as_deref(),
            Some(b"totp seed".as_slice())
        );
        assert_eq!(SecretBox::new(&[8u8; 32]).open(&sealed), None);
        let mut tampered = sealed.clone();
        tampered[15] ^= 1;
        assert_eq!(sealer.open(&tampered), None);
    }
}
