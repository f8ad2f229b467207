//! The statistics' in-memory state: every procedure's current version as analysis events,
//! loaded once per data version, and the analysis sets built from them, kept per (data
//! version, analysis date).
//!
//! Why this way: the figures need the whole registry (survival follows each patient's side
//! through time), and a national registry is a few million rows: reading them is the slow
//! part (seconds), building a set from memory takes a fraction of that, and asking a built set
//! for a figure takes milliseconds. The data version (a counter in the database that every
//! new procedure version moves on, whichever server wrote it) is read on every request: one
//! row. When it has moved, the events are read again (one request does it; the others wait
//! for it) and the sets built from older data are dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::calendar::CalendarDate;
use domain::statistics::{
    AnalysisSet, ClinicKey, ComponentTally, DeviceKey, PatientKey, ProcedureEvent,
};

use crate::db::{Database, statistics as stored};
use crate::services::error::{ServiceError, ServiceResult};

use app::api::statistics::DeviceName;

/// Analysis sets kept (different analysis dates); the least recently used goes first.
const SETS_KEPT: usize = 4;

/// The registry in memory, as of one data version.
pub struct Loaded {
    pub version: i64,
    pub events: Vec<ProcedureEvent>,
    /// Each device key's identifier.
    devices: Vec<String>,
    keys: HashMap<String, DeviceKey>,
    /// The register's name and maker of each device identifier it knows.
    names: HashMap<String, (String, String)>,
    pub took: Duration,
}

impl Loaded {
    pub fn key_of(&self, device_identifier: &str) -> Option<DeviceKey> {
        self.keys.get(device_identifier).copied()
    }

    pub fn identifier(&self, key: DeviceKey) -> &str {
        &self.devices[key.0 as usize]
    }

    pub fn name(&self, key: DeviceKey) -> DeviceName {
        self.name_of(self.identifier(key))
    }

    pub fn name_of(&self, device_identifier: &str) -> DeviceName {
        let known = self.names.get(device_identifier);
        DeviceName {
            device_identifier: device_identifier.to_string(),
            name: known.map(|(name, _)| name.clone()),
            manufacturer: known.map(|(_, maker)| maker.clone()),
        }
    }

    /// Whether the register knows the identifier (even if no procedure uses it).
    pub fn in_register(&self, device_identifier: &str) -> bool {
        self.names.contains_key(device_identifier)
    }
}

/// Reads every procedure's current version into analysis events.
async fn load(database: &Database, version: i64) -> ServiceResult<Loaded> {
    let started = Instant::now();
    let mut connection = database.read().await?;
    let mut events = Vec::new();
    let mut devices: Vec<String> = Vec::new();
    let mut keys: HashMap<String, DeviceKey> = HashMap::new();
    // Pseudonyms are 64 hex digits of a keyed pseudorandom function: their first 128 bits
    // tell patients apart (a collision among a few million is a 1-in-10²⁶ chance).
    let mut patients: HashMap<u128, PatientKey> = HashMap::new();
    stored::for_each_analysis_row(&mut connection, |row| -> ServiceResult<()> {
        let patient = match row.patient_pseudonym.as_deref() {
            None => None,
            Some(pseudonym) => {
                let bits = pseudonym
                    .get(..32)
                    .and_then(|head| u128::from_str_radix(head, 16).ok())
                    .ok_or_else(|| {
                        ServiceError::internal(format!(
                            "procedure {} has a pseudonym that is not hexadecimal",
                            row.procedure_id
                        ))
                    })?;
                let next = PatientKey(patients.len() as u64);
                Some(*patients.entry(bits).or_insert(next))
            }
        };
        let mut event_devices = Vec::new();
        for identifier in row.device_identifiers.iter().flat_map(|all| all.split(';')) {
            let key = match keys.get(identifier) {
                Some(key) => *key,
                None => {
                    let key = DeviceKey(devices.len() as u32);
                    devices.push(identifier.to_string());
                    keys.insert(identifier.to_string(), key);
                    key
                }
            };
            event_devices.push(key);
        }
        let small = |count: i64| u16::try_from(count).map_err(ServiceError::internal);
        events.push(ProcedureEvent {
            procedure_id: row.procedure_id,
            patient,
            date: row.procedure_date,
            kind: row.procedure_type,
            body_site: row.body_site,
            laterality: row.laterality,
            clinic: ClinicKey(u32::try_from(row.organisation_id).map_err(ServiceError::internal)?),
            devices: event_devices,
            components: ComponentTally {
                recorded: small(row.components)?,
                matched_to_register: small(row.matched_to_register)?,
                with_lot_or_serial: small(row.with_lot_or_serial)?,
            },
        });
        Ok(())
    })
    .await?;
    let names = stored::register_names(&mut connection)
        .await?
        .into_iter()
        .map(|entry| (entry.device_identifier, (entry.name, entry.manufacturer)))
        .collect();
    Ok(Loaded {
        version,
        events,
        devices,
        keys,
        names,
        took: started.elapsed(),
    })
}

type SetKey = (i64, CalendarDate);

#[derive(Default)]
pub struct StatisticsCache {
    /// Held while loading, so that one request loads and the others wait for it.
    loaded: tokio::sync::Mutex<Option<Arc<Loaded>>>,
    /// Most recently used last.
    sets: Mutex<Vec<(SetKey, Arc<AnalysisSet>)>>,
    /// One build at a time: a build is CPU work on the blocking pool.
    building: tokio::sync::Mutex<()>,
}

impl StatisticsCache {
    /// The events of the database's current data version.
    pub async fn current(&self, database: &Database) -> ServiceResult<Arc<Loaded>> {
        let version = stored::data_version(&mut database.read().await?).await?;
        let mut loaded = self.loaded.lock().await;
        if let Some(current) = loaded.as_ref().filter(|current| current.version == version) {
            return Ok(current.clone());
        }
        // The version is read before the rows, so the rows are at least that new: at worst a
        // submission committed in between makes the next request load again.
        let fresh = Arc::new(load(database, version).await?);
        tracing::info!(
            procedures = fresh.events.len(),
            version,
            took_ms = fresh.took.as_millis() as u64,
            "statistics: registry loaded"
        );
        *loaded = Some(fresh.clone());
        Ok(fresh)
    }

    fn cached_set(&self, key: SetKey) -> Option<Arc<AnalysisSet>> {
        let mut sets = self
            .sets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let position = sets.iter().position(|(cached, _)| *cached == key)?;
        let entry = sets.remove(position);
        let set = entry.1.clone();
        sets.push(entry);
        Some(set)
    }

    /// Whether the set for this analysis date is ready (no build needed).
    pub fn has_set(&self, version: i64, as_of: CalendarDate) -> bool {
        let sets = self
            .sets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        sets.iter().any(|(key, _)| *key == (version, as_of))
    }

    /// The analysis set of the current data as of `as_of`, built if needed.
    pub async fn analysis(
        &self,
        database: &Database,
        as_of: CalendarDate,
    ) -> ServiceResult<(Arc<Loaded>, Arc<AnalysisSet>)> {
        let loaded = self.current(database).await?;
        let key = (loaded.version, as_of);
        if let Some(set) = self.cached_set(key) {
            return Ok((loaded, set));
        }
        let _building = self.building.lock().await;
        if let Some(set) = self.cached_set(key) {
            return Ok((loaded, set));
        }
        let events = loaded.clone();
        let started = Instant::now();
        let set = tokio::task::spawn_blocking(move || AnalysisSet::build(&events.events, as_of))
            .await
            .map_err(ServiceError::internal)?;
        tracing::info!(
            as_of = %as_of.to_iso(),
            took_ms = started.elapsed().as_millis() as u64,
            "statistics: analysis set built"
        );
        let set = Arc::new(set);
        let mut sets = self
            .sets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        sets.retain(|((version, _), _)| *version == loaded.version);
        if sets.len() >= SETS_KEPT {
            sets.remove(0);
        }
        sets.push((key, set.clone()));
        Ok((loaded, set))
    }
}
