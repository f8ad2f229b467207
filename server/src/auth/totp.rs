//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the kind
//! every authenticator app supports. The algorithm, base32 and the `otpauth://` URI come from
//! `totp-rs`; this module holds our settings and the rule that a code is used once.

use rand::RngCore;
use totp_rs::{Algorithm, Builder, Secret, Totp, TotpError};

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: u8 = 6;
/// Codes from one step either side are accepted, for clocks a little out.
pub const ALLOWED_DRIFT_STEPS: u16 = 1;

/// A new 160-bit secret, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// Our authenticator settings for a secret; `build` refuses secrets under 128 bits, so a
/// damaged stored secret is an error, not a weak code.
fn authenticator(secret: &[u8], issuer: Option<&str>, account: &str) -> Result<Totp, TotpError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(ALLOWED_DRIFT_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .with_issuer(issuer)
        .with_account_name(account)
        .build()
}

pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The code for a time step, zero-padded (what the user's app shows then).
pub fn code_at_step(secret: &[u8], step: u64) -> Option<String> {
    let totp = authenticator(secret, None, "").ok()?;
    Some(totp.generate(step * STEP_SECONDS).to_string())
}

/// The step a code matches, if it matches one within the allowed drift that is later than
/// `last_used_step` (a code can be used once: RFC 6238 §5.2, left to the caller by totp-rs).
/// Spaces the user typed between digit groups are ignored.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_seconds: u64,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = authenticator(secret, None, "").ok()?;
    totp.check(&code, unix_seconds)
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(secret: &[u8]) -> String {
    Secret::from(secret).to_base32()
}

/// Decodes RFC 4648 base32 as an app shows it (spaces, padding and lower case allowed).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Secret::try_from_base32(text)
        .ok()
        .map(|secret| secret.to_vec())
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> Result<String, TotpError> {
    authenticator(secret, Some(issuer), account)?.to_url()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    /// RFC 6238 Appendix B, SHA-1, 8 digits: checks that our settings reach the algorithm.
    #[test]
    fn rfc_6238_test_vectors() {
        let totp = Builder::new()
            .with_digits(8)
            .with_secret(RFC_SECRET)
            .build()
            .unwrap();
        for (time, expected) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp.generate(time).to_string(), expected, "time {time}");
        }
        // The same vector's last six digits are our 6-digit code.
        assert_eq!(
            code_at_step(RFC_SECRET, step_at(59)).as_deref(),
            Some("287082")
        );
    }

    #[test]
    fn a_code_is_accepted_within_one_step_and_only_once() {
        let now = 1_234_567_890;
        let code = code_at_step(RFC_SECRET, step_at(now)).unwrap();
        let step = verify(RFC_SECRET, &code, now, None).unwrap();
        assert_eq!(step, step_at(now));
        assert_eq!(
            verify(RFC_SECRET, &code, now, Some(step)),
            None,
            "reuse refused"
        );
        assert!(
            verify(RFC_SECRET, &code, now + 30, None).is_some(),
            "one step of drift"
        );
        assert_eq!(
            verify(RFC_SECRET, &code, now + 90, None),
            None,
            "three steps late"
        );
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(RFC_SECRET, &spaced, now, None), Some(step));
        assert_eq!(verify(RFC_SECRET, "12345", now, None), None);
        assert_eq!(verify(RFC_SECRET, "+12345", now, None), None);
    }

    #[test]
    fn a_secret_under_128_bits_gives_no_code() {
        assert_eq!(code_at_step(b"short", 1), None);
        assert_eq!(verify(b"short", "123456", 59, None), None);
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            from_base32("mzxw 6ytb oi").as_deref(),
            Some(b"foobar".as_slice())
        );
        assert_eq!(from_base32("1"), None);
    }

    #[test]
    fn the_uri_names_the_issuer_and_account() {
        let uri = otpauth_uri("MDIS Registry", "ana@clinic.example", RFC_SECRET).unwrap();
        assert_eq!(
            uri,
            "otpauth://totp/MDIS%20Registry:ana%40clinic.example?\
             secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MDIS%20Registry"
        );
        assert!(otpauth_uri("MDIS", "a:b", RFC_SECRET).is_err());
    }
}
