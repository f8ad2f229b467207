//! Typed configuration: command-line flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The Implant Registry portal's server.
#[derive(Debug, Clone, Parser)]
#[command(name = "mdis-server", version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "MDIS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder for the server's own files: the SQLite database (unless --database-url says
    /// otherwise) and the pseudonymisation key.
    #[arg(long, env = "MDIS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database to use, e.g. `sqlite:///var/lib/mdis/mdis.db`. Defaults to `mdis.sqlite3` in
    /// the data folder.
    #[arg(long, env = "MDIS_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Folder holding the built browser app (Trunk's output).
    #[arg(long, env = "MDIS_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// Log line format: `text` for people, `json` for log collectors.
    #[arg(long, env = "MDIS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Write log lines to this file (appending) instead of standard output.
    #[arg(long, env = "MDIS_LOG_FILE")]
    pub log_file: Option<PathBuf>,

    /// The address people use to reach the portal, for links in emails, e.g.
    /// `https://implants.example.org`. Defaults to `http://<listen>`.
    #[arg(long, env = "MDIS_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// SMTP server for account emails, e.g. `smtps://user:password@mail.example.org:465`.
    /// Required, unless `--dev-mail` (or `--demo`) says emails may go to the log instead.
    #[arg(long, env = "MDIS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Development only: without an SMTP server, write emails (and their single-use links) to
    /// the log and show invitation links to whoever invites. Never in production.
    #[arg(long, env = "MDIS_DEV_MAIL")]
    pub dev_mail: bool,

    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose `X-Forwarded-For`
    /// is believed: the client's address is then the last one before a trusted hop.
    /// Without it, the connecting address is the client's.
    #[arg(long, env = "MDIS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// Host names (with port where not the default) this portal answers to, comma-separated;
    /// requests naming another `Host` are refused. Defaults to the host of `--public-url`;
    /// without either, any host is accepted (development).
    #[arg(long, env = "MDIS_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// The sender of account emails.
    #[arg(
        long,
        env = "MDIS_MAIL_FROM",
        default_value = "Implant Registry <no-reply@implant-registry.invalid>"
    )]
    pub mail_from: String,

    /// The pseudonymisation (OPRF) secret key file. Created if missing. Keep it outside the
    /// database's backups: whoever holds both can link pseudonyms to NHS numbers.
    #[arg(long, env = "MDIS_PSEUDONYM_KEY_FILE")]
    pub pseudonym_key_file: Option<PathBuf>,

    /// Minutes without activity after which a session ends.
    #[arg(long, env = "MDIS_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,

    /// Hours after sign-in after which a session ends, active or not.
    #[arg(long, env = "MDIS_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,

    /// SQLite: at most this many queued writers share one durable commit (1: each commits
    /// alone). Nobody is answered before the commit holding their write is on disk.
    #[arg(long, env = "MDIS_SQLITE_GROUP_COMMIT", default_value_t = crate::db::GROUP_COMMIT_WRITERS)]
    pub sqlite_group_commit: usize,

    /// Create a demo organisation with one account of each role, if the database has no
    /// accounts yet, and print their sign-in details. Never in production.
    #[arg(long, env = "MDIS_DEMO")]
    pub demo: bool,

    /// End-to-end tests only, and only with `--demo`: lets `POST /test/clock/advance` move
    /// the server's clock on (for a fresh authenticator time step without waiting).
    #[arg(long, env = "MDIS_TEST_CLOCK", hide = true)]
    pub test_clock: bool,
    /// With --demo: also fill the registry with this many synthetic procedures (seed 14, up to
    /// today) in synthetic clinics, if it holds no procedures yet, so that the statistics
    /// pages have figures. Never in production.
    #[arg(long, env = "MDIS_DEMO_REGISTRY", default_value_t = 0)]
    pub demo_registry: u64,
    /// The registry helpdesk's email address, shown on the contact page and wherever people
    /// are told to ask for help.
    #[arg(long, env = "MDIS_HELPDESK_EMAIL")]
    pub helpdesk_email: Option<String>,

    /// The registry helpdesk's telephone number.
    #[arg(long, env = "MDIS_HELPDESK_PHONE")]
    pub helpdesk_phone: Option<String>,

    /// The password for every demo account (random if not given).
    #[arg(long, env = "MDIS_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Published statistics: counts of people or procedures from this …
    #[arg(long, env = "MDIS_STATISTICS_SUPPRESS_FROM", default_value_t = 1)]
    pub statistics_suppress_from: u64,

    /// … to this are shown as a range ("1–7"), not the number.
    #[arg(long, env = "MDIS_STATISTICS_SUPPRESS_TO", default_value_t = 7)]
    pub statistics_suppress_to: u64,

    /// Published statistics: other counts are rounded to the nearest multiple of this.
    #[arg(long, env = "MDIS_STATISTICS_ROUND_TO", default_value_t = 5)]
    pub statistics_round_to: u64,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Create a registry administrator and print their invitation link (first run).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Check the audit trail's hash chain; exits with status 1 at the first broken link.
    VerifyAudit,
    /// Import a GUDID release (device.txt and identifiers.txt) or the register's CSV into the
    /// device register, and print what each row did.
    ImportDevices {
        #[arg(required = true, num_args = 1..=2)]
        files: Vec<PathBuf>,
    },
    /// Fill an empty database with a synthetic registry (for demonstrations, tests and
    /// benchmarks): the same seed and end date always give the same data.
    Synthetic {
        /// Procedures in all (primaries, revisions and removals).
        #[arg(long)]
        procedures: u64,
        #[arg(long, default_value_t = 14)]
        seed: u64,
        /// The last day of procedures (YYYY-MM-DD); today if not given.
        #[arg(long)]
        until: Option<String>,
    },
    /// Write the pseudonymised, event-level analysis data (one row per procedure) to a new
    /// CSV file, for analysts. Recorded in the audit trail.
    Extract {
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a consistent copy of the database to a new file while the portal runs
    /// (SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump --format=custom`). The keys folder is not
    /// in it: back that up separately.
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Put a backup made by `backup` in place of the database (SQLite: with the portal
    /// stopped; PostgreSQL: into the empty database `--database-url` names), then check its
    /// audit trail and start a new anchors file from it.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Where links in emails point.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// The address to print where people must type it (implant cards): the configured public
    /// URL, never a loopback address (which only works on the server itself). `None` when no
    /// public address is configured.
    pub fn printable_public_url(&self) -> Option<String> {
        let url = self.public_url.as_deref()?.trim().trim_end_matches('/');
        let host = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = host.split(['/', ':']).next().unwrap_or("");
        let loopback = host == "localhost"
            || host.starts_with("127.")
            || host == "[::1]"
            || host.is_empty()
            || host == "0.0.0.0";
        (!loopback).then(|| url.to_string())
    }

    /// What every page may show about this registry.
    pub fn site_info(&self) -> app::api::status::SiteInfo {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        app::api::status::SiteInfo {
            demo: self.demo,
            helpdesk: app::api::status::Helpdesk {
                email: given(&self.helpdesk_email),
                phone: given(&self.helpdesk_phone),
            },
            session_idle_minutes: self.session_idle_minutes,
            session_absolute_hours: self.session_absolute_hours,
        }
    }

    /// The folder of the server's own keys (mode 0700).
    pub fn keys_dir(&self) -> PathBuf {
        self.data_dir.join("keys")
    }

    /// The file holding the key that encrypts second-factor secrets and other sealed values.
    pub fn account_key_path(&self) -> PathBuf {
        self.keys_dir().join("account.key")
    }

    /// The file holding the key that chains the audit trail.
    pub fn audit_key_path(&self) -> PathBuf {
        self.keys_dir().join("audit.key")
    }

    /// The append-only file of audit trail heads.
    pub fn audit_anchors_path(&self) -> PathBuf {
        self.keys_dir().join("audit-anchors.jsonl")
    }

    /// The hosts requests may name: the configured ones, or the public URL's.
    pub fn hosts_allowed(&self) -> Vec<String> {
        if !self.allowed_hosts.is_empty() {
            return self
                .allowed_hosts
                .iter()
                .map(|host| host.trim().to_lowercase())
                .filter(|host| !host.is_empty())
                .collect();
        }
        self.public_url
            .as_deref()
            .and_then(|url| url.split_once("://"))
            .map(|(_, rest)| rest.split('/').next().unwrap_or("").to_lowercase())
            .into_iter()
            .filter(|host| !host.is_empty())
            .collect()
    }

    /// The disclosure-control thresholds of published statistics.
    pub fn disclosure_control(&self) -> domain::statistics::DisclosureControl {
        domain::statistics::DisclosureControl {
            suppress_from: self.statistics_suppress_from,
            suppress_to: self.statistics_suppress_to,
            round_to: self.statistics_round_to,
        }
    }

    pub fn pseudonym_key_path(&self) -> PathBuf {
        self.pseudonym_key_file
            .clone()
            .unwrap_or_else(|| self.keys_dir().join("pseudonym.key"))
    }

    /// The database URL to connect to: the explicit one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("mdis.sqlite3").display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_loopback_8080_with_sqlite_in_the_data_folder() {
        let config = Config::try_parse_from(["mdis-server"]).unwrap();
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.database_url(), "sqlite://data/mdis.sqlite3");
    }

    #[test]
    fn flags_override_defaults() {
        let config = Config::try_parse_from([
            "mdis-server",
            "--listen",
            "0.0.0.0:9000",
            "--data-dir",
            "/srv/mdis",
        ])
        .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.database_url(), "sqlite:///srv/mdis/mdis.sqlite3");
    }

    #[test]
    fn cards_never_print_a_loopback_address() {
        let parse = |args: &[&str]| {
            Config::try_parse_from([&["mdis-server"], args].concat())
                .unwrap()
                .printable_public_url()
        };
        assert_eq!(parse(&[]), None);
        assert_eq!(parse(&["--public-url", "http://127.0.0.1:8080"]), None);
        assert_eq!(parse(&["--public-url", "http://localhost:8080/"]), None);
        assert_eq!(
            parse(&["--public-url", "https://implants.example.org/"]).as_deref(),
            Some("https://implants.example.org")
        );
    }

    #[test]
    fn allowed_hosts_default_to_the_public_url() {
        let config = Config::try_parse_from([
            "mdis-server",
            "--public-url",
            "https://Implants.Example.org/",
        ])
        .unwrap();
        assert_eq!(config.hosts_allowed(), ["implants.example.org"]);
        let listed = Config::try_parse_from([
            "mdis-server",
            "--allowed-hosts",
            "a.example.org, b.example.org:8443",
        ])
        .unwrap();
        assert_eq!(
            listed.hosts_allowed(),
            ["a.example.org", "b.example.org:8443"]
        );
        assert!(
            Config::try_parse_from(["mdis-server"])
                .unwrap()
                .hosts_allowed()
                .is_empty()
        );
    }
}
