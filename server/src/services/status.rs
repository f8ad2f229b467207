use app::api::ApiError;
use app::api::status::{StatusReport, StatusService};

use super::internal_error;
use crate::db::Database;

pub struct Status {
    database: Database,
}

impl Status {
    pub fn new(database: Database) -> Self {
        Self { database }
    }
}

#[async_trait::async_trait]
impl StatusService for Status {
    async fn status(&self) -> Result<StatusReport, ApiError> {
        let storage = self.database.engine().await.map_err(internal_error)?;
        let schema_version = self
            .database
            .schema_version()
            .await
            .map_err(internal_error)?;
        let instance_id = self.database.instance_id().await.map_err(internal_error)?;
        Ok(StatusReport {
            version: env!("CARGO_PKG_VERSION").to_string(),
            storage,
            schema_version,
            instance_id,
        })
    }
}
