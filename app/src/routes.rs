//! Every page's address, in one place: the router (`lib.rs`), the navigation and every link
//! and redirect use these. A test checks the router declares exactly these paths.

pub const HOME: &str = "/";
pub const CHECK_UDI: &str = "/udi";
pub const SIGN_IN: &str = "/sign-in";
pub const FORGOT_PASSWORD: &str = "/forgot-password";
pub const ACCOUNT: &str = "/account";
pub const AUTHENTICATOR: &str = "/account/authenticator";
pub const SET_PASSWORD: &str = "/account/set-password";
pub const USERS: &str = "/admin/users";
pub const ORGANISATIONS: &str = "/admin/organisations";
pub const AUDIT: &str = "/admin/audit";
pub const CLAIM_REVIEWS: &str = "/admin/claims";
pub const RECORDS: &str = "/records";
pub const NEW_RECORD: &str = "/records/new";
/// A patient creating their account (not the device register: that is `DEVICE_REGISTER`).
pub const REGISTER: &str = "/register";
/// The device register, for registry administrators.
pub const DEVICE_REGISTER: &str = "/admin/devices";
pub const NEW_DEVICE: &str = "/admin/devices/new";
pub const IMPORT_DEVICES: &str = "/admin/devices/import";
pub const REVIEW_QUEUE: &str = "/admin/devices/review";
/// Safety notices: the registry's (`/admin/notices…`) and each clinic's (`/safety-notices…`).
pub const NOTICES: &str = "/admin/notices";
pub const NEW_NOTICE: &str = "/admin/notices/new";
pub const CLINIC_NOTICES: &str = "/safety-notices";
pub const MY_IMPLANTS: &str = "/my-implants";
pub const ADD_RECORD: &str = "/my-implants/add";
pub const ACCESS_LOG: &str = "/record-access";
pub const STATISTICS: &str = "/statistics";
pub const CLINIC_STATISTICS: &str = "/clinic-statistics";
/// Staff land here after signing in: what their role does first.
pub const START: &str = "/start";
pub const SIGNED_OUT: &str = "/signed-out";
pub const ACCESSIBILITY: &str = "/accessibility";
pub const PRIVACY: &str = "/privacy";
pub const COOKIES: &str = "/cookies";
pub const CONTACT: &str = "/contact";

/// Paths with a parameter, as the router writes them.
pub const RECORD_PATTERN: &str = "/records/:id";
pub const CORRECT_RECORD_PATTERN: &str = "/records/:id/correct";
pub const IMPLANT_CARD_PATTERN: &str = "/records/:id/card";
pub const QUEUED_RECORD_PATTERN: &str = "/records/outbox/:id";
pub const DEVICE_PATTERN: &str = "/admin/devices/:id";
pub const EDIT_DEVICE_PATTERN: &str = "/admin/devices/:id/edit";
pub const NOTICE_PATTERN: &str = "/admin/notices/:id";
pub const EDIT_NOTICE_PATTERN: &str = "/admin/notices/:id/edit";
pub const CLINIC_NOTICE_PATTERN: &str = "/safety-notices/:id";
pub const USER_PATTERN: &str = "/admin/users/:id";
pub const REPORT_MISTAKE_PATTERN: &str = "/my-implants/:id/report";

pub fn record(id: i64) -> String {
    format!("/records/{id}")
}

pub fn correct_record(id: i64) -> String {
    format!("/records/{id}/correct")
}

pub fn implant_card(id: i64) -> String {
    format!("/records/{id}/card")
}

pub fn queued_record(id: &str) -> String {
    format!("/records/outbox/{id}")
}

pub fn device(id: i64) -> String {
    format!("/admin/devices/{id}")
}

pub fn edit_device(id: i64) -> String {
    format!("/admin/devices/{id}/edit")
}

pub fn notice(id: i64) -> String {
    format!("/admin/notices/{id}")
}

pub fn edit_notice(id: i64) -> String {
    format!("/admin/notices/{id}/edit")
}

pub fn clinic_notice(id: i64) -> String {
    format!("/safety-notices/{id}")
}

/// An account's page, for managing it.
pub fn user(id: i64) -> String {
    format!("/admin/users/{id}")
}

/// Where a patient tells the clinic about a mistake in record `id`.
pub fn report_mistake(id: i64) -> String {
    format!("/my-implants/{id}/report")
}

/// The records list, telling it which record was just queued on this device (its outbox
/// key), so that it shows where that record has got to.
pub fn records_after_queueing(outbox_id: &str) -> String {
    format!("{RECORDS}?queued={outbox_id}")
}

/// "Your implants", telling it a claim just linked `records` records.
pub fn implants_after_claim(records: usize) -> String {
    format!("{MY_IMPLANTS}?added={records}")
}

/// The sign-in page, coming back to `next` afterwards (a path of this site).
pub fn sign_in_then(next: &str) -> String {
    format!("{SIGN_IN}?next={next}")
}

/// Every path the router declares.
pub const ALL: &[&str] = &[
    HOME,
    CHECK_UDI,
    SIGN_IN,
    FORGOT_PASSWORD,
    ACCOUNT,
    AUTHENTICATOR,
    SET_PASSWORD,
    USERS,
    ORGANISATIONS,
    AUDIT,
    CLAIM_REVIEWS,
    RECORDS,
    NEW_RECORD,
    QUEUED_RECORD_PATTERN,
    RECORD_PATTERN,
    CORRECT_RECORD_PATTERN,
    IMPLANT_CARD_PATTERN,
    REGISTER,
    MY_IMPLANTS,
    ADD_RECORD,
    ACCESS_LOG,
    DEVICE_REGISTER,
    NEW_DEVICE,
    IMPORT_DEVICES,
    REVIEW_QUEUE,
    DEVICE_PATTERN,
    EDIT_DEVICE_PATTERN,
    NOTICES,
    NEW_NOTICE,
    NOTICE_PATTERN,
    EDIT_NOTICE_PATTERN,
    CLINIC_NOTICES,
    CLINIC_NOTICE_PATTERN,
    STATISTICS,
    CLINIC_STATISTICS,
    START,
    SIGNED_OUT,
    ACCESSIBILITY,
    PRIVACY,
    COOKIES,
    CONTACT,
    USER_PATTERN,
    REPORT_MISTAKE_PATTERN,
];

/// Whether `path` is one of the app's pages (a `:param` matches one segment): the server
/// answers 404 for any other path, while the app shows its "Page not found".
pub fn is_app_route(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    ALL.iter().any(|pattern| route_matches(pattern, path))
}

fn route_matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(part), Some(segment)) if part.starts_with(':') => {
                if segment.is_empty() {
                    return false;
                }
            }
            (Some(part), Some(segment)) if part == segment => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The router's `path!("…")` literals, read from its source (the macro takes literals only).
    fn declared_routes() -> Vec<String> {
        include_str!("lib.rs")
            .split("path!(\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn the_router_declares_exactly_these_paths() {
        let mut declared = declared_routes();
        let mut ours: Vec<String> = ALL.iter().map(|path| path.to_string()).collect();
        declared.sort();
        ours.sort();
        assert_eq!(declared, ours);
    }

    #[test]
    fn parametrised_paths_follow_their_patterns() {
        assert_eq!(record(7), RECORD_PATTERN.replace(":id", "7"));
        assert_eq!(
            correct_record(7),
            CORRECT_RECORD_PATTERN.replace(":id", "7")
        );
        assert_eq!(implant_card(7), IMPLANT_CARD_PATTERN.replace(":id", "7"));
        assert_eq!(
            queued_record("a1"),
            QUEUED_RECORD_PATTERN.replace(":id", "a1")
        );
        assert_eq!(device(3), DEVICE_PATTERN.replace(":id", "3"));
        assert_eq!(edit_device(3), EDIT_DEVICE_PATTERN.replace(":id", "3"));
        assert_eq!(notice(4), NOTICE_PATTERN.replace(":id", "4"));
        assert_eq!(edit_notice(4), EDIT_NOTICE_PATTERN.replace(":id", "4"));
        assert_eq!(clinic_notice(5), CLINIC_NOTICE_PATTERN.replace(":id", "5"));
        assert_eq!(user(3), USER_PATTERN.replace(":id", "3"));
        assert_eq!(
            report_mistake(3),
            REPORT_MISTAKE_PATTERN.replace(":id", "3")
        );
    }

    #[test]
    fn app_routes_are_recognised_with_their_parameters() {
        for path in [
            "/",
            "/records",
            "/records/",
            "/records/7",
            "/records/7/card",
            "/records/outbox/ab12",
            "/admin/users/4",
            "/sign-in?next=%2Fadmin",
            "/my-implants/2/report",
        ] {
            assert!(is_app_route(path), "{path}");
        }
        for path in [
            "/no/such/page",
            "/records/7/card/extra",
            "/records//card",
            "/admin",
            "/favicon.ico",
            "",
        ] {
            assert!(!is_app_route(path), "{path}");
        }
    }
}
