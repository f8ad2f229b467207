//! Passwords: the policy (length, not common, not the person's own name or address) and
//! Argon2id hashing with OWASP's parameters, run off the async runtime.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MINIMUM_LENGTH: usize = 12;
pub const MAXIMUM_LENGTH: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// Why a new password is refused, worded for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Password must be at least {MINIMUM_LENGTH} characters long")]
    TooShort,
    #[error("Password must be at most {MAXIMUM_LENGTH} characters long")]
    TooLong,
    #[error(
        "This password is one of the most commonly used, so it is easy to guess. Choose a less common one, for example three or four random words"
    )]
    Common,
    #[error("Password must not contain your name or email address")]
    Personal,
}

/// Checks a new password against the policy (NIST SP 800-63B style: length, a list of common
/// passwords, and context words; no composition rules).
pub fn check_policy(
    password: &str,
    email: &str,
    display_name: &str,
) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MINIMUM_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAXIMUM_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    // "password1234!" is as guessable as "password": compare without trailing digits and
    // punctuation too.
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    if COMMON.contains(lower.as_str()) || (stem.len() >= 4 && COMMON.contains(stem)) {
        return Err(PasswordProblem::Common);
    }
    let local_part = email.split('@').next().unwrap_or("").to_lowercase();
    let personal = std::iter::once(local_part.as_str())
        .chain(display_name.split_whitespace())
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() >= 4)
        .any(|word| lower.contains(&word));
    if personal {
        return Err(PasswordProblem::Personal);
    }
    Ok(())
}

/// Argon2id, 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// At most this many Argon2 computations at once: each holds 19 MiB, and without a cap a
/// flood of unauthenticated sign-ins could exhaust memory. Two per core keeps both cores busy.
pub const CONCURRENT_HASHES: usize = 4;
/// Requests waiting for a turn beyond this many are refused at once; the others wait this long.
const MAX_WAITING: usize = 64;
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Too many password checks at once: try again in a few seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

/// Runs `work` on a blocking thread once a hashing permit is free.
async fn with_permit<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    use std::sync::atomic::Ordering;
    if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(Busy);
    }
    let permit = tokio::time::timeout(MAX_WAIT, HASHING.acquire()).await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.map_err(|_| Busy)?.map_err(|_| Busy)?;
    tokio::task::spawn_blocking(work).await.map_err(|_| Busy)
}

/// Hashes on a blocking thread: Argon2 takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, Busy> {
    with_permit(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .expect("hashing with valid parameters")
            .to_string()
    })
    .await
}

/// Verifies on a blocking thread. A malformed stored hash verifies nothing.
pub async fn verify(password: String, stored: String) -> Result<bool, Busy> {
    with_permit(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// A hash of a random password, verified against when an account does not exist, so that a
/// missing account takes as long to refuse as a wrong password.
pub static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(super::tokens::new_token().as_bytes(), &salt)
        .expect("hashing with valid parameters")
        .to_string()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        let ok = |p: &str| check_policy(p, "ada.lovelace@example.test", "Ada Lovelace");
        assert_eq!(ok("short"), Err(PasswordProblem::TooShort));
        assert_eq!(ok(&"x".repeat(129)), Err(PasswordProblem::TooLong));
        assert_eq!(ok("qwerty123456"), Err(PasswordProblem::Common));
        assert_eq!(ok("Password1234!"), Err(PasswordProblem::Common));
        assert_eq!(ok("lovelace-analytical"), Err(PasswordProblem::Personal));
        assert_eq!(ok("ada.lovelace@x"), Err(PasswordProblem::Personal));
        assert_eq!(ok("copper kettle orbit meadow"), Ok(()));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let first = hash("copper kettle orbit meadow".into()).await.unwrap();
        let second = hash("copper kettle orbit meadow".into()).await.unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "salted");
        assert_eq!(
            verify("copper kettle orbit meadow".into(), first.clone()).await,
            Ok(true)
        );
        assert_eq!(
            verify("copper kettle orbit meadows".into(), first).await,
            Ok(false)
        );
        assert_eq!(
            verify("anything".into(), "not a hash".into()).await,
            Ok(false)
        );
    }
}
