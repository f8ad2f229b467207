//! The figures each page and endpoint shows, worked out from the registry in memory and its
//! analysis set: plain functions (CPU work, run on the blocking pool), exact counts. The
//! service puts every result through disclosure control before it leaves the server.

use std::collections::HashMap;

use app::api::ApiError;
use app::api::statistics::{
    ClinicStatistics, ComparedCompleteness, DeviceName, DeviceOption, DeviceSurvival,
    PublicStatistics, SiteSurvival, StatisticsQuery,
};
use domain::FieldError;
use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use domain::statistics::{
    AnalysisSet, ClinicKey, Count, DeviceKey, DisclosureControl, FunnelPlot, FunnelPoint,
    OutlierRow, ProcedureEvent, SurvivalReport, completeness_by_year, survival_report,
    tally_activity,
};

use super::cache::Loaded;

/// Points on each funnel's limit curves.
pub const FUNNEL_POINTS: usize = 60;
/// The earliest analysis date accepted.
const EARLIEST: (u16, u8, u8) = (1990, 1, 1);
/// Longer than any device identifier (a HIBC one has at most 23 characters).
const MAX_IDENTIFIER: usize = 50;

/// The filters, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filters {
    pub as_of: CalendarDate,
    pub body_site: Option<BodySite>,
    pub device: Option<String>,
    pub from: Option<CalendarDate>,
    pub to: CalendarDate,
}

fn date_field(
    text: &str,
    field: &str,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<CalendarDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = CalendarDate::from_iso(text);
    if date.is_none() {
        errors.push(FieldError::new(
            field,
            format!("{what} must be a real date, for example 2026-11-30"),
        ));
    }
    date
}

impl Filters {
    /// Checks the form's filters; every problem at once, each on its field.
    pub fn parse(query: &StatisticsQuery, today: CalendarDate) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let earliest = CalendarDate::new(EARLIEST.0, EARLIEST.1, EARLIEST.2).expect("a real date");
        let as_of =
            date_field(&query.as_of, "as_of", "The analysis date", &mut errors).unwrap_or(today);
        if as_of > today {
            errors.push(FieldError::new(
                "as_of",
                "The analysis date must be today or in the past",
            ));
        } else if as_of < earliest {
            errors.push(FieldError::new(
                "as_of",
                "The analysis date must be in 1990 or later",
            ));
        }
        let from = date_field(
            &query.from,
            "from",
            "The start of the date range",
            &mut errors,
        );
        let to = date_field(&query.to, "to", "The end of the date range", &mut errors)
            .unwrap_or(as_of)
            .min(as_of);
        if from.is_some_and(|from| from > to) {
            errors.push(FieldError::new(
                "from",
                "The start of the date range must be on or before its end and the analysis date",
            ));
        }
        let body_site = match query.body_site.trim() {
            "" => None,
            code => {
                let site = BodySite::from_code(code);
                if site.is_none() {
                    errors.push(FieldError::new(
                        "body_site",
                        "Choose a body site from the list",
                    ));
                }
                site
            }
        };
        let device = match query.device.trim() {
            "" => None,
            identifier if identifier.chars().count() > MAX_IDENTIFIER => {
                errors.push(FieldError::new(
                    "device",
                    "A device identifier has at most 50 characters",
                ));
                None
            }
            identifier => Some(identifier.to_string()),
        };
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors });
        }
        Ok(Self {
            as_of,
            body_site,
            device,
            from,
            to,
        })
    }

    /// Whether a procedure falls in the date range (and the site, if one is chosen).
    fn takes(&self, event: &ProcedureEvent) -> bool {
        self.from.is_none_or(|from| event.date >= from)
            && event.date <= self.to
            && self.body_site.is_none_or(|site| event.body_site == site)
    }
}

/// The sites shown: the chosen one, or every site with a primary, in the vocabulary's order.
fn sites_shown(set: &AnalysisSet, filters: &Filters) -> Vec<BodySite> {
    match filters.body_site {
        Some(site) => vec![site],
        None => BodySite::ALL
            .iter()
            .copied()
            .filter(|site| {
                set.volumes()
                    .iter()
                    .any(|row| row.body_site == *site && row.primaries != Count::Shown(0))
            })
            .collect(),
    }
}

fn site_order(site: BodySite) -> usize {
    BodySite::ALL
        .iter()
        .position(|known| *known == site)
        .unwrap_or(usize::MAX)
}

/// Revision-rate rows: by site, the flagged first, then the highest ratio.
fn sort_rates<T>(rows: &mut [OutlierRow<T>]) {
    rows.sort_by(|a, b| {
        site_order(a.body_site)
            .cmp(&site_order(b.body_site))
            .then(b.flagged.cmp(&a.flagged))
            .then(
                b.ratio
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.ratio.unwrap_or(f64::NEG_INFINITY)),
            )
    });
}

/// Each device once, at the site where most of its linkable primaries are, most used first.
fn device_options(loaded: &Loaded, screen: &[OutlierRow], sites: &[BodySite]) -> Vec<DeviceOption> {
    let mut by_device: HashMap<DeviceKey, (BodySite, u64, u64)> = HashMap::new();
    for row in screen {
        let primaries = row.primaries.value().unwrap_or(0);
        let entry = by_device
            .entry(row.device_identifier)
            .or_insert((row.body_site, 0, 0));
        if primaries > entry.1 {
            entry.0 = row.body_site;
            entry.1 = primaries;
        }
        entry.2 += primaries;
    }
    let mut options: Vec<(DeviceKey, BodySite, u64)> = by_device
        .into_iter()
        .filter(|(_, (site, _, _))| sites.contains(site))
        .map(|(device, (site, _, total))| (device, site, total))
        .collect();
    options.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| loaded.identifier(a.0).cmp(loaded.identifier(b.0)))
    });
    options
        .into_iter()
        .map(|(device, body_site, primaries)| DeviceOption {
            device: loaded.name(device),
            body_site,
            primaries: Count::Shown(primaries),
        })
        .collect()
}

fn named_funnel(loaded: &Loaded, funnel: FunnelPlot) -> FunnelPlot<DeviceName> {
    FunnelPlot {
        body_site: funnel.body_site,
        group_rate_per_100: funnel.group_rate_per_100,
        devices: funnel
            .devices
            .into_iter()
            .map(|point| FunnelPoint {
                device_identifier: loaded.name(point.device_identifier),
                component_years: point.component_years,
                ratio: point.ratio,
            })
            .collect(),
        limits: funnel.limits,
    }
}

/// Survival of one device (every primary containing it); `None` for an identifier that no
/// procedure and no register entry has.
pub fn device_survival(
    loaded: &Loaded,
    set: &AnalysisSet,
    identifier: &str,
) -> Option<SurvivalReport> {
    match loaded.key_of(identifier) {
        Some(key) => Some(set.survival_for_device(key)),
        None if loaded.in_register(identifier) => Some(empty_report(set)),
        None => None,
    }
}

fn empty_report(set: &AnalysisSet) -> SurvivalReport {
    survival_report(&mut [], 0, &set.options().survival)
}

/// The national dashboard, exact.
pub fn public_figures(
    loaded: &Loaded,
    set: &AnalysisSet,
    filters: &Filters,
    exact: bool,
    control: DisclosureControl,
) -> PublicStatistics {
    let in_range = || loaded.events.iter().filter(|event| filters.takes(event));
    let (volumes, _) = tally_activity(in_range(), filters.as_of);
    let completeness = completeness_by_year(in_range(), filters.as_of);
    let sites = sites_shown(set, filters);
    let site_survival = sites
        .iter()
        .map(|&body_site| SiteSurvival {
            body_site,
            report: set.survival_for_body_site(body_site),
        })
        .collect();
    let screen = set.outlier_screen();
    let devices = device_options(loaded, &screen, &sites);
    let device_survival = match &filters.device {
        Some(identifier) => Some(DeviceSurvival {
            device: loaded.name_of(identifier),
            body_site: devices
                .iter()
                .find(|option| &option.device.device_identifier == identifier)
                .map_or(sites.first().copied().unwrap_or(BodySite::Hip), |option| {
                    option.body_site
                }),
            report: device_survival(loaded, set, identifier).unwrap_or_else(|| empty_report(set)),
        }),
        None => devices.first().map(|option| DeviceSurvival {
            device: option.device.clone(),
            body_site: option.body_site,
            report: device_survival(loaded, set, &option.device.device_identifier)
                .unwrap_or_else(|| empty_report(set)),
        }),
    };
    let mut revision_rates: Vec<OutlierRow<DeviceName>> = screen
        .into_iter()
        .filter(|row| sites.contains(&row.body_site))
        .map(|row| row.map_device(|key| loaded.name(key)))
        .collect();
    sort_rates(&mut revision_rates);
    let funnels = sites
        .iter()
        .map(|&site| named_funnel(loaded, set.funnel_for_body_site(site, FUNNEL_POINTS)))
        .collect();
    PublicStatistics {
        as_of: filters.as_of,
        records_read_at: loaded.read_at.to_iso(),
        exact,
        control,
        body_site: filters.body_site,
        from: filters.from,
        to: filters.to,
        sites,
        linkage: set.linkage(),
        volumes,
        site_survival,
        device_survival,
        devices,
        revision_rates,
        funnels,
        completeness,
    }
}

/// One clinic's volumes and completeness beside the nation's, exact.
pub fn clinic_figures(
    loaded: &Loaded,
    filters: &Filters,
    clinic: ClinicKey,
    organisation: String,
    control: DisclosureControl,
) -> ClinicStatistics {
    let national = || loaded.events.iter().filter(|event| filters.takes(event));
    let own = || national().filter(|event| event.clinic == clinic);
    let (volumes, _) = tally_activity(own(), filters.as_of);
    let (national_volumes, _) = tally_activity(national(), filters.as_of);
    let own_years = completeness_by_year(own(), filters.as_of);
    let completeness = completeness_by_year(national(), filters.as_of)
        .into_iter()
        .map(|national| ComparedCompleteness {
            year: national.year,
            clinic: own_years
                .iter()
                .find(|own| own.year == national.year)
                .copied(),
            national,
        })
        .collect();
    ClinicStatistics {
        organisation,
        as_of: filters.as_of,
        records_read_at: loaded.read_at.to_iso(),
        exact: false,
        control,
        from: filters.from,
        to: filters.to,
        volumes,
        national_volumes,
        completeness,
    }
}

/// The flagged devices (all sites, or one), by their identifiers, for the REST API.
pub fn outliers(
    loaded: &Loaded,
    set: &AnalysisSet,
    body_site: Option<BodySite>,
) -> Vec<OutlierRow<String>> {
    let mut rows: Vec<OutlierRow<String>> = set
        .outliers()
        .into_iter()
        .filter(|row| body_site.is_none_or(|site| row.body_site == site))
        .map(|row| row.map_device(|key| loaded.identifier(key).to_string()))
        .collect();
    sort_rates(&mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(as_of: &str, from: &str, to: &str, site: &str) -> StatisticsQuery {
        StatisticsQuery {
            as_of: as_of.into(),
            body_site: site.into(),
            device: String::new(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn fields(result: Result<Filters, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Invalid { errors }) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected invalid filters, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_today_and_the_whole_registry() {
        let today = CalendarDate::new(2026, 12, 1).unwrap();
        let filters = Filters::parse(&StatisticsQuery::default(), today).unwrap();
        assert_eq!(
            (filters.as_of, filters.to, filters.from),
            (today, today, None)
        );
        assert_eq!((filters.body_site, filters.device), (None, None));
        // The range ends at the analysis date at the latest.
        let filters =
            Filters::parse(&query("2020-01-01", "", "2024-01-01", "knee"), today).unwrap();
        assert_eq!(filters.to, CalendarDate::new(2020, 1, 1).unwrap());
        assert_eq!(filters.body_site, Some(BodySite::Knee));
    }

    #[test]
    fn every_problem_is_named_on_its_field() {
        let today = CalendarDate::new(2026, 12, 1).unwrap();
        assert_eq!(
            fields(Filters::parse(
                &query("2027-01-01", "nonsense", "", "elbowish"),
                today
            )),
            ["as_of", "from", "body_site"]
        );
        assert_eq!(
            fields(Filters::parse(
                &query("", "2026-06-01", "2026-01-01", ""),
                today
            )),
            ["from"]
        );
        assert_eq!(
            fields(Filters::parse(&query("1989-12-31", "", "", ""), today)),
            ["as_of"]
        );
    }
}
