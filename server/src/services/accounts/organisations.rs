//! Organisations and their sites: the list (a clinic manager sees their own), a new
//! organisation with its first sites, another site. The contact printed on implant cards is
//! set with the account changes ([`super::changes`]).

use app::api::ApiError;
use app::api::FieldError;
use app::api::accounts::OrganisationDetail;
use app::api::context::{Principal, RequestContext};
use domain::names::OrganisationName;
use serde_json::json;

use super::Accounts;
use super::forms::read_organisation_name;
use crate::audit::{self, Action, Event};
use crate::db::organisations;
use crate::services::error::ServiceResult;

impl Accounts {
    /// Organisation `id` as the pages show it, read after a change; `missing` names it if it
    /// is not there.
    pub(super) async fn organisation_detail(
        &self,
        id: i64,
        missing: &str,
    ) -> ServiceResult<OrganisationDetail> {
        let mut connection = self.database.read().await?;
        Ok(organisations::details(&mut connection, Some(id))
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found(missing))?)
    }

    pub(super) async fn list_organisations(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<Vec<OrganisationDetail>> {
        let mut connection = self.database.read().await?;
        Ok(organisations::details(&mut connection, Self::scope(principal)?).await?)
    }

    pub(super) async fn create_organisation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        name: String,
        sites: Vec<String>,
    ) -> ServiceResult<OrganisationDetail> {
        let mut errors = Vec::new();
        let name =
            read_organisation_name(&name, "name", "Enter the organisation's name", &mut errors);
        let sites: Vec<OrganisationName> = sites
            .iter()
            .filter(|site| !site.trim().is_empty())
            .filter_map(|site| {
                read_organisation_name(site, "sites", "Enter the site's name", &mut errors)
            })
            .collect();
        if sites.is_empty() && errors.iter().all(|error| error.field != "sites") {
            errors.push(FieldError::new(
                "sites",
                "Enter at least one site where procedures take place",
            ));
        }
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Invalid { errors }.into());
        };
        let mut transaction = self.database.write().await?;
        let id = organisations::insert(&mut transaction, name.as_str())
            .await?
            .ok_or_else(|| {
                ApiError::invalid("name", "An organisation with this name already exists")
            })?;
        for site in &sites {
            organisations::insert_site(&mut transaction, id, site.as_str()).await?;
        }
        audit::record(
            &mut transaction,
            Event::new(Action::OrganisationCreated)
                .by(principal)
                .on("organisation", id)
                .with(json!({ "name": name.as_str(), "sites": sites.iter().map(OrganisationName::as_str).collect::<Vec<_>>() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.organisation_detail(id, "The organisation").await
    }

    pub(super) async fn add_site(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        name: String,
    ) -> ServiceResult<OrganisationDetail> {
        let mut errors = Vec::new();
        let Some(name) =
            read_organisation_name(&name, "site_name", "Enter the site's name", &mut errors)
        else {
            return Err(ApiError::Invalid { errors }.into());
        };
        let mut transaction = self.database.write().await?;
        if !organisations::exists(&mut transaction, organisation_id).await? {
            return Err(ApiError::not_found("That organisation").into());
        }
        let site = organisations::insert_site(&mut transaction, organisation_id, name.as_str())
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "site_name",
                    "This organisation already has a site with this name",
                )
            })?;
        audit::record(
            &mut transaction,
            Event::new(Action::SiteAdded)
                .by(principal)
                .on("site", site)
                .with(json!({ "organisation_id": organisation_id, "name": name.as_str() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.organisation_detail(organisation_id, "That organisation")
            .await
    }
}
