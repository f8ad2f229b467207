//! AES-GCM through WebCrypto with a non-extractable key imported from the registry's per-person
//! key, kept in memory for the page's life.

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey};

use crate::api::procedures::draft_key;

/// Encrypted bytes with their nonce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub iv: Vec<u8>,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum CryptoError {
    #[error("the registry's key for this device could not be fetched: {0}")]
    NoKey(String),
    #[error("this browser's encryption failed: {0}")]
    Browser(String),
    #[error("the saved data could not be read back")]
    Corrupt,
}

fn browser(error: JsValue) -> CryptoError {
    CryptoError::Browser(error.as_string().unwrap_or_else(|| format!("{error:?}")))
}

/// A person's key, usable for encryption but not readable (non-extractable).
#[derive(Clone)]
pub struct Cipher {
    key: CryptoKey,
}

thread_local! {
    /// The signed-in person's cipher: (user id, cipher).
    static CURRENT: RefCell<Option<(i64, Cipher)>> = const { RefCell::new(None) };
}

fn subtle() -> Result<web_sys::SubtleCrypto, CryptoError> {
    Ok(web_sys::window()
        .ok_or_else(|| CryptoError::Browser("no window".into()))?
        .crypto()
        .map_err(browser)?
        .subtle())
}

/// `N` bytes from the browser's cryptographic random source; an error where there is none
/// (never zeros in their place).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .ok_or_else(|| CryptoError::Browser("no window".into()))?
        .crypto()
        .map_err(browser)?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(browser)?;
    Ok(bytes)
}

impl Cipher {
    async fn import(raw: &[u8]) -> Result<Self, CryptoError> {
        let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
        let promise = subtle()?
            .import_key_with_str("raw", &Uint8Array::from(raw), "AES-GCM", false, &usages)
            .map_err(browser)?;
        let key = JsFuture::from(promise).await.map_err(browser)?;
        Ok(Self {
            key: key.unchecked_into(),
        })
    }

    /// The cipher of the signed-in person `user_id`: fetched from the registry once per page.
    pub async fn for_user(user_id: i64) -> Result<Self, CryptoError> {
        if let Some(cipher) = CURRENT.with(|current| {
            current
                .borrow()
                .as_ref()
                .filter(|(owner, _)| *owner == user_id)
                .map(|(_, cipher)| cipher.clone())
        }) {
            return Ok(cipher);
        }
        let cipher = match draft_key().await {
            Ok(raw) => {
                let cipher = Self::import(&raw).await?;
                super::resume::keep_key(user_id, &cipher.key).await;
                cipher
            }
            // Offline after a reload: the key this tab kept, if any.
            Err(error @ crate::api::ApiError::Transport { .. }) => {
                match super::resume::kept_key(user_id).await {
                    Some(key) => Self { key },
                    None => return Err(CryptoError::NoKey(error.to_string())),
                }
            }
            Err(error) => return Err(CryptoError::NoKey(error.to_string())),
        };
        CURRENT.with(|current| *current.borrow_mut() = Some((user_id, cipher.clone())));
        Ok(cipher)
    }

    /// Drops the key from memory (at sign-out).
    pub fn forget() {
        CURRENT.with(|current| *current.borrow_mut() = None);
    }

    pub async fn seal(&self, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let iv: [u8; 12] = random_bytes()?;
        let parameters = AesGcmParams::new("AES-GCM", &Uint8Array::from(&iv[..]));
        let promise = subtle()?
            .encrypt_with_object_and_u8_array(&parameters, &self.key, plaintext)
            .map_err(browser)?;
        let buffer = JsFuture::from(promise).await.map_err(browser)?;
        Ok(Sealed {
            iv: iv.to_vec(),
            data: Uint8Array::new(&buffer).to_vec(),
        })
    }

    pub async fn open(&self, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        let parameters = AesGcmParams::new("AES-GCM", &Uint8Array::from(sealed.iv.as_slice()));
        let promise = subtle()?
            .decrypt_with_object_and_u8_array(&parameters, &self.key, &sealed.data)
            .map_err(browser)?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|_| CryptoError::Corrupt)?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    pub async fn seal_json<T: Serialize>(&self, value: &T) -> Result<Sealed, CryptoError> {
        let json = serde_json::to_vec(value).map_err(|_| CryptoError::Corrupt)?;
        self.seal(&json).await
    }

    pub async fn open_json<T: DeserializeOwned>(&self, sealed: &Sealed) -> Result<T, CryptoError> {
        serde_json::from_slice(&self.open(sealed).await?).map_err(|_| CryptoError::Corrupt)
    }
}
