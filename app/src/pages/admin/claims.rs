//! Patient claims set aside for the registry to look at: keep a genuine claim, or remove one
//! that is not the patient's (the account then no longer sees that clinic's records).

use leptos::prelude::*;

use crate::api::patients::{ClaimReview, ReviewOutcome, list_claim_reviews, resolve_claim_review};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::components::table::PagedTable;

#[component]
pub fn ClaimReviewsPage() -> impl IntoView {
    set_page_title("Claims to review");
    view! { <RequireRole roles=roles::ADMINISTRATORS><ClaimReviews/></RequireRole> }
}

/// What was decided, as the page announces it.
pub fn describe_outcome(review: &ClaimReview, outcome: ReviewOutcome) -> String {
    match outcome {
        ReviewOutcome::Keep => format!(
            "The claim by {} on record {} was kept.",
            review.account_name, review.record_id
        ),
        ReviewOutcome::Remove => format!(
            "The claim by {} on record {} was removed: the account no longer sees {}'s records.",
            review.account_name, review.record_id, review.organisation
        ),
    }
}

#[component]
fn ClaimReviews() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let refresh = RwSignal::new(0u32);
    let reviews = LocalResource::new(move || {
        refresh.track();
        list_claim_reviews(page.get())
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    let resolve = Submit::new(
        move |(review, outcome): (ClaimReview, ReviewOutcome)| async move {
            let result = resolve_claim_review(review.id, outcome).await;
            message.set(Some(match result {
                Ok(()) => Ok(describe_outcome(&review, outcome)),
                Err(error) => Err(error.to_string()),
            }));
            refresh.update(|count| *count += 1);
        },
    );
    view! {
        <h1>"Claims to review"</h1>
        <p>"A patient's claim is set aside here when another account already claims the same person, when the record was claimed within minutes of being created, or when the claim came from an internet address the clinic's own staff use. Look at the record and the account, and contact the clinic if you need to."</p>
        {move || message.get().map(|message| match message {
            Ok(text) => view! { <div class="nhsuk-inset-text" role="status"><p>{text}</p></div> }.into_any(),
            Err(text) => view! { <p class="nhsuk-error-message" role="alert">{text}</p> }.into_any(),
        })}
        {move || match reviews.get() {
            None => view! { <p role="status">"Loading claims…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message">{error.to_string()}</p> }.into_any(),
            Some(Ok(found)) if found.items.is_empty() => view! { <p>"No claims are waiting for review."</p> }.into_any(),
            Some(Ok(found)) => {
                let page_count = found.page_count();
                let current = found.page;
                view! {
                    <PagedTable caption=format!("{} claims waiting, oldest first", found.total)
                        columns=&["Account", "Clinic and record", "Why it is here", "Decision"]
                        page=current page_count=page_count go=move |next| page.set(next)>
                        {found.items.into_iter().map(|review| view! { <ClaimRow review=review resolve=resolve/> }).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// A claim set aside: whose, on which record, why, and the two decisions.
#[component]
fn ClaimRow(
    review: ClaimReview,
    resolve: Submit<(ClaimReview, ReviewOutcome), ()>,
) -> impl IntoView {
    let decide =
        move |review: ClaimReview, outcome: ReviewOutcome| resolve.dispatch((review, outcome));
    let keep = review.clone();
    let remove = review.clone();
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading">"Account "</span>
                {review.account_name.clone()}<br/>
                <span class="nhsuk-body-s">{review.account_email.clone()}</span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading">"Clinic and record "</span>
                {review.organisation.clone()}<br/>
                <a href=crate::routes::record(review.record_id)>{format!("Record {}", review.record_id)}</a>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading">"Why it is here "</span>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {review.flags.iter().map(|flag| view! { <li>{flag.label()}</li> }).collect_view()}
                </ul>
                {(review.other_accounts > 0).then(|| view! {
                    <p class="nhsuk-body-s">{format!("Other accounts claiming this person: {}", review.other_accounts)}</p>
                })}
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading">"Decision "</span>
                <button class="nhsuk-button nhsuk-button--secondary app-button--compact" type="button"
                    on:click=move |_| decide(keep.clone(), ReviewOutcome::Keep)>
                    {format!("Keep {}'s claim", review.account_name)}
                </button>
                <button class="nhsuk-button nhsuk-button--warning app-button--compact" type="button"
                    on:click=move |_| decide(remove.clone(), ReviewOutcome::Remove)>
                    {format!("Remove {}'s claim", review.account_name)}
                </button>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::patients::ClaimFlag;

    #[test]
    fn decisions_read_plainly() {
        let review = ClaimReview {
            id: 1,
            account_email: "sam@example.test".into(),
            account_name: "Sam Example".into(),
            organisation: "Riverside Clinic".into(),
            record_id: 7,
            flags: vec![ClaimFlag::RecentRecord],
            flagged_at: "2026-12-01T10:00:00.000Z".into(),
            other_accounts: 0,
        };
        assert_eq!(
            describe_outcome(&review, ReviewOutcome::Remove),
            "The claim by Sam Example on record 7 was removed: the account no longer sees Riverside Clinic's records."
        );
    }
}
