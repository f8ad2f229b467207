//! What a synthetic primary is made of: one system's parts, mostly (a few mix systems), a
//! device for each part weighted by its use, and each component's identifiers as the clinic
//! recorded them (a few with a device identifier the register does not know, some with no
//! lot or serial).

use domain::procedure::{BodySite, Laterality};
use rand::Rng;

use super::Generator;
use crate::synthetic::SyntheticComponent;
use crate::synthetic::catalogue::{self, CLINICS, DEVICES, Part, UNREGISTERED};

/// Share of components that a clinic recorded with a device identifier not in the register.
const UNREGISTERED_SHARE: f64 = 0.015;
/// Share of primaries that mix one system's parts with another's.
const MIX_AND_MATCH: f64 = 0.05;

impl Generator {
    fn device_for(&mut self, site: BodySite, part: Part, system: &str) -> Option<usize> {
        let mix = self.chance(MIX_AND_MATCH);
        let choices: Vec<(usize, f64)> = DEVICES
            .iter()
            .enumerate()
            .filter(|(_, device)| device.body_site == site && device.part == part)
            .filter(|(_, device)| mix || device.system == system)
            .map(|(index, device)| (index, device.weight))
            .collect();
        (!choices.is_empty()).then(|| self.weighted(&choices))
    }

    fn system_for(&mut self, site: BodySite) -> &'static str {
        let mut systems: Vec<&'static str> = DEVICES
            .iter()
            .filter(|device| device.body_site == site)
            .map(|device| device.system)
            .collect();
        systems.dedup();
        let choices: Vec<(&'static str, f64)> = systems
            .into_iter()
            .map(|system| (system, catalogue::system_weight(system)))
            .collect();
        self.weighted(&choices)
    }

    pub(super) fn component(
        &mut self,
        clinic: usize,
        device: Option<usize>,
        site: BodySite,
        part: Part,
        day: i32,
    ) -> SyntheticComponent {
        let unregistered = UNREGISTERED
            .iter()
            .find(|(_, unregistered_site, unregistered_part)| {
                *unregistered_site == site && *unregistered_part == part
            });
        let (device_identifier, register_entry) = match (unregistered, device) {
            (Some((prefix, _, _)), _) if self.chance(UNREGISTERED_SHARE) => {
                (catalogue::unregistered_gtin(prefix), None)
            }
            (_, Some(index)) => (DEVICES[index].gtin(), Some(index)),
            (Some((prefix, _, _)), None) => (catalogue::unregistered_gtin(prefix), None),
            (None, None) => (DEVICES[0].gtin(), Some(0)),
        };
        let recorded = !self.chance(CLINICS[clinic].missing_lot_rate);
        let made = day - self.random.gen_range(30..400);
        let lot = recorded.then(|| {
            let year = Self::date(made).year() % 100;
            format!("L{year:02}{:05}", self.random.gen_range(0..100_000u32))
        });
        let serial = (recorded && part == Part::BreastImplant)
            .then(|| format!("S{:09}", self.random.gen_range(0..1_000_000_000u32)));
        SyntheticComponent {
            device_identifier,
            register_entry,
            lot,
            serial,
            expiry: Self::date(made + self.random.gen_range(3..6) * 365),
        }
    }

    /// A primary's components and its construct's relative hazard (its worst part's).
    pub(super) fn construct(
        &mut self,
        clinic: usize,
        site: BodySite,
        laterality: Laterality,
        day: i32,
    ) -> (Vec<SyntheticComponent>, f64) {
        let system = self.system_for(site);
        let (parts, optional) = catalogue::construct(site);
        let mut parts = parts.to_vec();
        if let Some((part, share)) = optional
            && self.chance(share)
        {
            parts.push(part);
        }
        let mut components = Vec::new();
        let mut hazard: f64 = 0.0;
        for part in parts {
            let Some(device) = self.device_for(site, part, system) else {
                continue;
            };
            hazard = hazard.max(DEVICES[device].hazard);
            components.push(self.component(clinic, Some(device), site, part, day));
            if laterality == Laterality::Bilateral {
                // Breast implants come in pairs: both are recorded.
                components.push(self.component(clinic, Some(device), site, part, day));
            }
        }
        (components, hazard.max(0.1))
    }
}
