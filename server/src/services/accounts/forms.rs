//! Reading the account forms: email addresses, people's and organisations' names, and the
//! organisation an account belongs to (as the caller may set it), each problem against its
//! field so that the page shows them all at once.

use app::api::ApiError;
use app::api::FieldError;
use app::api::accounts::Invitation;
use app::api::context::Principal;
use app::api::session::Role;
use domain::names::{NameProblem, OrganisationName, PersonName};

use crate::db::{WriteTransaction, organisations};
use crate::services::error::ServiceResult;

/// An invitation's address, name and organisation, if the caller may send it.
pub(super) fn check_invitation(
    invitation: &Invitation,
    principal: &Principal,
) -> ServiceResult<(String, PersonName, Option<i64>)> {
    let mut errors = Vec::new();
    let (email, name) = read_email_and_name(
        &invitation.email,
        &invitation.display_name,
        "Enter the person's full name",
        &mut errors,
    );
    let organisation = if invitation.role == Role::Patient {
        errors.push(FieldError::new(
            "role",
            "Patients create their own accounts: choose a staff role",
        ));
        None
    } else {
        organisation_for(
            principal,
            invitation.role,
            invitation.organisation_id,
            &mut errors,
        )?
    };
    match name {
        Some(name) if errors.is_empty() => Ok((email, name, organisation)),
        _ => Err(ApiError::Invalid { errors }.into()),
    }
}

/// The organisation an account with `role` belongs to, as `principal` may set it: a clinic
/// manager's own (they cannot make administrators), none for administrators and patients,
/// otherwise the one `chosen` (a problem against `organisation_id` when none is).
pub(super) fn organisation_for(
    principal: &Principal,
    role: Role,
    chosen: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> ServiceResult<Option<i64>> {
    match (principal.role, role) {
        (Role::ClinicManager, Role::RegistryAdmin) => Err(ApiError::Forbidden.into()),
        (Role::ClinicManager, _) => Ok(principal.organisation_id),
        (_, Role::RegistryAdmin | Role::Patient) => Ok(None),
        (_, _) => {
            if chosen.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    "Choose the organisation this person works for",
                ));
            }
            Ok(chosen)
        }
    }
}

/// Refuses an organisation that is not there (chosen from a stale list, say).
pub(super) async fn check_organisation_exists(
    transaction: &mut WriteTransaction,
    organisation: Option<i64>,
) -> ServiceResult<()> {
    match organisation {
        Some(organisation) if !organisations::exists(transaction, organisation).await? => {
            Err(ApiError::invalid("organisation_id", "Choose an organisation from the list").into())
        }
        _ => Ok(()),
    }
}

/// An email address and a person's name from a form, the address trimmed and lower-cased;
/// problems go to `errors` against `email` and `display_name`.
pub fn read_email_and_name(
    email: &str,
    name: &str,
    name_missing: &str,
    errors: &mut Vec<FieldError>,
) -> (String, Option<PersonName>) {
    let email = email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid_email {
        errors.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    (email, read_person_name(name, name_missing, errors))
}

/// A person's name from a form, or its problem against `display_name`.
pub(super) fn read_person_name(
    text: &str,
    missing: &str,
    errors: &mut Vec<FieldError>,
) -> Option<PersonName> {
    PersonName::parse(text)
        .map_err(|problem| errors.push(FieldError::new("display_name", describe(problem, missing))))
        .ok()
}

/// An organisation's or site's name from a form, or its problem against `field`.
pub(super) fn read_organisation_name(
    text: &str,
    field: &str,
    missing: &str,
    errors: &mut Vec<FieldError>,
) -> Option<OrganisationName> {
    OrganisationName::parse(text)
        .map_err(|problem| errors.push(FieldError::new(field, describe(problem, missing))))
        .ok()
}

/// The problem with a name, saying what to enter when it is missing.
fn describe(problem: NameProblem, missing: &str) -> String {
    match problem {
        NameProblem::Missing => missing.to_string(),
        other => other.to_string(),
    }
}
