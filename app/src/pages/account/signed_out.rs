//! "You have signed out": and, when work is still kept on this device (a draft, or records
//! not yet sent), a warning, so that nobody leaves a shared computer believing it is gone.

use leptos::prelude::*;

use crate::components::layout::set_page_title;
use crate::offline::store::{self, OutboxState};
use crate::routes;

/// What is still kept on this device after signing out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOnDevice {
    pub drafts: usize,
    pub unsent: usize,
}

impl LeftOnDevice {
    /// The warning to show, if anything is left.
    pub fn warning(self) -> Option<String> {
        let plural = |count: usize, one: &str, many: &str| {
            if count == 1 {
                one.to_string()
            } else {
                format!("{count} {many}")
            }
        };
        let parts: Vec<String> = [
            (self.drafts > 0)
                .then(|| plural(self.drafts, "a record you started", "records you started")),
            (self.unsent > 0).then(|| {
                plural(
                    self.unsent,
                    "a record not yet sent to the registry",
                    "records not yet sent to the registry",
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "This device still holds {}, encrypted. Nobody can read it without signing in as you. Sign in again on this device to finish or send it.",
                parts.join(" and ")
            )
        })
    }
}

async fn left_on_device() -> LeftOnDevice {
    LeftOnDevice {
        drafts: store::all_drafts()
            .await
            .map(|drafts| drafts.len())
            .unwrap_or(0),
        unsent: store::all_outbox()
            .await
            .map(|rows| {
                rows.iter()
                    .filter(|row| row.state != OutboxState::Accepted)
                    .count()
            })
            .unwrap_or(0),
    }
}

#[component]
pub fn SignedOutPage() -> impl IntoView {
    set_page_title("You have signed out");
    let left = LocalResource::new(left_on_device);
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"You have signed out"</h1>
                {move || left.get().and_then(LeftOnDevice::warning).map(|warning| view! {
                    <div class="nhsuk-warning-callout">
                        <h2 class="nhsuk-warning-callout__label">
                            <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Work is still on this device"</span>
                        </h2>
                        <p>{warning}</p>
                    </div>
                })}
                <p>"If you are using a shared computer, close the browser too."</p>
                <p><a class="nhsuk-button" href=routes::SIGN_IN>"Sign in again"</a></p>
                <p><a href=routes::HOME>"Go to the Implant Registry home page"</a></p>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_names_what_is_left() {
        assert_eq!(LeftOnDevice::default().warning(), None);
        let draft = LeftOnDevice {
            drafts: 1,
            unsent: 0,
        }
        .warning()
        .unwrap();
        assert!(draft.starts_with("This device still holds a record you started, encrypted."));
        let both = LeftOnDevice {
            drafts: 2,
            unsent: 1,
        }
        .warning()
        .unwrap();
        assert!(both.contains("2 records you started and a record not yet sent to the registry"));
    }
}
