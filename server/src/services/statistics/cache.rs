//! The statistics' in-memory state: every procedure's current version as analysis events
//! (a snapshot of one data version), and the analysis sets built from it, kept per (data
//! version, analysis date).
//!
//! Why this way: the figures need the whole registry (survival follows each patient's side
//! through time), and a national registry is a few million rows: reading them is the slow
//! part (seconds: it grows linearly, about 1.4 s per 100,000 procedures on SQLite), building a
//! set from memory takes a fraction of that, and asking a built set for a figure takes
//! milliseconds. So no page request reads the registry: the snapshot is loaded in the
//! background when the server starts ([`spawn_refresher`]), and again whenever the data
//! version (a counter in the database that every new procedure version moves on, whichever
//! server wrote it) has moved, with today's analysis set built before the new snapshot
//! replaces the old one. Meanwhile requests are answered from the previous snapshot, which
//! says when it was read ([`Loaded::read_at`]).
//!
//! Staleness: each server process checks the counter every [`REFRESH_EVERY`] and on every
//! request, so its figures lag a submission (made through it or through any other server on
//! the same database) by at most that interval plus one refresh (read and build). Only a
//! request that comes before the first snapshot after start waits for it, and, on a registry
//! small enough to be read in a moment (a clinic's own server, a demonstration), a request
//! that finds the data version moved waits up to [`FRESH_WAIT`] for the refresh it starts:
//! there, a clinician who has just sent a record sees it in the figures at once. A national
//! registry takes seconds to read, so its requests never wait (the page says when its
//! records were read).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::types::Timestamp;

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
    /// When the rows were read (the figures are as of then).
    pub read_at: Timestamp,
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
    let read_at = database.now();
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
        read_at,
    })
}

type SetKey = (i64, CalendarDate);

/// How often each server process looks whether the registry has changed.
pub const REFRESH_EVERY: Duration = Duration::from_secs(5);

/// How long a request waits for a refresh when the previous read took at most half of it.
pub const FRESH_WAIT: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct StatisticsCache {
    /// The snapshot requests are answered from.
    snapshot: Mutex<Option<Arc<Loaded>>>,
    /// Held while a snapshot is read: one read at a time.
    loading: tokio::sync::Mutex<()>,
    /// The data version of the snapshot answered from, for requests waiting for a refresh.
    answered_version: tokio::sync::watch::Sender<i64>,
    /// Most recently used last.
    sets: Mutex<Vec<(SetKey, Arc<AnalysisSet>)>>,
    /// One build at a time: a build is CPU work on the blocking pool.
    building: tokio::sync::Mutex<()>,
}

/// Loads the first snapshot at once, then refreshes it every [`REFRESH_EVERY`] whenever the
/// data version has moved or the day has changed, for as long as the process runs.
pub fn spawn_refresher(cache: Arc<StatisticsCache>, database: Database) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = cache.refresh(&database).await {
                tracing::warn!(%error, "statistics: refresh failed; the previous figures stay");
            }
            tokio::time::sleep(REFRESH_EVERY).await;
        }
    });
}

impl StatisticsCache {
    fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(|poison| poison.into_inner())
    }

    /// The snapshot requests are answered from, if one has been read.
    pub fn snapshot(&self) -> Option<Arc<Loaded>> {
        Self::lock(&self.snapshot).clone()
    }

    /// The snapshot to answer from: the latest one read, even if the data version has moved
    /// since (a refresh then starts in the background). Waits when none has been read yet
    /// (just after start), and up to [`FRESH_WAIT`] for the refresh when reading is quick.
    pub async fn current(self: &Arc<Self>, database: &Database) -> ServiceResult<Arc<Loaded>> {
        let Some(snapshot) = self.snapshot() else {
            return self.refresh(database).await;
        };
        let version = stored::data_version(&mut database.read().await?).await?;
        if version == snapshot.version {
            return Ok(snapshot);
        }
        let mut answered = self.answered_version.subscribe();
        self.refresh_in_background(database);
        if snapshot.took <= FRESH_WAIT / 2 {
            let refreshed = answered.wait_for(|&answered| answered >= version);
            if let Ok(Ok(_)) = tokio::time::timeout(FRESH_WAIT, refreshed).await
                && let Some(fresh) = self.snapshot()
            {
                return Ok(fresh);
            }
        }
        Ok(snapshot)
    }

    /// Starts a refresh unless one is under way.
    fn refresh_in_background(self: &Arc<Self>, database: &Database) {
        if self.loading.try_lock().is_err() {
            return;
        }
        let (cache, database) = (self.clone(), database.clone());
        tokio::spawn(async move {
            if let Err(error) = cache.refresh(&database).await {
                tracing::warn!(%error, "statistics: refresh failed; the previous figures stay");
            }
        });
    }

    /// Reads a new snapshot if the data version has moved (or none was read), builds today's
    /// analysis set from it, then answers from it; returns the snapshot now current.
    pub async fn refresh(&self, database: &Database) -> ServiceResult<Arc<Loaded>> {
        let _loading = self.loading.lock().await;
        let version = stored::data_version(&mut database.read().await?).await?;
        let today = database.now().day();
        let fresh = match self.snapshot() {
            Some(snapshot) if snapshot.version == version => snapshot,
            _ => {
                // The version is read before the rows, so the rows are at least that new: at
                // worst a submission committed in between makes the next refresh read again.
                let fresh = Arc::new(load(database, version).await?);
                tracing::info!(
                    procedures = fresh.events.len(),
                    version,
                    took_ms = fresh.took.as_millis() as u64,
                    "statistics: registry read"
                );
                fresh
            }
        };
        // Today's set is ready before the snapshot is answered from.
        self.set_for(&fresh, today).await?;
        let replaced = {
            let mut snapshot = Self::lock(&self.snapshot);
            let replaced = snapshot.as_ref().map(|old| old.version) != Some(fresh.version);
            *snapshot = Some(fresh.clone());
            replaced
        };
        self.answered_version.send_replace(fresh.version);
        if replaced {
            Self::lock(&self.sets).retain(|((version, _), _)| *version == fresh.version);
        }
        Ok(fresh)
    }

    fn cached_set(&self, key: SetKey) -> Option<Arc<AnalysisSet>> {
        let mut sets = Self::lock(&self.sets);
        let position = sets.iter().position(|(cached, _)| *cached == key)?;
        let entry = sets.remove(position);
        let set = entry.1.clone();
        sets.push(entry);
        Some(set)
    }

    /// Whether the set for this analysis date is ready (no build needed).
    pub fn has_set(&self, version: i64, as_of: CalendarDate) -> bool {
        Self::lock(&self.sets)
            .iter()
            .any(|(key, _)| *key == (version, as_of))
    }

    /// The analysis set of `loaded` as of `as_of`, built if needed.
    async fn set_for(
        &self,
        loaded: &Arc<Loaded>,
        as_of: CalendarDate,
    ) -> ServiceResult<Arc<AnalysisSet>> {
        let key = (loaded.version, as_of);
        if let Some(set) = self.cached_set(key) {
            return Ok(set);
        }
        let _building = self.building.lock().await;
        if let Some(set) = self.cached_set(key) {
            return Ok(set);
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
        let mut sets = Self::lock(&self.sets);
        if sets.len() >= SETS_KEPT {
            sets.remove(0);
        }
        sets.push((key, set.clone()));
        Ok(set)
    }

    /// The analysis set of the snapshot answered from, as of `as_of` (today's is built
    /// before a snapshot is answered from; another day's is built on first use).
    pub async fn analysis(
        self: &Arc<Self>,
        database: &Database,
        as_of: CalendarDate,
    ) -> ServiceResult<(Arc<Loaded>, Arc<AnalysisSet>)> {
        let loaded = self.current(database).await?;
        let set = self.set_for(&loaded, as_of).await?;
        Ok((loaded, set))
    }
}
