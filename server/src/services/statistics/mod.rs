//! Registry statistics (issue 14): the public dashboard, each clinic's own figures, CSV
//! downloads and the REST answers, all from one in-memory analysis ([`cache`]) and all through
//! one disclosure-control step ([`Statistics::disclose`]) before they leave the server.
//!
//! Who sees what: anyone sees controlled figures; a signed-in registry administrator sees
//! exact ones (marked as not for publication, and their CSV downloads audited); clinic staff
//! see their own organisation's figures beside the nation's, controlled like the public's.
//! A new analysis date costs a build (about a second on a million procedures): the first
//! look at today's figures is free, other dates are limited per client address.

pub mod cache;
pub mod csv;
pub mod figures;

use std::sync::Arc;

use app::api::ApiError;
use app::api::context::{Caller, Principal, RequestContext};
use app::api::patients::DataFile;
use app::api::session::Role;
use app::api::statistics::{
    ClinicStatistics, PublicStatistics, StatisticsFigure, StatisticsQuery, StatisticsService,
};
use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use domain::statistics::{
    Audience, ClinicKey, Disclose, Disclosed, DisclosureControl, OutlierRow, SurvivalReport,
};
use serde_json::json;

use self::cache::StatisticsCache;
use self::figures::Filters;
use super::error::{ServiceError, ServiceResult};
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::auth::rate_limit::{Limit, RateLimiter, address_key};
use crate::db::types::Timestamp;
use crate::db::{Database, organisations};

/// Analyses as of a date other than today, per client address: each may cost a build.
pub const OTHER_DATES: Limit = Limit {
    bucket: "statistics.analysis_dates",
    max: 30,
    window_seconds: 3600,
};

/// What a survival figure is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurvivalOf {
    Device(String),
    BodySite(BodySite),
}

/// Figures for another system, with when the registry's records behind them were read (the
/// REST API says it in `Last-Modified`).
pub struct AsRead<T> {
    pub figures: Disclosed<T>,
    pub records_read_at: Timestamp,
}

pub struct Statistics {
    database: Database,
    cache: Arc<StatisticsCache>,
    control: DisclosureControl,
    limits: RateLimiter,
}

fn audience_of(caller: &Caller) -> Audience {
    match caller {
        Caller::SignedIn(principal) if principal.role == Role::RegistryAdmin => {
            Audience::RegistryAdministrator
        }
        _ => Audience::Public,
    }
}

/// Runs CPU work (figures from a million procedures) on the blocking pool.
async fn compute<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ServiceError::internal)
}

impl Statistics {
    pub fn new(database: Database, control: DisclosureControl, limits: RateLimiter) -> Self {
        Self {
            database,
            cache: Arc::new(StatisticsCache::default()),
            control,
            limits,
        }
    }

    pub fn cache(&self) -> &Arc<StatisticsCache> {
        &self.cache
    }

    fn today(&self) -> CalendarDate {
        self.database.now().day()
    }

    /// The one step every aggregate passes through before it leaves the server.
    pub fn disclose<T: Disclose>(&self, aggregate: T, audience: Audience) -> Disclosed<T> {
        self.control.apply(aggregate, audience)
    }

    /// Counts an analysis as of another day than today against the caller's address.
    async fn limit_other_dates(
        &self,
        as_of: CalendarDate,
        ip: Option<&str>,
        principal: Option<&Principal>,
    ) -> ServiceResult<()> {
        if as_of == self.today() {
            return Ok(());
        }
        self.limits
            .take(&OTHER_DATES, &address_key(ip), principal, ip)
            .await
            .map(drop)
    }

    /// The national dashboard as `audience` may see it.
    pub async fn dashboard(
        &self,
        context: Option<&RequestContext>,
        query: &StatisticsQuery,
        audience: Audience,
    ) -> ServiceResult<Disclosed<PublicStatistics>> {
        let filters = Filters::parse(query, self.today())?;
        let principal = match context.map(|context| &context.caller) {
            Some(Caller::SignedIn(principal)) => Some(principal),
            _ => None,
        };
        let ip = context.and_then(|context| context.client.ip.as_deref());
        self.limit_other_dates(filters.as_of, ip, principal).await?;
        let (loaded, set) = self.cache.analysis(&self.database, filters.as_of).await?;
        let exact = audience == Audience::RegistryAdministrator;
        let control = self.control;
        let figures =
            compute(move || figures::public_figures(&loaded, &set, &filters, exact, control))
                .await?;
        Ok(self.disclose(figures, audience))
    }

    /// A clinic's figures (controlled, as the public's: clinic staff are not the registry).
    pub async fn clinic_view(
        &self,
        organisation_id: i64,
        query: &StatisticsQuery,
    ) -> ServiceResult<Disclosed<ClinicStatistics>> {
        let filters = Filters::parse(query, self.today())?;
        let organisation =
            organisations::details(&mut self.database.read().await?, Some(organisation_id))
                .await?
                .pop()
                .ok_or(ApiError::Forbidden)?
                .name;
        let clinic = ClinicKey(u32::try_from(organisation_id).map_err(ServiceError::internal)?);
        let loaded = self.cache.current(&self.database).await?;
        let control = self.control;
        let figures = compute(move || {
            figures::clinic_figures(&loaded, &filters, clinic, organisation, control)
        })
        .await?;
        Ok(self.disclose(figures, Audience::Public))
    }

    /// The survival table of a device or a body site (`None`: a device no procedure and no
    /// register entry has), as the public sees it.
    pub async fn survival(
        &self,
        of: SurvivalOf,
        as_of: Option<CalendarDate>,
        ip: Option<&str>,
        principal: Option<&Principal>,
    ) -> ServiceResult<Option<AsRead<SurvivalReport>>> {
        let as_of = self.checked_date(as_of)?;
        self.limit_other_dates(as_of, ip, principal).await?;
        let (loaded, set) = self.cache.analysis(&self.database, as_of).await?;
        let records_read_at = loaded.read_at;
        let report = compute(move || match of {
            SurvivalOf::Device(identifier) => figures::device_survival(&loaded, &set, &identifier),
            SurvivalOf::BodySite(site) => Some(set.survival_for_body_site(site)),
        })
        .await?;
        Ok(report.map(|report| AsRead {
            figures: self.disclose(report, Audience::Public),
            records_read_at,
        }))
    }

    /// The flagged devices, as the public sees them.
    pub async fn outliers(
        &self,
        as_of: Option<CalendarDate>,
        body_site: Option<BodySite>,
        ip: Option<&str>,
        principal: Option<&Principal>,
    ) -> ServiceResult<AsRead<Vec<OutlierRow<String>>>> {
        let as_of = self.checked_date(as_of)?;
        self.limit_other_dates(as_of, ip, principal).await?;
        let (loaded, set) = self.cache.analysis(&self.database, as_of).await?;
        let records_read_at = loaded.read_at;
        let rows = compute(move || figures::outliers(&loaded, &set, body_site)).await?;
        Ok(AsRead {
            figures: self.disclose(rows, Audience::Public),
            records_read_at,
        })
    }

    /// An analysis date for the REST API: today when not given, never in the future.
    fn checked_date(&self, as_of: Option<CalendarDate>) -> ServiceResult<CalendarDate> {
        let query = StatisticsQuery {
            as_of: as_of.map(|date| date.to_iso()).unwrap_or_default(),
            ..StatisticsQuery::default()
        };
        Ok(Filters::parse(&query, self.today())?.as_of)
    }
}

impl Statistics {
    async fn public(
        &self,
        context: &RequestContext,
        query: StatisticsQuery,
    ) -> ServiceResult<PublicStatistics> {
        let audience = audience_of(&context.caller);
        Ok(self
            .dashboard(Some(context), &query, audience)
            .await?
            .into_inner())
    }

    async fn clinic(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        query: StatisticsQuery,
    ) -> ServiceResult<ClinicStatistics> {
        let organisation = principal.organisation_id.ok_or(ApiError::Forbidden)?;
        Ok(self.clinic_view(organisation, &query).await?.into_inner())
    }

    async fn csv(
        &self,
        context: &RequestContext,
        figure: StatisticsFigure,
        query: StatisticsQuery,
    ) -> ServiceResult<DataFile> {
        if figure.is_clinic_figure() {
            let principal =
                context.require(app::api::context::Access::Roles(app::api::context::CLINIC))?;
            let organisation = principal.organisation_id.ok_or(ApiError::Forbidden)?;
            let figures = self.clinic_view(organisation, &query).await?;
            let figures = figures.get();
            let content = csv::clinic_csv(figure, figures)
                .ok_or_else(|| ServiceError::internal("a clinic figure has no clinic table"))?;
            return Ok(csv::file(figure, &figures.as_of.to_iso(), false, content));
        }
        let audience = audience_of(&context.caller);
        let figures = self.dashboard(Some(context), &query, audience).await?;
        let figures = figures.get();
        let content = csv::public_csv(figure, figures)
            .ok_or_else(|| ServiceError::internal("a public figure has no public table"))?;
        if let (Audience::RegistryAdministrator, Caller::SignedIn(principal)) =
            (audience, &context.caller)
        {
            // Exact small counts leave the registry's screens: who took them is recorded.
            audit::record_alone(
                &self.database,
                Event::new(Action::StatisticsDownloaded)
                    .by(principal)
                    .with(json!({ "figure": figure.file_stem(), "as_of": figures.as_of.to_iso(), "body_site": query.body_site, "device": query.device, "from": query.from, "to": query.to }))
                    .from_ip(context.client.ip.as_deref()),
            )
            .await?;
        }
        Ok(csv::file(
            figure,
            &figures.as_of.to_iso(),
            figures.exact,
            content,
        ))
    }
}

at_the_edge! {
    impl StatisticsService for Statistics {
        fn public(&self, context: &RequestContext, query: StatisticsQuery) -> PublicStatistics;
        fn clinic(&self, context: &RequestContext, principal: &Principal, query: StatisticsQuery) -> ClinicStatistics;
        fn csv(&self, context: &RequestContext, figure: StatisticsFigure, query: StatisticsQuery) -> DataFile;
    }
}
