use super::*;

fn spec<'a>(
    path: &Path,
    recorded: Option<&'a str>,
    in_use: bool,
    id_of: &'a dyn Fn(&[u8; 32]) -> String,
    generate: &'a dyn Fn() -> [u8; 32],
) -> KeySpec<'a> {
    KeySpec {
        what: "test",
        path: path.to_path_buf(),
        recorded,
        in_use,
        id_of,
        generate,
    }
}

#[test]
fn a_key_is_created_once_private_and_then_checked_against_its_recorded_id() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("keys/account.key");
    let first = load(spec(&path, None, false, &fingerprint, &random_key)).unwrap();
    assert!(first.needs_recording);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let folder_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(folder_mode & 0o777, 0o700);
    let again = load(spec(
        &path,
        Some(&first.id),
        true,
        &fingerprint,
        &random_key,
    ))
    .unwrap();
    assert_eq!(again.key, first.key);
    assert!(!again.needs_recording);
}

#[test]
fn a_missing_or_different_key_file_is_refused_never_replaced() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("pseudonym.key");
    let missing = load(spec(
        &path,
        Some("0011223344556677"),
        true,
        &fingerprint,
        &random_key,
    ));
    assert!(
        matches!(missing, Err(KeyError::Missing { .. })),
        "recorded id, no file"
    );
    assert!(!path.exists(), "no key was made");
    let in_use = load(spec(&path, None, true, &fingerprint, &random_key));
    assert!(matches!(
        in_use,
        Err(KeyError::MissingForExistingData { .. })
    ));
    create(&path, &[9u8; 32]).unwrap();
    let other = load(spec(
        &path,
        Some("0011223344556677"),
        true,
        &fingerprint,
        &random_key,
    ));
    match other {
        Err(KeyError::Mismatch { found, .. }) => assert_eq!(found, fingerprint(&[9u8; 32])),
        _ => panic!("a different key must be refused"),
    }
}

#[test]
fn sealed_secrets_open_only_with_the_same_key_untampered_and_in_their_own_row() {
    let sealer = SecretBox::new(&[7u8; 32]);
    let row = SealedFor::Authenticator { user_id: 4 };
    let sealed = sealer.seal(b"totp seed", row);
    assert_eq!(
        sealer.open(&sealed, row).as_deref(),
        Some(b"totp seed".as_slice())
    );
    assert_eq!(SecretBox::new(&[8u8; 32]).open(&sealed, row), None);
    assert_eq!(
        sealer.open(&sealed, SealedFor::Authenticator { user_id: 5 }),
        None,
        "copied into another user's row"
    );
    assert_eq!(
        sealer.open(&sealed, SealedFor::DraftKey { user_id: 4 }),
        None
    );
    let mut tampered = sealed.clone();
    tampered[15] ^= 1;
    assert_eq!(sealer.open(&tampered, row), None);
    assert_eq!(sealer.open_unbound(&sealed), None);
}
