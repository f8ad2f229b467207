//! The pages every service links from its footer (NHS.UK footer pattern): accessibility
//! statement, privacy notice, cookies, and how to contact the helpdesk (as configured).

pub mod accessibility;
pub mod contact;
pub mod cookies;
pub mod privacy;

use leptos::prelude::*;

use crate::api::status::Helpdesk;
use crate::routes;

/// How to reach the helpdesk, in a sentence, or whom to ask when none is configured.
pub fn helpdesk_sentence(helpdesk: &Helpdesk) -> String {
    match helpdesk.in_words() {
        Some(how) => format!("To contact the registry helpdesk, {how}."),
        None => "This registry has not published a helpdesk address. If you have an implant, contact the clinic that gave you your implant card; if you work in a clinic, ask your organisation's manager.".to_string(),
    }
}

/// "Contact the helpdesk" as a link, for the pages that end with it.
#[component]
pub fn ContactLink() -> impl IntoView {
    view! { <p><a href=routes::CONTACT>"Contact the registry helpdesk"</a></p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_helpdesk_people_are_told_whom_to_ask() {
        assert!(helpdesk_sentence(&Helpdesk::default()).contains("the clinic that gave you"));
        let helpdesk = Helpdesk {
            email: Some("help@example.test".into()),
            phone: None,
        };
        assert_eq!(
            helpdesk_sentence(&helpdesk),
            "To contact the registry helpdesk, email help@example.test."
        );
    }
}
