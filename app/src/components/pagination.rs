//! NHS.UK-style previous/next pagination for long lists.

use leptos::prelude::*;

/// "Previous" and "Next" controls for page `page` of `page_count`; `go` changes the page.
#[component]
pub fn Pagination(
    #[prop(into)] page: Signal<u32>,
    #[prop(into)] page_count: Signal<u32>,
    go: impl Fn(u32) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let previous = {
        let go = go.clone();
        move |_| go(page.get_untracked().saturating_sub(1).max(1))
    };
    let next = move |_| go(page.get_untracked() + 1);
    view! {
        <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
            <ul class="nhsuk-list nhsuk-pagination__list">
                <Show when=move || { page.get() > 1 }>
                    <li class="nhsuk-pagination-item--previous">
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=previous.clone()>
                            "Previous page"
                        </button>
                    </li>
                </Show>
                <li class="app-pagination-position" aria-live="polite">
                    {move || format!("Page {} of {}", page.get(), page_count.get())}
                </li>
                <Show when=move || { page.get() < page_count.get() }>
                    <li class="nhsuk-pagination-item--next">
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=next.clone()>
                            "Next page"
                        </button>
                    </li>
                </Show>
            </ul>
        </nav>
    }
}
