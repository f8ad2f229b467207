//! Stored notices as the pages receive them, with the register's names for their devices.

use std::collections::HashMap;

use app::api::notices::{NamedDevice, NoticeContent, NoticeDetail, NoticeVersion};
use domain::register::{NoticeDraft, NoticeForm};
use domain::udi::IssuingAgency;

use crate::db::notices::{Notice, StoredVersion};
use crate::db::{Connection, register};
use crate::services::error::ServiceResult;

/// The register's name, maker and agency for each DI a notice names.
async fn register_names(
    connection: &mut impl Connection,
    drafts: &[&NoticeDraft],
) -> ServiceResult<HashMap<String, (NamedDevice, IssuingAgency)>> {
    let mut names = HashMap::new();
    for draft in drafts {
        for device in &draft.scope.devices {
            let di = device.device_identifier.to_string();
            if names.contains_key(&di) {
                continue;
            }
            if let Some(stored) = register::by_identifier(connection, &di).await? {
                let named = NamedDevice {
                    device_identifier: di.clone(),
                    name: register::display_name(&stored.entry),
                    manufacturer: stored.entry.manufacturer.name.clone(),
                };
                names.insert(di, (named, stored.entry.agency));
            }
        }
    }
    Ok(names)
}

fn content_of(
    draft: &NoticeDraft,
    names: &HashMap<String, (NamedDevice, IssuingAgency)>,
) -> NoticeContent {
    NoticeContent {
        title: draft.title.clone(),
        manufacturer_reference: draft.manufacturer_reference.clone(),
        fsn_date: draft.fsn_date,
        problem: draft.problem.clone(),
        risk: draft.risk.clone(),
        clinic_action: draft.clinic_action.clone(),
        patient_action: draft.patient_action.clone(),
        scope: draft.scope.clone(),
        devices: draft
            .scope
            .devices
            .iter()
            .map(|device| {
                let di = device.device_identifier.to_string();
                names
                    .get(&di)
                    .map(|(named, _)| named.clone())
                    .unwrap_or(NamedDevice {
                        device_identifier: di,
                        name: "Not in the register".into(),
                        manufacturer: String::new(),
                    })
            })
            .collect(),
    }
}

/// What one version says, with names.
pub async fn content(
    connection: &mut impl Connection,
    draft: &NoticeDraft,
) -> ServiceResult<NoticeContent> {
    let names = register_names(connection, &[draft]).await?;
    Ok(content_of(draft, &names))
}

pub async fn detail(
    connection: &mut impl Connection,
    notice: Notice,
    stored: Vec<StoredVersion>,
) -> ServiceResult<NoticeDetail> {
    let drafts: Vec<&NoticeDraft> = stored.iter().map(|version| &version.content).collect();
    let names = register_names(connection, &drafts).await?;
    let draft_form = stored
        .first()
        .filter(|version| version.published_at.is_none())
        .map(|version| {
            NoticeForm::from_draft(&version.content, |di| {
                names.get(di.as_str()).map(|(_, agency)| *agency)
            })
        });
    let versions = stored
        .iter()
        .map(|version| NoticeVersion {
            version: version.version,
            published_at: version.published_at.map(|at| at.to_iso()),
            published_by: version.published_by.clone(),
            content: content_of(&version.content, &names),
        })
        .collect();
    Ok(NoticeDetail {
        id: notice.id,
        reference: notice.reference,
        status: notice.status,
        versions,
        draft_form,
    })
}
