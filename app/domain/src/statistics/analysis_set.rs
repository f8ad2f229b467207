//! The analysis set: built once from every procedure (linkage done, devices indexed), then
//! asked for survival, rates, outliers, funnels, volumes and completeness.

use serde::{Deserialize, Serialize};

use super::activity::{CompletenessRow, VolumeRow, tally_activity};
use super::funnel::{FunnelPlot, FunnelPoint, funnel_limits};
use super::input::{DeviceKey, ProcedureEvent};
use super::linkage::{LinkageSummary, LinkedPrimary, link};
use super::outliers::{OutlierRow, OutlierRule, RiskTally, screen_device};
use super::poisson::RevisionRate;
use super::survival::{Observation, SurvivalOptions, SurvivalReport, survival_report};
use crate::calendar::CalendarDate;
use crate::procedure::BodySite;

const SITES: usize = BodySite::ALL.len();

/// Settings of the analyses; defaults as in issue 14.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisOptions {
    pub survival: SurvivalOptions,
    pub outliers: OutlierRule,
}

/// Primary procedures up to an analysis date, linked to their first revisions.
///
/// Built in O(n log n) (two sorts: patients' sides, and device–primary pairs). Each device's
/// primaries are listed in one flat array (`device_primaries[device_starts[d]..
/// device_starts[d + 1]]`), so a device's survival reads only its own primaries and the outlier
/// screen is one pass over primaries × devices.
#[derive(Debug, Clone)]
pub struct AnalysisSet {
    as_of: CalendarDate,
    options: AnalysisOptions,
    primaries: Vec<LinkedPrimary>,
    /// Distinct devices in the primaries, in key order (for binary search).
    devices: Vec<DeviceKey>,
    device_starts: Vec<u32>,
    device_primaries: Vec<u32>,
    linkage: LinkageSummary,
    volumes: Vec<VolumeRow>,
    completeness: Vec<CompletenessRow>,
}

impl AnalysisSet {
    /// The analysis set as of `as_of` (inclusive), with the default options.
    pub fn build(events: &[ProcedureEvent], as_of: CalendarDate) -> Self {
        Self::build_with(events, as_of, AnalysisOptions::default())
    }

    pub fn build_with(
        events: &[ProcedureEvent],
        as_of: CalendarDate,
        options: AnalysisOptions,
    ) -> Self {
        let (primaries, linkage) = link(events, as_of);
        // One u64 per (device, primary): the key in the high half, the primary's position in
        // the low half. Sorting groups each device's primaries; dedup drops a device listed
        // twice on one primary.
        let mut pairs: Vec<u64> = primaries
            .iter()
            .enumerate()
            .flat_map(|(position, primary)| {
                events[primary.event as usize]
                    .devices
                    .iter()
                    .map(move |device| (u64::from(device.0) << 32) | position as u64)
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut devices = Vec::new();
        let mut device_starts = Vec::new();
        let device_primaries = pairs.iter().map(|&pair| pair as u32).collect();
        for (offset, &pair) in pairs.iter().enumerate() {
            let device = DeviceKey((pair >> 32) as u32);
            if devices.last() != Some(&device) {
                devices.push(device);
                device_starts.push(offset as u32);
            }
        }
        device_starts.push(pairs.len() as u32);
        let (volumes, completeness) = tally_activity(events.iter(), as_of);
        Self {
            as_of,
            options,
            primaries,
            devices,
            device_starts,
            device_primaries,
            linkage,
            volumes,
            completeness,
        }
    }

    pub fn as_of(&self) -> CalendarDate {
        self.as_of
    }

    pub fn options(&self) -> &AnalysisOptions {
        &self.options
    }

    /// What linkage found (unlinked revisions, superseded primaries, …).
    pub fn linkage(&self) -> LinkageSummary {
        self.linkage
    }

    /// Devices that appear in at least one primary, in key order.
    pub fn devices(&self) -> &[DeviceKey] {
        &self.devices
    }

    /// Primaries and revisions by calendar year and body site.
    pub fn volumes(&self) -> &[VolumeRow] {
        &self.volumes
    }

    /// Consent, register matching and lot/serial recording by clinic and month.
    pub fn completeness(&self) -> &[CompletenessRow] {
        &self.completeness
    }

    fn primaries_of(&self, device: DeviceKey) -> impl Iterator<Item = &LinkedPrimary> {
        let range = self.devices.binary_search(&device).map_or(0..0, |index| {
            self.device_starts[index] as usize..self.device_starts[index + 1] as usize
        });
        self.device_primaries[range]
            .iter()
            .map(|&position| &self.primaries[position as usize])
    }

    fn report<'a>(&self, primaries: impl Iterator<Item = &'a LinkedPrimary>) -> SurvivalReport {
        let mut unlinkable = 0;
        let mut observations = Vec::new();
        for primary in primaries {
            if primary.is_linkable() {
                observations.push(Observation {
                    days: primary.follow_up_days(),
                    revised: primary.is_revised(),
                });
            } else {
                unlinkable += 1;
            }
        }
        survival_report(&mut observations, unlinkable, &self.options.survival)
    }

    /// Survival of every primary containing `device`. An unknown device gives zero counts
    /// and withheld estimates.
    pub fn survival_for_device(&self, device: DeviceKey) -> SurvivalReport {
        self.report(self.primaries_of(device))
    }

    pub fn survival_for_body_site(&self, body_site: BodySite) -> SurvivalReport {
        self.report(self.primaries.iter().filter(|p| p.body_site == body_site))
    }

    fn risk<'a>(primaries: impl Iterator<Item = &'a LinkedPrimary>) -> RiskTally {
        let mut tally = RiskTally::default();
        for primary in primaries.filter(|primary| primary.is_linkable()) {
            tally.add(primary.follow_up_days(), primary.is_revised());
        }
        tally
    }

    /// Revisions per 100 component-years of the linkable primaries containing `device`.
    pub fn revision_rate_for_device(&self, device: DeviceKey) -> RevisionRate {
        let tally = Self::risk(self.primaries_of(device));
        RevisionRate::new(tally.revisions, tally.component_years())
    }

    pub fn revision_rate_for_body_site(&self, body_site: BodySite) -> RevisionRate {
        let tally = Self::risk(self.primaries.iter().filter(|p| p.body_site == body_site));
        RevisionRate::new(tally.revisions, tally.component_years())
    }

    fn site_tallies(&self) -> [RiskTally; SITES] {
        let mut sites = [RiskTally::default(); SITES];
        for primary in self
            .primaries
            .iter()
            .filter(|primary| primary.is_linkable())
        {
            sites[primary.body_site as usize].add(primary.follow_up_days(), primary.is_revised());
        }
        sites
    }

    /// Each device's tally in each body site where it was used, in device then site order.
    fn device_tallies(&self) -> impl Iterator<Item = (DeviceKey, BodySite, RiskTally)> + '_ {
        self.devices
            .iter()
            .enumerate()
            .flat_map(move |(index, &device)| {
                let mut by_site = [RiskTally::default(); SITES];
                let range =
                    self.device_starts[index] as usize..self.device_starts[index + 1] as usize;
                for &position in &self.device_primaries[range] {
                    let primary = &self.primaries[position as usize];
                    if primary.is_linkable() {
                        by_site[primary.body_site as usize]
                            .add(primary.follow_up_days(), primary.is_revised());
                    }
                }
                BodySite::ALL
                    .iter()
                    .zip(by_site)
                    .filter(|(_, tally)| tally.primaries > 0)
                    .map(move |(&site, tally)| (device, site, tally))
            })
    }

    /// Every device screened against the rest of its body-site group: one row per device and
    /// site it was used in, in device then site order; `flagged` marks the outliers.
    pub fn outlier_screen(&self) -> Vec<OutlierRow> {
        let sites = self.site_tallies();
        self.device_tallies()
            .map(|(device, site, tally)| {
                screen_device(
                    device,
                    site,
                    &tally,
                    &sites[site as usize],
                    &self.options.outliers,
                )
            })
            .collect()
    }

    /// The flagged rows of [`Self::outlier_screen`].
    pub fn outliers(&self) -> Vec<OutlierRow> {
        let mut rows = self.outlier_screen();
        rows.retain(|row| row.flagged);
        rows
    }

    /// The funnel of one body site: each device's ratio to the site's rate, and limits at
    /// `points` amounts of follow-up up to the largest device's.
    ///
    /// The target is the whole site's rate (a funnel needs one rate for its x-axis), whereas
    /// the outlier screen compares a device with the rest of the site; the two ratios differ
    /// most for devices that are a large part of their site.
    pub fn funnel_for_body_site(&self, body_site: BodySite, points: usize) -> FunnelPlot {
        let site = self.site_tallies()[body_site as usize];
        let site_rate =
            (site.days_at_risk > 0).then(|| site.revisions as f64 / site.component_years());
        let devices: Vec<FunnelPoint> = self
            .device_tallies()
            .filter(|(_, site, _)| *site == body_site)
            .map(|(device, _, tally)| {
                let expected = site_rate.map(|rate| rate * tally.component_years());
                FunnelPoint {
                    device_identifier: device,
                    component_years: tally.component_years(),
                    ratio: expected
                        .filter(|expected| *expected > 0.0)
                        .map(|expected| tally.revisions as f64 / expected),
                }
            })
            .collect();
        let widest = devices
            .iter()
            .map(|point| point.component_years)
            .fold(0.0, f64::max);
        let limits =
            site_rate.map_or_else(Vec::new, |rate| funnel_limits(100.0 * rate, widest, points));
        FunnelPlot {
            body_site,
            group_rate_per_100: site_rate.map(|rate| 100.0 * rate),
            devices,
            limits,
        }
    }
}
