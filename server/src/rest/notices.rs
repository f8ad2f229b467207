//! `GET /api/v1/safety-notices`: the published field safety notices (and closed ones, marked
//! so), each as its version in force says it, with the devices it names. Public: no patient
//! data, no clinic, no counts.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::db::notices;

pub async fn list(State(state): State<AppState>) -> Response {
    let listed = async {
        let mut connection = state.database.read().await?;
        let mut listed: Vec<Value> = Vec::new();
        for notice in notices::visible(&mut connection).await? {
            let Some(number) = notice.status.version() else {
                continue;
            };
            let Some(version) = notices::version(&mut connection, &notice, number).await? else {
                continue;
            };
            let content = &version.content;
            listed.push(json!({
                "reference": notice.reference,
                "status": match notice.status {
                    domain::register::NoticeStatus::Closed { .. } => "closed",
                    _ => "published",
                },
                "version": number,
                "first_published_at": notice.first_published_at.map(|at| at.to_iso()),
                "version_published_at": version.published_at.map(|at| at.to_iso()),
                "title": content.title,
                "manufacturer_reference": content.manufacturer_reference,
                "fsn_date": content.fsn_date.to_iso(),
                "problem": content.problem,
                "risk": content.risk,
                "clinic_action": content.clinic_action,
                "patient_action": content.patient_action,
                "devices": serde_json::to_value(&content.scope.devices).unwrap_or(Value::Null),
            }));
        }
        Ok::<_, sqlx::Error>(listed)
    };
    match listed.await {
        Ok(listed) => Json(json!({ "notices": listed })).into_response(),
        Err(error) => super::storage_error(error),
    }
}
