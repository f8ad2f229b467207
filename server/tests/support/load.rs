//! A clinic ready to submit procedures without a browser: an organisation, a theatre, a signed-in
//! clinic user (a session row, as the sign-in flow would leave it) and one register entry.
//! Shared by the submissions benchmark and the fault harness, which drive the server over
//! real HTTP with many clients at once.

use app::api::session::Role;
use domain::procedure::{BodySite, Submission};
use domain::pseudonym::Pseudonym;
use server::auth::tokens;
use server::db::devices::{self, NewDevice};
use server::db::sessions::{self, Stage};
use server::db::users::{self, NewUser};
use server::db::{Database, organisations};
use server::seed::demo_gtin;

#[path = "submission.rs"]
mod submission;

pub struct LoadClinic {
    pub site_id: i64,
    pub gtin: String,
    /// The `Cookie` header value of the clinic user's session.
    pub cookie: String,
}

impl LoadClinic {
    /// Creates the clinic in `database` (an opened, migrated database).
    pub async fn create(database: &Database) -> LoadClinic {
        let mut connection = database.write().await.expect("a write transaction");
        let organisation = organisations::insert(&mut connection, "Load Test Clinic")
            .await
            .expect("insert the organisation")
            .expect("a new organisation name");
        let site_id = organisations::insert_site(&mut connection, organisation, "Theatre")
            .await
            .expect("insert the site")
            .expect("a new site name");
        let user = users::insert(
            &mut connection,
            NewUser {
                email: "load@example.test",
                display_name: "Load Tester",
                role: Role::ClinicUser,
                organisation_id: Some(organisation),
                password_hash: None,
                first_enrolment_by_password: false,
            },
        )
        .await
        .expect("insert the user")
        .expect("a new email address");
        let gtin = demo_gtin("0506000134001");
        devices::insert(
            &mut connection,
            NewDevice {
                device_identifier: &gtin,
                agency: "GS1",
                manufacturer: "Acme Orthopaedics",
                name: "Load Stem",
                catalogue_number: None,
                body_site: Some(BodySite::Hip),
                side: None,
            },
        )
        .await
        .expect("insert the device");
        let token = tokens::new_token();
        sessions::create(
            &mut connection,
            &tokens::hash_token(&token),
            user,
            Stage::Full,
            time::Duration::hours(12),
        )
        .await
        .expect("create the session");
        connection.commit().await.expect("commit the clinic");
        LoadClinic {
            site_id,
            gtin,
            cookie: format!("__Host-mdis_session={token}"),
        }
    }

    /// Submission number `serial`: its own idempotency key, lot and pseudonym, so that every
    /// stored record can be traced back to exactly one submission.
    pub fn submission(&self, key: String, serial: usize) -> Submission {
        submission::submission(
            &key,
            self.site_id,
            vec![submission::udi(&self.gtin, "281231", &lot_of(serial))],
            // These measure storage, not the browser's OPRF: any well-formed pseudonym does.
            Some(Pseudonym::try_from(format!("{serial:064x}")).unwrap()),
        )
    }
}

/// The lot number submission `serial` carries (unique per submission, at most 20 characters).
pub fn lot_of(serial: usize) -> String {
    format!("LOAD{serial}")
}
