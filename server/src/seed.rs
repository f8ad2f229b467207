//! First-run and demo data: the first administrator (by invitation link, no default password),
//! and a demo organisation with one account of each role.

use app::api::session::Role;
use serde_json::json;

use crate::app::AppState;
use crate::audit::{self, Action, Event};
use crate::auth::passwords;
use crate::db::devices::{self, NewDevice};
use crate::db::organisations;
use crate::db::users::{self, NewUser};
use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality};
use domain::register::{
    CodeList, DeviceIdentifier, DeviceScope, NoticeDraft, NoticeScope, Selection,
};
use domain::udi::{Gtin, IssuingAgency};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Service(#[from] crate::services::error::ServiceError),
    #[error("an account with the email address {0} already exists")]
    Exists(String),
    #[error("{0}")]
    Invalid(String),
}

pub const DEMO_ORGANISATION: &str = "Riverside Implant Clinic (demo)";
/// Printed on the demo clinic's implant cards (a fictional number from Ofcom's drama range).
pub const DEMO_CONTACT: &str = "Telephone 0113 496 0000, 1 Riverside Walk, Leeds";
pub const DEMO_SITES: [&str; 2] = ["Main theatre", "Day surgery unit"];

/// The demo accounts: (email, name, role).
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 4] = [
    (
        "clinician.demo@example.test",
        "Dr Demo Clinician",
        Role::ClinicUser,
    ),
    (
        "manager.demo@example.test",
        "Demo Clinic Manager",
        Role::ClinicManager,
    ),
    (
        "admin.demo@example.test",
        "Demo Registry Administrator",
        Role::RegistryAdmin,
    ),
    ("patient.demo@example.test", "Demo Patient", Role::Patient),
];

/// Synthetic register entries for the demo: (first 13 digits of the GTIN, manufacturer, name,
/// body site, side).
pub const DEMO_DEVICES: [(&str, &str, &str, BodySite, Option<Laterality>); 8] = [
    (
        "0506000134001",
        "Acme Orthopaedics",
        "Meridian cementless hip stem, size 4 (demo)",
        BodySite::Hip,
        None,
    ),
    (
        "0506000134002",
        "Acme Orthopaedics",
        "Meridian acetabular cup, 52 mm (demo)",
        BodySite::Hip,
        None,
    ),
    (
        "0506000134003",
        "Acme Orthopaedics",
        "Meridian ceramic femoral head, 32 mm (demo)",
        BodySite::Hip,
        None,
    ),
    (
        "0506000134004",
        "Borealis Medical",
        "Polaris acetabular cup, 52 mm (demo)",
        BodySite::Hip,
        None,
    ),
    (
        "0506000134005",
        "Acme Orthopaedics",
        "Keystone femoral component, left, size C (demo)",
        BodySite::Knee,
        Some(Laterality::Left),
    ),
    (
        "0506000134006",
        "Acme Orthopaedics",
        "Keystone femoral component, right, size C (demo)",
        BodySite::Knee,
        Some(Laterality::Right),
    ),
    (
        "0506000134007",
        "Lumen Aesthetics",
        "Silk round textured breast implant, 300 cc (demo)",
        BodySite::Breast,
        None,
    ),
    (
        "0506000134008",
        "Cardia Rhythm",
        "Tempo dual-chamber pacemaker (demo)",
        BodySite::CardiacRhythm,
        None,
    ),
];

/// A demo field safety notice: one lot of the demo ceramic head.
pub const DEMO_NOTICE: DemoNotice = DemoNotice {
    reference: "FSN-2026-0142 (demo)",
    device: "0506000134003",
    lot: "H2291",
    title: "Meridian ceramic heads from lot H2291 may chip",
    problem: "The maker found that some ceramic femoral heads from lot H2291 may chip at the edge under heavy load. Most people with these heads have no problems.",
    patient_action: "You do not need to do anything urgently. Your surgical team will contact you about a check-up. Contact them sooner if you have new pain in your hip, or hear squeaking or grinding when you move.",
    issued_on: "2026-11-02",
    manufacturer_reference: "ACME-FSCA-2291 (demo)",
    risk: "A chipped head can cause pain and may need a second operation to replace it.",
    clinic_action: "Contact each patient with a head from lot H2291, review them within three months, and image the hip if they have symptoms.",
};

pub struct DemoNotice {
    pub reference: &'static str,
    pub device: &'static str,
    pub lot: &'static str,
    pub title: &'static str,
    pub problem: &'static str,
    pub patient_action: &'static str,
    pub issued_on: &'static str,
    pub manufacturer_reference: &'static str,
    pub risk: &'static str,
    pub clinic_action: &'static str,
}

impl DemoNotice {
    /// The notice as the registry's form would have made it.
    pub fn draft(&self) -> Result<NoticeDraft, SeedError> {
        let invalid = |what: &str| SeedError::Invalid(format!("the demo notice's {what}"));
        Ok(NoticeDraft {
            reference: self.reference.into(),
            title: self.title.into(),
            manufacturer_reference: self.manufacturer_reference.into(),
            fsn_date: CalendarDate::from_iso(self.issued_on).ok_or_else(|| invalid("date"))?,
            problem: self.problem.into(),
            risk: self.risk.into(),
            clinic_action: self.clinic_action.into(),
            patient_action: self.patient_action.into(),
            scope: NoticeScope {
                devices: vec![DeviceScope {
                    device_identifier: DeviceIdentifier::parse(
                        IssuingAgency::Gs1,
                        &demo_gtin(self.device),
                    )
                    .map_err(|_| invalid("device"))?,
                    selection: Selection::Lots {
                        lots: CodeList::from(vec![self.lot.to_string()]),
                    },
                    manufactured: None,
                    expiry: None,
                }],
            },
        })
    }
}

/// The GTIN-14 of a demo device, from its first 13 digits.
pub fn demo_gtin(first_thirteen: &str) -> String {
    let digits: Vec<u8> = first_thirteen.bytes().map(|b| b - b'0').collect();
    Gtin::from_digits_without_check(digits.try_into().expect("13 digits")).to_gtin14()
}

/// Creates the demo organisation and accounts if there are no accounts yet, and prints how to
/// sign in. Demo staff set up an authenticator app at their first sign-in (real staff only
/// from their invitation link: the demo has no mailbox to send one to).
pub async fn demo(state: &AppState, password: Option<&str>) -> Result<(), SeedError> {
    let existing = users::count(&mut state.database.read().await?).await?;
    if existing > 0 {
        tracing::info!("demo data not created: the database already has accounts");
        return Ok(());
    }
    let password = password
        .map(str::to_string)
        .unwrap_or_else(|| format!("demo-{}", &crate::auth::tokens::new_token()[..12]));
    let hash = passwords::hash(password.clone())
        .await
        .map_err(|busy| SeedError::Invalid(busy.to_string()))?;
    let mut transaction = state.database.write().await?;
    let organisation = organisations::insert(&mut transaction, DEMO_ORGANISATION)
        .await?
        .ok_or_else(|| SeedError::Exists(DEMO_ORGANISATION.into()))?;
    organisations::set_contact(&mut transaction, organisation, Some(DEMO_CONTACT)).await?;
    for site in DEMO_SITES {
        organisations::insert_site(&mut transaction, organisation, site).await?;
    }
    let mut administrator = None;
    for (email, name, role) in DEMO_ACCOUNTS {
        let id = users::insert(
            &mut transaction,
            NewUser {
                email,
                display_name: name,
                role,
                organisation_id: role.belongs_to_organisation().then_some(organisation),
                password_hash: Some(&hash),
                first_enrolment_by_password: role.requires_second_factor(),
            },
        )
        .await?
        .ok_or_else(|| SeedError::Exists(email.into()))?;
        if role == Role::RegistryAdmin {
            administrator = Some(id);
        }
    }
    for (digits, manufacturer, name, body_site, side) in DEMO_DEVICES {
        devices::insert(
            &mut transaction,
            NewDevice {
                device_identifier: &demo_gtin(digits),
                agency: "GS1",
                manufacturer,
                name,
                catalogue_number: None,
                body_site: Some(body_site),
                side,
            },
        )
        .await?;
    }
    let administrator =
        administrator.ok_or_else(|| SeedError::Invalid("no demo administrator".into()))?;
    crate::services::notices::record_published(
        &mut transaction,
        &DEMO_NOTICE.draft()?,
        administrator,
    )
    .await?;
    audit::record(
        &mut transaction,
        Event::new(Action::DemoSeeded).with(json!({ "organisation": DEMO_ORGANISATION })),
    )
    .await?;
    transaction.commit().await?;

    let mut banner = String::from(
        "\n================ DEMO ACCOUNTS: synthetic data, never use in production ================\n",
    );
    banner.push_str(&format!(
        "Organisation: {DEMO_ORGANISATION} (sites: {})\n",
        DEMO_SITES.join(", ")
    ));
    for (email, _, role) in DEMO_ACCOUNTS {
        banner.push_str(&format!(
            "  {:<24} {email:<32} password: {password}\n",
            role.label()
        ));
    }
    banner.push_str("Staff accounts set up an authenticator app (TOTP) at their first sign-in.\n");
    banner.push_str(&format!(
        "Demo devices in the register: {} (e.g. GTIN {}). Test patients: NHS numbers from the 999 range only.\n",
        DEMO_DEVICES.len(),
        demo_gtin(DEMO_DEVICES[0].0)
    ));
    banner.push_str("=========================================================================================\n");
    println!("{banner}");
    Ok(())
}

/// Fills an empty registry with `procedures` synthetic procedures in synthetic clinics (none
/// when 0, or when the registry already holds records: a restart keeps what is there).
pub async fn demo_registry(state: &AppState, procedures: u64) -> Result<(), SeedError> {
    if procedures == 0 {
        return Ok(());
    }
    let existing = crate::db::synthetic::procedure_count(&mut state.database.read().await?).await?;
    if existing > 0 {
        tracing::info!(
            existing,
            "demo registry not filled: the registry already holds procedures"
        );
        return Ok(());
    }
    let plan = crate::synthetic::Plan {
        procedures,
        seed: 14,
        end: state.database.now().day(),
    };
    let summary = crate::synthetic::fill(&state.database, &plan)
        .await
        .map_err(|error| SeedError::Invalid(error.to_string()))?;
    println!(
        "Demo registry: {} synthetic procedures in {} synthetic clinics, for the statistics pages.",
        summary.procedures, summary.clinics
    );
    Ok(())
}

/// Creates a registry administrator with no password and returns their invitation link.
pub async fn create_admin(state: &AppState, email: &str, name: &str) -> Result<String, SeedError> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(SeedError::Invalid(
            "give the administrator's email address".into(),
        ));
    }
    let name = domain::names::PersonName::parse(name)
        .map_err(|problem| SeedError::Invalid(format!("--name: {problem}")))?;
    let name = name.as_str();
    let mut transaction = state.database.write().await?;
    let user_id = users::insert(
        &mut transaction,
        NewUser {
            email: &email,
            display_name: name,
            role: Role::RegistryAdmin,
            organisation_id: None,
            password_hash: None,
            first_enrolment_by_password: false,
        },
    )
    .await?
    .ok_or_else(|| SeedError::Exists(email.clone()))?;
    let link = state
        .auth
        .send_invitation(&mut transaction, user_id, &email, name)
        .await?;
    audit::record(
        &mut transaction,
        Event::new(Action::AccountFirstAdminCreated).on("user", user_id),
    )
    .await?;
    transaction.commit().await?;
    Ok(link.unwrap_or_else(|| format!("sent to {email}")))
}
