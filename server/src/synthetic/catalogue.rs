//! What the synthetic registry is made of: invented clinics and an invented device register.
//!
//! Fixed data, the same for every seed, so that pages read like a real registry whatever the
//! seed: hip and knee systems from five makers (stem, cup, liner and head; femoral component,
//! tibial tray, insert and patella), breast implants from three, and a few devices whose
//! revision hazard is clearly higher than their group's (the ones the outlier screen should
//! find). Every name is invented.
//!
//! Here: what a clinic and a device are, and the rules of a construct (its parts, each site's
//! base hazard, each system's share). The data: the clinics in `clinics`, the devices by body
//! site in `hips`, `knees` and `breast`.

use domain::procedure::BodySite;
use domain::udi::Gtin;

mod breast;
mod clinics;
mod hips;
mod knees;

pub use clinics::CLINICS;

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

/// 47 devices, hips first, then knees, then breast implants (the generator refers to them by
/// index). Four have a clearly higher hazard: the Corvid "Apex" metal cup (×3.5) and its
/// liner, the Tamsin "Ridge" tibial tray (×2.8), and the Pellucid textured implant (×3).
pub const DEVICES: &[SyntheticDevice] = &ALL_DEVICES;

const DEVICE_COUNT: usize = hips::DEVICES.len() + knees::DEVICES.len() + breast::DEVICES.len();
const ALL_DEVICES: [SyntheticDevice; DEVICE_COUNT] =
    joined([hips::DEVICES, knees::DEVICES, breast::DEVICES]);

/// The sites' lists one after the other, as one array (built at compile time).
const fn joined<const N: usize>(lists: [&[SyntheticDevice]; 3]) -> [SyntheticDevice; N] {
    let mut all = [lists[0][0]; N];
    let (mut list, mut next) = (0, 0);
    while list < lists.len() {
        let mut index = 0;
        while index < lists[list].len() {
            all[next] = lists[list][index];
            index += 1;
            next += 1;
        }
        list += 1;
    }
    all
}

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
