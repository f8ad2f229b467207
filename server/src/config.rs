//! Typed configuration: command-line flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
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
}
