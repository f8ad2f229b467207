//! `mdis-server synthetic --procedures N --seed S [--until YYYY-MM-DD]`: fills an empty
//! database with a synthetic registry and says how long it took.

use domain::calendar::CalendarDate;

use crate::config::Config;
use crate::synthetic::{self, Plan};

pub async fn run(
    config: &Config,
    procedures: u64,
    seed: u64,
    until: Option<&str>,
) -> Result<(), String> {
    let state = super::open_state(config).await?;
    let end = match until {
        Some(text) => CalendarDate::from_iso(text.trim())
            .ok_or_else(|| format!("--until {text:?} is not a date such as 2026-11-30"))?,
        None => state.database.now().day(),
    };
    println!(
        "Filling the registry with {procedures} synthetic procedures (seed {seed}, ending {})…",
        end.to_iso()
    );
    let summary = synthetic::fill(
        &state.database,
        &Plan {
            procedures,
            seed,
            end,
        },
    )
    .await
    .map_err(|error| error.to_string())?;
    println!(
        "Done in {:.1} s: {} procedures ({} primaries, {} revisions and removals) in {} clinics, {} devices in the register.",
        summary.elapsed.as_secs_f64(),
        summary.procedures,
        summary.primaries,
        summary.revisions_and_removals,
        summary.clinics,
        summary.devices,
    );
    Ok(())
}
