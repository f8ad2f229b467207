//! The audit trail, for registry administrators: browse, filter, and verify the hash chain.

use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::Page;
#[cfg(feature = "ssr")]
use super::context::{ADMINISTRATORS, Access, Principal, RequestContext};

/// Every action the audit trail records: its stored code and what it means in words.
macro_rules! actions {
    ($($variant:ident => ($code:literal, $words:literal)),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// As stored in the trail (and filtered by prefix on the audit page).
            pub fn code(self) -> &'static str {
                match self { $(Action::$variant => $code),+ }
            }

            /// What happened, as a sentence without its subject: "Signed in".
            pub fn words(self) -> &'static str {
                match self { $(Action::$variant => $words),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|action| action.code() == code)
            }

            /// Actions the account acted on does itself, before it is signed in (signing in,
            /// choosing a password from an emailed link): the trail's "who" is that person.
            pub fn done_by_its_account(self) -> bool {
                matches!(
                    self,
                    Action::SignInSucceeded
                        | Action::SignInPasswordAccepted
                        | Action::PasswordSetFromInvitation
                        | Action::PasswordResetCompleted
                )
            }
        }
    };
}

actions! {
        AccountFirstAdminCreated => ("account.first_admin_created", "Created the first registry administrator"),
        AccountInvited => ("account.invited", "Invited a person to an account"),
        AccountReinvited => ("account.reinvited", "Sent an invitation again"),
        AccountDisabled => ("account.disabled", "Disabled an account"),
        AccountEnabled => ("account.enabled", "Enabled an account again"),
        AccountLocked => ("account.locked", "Locked an account after too many wrong attempts"),
        AccountUnlocked => ("account.unlocked", "Unlocked an account"),
        AccountAuthenticatorReset => ("account.authenticator_reset", "Reset a person's authenticator app: they must set up a new one"),
        AccountChanged => ("account.changed", "Changed a person's name, role or organisation"),
        OrganisationContactSet => ("organisation.contact_set", "Changed an organisation's contact details"),
        PatientReportedMistake => ("patient.reported_mistake", "Reported a mistake in their record to the clinic"),
        AuditVerified => ("audit.verified", "Checked the audit trail"),
        AuditViewed => ("audit.viewed", "Looked at the audit trail"),
        BackupCreated => ("backup.created", "Made a backup of the registry database"),
        BackupRestored => ("backup.restored", "Restored the registry database from a backup"),
        ClaimReviewsListed => ("claim_reviews.listed", "Looked at the claims to review"),
        DemoSeeded => ("demo.seeded", "Created the demo data"),
        ImplantCardPrinted => ("implant_card.printed", "Printed an implant card"),
        OrganisationCreated => ("organisation.created", "Added an organisation"),
        SiteAdded => ("site.added", "Added a site"),
        PasswordChanged => ("password.changed", "Changed their password"),
        PasswordChangeFailed => ("password.change_failed", "Gave a wrong current password when changing it"),
        PasswordResetRequested => ("password.reset_requested", "Asked for a password reset link"),
        PasswordResetCompleted => ("password.reset_completed", "Chose a new password from a reset link"),
        PasswordSetFromInvitation => ("password.set_from_invitation", "Chose a password from an invitation"),
        PatientRegistered => ("patient.registered", "Asked for a patient account"),
        PatientRecordClaimed => ("patient.record_claimed", "Linked a procedure record to a patient account"),
        PatientClaimFailed => ("patient.claim_failed", "Tried to link a record, but the details did not match"),
        PatientClaimKept => ("patient.claim_kept", "Reviewed a patient's claim and kept it"),
        PatientClaimRemoved => ("patient.claim_removed", "Reviewed a patient's claim and removed it"),
        PatientImplantsViewed => ("patient.implants_viewed", "Looked at their implant record"),
        PatientDataDownloaded => ("patient.data_downloaded", "Downloaded their data"),
        ProcedureCreated => ("procedure.created", "Recorded a procedure"),
        ProcedureViewed => ("procedure.viewed", "Looked at a procedure record"),
        ProcedureCorrected => ("procedure.corrected", "Corrected a procedure record"),
        ProceduresListed => ("procedures.listed", "Listed records across every clinic"),
        PseudonymEvaluated => ("pseudonym.evaluated", "Turned a patient's details into a pseudonym"),
        RateLimitRefused => ("rate_limit.refused", "Was refused: too many attempts"),
        SecondFactorEnrolled => ("second_factor.enrolled", "Set up an authenticator app"),
        SecondFactorReplaced => ("second_factor.replaced", "Replaced their authenticator app"),
        SecondFactorFailed => ("second_factor.failed", "Entered a wrong security code"),
        SecondFactorReauthenticationFailed => ("second_factor.reauthentication_failed", "Gave a wrong password before changing the authenticator app"),
        SignInSucceeded => ("sign_in.succeeded", "Signed in"),
        SignInPasswordAccepted => ("sign_in.password_accepted", "Entered the right password; the second step was next"),
        SignInFailed => ("sign_in.failed", "Entered a wrong password"),
        SignInFailedUnknownAccount => ("sign_in.failed_unknown_account", "Tried to sign in with an address that has no account"),
        SignOut => ("sign_out", "Signed out"),
        SignOutEverywhere => ("sign_out.everywhere", "Signed out on every device"),
        DeviceAdded => ("register.device_added", "Added a device to the register"),
        DeviceUpdated => ("register.device_updated", "Changed a device register entry"),
        DevicesImported => ("register.imported", "Imported devices into the register"),
        ReviewResolved => ("register.review_resolved", "Matched components under review to a register entry"),
        NoticeDrafted => ("safety_notice.drafted", "Drafted a safety notice"),
        NoticeEdited => ("safety_notice.edited", "Changed the draft of a safety notice"),
        NoticeVersionStarted => ("safety_notice.version_started", "Started a new version of a safety notice"),
        NoticePublished => ("safety_notice.published", "Published a safety notice"),
        NoticeClosed => ("safety_notice.closed", "Closed a safety notice"),
        NoticeProgressViewed => ("safety_notice.progress_viewed", "Looked at the records a safety notice concerns, by clinic"),
        NoticeRecordsViewed => ("safety_notice.records_viewed", "Looked at a clinic's records a safety notice concerns"),
        NoticeAcknowledged => ("safety_notice.acknowledged", "Recorded what was done for a patient about a safety notice"),
        StatisticsDownloaded => ("statistics.downloaded", "Downloaded exact registry statistics (not for publication)"),
        StatisticsExtracted => ("statistics.extracted", "Wrote the pseudonymised analysis extract"),
        SyntheticRegistryFilled => ("synthetic.filled", "Filled the registry with synthetic data"),
        AuditExported => ("audit.exported", "Downloaded the audit trail"),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, ISO 8601.
    pub at: String,
    /// The signed-in person's email address (for a sign-in: the person signing in).
    pub actor: Option<String>,
    /// Their name, as the trail shows them.
    #[serde(default)]
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    /// The stored code, e.g. `account.disabled`.
    pub action: String,
    /// What was acted on, as stored: `user 42`.
    pub target: Option<String>,
    /// What was acted on, in words: a person's or organisation's name, "record 7".
    #[serde(default)]
    pub target_name: Option<String>,
    /// The entry's details as recorded (JSON), shown only when asked for.
    pub details: String,
    pub client_ip: Option<String>,
}

impl AuditEntry {
    /// What happened, as a sentence: "Disabled an account: Dr Demo Clinician".
    pub fn sentence(&self) -> String {
        let words = Action::from_code(&self.action)
            .map_or_else(|| self.action.clone(), |action| action.words().to_string());
        match &self.target_name {
            Some(target) if Some(target) != self.actor_name.as_ref() => {
                format!("{words}: {target}")
            }
            _ => words,
        }
    }

    /// Who did it, in words: "Dr Demo Clinician (Clinic user)", or "Not signed in".
    pub fn who(&self) -> String {
        let role = self
            .actor_role
            .as_deref()
            .and_then(super::session::Role::parse)
            .map(|role| format!(" ({})", role.label()))
            .unwrap_or_default();
        match (&self.actor_name, &self.actor) {
            (Some(name), _) => format!("{name}{role}"),
            (None, Some(email)) => format!("{email}{role}"),
            (None, None) => "Not signed in".to_string(),
        }
    }
}

/// The kinds of action the audit page filters by: (words, the codes' common start).
pub const ACTION_KINDS: &[(&str, &str)] = &[
    ("Signing in and out", "sign_"),
    ("Authenticator apps", "second_factor"),
    ("Passwords", "password"),
    ("Accounts", "account"),
    ("Organisations and sites", "organisation"),
    ("Procedure records", "procedure"),
    ("Implant cards", "implant_card"),
    ("Patients", "patient"),
    ("Pseudonyms", "pseudonym"),
    ("Limits reached", "rate_limit"),
    ("The audit trail", "audit"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// Actions starting with this, e.g. `sign_in`.
    pub action: String,
    /// Part of the actor's email address.
    pub actor: String,
    /// From this day (YYYY-MM-DD), inclusive.
    pub from: String,
    /// To this day (YYYY-MM-DD), inclusive.
    pub to: String,
    pub page: u32,
}

/// The verifier's finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub entries_checked: u64,
    /// Heads written outside the database that the chain was compared with.
    #[serde(default)]
    pub anchors_checked: u64,
    /// The first entry whose link is broken, and why; `None` if the chain is whole.
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub entry_id: i64,
    pub reason: String,
}

/// How close a registry-wide limit is to its ceiling this hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeilingUse {
    /// What is limited, in words: "Pseudonym evaluations by all clinics".
    pub what: String,
    pub used: u32,
    pub ceiling: u32,
    /// At 80 % or more: someone should look.
    pub near: bool,
}

/// What registry administrators should keep an eye on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub ceilings: Vec<CeilingUse>,
    pub claims_to_review: u64,
}

#[server(endpoint = "audit/security")]
pub async fn registry_security() -> Result<SecurityOverview, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context.services.audit.security(&context, principal).await
}

#[server(endpoint = "audit/list", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .audit
        .list(&context, principal, query)
        .await
}

/// The entries matching `query` (every page of them, up to a limit) as a CSV file.
#[server(endpoint = "audit/export", input = Json)]
pub async fn export_audit(query: AuditQuery) -> Result<super::patients::DataFile, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .audit
        .export(&context, principal, query)
        .await
}

#[server(endpoint = "audit/verify")]
pub async fn verify_audit_chain() -> Result<ChainReport, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context.services.audit.verify(&context, principal).await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AuditService: Send + Sync {
    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: AuditQuery,
    ) -> Result<Page<AuditEntry>, ApiError>;
    async fn export(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: AuditQuery,
    ) -> Result<super::patients::DataFile, ApiError>;
    async fn verify(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<ChainReport, ApiError>;
    async fn security(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<SecurityOverview, ApiError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, actor: Option<&str>, target: Option<&str>) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2026-11-20T14:02:31.123Z".into(),
            actor: actor.map(|_| "m@example.test".to_string()),
            actor_name: actor.map(String::from),
            actor_role: actor.map(|_| "clinic_manager".to_string()),
            action: action.into(),
            target: target.map(|_| "user 4".to_string()),
            target_name: target.map(String::from),
            details: "{}".into(),
            client_ip: None,
        }
    }

    #[test]
    fn entries_read_as_sentences_with_people_by_name() {
        let disabled = entry("account.disabled", Some("Mo Manager"), Some("Dr Demo"));
        assert_eq!(disabled.sentence(), "Disabled an account: Dr Demo");
        assert_eq!(disabled.who(), "Mo Manager (Clinic manager)");
        let signed_in = entry("sign_in.succeeded", Some("Dr Demo"), Some("Dr Demo"));
        assert_eq!(signed_in.sentence(), "Signed in");
        assert_eq!(entry("sign_in.failed", None, None).who(), "Not signed in");
        assert_eq!(entry("made.up", None, None).sentence(), "made.up");
    }

    #[test]
    fn every_kind_of_action_filters_something() {
        for (_, prefix) in ACTION_KINDS {
            assert!(
                Action::ALL
                    .iter()
                    .any(|action| action.code().starts_with(prefix)),
                "{prefix}"
            );
        }
    }

    #[test]
    fn every_action_has_its_own_code_and_reads_back() {
        let mut codes: Vec<&str> = Action::ALL.iter().map(|action| action.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(*action));
        }
    }
}
