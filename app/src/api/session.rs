//! Who is signed in, as the browser sees it, and the roles of the service.

use serde::{Deserialize, Serialize};

/// What a person may do in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Records procedures for their organisation.
    ClinicUser,
    /// Also manages their organisation's accounts.
    ClinicManager,
    /// Runs the registry: organisations, accounts, audit, device register.
    RegistryAdmin,
    /// Sees their own implant record.
    Patient,
}

/// A stored role that is not one of ours is an error, never a guess.
impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("unknown role {text:?}"))
    }
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::ClinicUser,
        Role::ClinicManager,
        Role::RegistryAdmin,
        Role::Patient,
    ];

    /// The stored and transmitted name, e.g. `clinic_user`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClinicUser => "clinic_user",
            Self::ClinicManager => "clinic_manager",
            Self::RegistryAdmin => "registry_admin",
            Self::Patient => "patient",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// What people call the role.
    pub fn label(self) -> &'static str {
        match self {
            Self::ClinicUser => "Clinic user",
            Self::ClinicManager => "Clinic manager",
            Self::RegistryAdmin => "Registry administrator",
            Self::Patient => "Patient",
        }
    }

    /// Staff roles must use a second factor at every sign-in.
    pub fn requires_second_factor(self) -> bool {
        self != Self::Patient
    }

    /// Roles that belong to an organisation.
    pub fn belongs_to_organisation(self) -> bool {
        matches!(self, Self::ClinicUser | Self::ClinicManager)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: i64,
    pub name: String,
}

/// The signed-in person, as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: Option<OrganisationSummary>,
    pub second_factor_enrolled: bool,
}

/// Where signing in has got to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    SignedOut,
    /// Password accepted; the authenticator code (or a recovery code) is needed next.
    SecondFactorRequired {
        display_name: String,
    },
    /// Password accepted; this staff account must set up an authenticator first.
    EnrolmentRequired {
        display_name: String,
    },
    SignedIn(SessionInfo),
}

impl SessionState {
    pub fn signed_in(&self) -> Option<&SessionInfo> {
        match self {
            Self::SignedIn(info) => Some(info),
            _ => None,
        }
    }
}

/// Who may use what, declared once: the server functions' access rules and the pages' guards
/// name these sets.
pub mod roles {
    use super::Role;

    /// Clinic staff: record procedures for their own organisation.
    pub const CLINIC: &[Role] = &[Role::ClinicUser, Role::ClinicManager];
    /// Everyone who works with records: clinic staff and the registry.
    pub const STAFF: &[Role] = &[Role::ClinicUser, Role::ClinicManager, Role::RegistryAdmin];
    pub const ACCOUNT_MANAGERS: &[Role] = &[Role::ClinicManager, Role::RegistryAdmin];
    pub const ADMINISTRATORS: &[Role] = &[Role::RegistryAdmin];
    pub const PATIENTS: &[Role] = &[Role::Patient];
    pub const EVERYONE: &[Role] = &Role::ALL;
}
