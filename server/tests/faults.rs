//! Nothing accepted is lost or duplicated when the server dies: the real `mdis-server` binary
//! under many concurrent clients, killed with SIGKILL at random points and restarted, the
//! clients retrying (same idempotency key) whatever got no answer. Then every answered
//! submission is in the database exactly once and the audit chain verifies. On PostgreSQL two
//! servers share the database, as a deployment behind a load balancer would. Also: a full
//! disk (SQLite) and the PostgreSQL server restarted under the portal answer 503 and recover
//! without restarting the portal.
//!
//! Runs on SQLite by default, on PostgreSQL under `scripts/with-postgres`. Prints its counts
//! (`cargo test -p server --test faults -- --nocapture`).

#[path = "support/database.rs"]
mod database;
#[path = "support/load.rs"]
mod load;
#[path = "support/portal.rs"]
mod portal;
#[path = "support/registry.rs"]
mod registry;

mod faults {
    mod backup;
    mod disk_full;
    mod kills;
    mod postgres_restart;
}
