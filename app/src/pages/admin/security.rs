//! What administrators should keep an eye on: registry-wide ceilings on pseudonym
//! evaluations (a sign of someone trying to enumerate patients when one nears), and claims
//! set aside for review.

use leptos::prelude::*;

use crate::api::audit::{CeilingUse, SecurityOverview, registry_security};

/// "1,640 of 2,000 this hour (82 %)".
pub fn describe_use(ceiling: &CeilingUse) -> String {
    let percent = if ceiling.ceiling == 0 {
        0
    } else {
        u64::from(ceiling.used) * 100 / u64::from(ceiling.ceiling)
    };
    format!(
        "{} of {} this hour ({percent} %)",
        ceiling.used, ceiling.ceiling
    )
}

/// The ceilings at 80 % or more.
pub fn near_ceilings(overview: &SecurityOverview) -> Vec<&CeilingUse> {
    overview
        .ceilings
        .iter()
        .filter(|ceiling| ceiling.near)
        .collect()
}

#[component]
pub fn RegistrySecurityPanel() -> impl IntoView {
    let overview = LocalResource::new(registry_security);
    move || match overview.get() {
        None => view! { <p role="status">"Checking the registry's limits…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <p class="nhsuk-error-message">{error.to_string()}</p> }.into_any()
        }
        Some(Ok(overview)) => {
            let near: Vec<String> = near_ceilings(&overview)
                .into_iter()
                .map(|ceiling| format!("{}: {}", ceiling.what, describe_use(ceiling)))
                .collect();
            view! {
                {(!near.is_empty()).then(|| view! {
                    <div class="nhsuk-warning-callout" role="alert">
                        <h2 class="nhsuk-warning-callout__label">
                            <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"A limit is nearly reached"</span>
                        </h2>
                        <p>"Pseudonym evaluations are close to their hourly ceiling. This can mean someone is trying NHS numbers or dates of birth one after another. Look at the audit trail for pseudonym.evaluated entries."</p>
                        <ul>{near.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    </div>
                })}
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption">"Registry-wide limits"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th scope="col" class="nhsuk-table__header">"Limit"</th>
                            <th scope="col" class="nhsuk-table__header">"Used"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">
                        {overview.ceilings.iter().map(|ceiling| view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{ceiling.what.clone()}</td>
                                <td class="nhsuk-table__cell">{describe_use(ceiling)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p>
                    {match overview.claims_to_review {
                        0 => "No patient claims are waiting for review.".to_string(),
                        1 => "1 patient claim is waiting for review.".to_string(),
                        many => format!("{many} patient claims are waiting for review."),
                    }}
                    " "
                    <a href=crate::routes::CLAIM_REVIEWS>"Review claims"</a>
                </p>
            }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_reads_as_a_share_of_the_ceiling() {
        let ceiling = CeilingUse {
            what: "x".into(),
            used: 1640,
            ceiling: 2000,
            near: true,
        };
        assert_eq!(describe_use(&ceiling), "1640 of 2000 this hour (82 %)");
        let overview = SecurityOverview {
            ceilings: vec![
                ceiling.clone(),
                CeilingUse {
                    near: false,
                    ..ceiling
                },
            ],
            claims_to_review: 0,
        };
        assert_eq!(near_ceilings(&overview).len(), 1);
    }
}
