//! Registry statistics (issue 14): the public dashboard, a clinic's own figures against the
//! nation's, and every figure as CSV.
//!
//! Every aggregate here has been through disclosure control on the server, in one step, before
//! it is sent (`DisclosureControl::apply`): for the public (and clinic staff) counts of people
//! or procedures from 1 to 7 arrive as "1–7" and the others rounded to 5; registry
//! administrators get exact counts, with `exact` set so that the page can say they are not for
//! publication. Rates, percentages and limits are never controlled.

use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use domain::statistics::{
    CompletenessTotal, Count, Disclose, DisclosureControl, FunnelPlot, LinkageSummary, OutlierRow,
    SurvivalReport, VolumeRow,
};
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::context::{Access, CLINIC, Principal, RequestContext};
use super::patients::DataFile;

/// The filters, as the form holds them: text that the server checks (an empty field means
/// "the default").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatisticsQuery {
    /// The analysis date (YYYY-MM-DD): procedures up to and including it. Default: today.
    pub as_of: String,
    /// A body site code (`hip`, `knee`, `breast`, …). Default: every site with procedures.
    pub body_site: String,
    /// The device identifier whose survival is shown. Default: the most used device of the
    /// first site shown.
    pub device: String,
    /// Volumes and completeness from this day (YYYY-MM-DD), inclusive. Default: the start.
    pub from: String,
    /// … to this day, inclusive. Default: the analysis date.
    pub to: String,
}

/// A device as the pages name it: its identifier and, where the register knows it, its name
/// and maker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceName {
    pub device_identifier: String,
    pub name: Option<String>,
    pub manufacturer: Option<String>,
}

impl DeviceName {
    /// "Maker name (identifier)", or the identifier alone for a device not in the register.
    pub fn label(&self) -> String {
        match (&self.name, &self.manufacturer) {
            (Some(name), Some(maker)) => format!("{maker} {name} ({})", self.device_identifier),
            (Some(name), None) => format!("{name} ({})", self.device_identifier),
            _ => format!("{} (not in the register)", self.device_identifier),
        }
    }
}

/// A device that can be chosen for the survival chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceOption {
    pub device: DeviceName,
    /// The body site most of its primaries are at.
    pub body_site: BodySite,
    pub primaries: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSurvival {
    pub body_site: BodySite,
    pub report: SurvivalReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceSurvival {
    pub device: DeviceName,
    pub body_site: BodySite,
    pub report: SurvivalReport,
}

/// The national dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicStatistics {
    pub as_of: CalendarDate,
    /// When the registry's records behind these figures were read (ISO 8601, UTC): the
    /// figures come from a snapshot refreshed in the background, so a record sent after this
    /// is in the next one.
    pub records_read_at: String,
    /// Exact counts (registry administrators): not for publication.
    pub exact: bool,
    /// The thresholds the counts were controlled with (when `exact` is false).
    pub control: DisclosureControl,
    /// The filters as applied.
    pub body_site: Option<BodySite>,
    pub from: Option<CalendarDate>,
    pub to: CalendarDate,
    /// The sites shown (with at least one procedure).
    pub sites: Vec<BodySite>,
    pub linkage: LinkageSummary,
    /// Primaries and revisions by year and site, within the date range.
    pub volumes: Vec<VolumeRow>,
    pub site_survival: Vec<SiteSurvival>,
    pub device_survival: Option<DeviceSurvival>,
    /// Every device with primaries at the sites shown, most used first.
    pub devices: Vec<DeviceOption>,
    /// Every device screened against the rest of its site; `flagged` marks the outliers.
    pub revision_rates: Vec<OutlierRow<DeviceName>>,
    pub funnels: Vec<FunnelPlot<DeviceName>>,
    /// Completeness by year, nationally, within the date range.
    pub completeness: Vec<CompletenessTotal>,
}

impl Disclose for PublicStatistics {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.linkage.control_counts(control);
        self.volumes.control_counts(control);
        for site in &mut self.site_survival {
            site.report.control_counts(control);
        }
        if let Some(device) = &mut self.device_survival {
            device.report.control_counts(control);
        }
        for option in &mut self.devices {
            option.primaries.control_counts(control);
        }
        self.revision_rates.control_counts(control);
        self.funnels.control_counts(control);
        self.completeness.control_counts(control);
    }
}

/// One year's completeness at a clinic beside the nation's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedCompleteness {
    pub year: u16,
    /// `None` in a year the clinic recorded nothing.
    pub clinic: Option<CompletenessTotal>,
    pub national: CompletenessTotal,
}

/// A clinic's own figures against the national ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicStatistics {
    pub organisation: String,
    pub as_of: CalendarDate,
    /// When the registry's records behind these figures were read (ISO 8601, UTC).
    pub records_read_at: String,
    pub exact: bool,
    pub control: DisclosureControl,
    pub from: Option<CalendarDate>,
    pub to: CalendarDate,
    /// The clinic's primaries and revisions by year and site.
    pub volumes: Vec<VolumeRow>,
    /// The nation's, for comparison.
    pub national_volumes: Vec<VolumeRow>,
    pub completeness: Vec<ComparedCompleteness>,
}

impl Disclose for ClinicStatistics {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.volumes.control_counts(control);
        self.national_volumes.control_counts(control);
        for year in &mut self.completeness {
            if let Some(clinic) = &mut year.clinic {
                clinic.control_counts(control);
            }
            year.national.control_counts(control);
        }
    }
}

/// A figure to download as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatisticsFigure {
    Volumes,
    SiteSurvival,
    DeviceSurvival,
    RevisionRates,
    Funnel,
    Completeness,
    ClinicVolumes,
    ClinicCompleteness,
}

impl StatisticsFigure {
    pub const PUBLIC: [StatisticsFigure; 6] = [
        Self::Volumes,
        Self::SiteSurvival,
        Self::DeviceSurvival,
        Self::RevisionRates,
        Self::Funnel,
        Self::Completeness,
    ];

    /// The file's name, without the extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::Volumes => "volumes",
            Self::SiteSurvival => "survival-by-body-site",
            Self::DeviceSurvival => "survival-of-device",
            Self::RevisionRates => "revision-rates-by-device",
            Self::Funnel => "funnel-plot",
            Self::Completeness => "completeness",
            Self::ClinicVolumes => "clinic-volumes",
            Self::ClinicCompleteness => "clinic-completeness",
        }
    }

    /// Whether it belongs to the clinic view (which needs a clinic's sign-in).
    pub fn is_clinic_figure(self) -> bool {
        matches!(self, Self::ClinicVolumes | Self::ClinicCompleteness)
    }
}

/// The national dashboard. Anyone may look; registry administrators see exact counts.
#[server(endpoint = "statistics/public", input = Json)]
pub async fn statistics_dashboard(query: StatisticsQuery) -> Result<PublicStatistics, ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.statistics.public(&context, query).await
}

/// The signed-in clinic's own volumes and completeness against the nation's.
#[server(endpoint = "statistics/clinic", input = Json)]
pub async fn clinic_statistics_view(query: StatisticsQuery) -> Result<ClinicStatistics, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(CLINIC))?;
    context
        .services
        .statistics
        .clinic(&context, principal, query)
        .await
}

/// One figure as a CSV file, with the same filters (and the same controlled or exact counts)
/// as the page it is on. Clinic figures need a clinic's sign-in.
#[server(endpoint = "statistics/csv", input = Json)]
pub async fn statistics_csv(
    figure: StatisticsFigure,
    query: StatisticsQuery,
) -> Result<DataFile, ApiError> {
    let context = RequestContext::current()?;
    if figure.is_clinic_figure() {
        context.require(Access::Roles(CLINIC))?;
    } else {
        context.allow_anyone();
    }
    context
        .services
        .statistics
        .csv(&context, figure, query)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait StatisticsService: Send + Sync {
    async fn public(
        &self,
        context: &RequestContext,
        query: StatisticsQuery,
    ) -> Result<PublicStatistics, ApiError>;
    async fn clinic(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: StatisticsQuery,
    ) -> Result<ClinicStatistics, ApiError>;
    async fn csv(
        &self,
        context: &RequestContext,
        figure: StatisticsFigure,
        query: StatisticsQuery,
    ) -> Result<DataFile, ApiError>;
}
