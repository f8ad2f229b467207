//! The synthetic registry's clinics.

use super::{Specialty, SyntheticClinic, clinic};

/// Twelve clinics: large and small NHS trusts, private hospitals and cosmetic clinics (whose
/// consent and lot recording are worse, as the breast implant registry found).
pub const CLINICS: &[SyntheticClinic] = &[
    clinic(
        "Northfield Orthopaedic Centre (synthetic)",
        &["Main theatres", "Elective unit"],
        14.0,
        Specialty::Orthopaedic,
        0.95,
        0.03,
    ),
    clinic(
        "St Aldric's Hospital (synthetic)",
        &["Theatre suite A", "Theatre suite B", "Day surgery"],
        12.0,
        Specialty::Both,
        0.94,
        0.04,
    ),
    clinic(
        "Harbourside General (synthetic)",
        &["Main theatres"],
        10.0,
        Specialty::Orthopaedic,
        0.93,
        0.05,
    ),
    clinic(
        "Moorland District Hospital (synthetic)",
        &["Theatres"],
        7.0,
        Specialty::Orthopaedic,
        0.92,
        0.06,
    ),
    clinic(
        "Queen's Mead University Hospital (synthetic)",
        &["Orthopaedic theatres", "Plastic surgery unit"],
        13.0,
        Specialty::Both,
        0.95,
        0.03,
    ),
    clinic(
        "Riverbend Private Hospital (synthetic)",
        &["Theatre 1", "Theatre 2"],
        8.0,
        Specialty::Both,
        0.93,
        0.05,
    ),
    clinic(
        "Castlegate Joint Clinic (synthetic)",
        &["Main theatre"],
        6.0,
        Specialty::Orthopaedic,
        0.96,
        0.02,
    ),
    clinic(
        "Westholme Community Hospital (synthetic)",
        &["Day theatre"],
        4.0,
        Specialty::Orthopaedic,
        0.90,
        0.08,
    ),
    clinic(
        "Elmstead Cosmetic Surgery (synthetic)",
        &["Clinic theatre"],
        5.0,
        Specialty::Breast,
        0.85,
        0.10,
    ),
    clinic(
        "Lindenfield Aesthetics (synthetic)",
        &["Theatre"],
        3.0,
        Specialty::Breast,
        0.82,
        0.12,
    ),
    clinic(
        "Brookvale Surgical Centre (synthetic)",
        &["Theatre 1"],
        5.0,
        Specialty::Both,
        0.92,
        0.06,
    ),
    clinic(
        "Ashcombe Hospital (synthetic)",
        &["Main theatres", "Treatment centre"],
        9.0,
        Specialty::Orthopaedic,
        0.94,
        0.04,
    ),
];
