//! `/statistics`: the registry's public dashboard. Anyone may look; registry administrators
//! see exact figures, marked as not for publication.

use leptos::prelude::*;

use super::filters::{FilterForm, use_statistics_query};
use super::{FiguresNotice, RecordsReadAt, completeness, method, rates, survival, volumes};
use crate::api::FieldError;
use crate::api::statistics::{PublicStatistics, StatisticsQuery, statistics_dashboard};
use crate::components::form::{ErrorSummary, field_errors};
use crate::components::layout::set_page_title;
use crate::routes;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    set_page_title("Registry statistics");
    let query = use_statistics_query();
    let figures = LocalResource::new(move || statistics_dashboard(query.get()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match figures.get() {
        Some(Err(error)) => errors.set(field_errors(&error, "as_of")),
        Some(Ok(_)) => errors.set(Vec::new()),
        None => {}
    });
    // The device list of the last figures loaded, for the filter form.
    let devices = Signal::derive(move || match figures.get() {
        Some(Ok(figures)) => figures.devices,
        _ => Vec::new(),
    });
    view! {
        <h1>"Registry statistics"</h1>
        <p class="nhsuk-lede-text">"How often implanted hips, knees and breast implants are revised, device by device; which devices are revised more often than others; and how complete the registry's records are."</p>
        <nav class="nhsuk-contents-list app-no-print" aria-label="Sections of this page">
            <ol class="nhsuk-contents-list__list">
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#volumes">"Procedures by year"</a></li>
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#survival-by-site">"Survival by body site"</a></li>
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#survival-of-device">"Survival of a device"</a></li>
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#revision-rates">"Revision rates and outliers"</a></li>
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#completeness">"Completeness"</a></li>
                <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#method">"How these figures are made"</a></li>
            </ol>
        </nav>
        <ErrorSummary errors=errors/>
        <FilterForm path=routes::STATISTICS query=query errors=errors devices=devices/>
        {move || match figures.get() {
            None => view! { <p role="status">"Working out the figures…"</p> }.into_any(),
            Some(Ok(figures)) => view! { <Dashboard figures=figures query=query/> }.into_any(),
            Some(Err(crate::api::ApiError::Invalid { .. })) => view! {
                <p>"Correct the filters above to see the figures."</p>
            }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
        }}
        <method::Method/>
    }
}

#[component]
fn Dashboard(figures: PublicStatistics, query: Memo<StatisticsQuery>) -> impl IntoView {
    let query = Signal::derive(move || query.get());
    let as_of = figures.as_of;
    let range = match figures.from {
        Some(from) => format!("from {from} to {}", figures.to),
        None => format!("up to {}", figures.to),
    };
    view! {
        <p role="status">{format!(
            "Figures as of {as_of}: {} primary procedures, {} of them without consent to linkage (counted in volumes, not followed). Volumes and completeness {range}.",
            super::format::count(figures.linkage.primaries),
            super::format::count(figures.linkage.unlinkable_primaries),
        )}</p>
        <RecordsReadAt at=figures.records_read_at.clone()/>
        <FiguresNotice exact=figures.exact control=figures.control/>
        <volumes::Volumes rows=figures.volumes.clone() sites=figures.sites.clone() query=query/>
        <survival::SiteSurvivalSection sites=figures.site_survival.clone() query=query/>
        <survival::DeviceSurvivalSection
            device=figures.device_survival.clone()
            sites=figures.site_survival.clone()
            query=query
        />
        <rates::RevisionRates rows=figures.revision_rates.clone() funnels=figures.funnels.clone() query=query/>
        <completeness::NationalCompleteness rows=figures.completeness.clone() query=query/>
    }
}
