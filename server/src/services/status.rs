//! The footer's status line: the database answers, and (for registry administrators) what it
//! runs on.

use app::api::context::{Caller, RequestContext};
use app::api::session::Role;
use app::api::status::{SiteInfo, StatusDetails, StatusReport, StatusService};

use super::error::ServiceResult;
use crate::at_the_edge;
use crate::db::Database;

pub struct Status {
    database: Database,
    site: SiteInfo,
}

impl Status {
    /// `site`: what the configuration says about this registry (demo, helpdesk).
    pub fn new(database: Database, site: SiteInfo) -> Self {
        Self { database, site }
    }

    async fn site(&self, _context: &RequestContext) -> ServiceResult<SiteInfo> {
        Ok(self.site.clone())
    }

    async fn status(&self, context: &RequestContext) -> ServiceResult<StatusReport> {
        self.database.ping().await?;
        let administrator = matches!(&context.caller, Caller::SignedIn(principal) if principal.role == Role::RegistryAdmin);
        let details = if administrator {
            Some(StatusDetails {
                storage: self.database.engine_version().await?,
                schema_version: self.database.schema_version().await?,
                instance_id: self.database.instance_id().await?,
            })
        } else {
            None
        };
        Ok(StatusReport {
            version: env!("CARGO_PKG_VERSION").to_string(),
            details,
        })
    }
}

at_the_edge! {
    impl StatusService for Status {
        fn status(&self, context: &RequestContext) -> StatusReport;
        fn site(&self, context: &RequestContext) -> SiteInfo;
    }
}
