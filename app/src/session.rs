//! The browser's view of who is signed in, shared by every page through context.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::api::auth::current_session;
use crate::api::session::{Role, SessionInfo, SessionState};
use crate::offline::resume;

/// `None` while the first check is in flight.
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<Option<SessionState>>,
}

impl Session {
    /// Creates the session context and starts loading it.
    pub fn provide() -> Self {
        let session = Self {
            state: RwSignal::new(None),
        };
        provide_context(session);
        session.refresh();
        session
    }

    /// Asks the server again (after signing in or out).
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            // Offline, a tab that was signed in carries on as it was (see `offline::resume`).
            let state = match current_session().await {
                Ok(state) => {
                    resume::remember_session(&state);
                    state
                }
                Err(ApiError::Transport { .. }) => {
                    resume::remembered_session().unwrap_or(SessionState::SignedOut)
                }
                Err(_) => SessionState::SignedOut,
            };
            self.state.set(Some(state));
        });
    }

    pub fn set(self, state: SessionState) {
        resume::remember_session(&state);
        self.state.set(Some(state));
    }

    pub fn state(self) -> Option<SessionState> {
        self.state.get()
    }

    /// The signed-in person, if fully signed in.
    pub fn info(self) -> Option<SessionInfo> {
        self.state
            .with(|state| state.as_ref().and_then(|s| s.signed_in().cloned()))
    }

    pub fn role(self) -> Option<Role> {
        self.state.with(|state| {
            state
                .as_ref()
                .and_then(|s| s.signed_in().map(|info| info.role))
        })
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
