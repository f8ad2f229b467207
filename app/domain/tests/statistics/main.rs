//! Registry statistics through the public API: linkage cases, an end-to-end outlier screen,
//! the published shapes after disclosure control, volumes and completeness, and a 30-subject
//! cross-check against lifelines.

mod activity;
mod lifelines;
mod linkage;
mod outliers;
mod support;
