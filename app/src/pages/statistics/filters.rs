//! The statistics filters: kept in the page's address (so a view can be bookmarked, shared
//! and reloaded), edited in a form, applied by going to the new address.

use domain::procedure::BodySite;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::FieldError;
use crate::api::statistics::{DeviceOption, StatisticsQuery};
use crate::components::form::{SelectField, TextField};

const KEYS: [&str; 5] = ["as_of", "body_site", "device", "from", "to"];

/// The filters in an address's query string.
pub fn query_from(params: &ParamsMap) -> StatisticsQuery {
    let get = |key: &str| params.get(key).unwrap_or_default();
    StatisticsQuery {
        as_of: get("as_of"),
        body_site: get("body_site"),
        device: get("device"),
        from: get("from"),
        to: get("to"),
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `?as_of=…&body_site=…`, with the empty filters left out ("" when none is set).
pub fn query_string(query: &StatisticsQuery) -> String {
    let values = [
        &query.as_of,
        &query.body_site,
        &query.device,
        &query.from,
        &query.to,
    ];
    let parts: Vec<String> = KEYS
        .iter()
        .zip(values)
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", encode(value.trim())))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// The filters in the current address, as a memo.
pub fn use_statistics_query() -> Memo<StatisticsQuery> {
    let params = use_query_map();
    Memo::new(move |_| params.with(query_from))
}

/// The three body sites the registry reports on first, then the others.
pub fn site_options() -> Vec<(String, String)> {
    BodySite::ALL
        .iter()
        .map(|site| (site.code().to_string(), site.label().to_string()))
        .collect()
}

#[component]
pub fn FilterForm(
    /// The page's path: the form goes there with the new filters.
    path: &'static str,
    query: Memo<StatisticsQuery>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    /// Devices to choose from; `None` hides the site and device filters (the clinic view).
    #[prop(optional)]
    devices: Option<Signal<Vec<DeviceOption>>>,
) -> impl IntoView {
    let as_of = RwSignal::new(String::new());
    let body_site = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The form shows what the address says (also after Back and Forward).
    Effect::new(move |_| {
        let current = query.get();
        as_of.set(current.as_of);
        body_site.set(current.body_site);
        device.set(current.device);
        from.set(current.from);
        to.set(current.to);
    });
    let navigate = use_navigate();
    let apply = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let wanted = StatisticsQuery {
            as_of: as_of.get_untracked(),
            body_site: body_site.get_untracked(),
            device: device.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
        };
        navigate(
            &format!("{path}{}", query_string(&wanted)),
            Default::default(),
        );
    };
    let choices = devices.map(|devices| {
        let options = Signal::derive(move || {
            let site = body_site.get();
            devices
                .get()
                .into_iter()
                .filter(|option| site.is_empty() || option.body_site.code() == site)
                .map(|option| (option.device.device_identifier.clone(), option.device.label()))
                .collect::<Vec<_>>()
        });
        view! {
            <SelectField id="body_site" label="Body site" options=Signal::derive(site_options) value=body_site errors=errors placeholder="All body sites"/>
            <SelectField id="device" label="Device for the survival chart" options=options value=device errors=errors placeholder="The most used device"/>
        }
    });
    view! {
        <form class="app-statistics-filters app-no-print" novalidate on:submit=apply aria-label="Filter the figures">
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Filter the figures"</legend>
                <div class="app-search-form">
                    {choices}
                    <TextField id="as_of" label="Analysis date" value=as_of errors=errors kind="date" hint="Procedures up to this day. Empty: today."/>
                    <TextField id="from" label="Volumes and completeness from" value=from errors=errors kind="date"/>
                    <TextField id="to" label="Volumes and completeness to" value=to errors=errors kind="date"/>
                </div>
                <button class="nhsuk-button" type="submit">"Update the figures"</button>
            </fieldset>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_carries_only_the_filters_set() {
        assert_eq!(query_string(&StatisticsQuery::default()), "");
        let query = StatisticsQuery {
            as_of: "2026-11-30".into(),
            body_site: "hip".into(),
            device: "+H123 4/5$".into(),
            from: String::new(),
            to: " ".into(),
        };
        assert_eq!(
            query_string(&query),
            "?as_of=2026-11-30&body_site=hip&device=%2BH123%204%2F5%24"
        );
    }
}
