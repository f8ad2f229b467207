//! Signing in and managing one's own account.

pub mod authenticator;
pub mod forgot_password;
pub mod overview;
pub mod set_password;
pub mod sign_in;
pub mod signed_out;

use crate::api::session::Role;

/// Where a person lands after signing in when no page asked for it: staff on the start page
/// for their role, patients on their implants.
pub fn landing_page(role: Role) -> &'static str {
    match role {
        Role::RegistryAdmin | Role::ClinicManager | Role::ClinicUser => crate::routes::START,
        Role::Patient => crate::routes::MY_IMPLANTS,
    }
}

/// A `next` address from the query string, only if it is a page of this site (never another
/// site: that would make the sign-in page an open redirect).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|path| path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_start_on_their_start_page_and_patients_on_their_implants() {
        assert_eq!(landing_page(Role::ClinicUser), crate::routes::START);
        assert_eq!(landing_page(Role::RegistryAdmin), crate::routes::START);
        assert_eq!(landing_page(Role::Patient), crate::routes::MY_IMPLANTS);
    }

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(
            safe_next(Some("/admin/users?page=2".into())).as_deref(),
            Some("/admin/users?page=2")
        );
        assert_eq!(safe_next(Some("//evil.example".into())), None);
        assert_eq!(safe_next(Some("https://evil.example".into())), None);
        assert_eq!(safe_next(Some("/\\evil.example".into())), None);
        assert_eq!(safe_next(None), None);
    }
}
