//! People using the portal: a browser that keeps its session cookie, signing in (with the
//! authenticator for staff), and typed calls of the server functions.

use std::sync::Mutex;

use app::api::auth::EnrolmentDetails;
use app::api::session::{Role, SessionState};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde::de::DeserializeOwned;
use serde_json::Value;
use server::auth::totp;

use super::answers::read;
use super::spawn::TestApp;

/// The password every test account gets.
pub const PASSWORD: &str = "copper kettle orbit meadow";

/// A browser: keeps its session cookie between calls, as a real one does.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookie: Mutex<Option<String>>,
    /// The authenticator secret, once enrolled.
    pub secret: Mutex<Option<Vec<u8>>>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookie: Mutex::new(None),
            secret: Mutex::new(None),
        }
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    pub fn set_session_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap() = cookie;
    }

    /// Calls a form-encoded server function, sending and keeping the session cookie.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let request = self
            .app
            .client
            .post(self.app.url(&format!("/api/{endpoint}")))
            .form(form);
        self.send(request).await
    }

    /// Calls a JSON-encoded server function.
    pub async fn call_json(&self, endpoint: &str, body: &Value) -> reqwest::Response {
        let request = self
            .app
            .client
            .post(self.app.url(&format!("/api/{endpoint}")))
            .json(body);
        self.send(request).await
    }

    async fn send(&self, mut request: reqwest::RequestBuilder) -> reqwest::Response {
        if let Some(cookie) = self.session_cookie() {
            request = request.header(COOKIE, format!("__Host-mdis_session={cookie}"));
        }
        let response = request.send().await.expect("request");
        for value in response.headers().get_all(SET_COOKIE) {
            let value = value.to_str().unwrap();
            let token = value.split(';').next().unwrap().split_once('=').unwrap().1;
            self.set_session_cookie((!token.is_empty()).then(|| token.to_string()));
        }
        response
    }

    /// A current authenticator code for a step not used yet (`offset` steps ahead).
    pub fn code(&self, offset: u64) -> String {
        let secret = self.secret.lock().unwrap().clone().expect("enrolled");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        totp::code_at_step(&secret, totp::step_at(now) + offset).expect("a 160-bit secret")
    }

    /// Calls a form-encoded server function that must succeed; its result.
    pub async fn read<T: DeserializeOwned>(&self, endpoint: &str, form: &[(&str, &str)]) -> T {
        read(self.call(endpoint, form).await).await
    }

    /// Calls a JSON-encoded server function that must succeed; its result.
    pub async fn read_json<T: DeserializeOwned>(&self, endpoint: &str, body: &Value) -> T {
        read(self.call_json(endpoint, body).await).await
    }

    /// Where signing in has got to for this browser.
    pub async fn session(&self) -> SessionState {
        self.read("session", &[]).await
    }

    /// The first step of signing in, with any password.
    pub async fn sign_in_attempt(&self, email: &str, password: &str) -> reqwest::Response {
        self.call("sign-in", &[("email", email), ("password", password)])
            .await
    }

    /// The first step of signing in with `PASSWORD`, which must be accepted: what comes next.
    pub async fn password_step(&self, email: &str) -> SessionState {
        read(self.sign_in_attempt(email, PASSWORD).await).await
    }

    /// Signs in with the password and, for staff, sets up or uses the authenticator.
    pub async fn sign_in(&self, email: &str) -> SessionState {
        match self.password_step(email).await {
            SessionState::EnrolmentRequired { .. } => {
                self.enrol().await;
            }
            SessionState::SecondFactorRequired { .. } => {
                let response = self
                    .call("sign-in/second-factor", &[("code", &self.code(1))])
                    .await;
                assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
            }
            _ => {}
        }
        let state = self.session().await;
        assert!(state.signed_in().is_some(), "{state:?}");
        state
    }

    /// Sets up an authenticator; returns the recovery codes.
    pub async fn enrol(&self) -> Vec<String> {
        let details: EnrolmentDetails = self.read("second-factor/enrolment", &[]).await;
        let secret = totp::from_base32(&details.secret).unwrap();
        *self.secret.lock().unwrap() = Some(secret);
        self.read(
            "second-factor/enrolment/confirm",
            &[("code", &self.code(0))],
        )
        .await
    }
}

impl TestApp {
    /// A browser signed in as a new account of `role` (staff enrolled in a second factor).
    pub async fn signed_in(
        &self,
        email: &str,
        role: Role,
        organisation_id: Option<i64>,
    ) -> Browser<'_> {
        self.user(email, role, organisation_id).await;
        let browser = Browser::new(self);
        browser.sign_in(email).await;
        browser
    }
}

/// The single-use link's token in an email's body.
pub fn link_token(body: &str) -> String {
    body.split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

impl TestApp {
    /// A clinic named `name` and its manager (`manager@example.test`), signed in.
    pub async fn clinic_with_manager(&self, name: &str) -> (i64, Browser<'_>) {
        let clinic = self.organisation(name).await;
        let manager = self
            .signed_in("manager@example.test", Role::ClinicManager, Some(clinic))
            .await;
        (clinic, manager)
    }
}
