//! What the synthetic registry is made of: invented clinics and an invented device register.
//!
//! Fixed data, the same for every seed, so that pages read like a real registry whatever the
//! seed: hip and knee systems from five makers (stem, cup, liner and head; femoral component,
//! tibial tray, insert and patella), breast implants from three, and a few devices whose
//! revision hazard is clearly higher than their group's (the ones the outlier screen should
//! find). Every name is invented.

use domain::procedure::BodySite;
use domain::udi::Gtin;

/// A clinic (an organisation) of the synthetic registry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticClinic {
    pub name: &'static str,
    pub sites: &'static [&'static str],
    /// Relative number of procedures.
    pub weight: f64,
    /// Which body sites it operates on.
    pub specialty: Specialty,
    /// Share of patients who consent to their record being linked.
    pub consent_rate: f64,
    /// Share of components recorded without a lot or serial number.
    pub missing_lot_rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Specialty {
    Orthopaedic,
    Breast,
    Both,
}

impl Specialty {
    pub fn operates_on(self, site: BodySite) -> bool {
        match self {
            Specialty::Orthopaedic => matches!(site, BodySite::Hip | BodySite::Knee),
            Specialty::Breast => site == BodySite::Breast,
            Specialty::Both => matches!(site, BodySite::Hip | BodySite::Knee | BodySite::Breast),
        }
    }
}

const fn clinic(
    name: &'static str,
    sites: &'static [&'static str],
    weight: f64,
    specialty: Specialty,
    consent_rate: f64,
    missing_lot_rate: f64,
) -> SyntheticClinic {
    SyntheticClinic {
        name,
        sites,
        weight,
        specialty,
        consent_rate,
        missing_lot_rate,
    }
}

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

/// What a device is within its system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Stem,
    Cup,
    Liner,
    Head,
    Femoral,
    Tibial,
    Insert,
    Patella,
    BreastImplant,
}

/// A device in the synthetic register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticDevice {
    /// The first 13 digits of the GTIN-14; the check digit is computed.
    pub gtin_prefix: &'static str,
    pub manufacturer: &'static str,
    pub name: &'static str,
    pub catalogue_number: &'static str,
    pub body_site: BodySite,
    pub part: Part,
    /// The system (brand) it belongs to; a primary uses one system's parts, mostly.
    pub system: &'static str,
    /// How often it is chosen within its system and part.
    pub weight: f64,
    /// Revision hazard relative to its group's (1 = typical).
    pub hazard: f64,
}

impl SyntheticDevice {
    /// The device identifier: a GTIN-14 with a valid check digit.
    pub fn gtin(&self) -> String {
        let digits: Vec<u8> = self.gtin_prefix.bytes().map(|byte| byte - b'0').collect();
        let digits: [u8; 13] = digits
            .try_into()
            .expect("every synthetic GTIN prefix has 13 digits");
        Gtin::from_digits_without_check(digits).to_gtin14()
    }
}

#[allow(clippy::too_many_arguments)]
const fn device(
    gtin_prefix: &'static str,
    manufacturer: &'static str,
    name: &'static str,
    catalogue_number: &'static str,
    body_site: BodySite,
    part: Part,
    system: &'static str,
    weight: f64,
    hazard: f64,
) -> SyntheticDevice {
    SyntheticDevice {
        gtin_prefix,
        manufacturer,
        name,
        catalogue_number,
        body_site,
        part,
        system,
        weight,
        hazard,
    }
}

use BodySite::{Breast, Hip, Knee};
use Part::*;

/// 47 devices. Four have a clearly higher hazard: the Corvid "Apex" metal cup (×3.5) and its
/// liner, the Tamsin "Ridge" tibial tray (×2.8), and the Pellucid textured implant (×3).
pub const DEVICES: &[SyntheticDevice] = &[
    // Hip: Northgate "Meridian II".
    device(
        "0506009900011",
        "Northgate Orthopaedics",
        "Meridian II cementless stem",
        "NG-MS2-4",
        Hip,
        Stem,
        "Meridian II",
        3.0,
        1.0,
    ),
    device(
        "0506009900012",
        "Northgate Orthopaedics",
        "Meridian II cemented stem",
        "NG-MC2-4",
        Hip,
        Stem,
        "Meridian II",
        2.0,
        0.9,
    ),
    device(
        "0506009900013",
        "Northgate Orthopaedics",
        "Meridian II acetabular cup, 52 mm",
        "NG-AC2-52",
        Hip,
        Cup,
        "Meridian II",
        1.0,
        1.0,
    ),
    device(
        "0506009900014",
        "Northgate Orthopaedics",
        "Meridian II highly cross-linked liner",
        "NG-XL2-32",
        Hip,
        Liner,
        "Meridian II",
        1.0,
        0.9,
    ),
    device(
        "0506009900015",
        "Northgate Orthopaedics",
        "Meridian II ceramic head, 32 mm",
        "NG-CH2-32",
        Hip,
        Head,
        "Meridian II",
        1.0,
        0.9,
    ),
    // Hip: Halcyon "Solace".
    device(
        "0506009900021",
        "Halcyon Joint Systems",
        "Solace taper stem",
        "HJ-ST-5",
        Hip,
        Stem,
        "Solace",
        1.0,
        1.0,
    ),
    device(
        "0506009900022",
        "Halcyon Joint Systems",
        "Solace dual-mobility cup",
        "HJ-DM-54",
        Hip,
        Cup,
        "Solace",
        1.0,
        1.1,
    ),
    device(
        "0506009900023",
        "Halcyon Joint Systems",
        "Solace polyethylene liner",
        "HJ-PE-28",
        Hip,
        Liner,
        "Solace",
        1.0,
        1.1,
    ),
    device(
        "0506009900024",
        "Halcyon Joint Systems",
        "Solace cobalt-chrome head, 28 mm",
        "HJ-CC-28",
        Hip,
        Head,
        "Solace",
        1.0,
        1.0,
    ),
    // Hip: Vireo "Arden".
    device(
        "0506009900031",
        "Vireo Medical",
        "Arden collared stem",
        "VM-AR-C3",
        Hip,
        Stem,
        "Arden",
        1.0,
        0.8,
    ),
    device(
        "0506009900032",
        "Vireo Medical",
        "Arden press-fit cup",
        "VM-AR-P52",
        Hip,
        Cup,
        "Arden",
        1.0,
        0.8,
    ),
    device(
        "0506009900033",
        "Vireo Medical",
        "Arden vitamin-E liner",
        "VM-AR-VE",
        Hip,
        Liner,
        "Arden",
        1.0,
        0.8,
    ),
    device(
        "0506009900034",
        "Vireo Medical",
        "Arden ceramic head, 36 mm",
        "VM-AR-H36",
        Hip,
        Head,
        "Arden",
        1.0,
        0.8,
    ),
    // Hip: Corvid "Apex", with the metal-on-metal cup that fails early.
    device(
        "0506009900041",
        "Corvid Implants",
        "Apex modular stem",
        "CI-AX-S4",
        Hip,
        Stem,
        "Apex",
        1.0,
        1.2,
    ),
    device(
        "0506009900042",
        "Corvid Implants",
        "Apex resurfacing cup, metal",
        "CI-AX-M50",
        Hip,
        Cup,
        "Apex",
        1.0,
        3.5,
    ),
    device(
        "0506009900043",
        "Corvid Implants",
        "Apex metal liner",
        "CI-AX-ML",
        Hip,
        Liner,
        "Apex",
        1.0,
        1.0,
    ),
    device(
        "0506009900044",
        "Corvid Implants",
        "Apex large metal head, 44 mm",
        "CI-AX-H44",
        Hip,
        Head,
        "Apex",
        1.0,
        1.3,
    ),
    // Hip: Tamsin "Keel".
    device(
        "0506009900051",
        "Tamsin Surgical",
        "Keel short stem",
        "TS-KL-S2",
        Hip,
        Stem,
        "Keel",
        1.0,
        1.1,
    ),
    device(
        "0506009900052",
        "Tamsin Surgical",
        "Keel cluster-hole cup",
        "TS-KL-C52",
        Hip,
        Cup,
        "Keel",
        1.0,
        1.0,
    ),
    device(
        "0506009900053",
        "Tamsin Surgical",
        "Keel liner, 10° lip",
        "TS-KL-L10",
        Hip,
        Liner,
        "Keel",
        1.0,
        1.0,
    ),
    device(
        "0506009900054",
        "Tamsin Surgical",
        "Keel ceramic head, 32 mm",
        "TS-KL-H32",
        Hip,
        Head,
        "Keel",
        1.0,
        1.0,
    ),
    // Knee: Northgate "Trellis".
    device(
        "0506009900111",
        "Northgate Orthopaedics",
        "Trellis cruciate-retaining femoral component",
        "NG-TR-FCR",
        Knee,
        Femoral,
        "Trellis",
        2.0,
        1.0,
    ),
    device(
        "0506009900112",
        "Northgate Orthopaedics",
        "Trellis posterior-stabilised femoral component",
        "NG-TR-FPS",
        Knee,
        Femoral,
        "Trellis",
        1.0,
        1.1,
    ),
    device(
        "0506009900113",
        "Northgate Orthopaedics",
        "Trellis fixed-bearing tibial tray",
        "NG-TR-TT",
        Knee,
        Tibial,
        "Trellis",
        1.0,
        1.0,
    ),
    device(
        "0506009900114",
        "Northgate Orthopaedics",
        "Trellis tibial insert, 10 mm",
        "NG-TR-I10",
        Knee,
        Insert,
        "Trellis",
        1.0,
        1.0,
    ),
    device(
        "0506009900115",
        "Northgate Orthopaedics",
        "Trellis all-poly patella",
        "NG-TR-P",
        Knee,
        Patella,
        "Trellis",
        1.0,
        1.0,
    ),
    // Knee: Halcyon "Orbit".
    device(
        "0506009900121",
        "Halcyon Joint Systems",
        "Orbit femoral component",
        "HJ-OR-F",
        Knee,
        Femoral,
        "Orbit",
        1.0,
        0.9,
    ),
    device(
        "0506009900122",
        "Halcyon Joint Systems",
        "Orbit rotating-platform tibial tray",
        "HJ-OR-RP",
        Knee,
        Tibial,
        "Orbit",
        1.0,
        0.9,
    ),
    device(
        "0506009900123",
        "Halcyon Joint Systems",
        "Orbit mobile-bearing insert",
        "HJ-OR-MB",
        Knee,
        Insert,
        "Orbit",
        1.0,
        0.9,
    ),
    device(
        "0506009900124",
        "Halcyon Joint Systems",
        "Orbit patella button",
        "HJ-OR-P",
        Knee,
        Patella,
        "Orbit",
        1.0,
        0.9,
    ),
    // Knee: Vireo "Fenwick".
    device(
        "0506009900131",
        "Vireo Medical",
        "Fenwick femoral component",
        "VM-FW-F",
        Knee,
        Femoral,
        "Fenwick",
        1.0,
        0.9,
    ),
    device(
        "0506009900132",
        "Vireo Medical",
        "Fenwick cemented tibial tray",
        "VM-FW-T",
        Knee,
        Tibial,
        "Fenwick",
        1.0,
        0.9,
    ),
    device(
        "0506009900133",
        "Vireo Medical",
        "Fenwick insert, 12 mm",
        "VM-FW-I12",
        Knee,
        Insert,
        "Fenwick",
        1.0,
        0.9,
    ),
    // Knee: Tamsin "Ridge", with the tibial tray that loosens.
    device(
        "0506009900141",
        "Tamsin Surgical",
        "Ridge femoral component",
        "TS-RG-F",
        Knee,
        Femoral,
        "Ridge",
        1.0,
        1.0,
    ),
    device(
        "0506009900142",
        "Tamsin Surgical",
        "Ridge cementless tibial tray",
        "TS-RG-T",
        Knee,
        Tibial,
        "Ridge",
        1.0,
        2.8,
    ),
    device(
        "0506009900143",
        "Tamsin Surgical",
        "Ridge insert, 9 mm",
        "TS-RG-I9",
        Knee,
        Insert,
        "Ridge",
        1.0,
        1.0,
    ),
    // Knee: Corvid "Quill" (a small system).
    device(
        "0506009900151",
        "Corvid Implants",
        "Quill unicompartmental femoral component",
        "CI-QU-F",
        Knee,
        Femoral,
        "Quill",
        1.0,
        1.4,
    ),
    device(
        "0506009900152",
        "Corvid Implants",
        "Quill unicompartmental tibial tray",
        "CI-QU-T",
        Knee,
        Tibial,
        "Quill",
        1.0,
        1.4,
    ),
    device(
        "0506009900153",
        "Corvid Implants",
        "Quill insert",
        "CI-QU-I",
        Knee,
        Insert,
        "Quill",
        1.0,
        1.3,
    ),
    // Breast implants.
    device(
        "0506009900211",
        "Lindqvist Aesthetics",
        "Aurora round smooth implant, 300 cc",
        "LA-AR-S300",
        Breast,
        BreastImplant,
        "Aurora",
        3.0,
        1.0,
    ),
    device(
        "0506009900212",
        "Lindqvist Aesthetics",
        "Aurora round smooth implant, 400 cc",
        "LA-AR-S400",
        Breast,
        BreastImplant,
        "Aurora",
        2.0,
        1.0,
    ),
    device(
        "0506009900213",
        "Lindqvist Aesthetics",
        "Aurora anatomical implant, 350 cc",
        "LA-AR-A350",
        Breast,
        BreastImplant,
        "Aurora",
        1.0,
        1.1,
    ),
    device(
        "0506009900221",
        "Serica Aesthetics",
        "Silkline round microtextured implant, 325 cc",
        "SA-SL-M325",
        Breast,
        BreastImplant,
        "Silkline",
        2.0,
        0.9,
    ),
    device(
        "0506009900222",
        "Serica Aesthetics",
        "Silkline round microtextured implant, 275 cc",
        "SA-SL-M275",
        Breast,
        BreastImplant,
        "Silkline",
        1.0,
        0.9,
    ),
    device(
        "0506009900223",
        "Serica Aesthetics",
        "Silkline tissue expander",
        "SA-SL-TE",
        Breast,
        BreastImplant,
        "Silkline",
        1.0,
        1.2,
    ),
    device(
        "0506009900231",
        "Pellucid Medical",
        "Veil macrotextured implant, 300 cc",
        "PM-VL-T300",
        Breast,
        BreastImplant,
        "Veil",
        1.5,
        3.0,
    ),
    device(
        "0506009900232",
        "Pellucid Medical",
        "Veil smooth implant, 350 cc",
        "PM-VL-S350",
        Breast,
        BreastImplant,
        "Veil",
        1.0,
        1.0,
    ),
];

/// Device identifiers recorded by clinics that are not in the register (typed from a box or
/// from a maker not registered yet): they count in survival, but not as matched.
pub const UNREGISTERED: &[(&str, BodySite, Part)] = &[
    ("0506009999011", Hip, Stem),
    ("0506009999012", Knee, Insert),
    ("0506009999013", Breast, BreastImplant),
];

/// The GTIN-14 of an unregistered device.
pub fn unregistered_gtin(prefix: &'static str) -> String {
    SyntheticDevice {
        gtin_prefix: prefix,
        ..DEVICES[0]
    }
    .gtin()
}

/// Where procedures happen: (site, share of primaries).
pub const SITE_SHARES: &[(BodySite, f64)] = &[(Hip, 0.45), (Knee, 0.40), (Breast, 0.15)];

/// Yearly revision hazard of a typical construct at each site: hips and knees around 5 % at
/// ten years, as the joint registries report; breast implants far more.
pub fn base_hazard(site: BodySite) -> f64 {
    match site {
        Hip => 0.0045,
        Knee => 0.0050,
        Breast => 0.020,
        _ => 0.005,
    }
}

/// The parts a primary at `site` is made of; the second list are parts used only sometimes
/// (with the chance given).
pub fn construct(site: BodySite) -> (&'static [Part], Option<(Part, f64)>) {
    match site {
        Hip => (&[Stem, Cup, Liner, Head], None),
        Knee => (&[Femoral, Tibial, Insert], Some((Patella, 0.3))),
        _ => (&[BreastImplant], None),
    }
}

/// Relative use of each system at its site.
pub fn system_weight(system: &str) -> f64 {
    match system {
        "Meridian II" => 30.0,
        "Solace" => 20.0,
        "Arden" => 22.0,
        "Apex" => 9.0,
        "Keel" => 19.0,
        "Trellis" => 34.0,
        "Orbit" => 25.0,
        "Fenwick" => 20.0,
        "Ridge" => 13.0,
        "Quill" => 8.0,
        "Aurora" => 45.0,
        "Silkline" => 35.0,
        "Veil" => 20.0,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn at_least_forty_devices_over_hip_knee_and_breast_with_valid_distinct_gtins() {
        assert!(DEVICES.len() >= 40);
        let gtins: HashSet<String> = DEVICES.iter().map(SyntheticDevice::gtin).collect();
        assert_eq!(gtins.len(), DEVICES.len());
        for gtin in &gtins {
            assert!(Gtin::parse(gtin).is_ok(), "{gtin} has a valid check digit");
        }
        for site in [Hip, Knee, Breast] {
            assert!(DEVICES.iter().filter(|d| d.body_site == site).count() >= 8);
        }
        // Known by hand: 0506009900011: weights 3, 1, … from the right give 51, so the check digit is 9.
        assert_eq!(DEVICES[0].gtin(), "05060099000119");
        for (prefix, _, _) in UNREGISTERED {
            assert!(!gtins.contains(&unregistered_gtin(prefix)));
        }
    }

    #[test]
    fn every_part_of_every_construct_has_a_device_in_every_system_that_needs_it() {
        for &(site, _) in SITE_SHARES {
            let (parts, _) = construct(site);
            let systems: HashSet<&str> = DEVICES
                .iter()
                .filter(|d| d.body_site == site)
                .map(|d| d.system)
                .collect();
            for system in systems {
                for part in parts {
                    assert!(
                        DEVICES
                            .iter()
                            .any(|d| d.system == system && d.part == *part),
                        "{system} has no {part:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_site_has_clinics_that_operate_on_it() {
        for &(site, _) in SITE_SHARES {
            assert!(
                CLINICS
                    .iter()
                    .filter(|c| c.specialty.operates_on(site))
                    .count()
                    >= 3
            );
        }
    }
}
