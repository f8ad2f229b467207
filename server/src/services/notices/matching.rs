//! Which records a notice concerns: the indexed candidate queries of `db::notice_match`, each
//! candidate then decided by the domain's `match_component`, grouped by record. Also the
//! reverse: which notices in force concern given components (a new submission, a patient's
//! implants).

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::calendar::CalendarDate;
use domain::register::{
    ComponentFacts, DeviceIdentifier, MatchOutcome, MissingDetail, NoticeScope, match_component,
};

use crate::db::Connection;
use crate::db::notice_match::{self, Candidate};
use crate::db::notices::{self, Notice, StoredVersion};
use crate::services::error::{ServiceError, ServiceResult};

/// A record a notice concerns, with the components it concerns.
#[derive(Debug, Clone)]
pub struct Concerned {
    pub procedure_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub site: String,
    pub procedure_date: CalendarDate,
    pub patient_pseudonym: Option<String>,
    /// Affected, or possibly affected with what is missing.
    pub outcome: MatchOutcome,
    pub components: Vec<Candidate>,
}

impl Concerned {
    pub fn is_affected(&self) -> bool {
        self.outcome == MatchOutcome::Affected
    }
}

/// What the registry knows of a stored component, for the domain's match.
pub fn facts(
    primary: &str,
    lot: &Option<String>,
    serial: &Option<String>,
    expiry: Option<CalendarDate>,
    manufactured: Option<CalendarDate>,
) -> ServiceResult<ComponentFacts> {
    Ok(ComponentFacts {
        device_identifier: DeviceIdentifier::parse_stored(primary)
            .map_err(ServiceError::internal)?,
        lot: lot.clone(),
        serial: serial.clone(),
        expiry,
        manufactured,
    })
}

/// Combines the outcomes of one record's components: affected if any is, else possibly
/// affected with everything missing.
fn combine(outcomes: impl Iterator<Item = MatchOutcome>) -> MatchOutcome {
    let mut missing: Vec<MissingDetail> = Vec::new();
    let mut possibly = false;
    for outcome in outcomes {
        match outcome {
            MatchOutcome::Affected => return MatchOutcome::Affected,
            MatchOutcome::PossiblyAffected { missing: details } => {
                possibly = true;
                missing.extend(details);
            }
            MatchOutcome::NotAffected => {}
        }
    }
    missing.sort();
    missing.dedup();
    if possibly {
        MatchOutcome::PossiblyAffected { missing }
    } else {
        MatchOutcome::NotAffected
    }
}

/// The records version `version_id` (with `scope`) concerns, of one organisation or all:
/// affected first, then possibly affected, each by clinic and procedure date.
pub async fn concerned_records(
    connection: &mut impl Connection,
    version_id: i64,
    scope: &NoticeScope,
    organisation: Option<i64>,
) -> ServiceResult<Vec<Concerned>> {
    let criteria = notice_match::criteria_of(connection, version_id).await?;
    let mut seen: HashSet<i64> = HashSet::new();
    let mut by_record: BTreeMap<i64, (Concerned, Vec<MatchOutcome>)> = BTreeMap::new();
    for criterion in &criteria {
        for candidate in notice_match::candidates(connection, criterion, organisation).await? {
            if !seen.insert(candidate.component_id) {
                continue;
            }
            let outcome = match_component(
                scope,
                &facts(
                    &candidate.primary_identifier,
                    &candidate.lot,
                    &candidate.serial,
                    candidate.expiry.map(CalendarDate::from),
                    candidate.manufactured.map(CalendarDate::from),
                )?,
            );
            if outcome == MatchOutcome::NotAffected {
                continue;
            }
            let entry = by_record.entry(candidate.procedure_id).or_insert_with(|| {
                (
                    Concerned {
                        procedure_id: candidate.procedure_id,
                        organisation_id: candidate.organisation_id,
                        organisation: candidate.organisation.clone(),
                        site: candidate.site.clone(),
                        procedure_date: candidate.procedure_date,
                        patient_pseudonym: candidate.patient_pseudonym.clone(),
                        outcome: MatchOutcome::NotAffected,
                        components: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            entry.1.push(outcome);
            entry.0.components.push(candidate);
        }
    }
    let mut records: Vec<Concerned> = by_record
        .into_values()
        .map(|(mut record, outcomes)| {
            record.outcome = combine(outcomes.into_iter());
            record
                .components
                .sort_by_key(|component| component.position);
            record
        })
        .collect();
    records.sort_by(|a, b| {
        (
            !a.is_affected(),
            &a.organisation,
            a.procedure_date,
            a.procedure_id,
        )
            .cmp(&(
                !b.is_affected(),
                &b.organisation,
                b.procedure_date,
                b.procedure_id,
            ))
    });
    Ok(records)
}

/// A component to check against the notices in force.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The caller's index for it (the component's position).
    pub index: usize,
    pub device_id: i64,
    pub facts: ComponentFacts,
}

/// A notice in force that concerns a component.
#[derive(Debug, Clone)]
pub struct Concern {
    pub index: usize,
    pub notice: Notice,
    pub version: StoredVersion,
    pub outcome: MatchOutcome,
}

/// The notices in force (published; also closed ones when `include_closed`) that concern any
/// of `components`.
pub async fn notices_concerning(
    connection: &mut impl Connection,
    components: &[Checked],
    include_closed: bool,
) -> ServiceResult<Vec<Concern>> {
    let mut device_ids: Vec<i64> = components.iter().map(|c| c.device_id).collect();
    device_ids.sort();
    device_ids.dedup();
    let criteria = notice_match::criteria_in_force(connection, &device_ids, include_closed).await?;
    let mut notice_ids: Vec<i64> = criteria.iter().map(|(notice, _)| *notice).collect();
    notice_ids.dedup();
    let mut versions: HashMap<i64, (Notice, StoredVersion)> = HashMap::new();
    for id in notice_ids {
        let notice = notices::get(connection, id)
            .await?
            .ok_or_else(|| ServiceError::internal("a criterion of a notice that does not exist"))?;
        let Some(number) = notice.status.version() else {
            continue;
        };
        if let Some(version) = notices::version(connection, &notice, number).await? {
            versions.insert(id, (notice, version));
        }
    }
    let mut concerns = Vec::new();
    let mut ids: Vec<&i64> = versions.keys().collect();
    ids.sort();
    for component in components {
        for id in &ids {
            let (notice, version) = &versions[*id];
            let names_device = criteria
                .iter()
                .any(|(n, criterion)| n == *id && criterion.device_id == component.device_id);
            if !names_device {
                continue;
            }
            let outcome = match_component(&version.content.scope, &component.facts);
            if outcome != MatchOutcome::NotAffected {
                concerns.push(Concern {
                    index: component.index,
                    notice: notice.clone(),
                    version: version.clone(),
                    outcome,
                });
            }
        }
    }
    Ok(concerns)
}
