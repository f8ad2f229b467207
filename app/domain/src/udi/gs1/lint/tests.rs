use super::*;

#[test]
fn mod10_reports_the_expected_digit() {
    assert_eq!(check(Linter::Csum, "09506000134352", 2026), Ok(()));
    assert_eq!(
        check(Linter::Csum, "09506000134359", 2026),
        Err(LintProblem::CheckDigit {
            expected: "2".into(),
            found: "9".into()
        })
    );
}

#[test]
fn alphanumeric_check_pair_matches_the_general_specifications_examples() {
    // Examples from the GS1 Barcode Syntax Tests for the GMN check pair (AI 8013).
    for valid in [
        "1987654Ad4X4bL5ttr2310c2K",
        "12345678901234567890123NT",
        "00000!HV",
    ] {
        assert_eq!(alphanumeric_check_pair(valid), Ok(()), "{valid}");
    }
    assert_eq!(
        alphanumeric_check_pair("1987654Ad4X4bL5ttr2310cXK"),
        Err(LintProblem::CheckDigit {
            expected: "2K".into(),
            found: "XK".into()
        })
    );
}

#[test]
fn the_weights_are_the_first_97_primes() {
    assert_eq!(PRIMES[..6], [2, 3, 5, 7, 11, 13]);
    assert_eq!(PRIMES[96], 509);
}

#[test]
fn times_and_simple_codes() {
    assert_eq!(check(Linter::Hhmi, "2359", 2026), Ok(()));
    assert!(matches!(
        check(Linter::Hhmi, "2400", 2026),
        Err(LintProblem::Date(DateError::Hour { hour: 24 }))
    ));
    assert!(matches!(
        check(Linter::Hhmi, "1260", 2026),
        Err(LintProblem::Date(DateError::Minute { minute: 60 }))
    ));
    assert!(check(Linter::YesNo, "2", 2026).is_err());
    assert!(check(Linter::PieceOfTotal, "0302", 2026).is_err());
    assert!(check(Linter::PieceOfTotal, "0202", 2026).is_ok());
    assert!(check(Linter::Pcenc, "A%2FB", 2026).is_ok());
    assert!(check(Linter::Pcenc, "A%2", 2026).is_err());
    assert!(check(Linter::PosInSeqSlash, "1/2", 2026).is_ok());
    assert!(check(Linter::PosInSeqSlash, "3/2", 2026).is_err());
}

#[test]
fn iban_mod_97() {
    assert_eq!(check(Linter::Iban, "GB82WEST12345698765432", 2026), Ok(()));
    assert!(check(Linter::Iban, "GB82WEST12345698765433", 2026).is_err());
}
