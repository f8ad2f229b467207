//! A clock the end-to-end tests can move on (`--test-clock`, only with `--demo`): a second
//! sign-in within half a minute needs the next authenticator time step, and the tests take it
//! by moving the server's clock on instead of sleeping. Never in production: the server
//! refuses the flag without `--demo`, and the routes exist only when it is given.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::clock::Clock as _;

/// Each move at most an hour on: enough for any test, and a typo cannot skip a day.
pub const MOST_SECONDS_PER_MOVE: i64 = 3_600;

#[derive(Debug, Serialize, Deserialize)]
pub struct ClockReading {
    pub unix_seconds: i64,
}

#[derive(Debug, Deserialize)]
pub struct Move {
    pub seconds: i64,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/test/clock", get(read))
        .route("/test/clock/advance", post(advance))
}

async fn read(State(state): State<AppState>) -> Json<ClockReading> {
    Json(reading(&state))
}

async fn advance(
    State(state): State<AppState>,
    Json(requested): Json<Move>,
) -> Result<Json<ClockReading>, axum::response::Response> {
    if !(1..=MOST_SECONDS_PER_MOVE).contains(&requested.seconds) {
        return Err(super::json_error(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_move",
            format!(
                "seconds must be between 1 and {MOST_SECONDS_PER_MOVE}: the test clock only moves on"
            ),
        ));
    }
    state
        .database
        .clock()
        .advance(time::Duration::seconds(requested.seconds));
    tracing::warn!(seconds = requested.seconds, "test clock moved on");
    Ok(Json(reading(&state)))
}

fn reading(state: &AppState) -> ClockReading {
    ClockReading {
        unix_seconds: state.database.clock().now().unix_seconds(),
    }
}
