//! Registry statistics (issue 14): implant survival, revision rates, outliers, funnel plots,
//! volumes and completeness, computed from the national analysis set in memory.
//!
//! # How it fits together
//!
//! The server reads every procedure into [`ProcedureEvent`] rows (patients, clinics and
//! device identifiers interned to small keys), builds an [`AnalysisSet`] once per analysis
//! date, and asks it for figures. Every figure passes through
//! [`DisclosureControl::apply`] before it is sent; handlers take the [`Disclosed`] it returns.
//!
//! # Decisions, and why
//!
//! - **Analysis set.** Primaries dated up to and including the analysis date; later
//!   procedures are ignored, so a figure "as of" a date never changes when newer records come.
//! - **Linkage** (each rule's reasons are in `linkage.rs`): a revision or removal ends the
//!   most recent earlier unrevised primary with the same pseudonym, body site and laterality
//!   code (exact match: "bilateral" only matches "bilateral"). Order is date, then procedure
//!   id, so a revision recorded after a primary of the same day is an event at time 0. Only
//!   the first linked revision counts. A later primary on the same side supersedes an
//!   unrevised earlier one, which is censored on that day. Revisions with no earlier primary
//!   or no pseudonym are not linked and are counted in [`LinkageSummary`].
//! - **Unlinkable primaries** (no pseudonym: no consent) count in volumes, and in each
//!   survival report's `unlinkable`, never in survival or rates: they cannot be followed.
//! - **Time at risk** is days / 365.25 from the primary to its first linked revision (an
//!   event), its supersession or the analysis date (censored). Death is a competing risk we
//!   have no data for: Kaplan–Meier overstates revision in old cohorts; the page must say so.
//! - **Kaplan–Meier ties**: revisions before censorings at the same time. **Limits**:
//!   exponential Greenwood (log(−log) scale), as lifelines and Stata. Where S is 0 or 1 the
//!   limits equal the estimate, as in lifelines.
//! - **Survival table**: years 1…20; `at_risk` counts primaries followed for at least that
//!   long; `revisions` is cumulative (revisions up to that year), so it reads with the
//!   cumulative percent beside it; estimates are withheld (`null`) below 10 at risk.
//! - **A primary counts for every device in it**; a device listed twice on one primary counts
//!   once.
//! - **Revision rate** per 100 component-years, with exact (Garwood) Poisson limits.
//! - **Outliers**: ≥ 10 linkable primaries, ≥ 2× the rate of the rest of the body-site group,
//!   one-sided Poisson p < 0.05; the NJR level beside it. A device used at two body sites is
//!   screened in each.
//! - **Disclosure control**: public counts of people or procedures 1–7 become "1–7", others
//!   are rounded to 5, 0 stays 0; rates and limits are not controlled; administrators see
//!   exact counts.

mod activity;
mod analysis_set;
mod disclosure;
mod funnel;
mod input;
mod linkage;
mod outliers;
mod poisson;
mod survival;

pub use activity::{
    CompletenessRow, CompletenessTotal, VolumeRow, completeness_by_year, tally_activity,
};
pub use analysis_set::{AnalysisOptions, AnalysisSet};
pub use disclosure::{Audience, Count, Disclose, Disclosed, DisclosureControl};
pub use funnel::{FunnelLimit, FunnelPlot, FunnelPoint, funnel_limits, funnel_ratio_limit};
pub use input::{ClinicKey, ComponentTally, DeviceKey, PatientKey, ProcedureEvent};
pub use linkage::LinkageSummary;
pub use outliers::{NjrLevel, OutlierRow, OutlierRule, RiskTally, screen_device};
pub use poisson::{
    DAYS_PER_YEAR, RevisionRate, exact_poisson_limits, poisson_at_least, poisson_at_most,
    poisson_quantile,
};
pub use survival::{
    KaplanMeierStep, Observation, SurvivalOptions, SurvivalReport, SurvivalRow, kaplan_meier,
    survival_report,
};
