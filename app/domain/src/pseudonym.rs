//! Patient pseudonyms by oblivious pseudorandom function (RFC 9497, VOPRF mode,
//! ristretto255-SHA512).
//!
//! The browser blinds the patient's NHS number and date of birth and sends only the blinded
//! element; the server evaluates it with a key it keeps outside the database and proves it
//! used that key; the browser unblinds and checks the proof. The result is the pseudonym: the
//! same patient always gets the same one, the server never sees the identifiers, and nobody
//! without the key can compute a pseudonym from an NHS number.

use std::fmt;

use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use voprf::{
    BlindedElement, EvaluationElement, Group, Proof, Ristretto255, VoprfClient, VoprfServer,
};

use crate::calendar::CalendarDate;
use crate::nhs_number::NhsNumber;

type Suite = Ristretto255;

/// Separates this use of the key from any other, and versions the input format.
const DOMAIN: &[u8] = b"MDIS patient pseudonym v1";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PseudonymError {
    #[error("the registry's pseudonymisation answer was malformed")]
    Malformed,
    #[error("the registry's pseudonymisation answer did not prove it used the registry's key")]
    ProofFailed,
    #[error("the pseudonymisation key is not valid")]
    BadKey,
}

/// What identifies a patient: never serialised, never logged (`Debug` is redacted).
#[derive(Clone, PartialEq, Eq)]
pub struct PatientIdentifiers {
    nhs_number: NhsNumber,
    date_of_birth: CalendarDate,
}

impl fmt::Debug for PatientIdentifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PatientIdentifiers(<redacted>)")
    }
}

impl PatientIdentifiers {
    pub fn new(nhs_number: NhsNumber, date_of_birth: CalendarDate) -> Self {
        Self {
            nhs_number,
            date_of_birth,
        }
    }

    pub fn date_of_birth(&self) -> CalendarDate {
        self.date_of_birth
    }

    /// The OPRF input: domain, then the canonical NHS number and date, separated so that no
    /// two different patients give the same bytes.
    fn input(&self) -> Vec<u8> {
        let mut input = DOMAIN.to_vec();
        input.push(0);
        input.extend_from_slice(self.nhs_number.digits().as_bytes());
        input.push(0);
        input.extend_from_slice(self.date_of_birth.to_iso().as_bytes());
        input
    }
}

/// A patient pseudonym: hex of the first 32 bytes of the OPRF output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pseudonym(String);

impl Pseudonym {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Pseudonym {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        if text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            Ok(Self(text))
        } else {
            Err("a pseudonym is 64 lower-case hexadecimal characters".into())
        }
    }
}

impl From<Pseudonym> for String {
    fn from(pseudonym: Pseudonym) -> Self {
        pseudonym.0
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The browser's half-done request: keep it to finish once the server answers.
pub struct Blinded {
    state: VoprfClient<Suite>,
    identifiers: PatientIdentifiers,
    /// The blinded element to send (32 bytes).
    pub message: Vec<u8>,
}

/// Blinds with the system's randomness (the browser's `crypto.getRandomValues` in WASM).
pub fn blind_securely(identifiers: PatientIdentifiers) -> Blinded {
    blind(identifiers, &mut rand_core::OsRng)
}

/// Blinds the identifiers for sending.
pub fn blind<R: RngCore + CryptoRng>(identifiers: PatientIdentifiers, rng: &mut R) -> Blinded {
    let result = VoprfClient::<Suite>::blind(&identifiers.input(), rng)
        .expect("blinding a non-empty input of bounded length succeeds");
    Blinded {
        state: result.state,
        message: result.message.serialize().to_vec(),
        identifiers,
    }
}

impl Blinded {
    /// Checks the server's proof against `public_key` and unblinds: the pseudonym.
    pub fn finish(
        self,
        evaluated: &[u8],
        proof: &[u8],
        public_key: &[u8],
    ) -> Result<Pseudonym, PseudonymError> {
        let evaluated = EvaluationElement::<Suite>::deserialize(evaluated)
            .map_err(|_| PseudonymError::Malformed)?;
        let proof = Proof::<Suite>::deserialize(proof).map_err(|_| PseudonymError::Malformed)?;
        let public_key =
            <Suite as Group>::deserialize_elem(public_key).map_err(|_| PseudonymError::BadKey)?;
        let output = self
            .state
            .finalize(&self.identifiers.input(), &evaluated, &proof, public_key)
            .map_err(|_| PseudonymError::ProofFailed)?;
        Ok(Pseudonym(hex(&output[..32])))
    }
}

/// The server's side: holds the secret key.
pub struct Evaluator {
    server: VoprfServer<Suite>,
    key_id: String,
}

impl fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Evaluator(key {})", self.key_id)
    }
}

/// One evaluation, as sent back to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub evaluated: Vec<u8>,
    pub proof: Vec<u8>,
    pub key_id: String,
}

impl Evaluator {
    /// From a 32-byte secret key (the key file's contents).
    pub fn from_secret_key(secret: &[u8]) -> Result<Self, PseudonymError> {
        let server =
            VoprfServer::<Suite>::new_with_key(secret).map_err(|_| PseudonymError::BadKey)?;
        let key_id =
            hex(&Sha256::digest(<Suite as Group>::serialize_elem(server.get_public_key()))[..8]);
        Ok(Self { server, key_id })
    }

    /// A new random secret key, for a new key file.
    pub fn generate_secret_key<R: RngCore + CryptoRng>(rng: &mut R) -> Vec<u8> {
        let server = VoprfServer::<Suite>::new(rng).expect("generating a key succeeds");
        server.serialize()[..32].to_vec()
    }

    /// Identifies the key: the first 8 bytes of the SHA-256 of its public key, in hex.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn public_key(&self) -> Vec<u8> {
        <Suite as Group>::serialize_elem(self.server.get_public_key()).to_vec()
    }

    pub fn evaluate<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
        blinded: &[u8],
    ) -> Result<Evaluation, PseudonymError> {
        let blinded =
            BlindedElement::<Suite>::deserialize(blinded).map_err(|_| PseudonymError::Malformed)?;
        let result = self.server.blind_evaluate(rng, &blinded);
        Ok(Evaluation {
            evaluated: result.message.serialize().to_vec(),
            proof: result.proof.serialize().to_vec(),
            key_id: self.key_id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    fn patient(nhs: &str, dob: (u16, u8, u8)) -> PatientIdentifiers {
        PatientIdentifiers::new(
            NhsNumber::parse(nhs).unwrap(),
            CalendarDate::new(dob.0, dob.1, dob.2).unwrap(),
        )
    }

    fn pseudonym(evaluator: &Evaluator, identifiers: PatientIdentifiers) -> Pseudonym {
        let blinded = blind(identifiers, &mut OsRng);
        let evaluation = evaluator.evaluate(&mut OsRng, &blinded.message).unwrap();
        blinded
            .finish(
                &evaluation.evaluated,
                &evaluation.proof,
                &evaluator.public_key(),
            )
            .unwrap()
    }

    #[test]
    fn the_same_patient_gets_the_same_pseudonym_however_the_number_was_typed() {
        let evaluator =
            Evaluator::from_secret_key(&Evaluator::generate_secret_key(&mut OsRng)).unwrap();
        let first = pseudonym(&evaluator, patient("999 123 4578", (1960, 5, 13)));
        let second = pseudonym(&evaluator, patient("9991234578", (1960, 5, 13)));
        assert_eq!(first, second);
        assert_eq!(first.as_str().len(), 64);
        assert_ne!(
            first,
            pseudonym(&evaluator, patient("9991234578", (1960, 5, 14)))
        );
    }

    #[test]
    fn a_different_key_gives_a_different_pseudonym_and_a_wrong_key_fails_the_proof() {
        let one = Evaluator::from_secret_key(&Evaluator::generate_secret_key(&mut OsRng)).unwrap();
        let other =
            Evaluator::from_secret_key(&Evaluator::generate_secret_key(&mut OsRng)).unwrap();
        assert_ne!(one.key_id(), other.key_id());
        let identifiers = patient("9991234578", (1960, 5, 13));
        assert_ne!(
            pseudonym(&one, identifiers.clone()),
            pseudonym(&other, identifiers.clone())
        );
        let blinded = blind(identifiers, &mut OsRng);
        let evaluation = one.evaluate(&mut OsRng, &blinded.message).unwrap();
        assert_eq!(
            blinded.finish(
                &evaluation.evaluated,
                &evaluation.proof,
                &other.public_key()
            ),
            Err(PseudonymError::ProofFailed)
        );
    }

    #[test]
    fn the_blinded_message_reveals_nothing_recognisable() {
        let identifiers = patient("9991234578", (1960, 5, 13));
        let first = blind(identifiers.clone(), &mut OsRng).message;
        let second = blind(identifiers.clone(), &mut OsRng).message;
        assert_ne!(first, second, "fresh blinding each time");
        assert!(!format!("{identifiers:?}").contains("999"));
    }

    #[test]
    fn keys_reload_to_the_same_evaluator() {
        let secret = Evaluator::generate_secret_key(&mut OsRng);
        let first = Evaluator::from_secret_key(&secret).unwrap();
        let second = Evaluator::from_secret_key(&secret).unwrap();
        assert_eq!(first.public_key(), second.public_key());
        assert_eq!(first.key_id(), second.key_id());
        assert!(Evaluator::from_secret_key(&[0u8; 32]).is_err());
    }
}
