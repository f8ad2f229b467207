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

/// The records list, telling it a record was just queued on this device.
pub fn records_after_queueing() -> String {
    format!("{RECORDS}?queued=1")
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
];

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
    }
}
