//! The real server binary as a child process: started on a fixed loopback port, killed with
//! SIGKILL (as a power cut or the OOM killer would), stopped with SIGTERM, restarted with the
//! same data folder and database. For the tests that prove nothing accepted is lost.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `mdis-server` binary Cargo built for these tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_mdis-server");

/// The global flags that point a server (or one of its subcommands) at one registry.
pub fn registry_flags(data_dir: &Path, database_url: Option<&str>) -> Vec<String> {
    let mut flags = vec![
        "--data-dir".to_string(),
        data_dir.display().to_string(),
        "--dist-dir".to_string(),
        data_dir.join("no-app").display().to_string(),
        "--dev-mail".to_string(),
    ];
    if let Some(url) = database_url {
        flags.extend(["--database-url".to_string(), url.to_string()]);
    }
    flags
}

/// A loopback port nothing listens on just now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

pub struct Portal {
    flags: Vec<String>,
    pub port: u16,
    log: PathBuf,
    child: Option<Child>,
}

impl Portal {
    /// Starts a server with `flags` on a free port and waits until it answers.
    pub async fn start(flags: Vec<String>, log: PathBuf) -> Portal {
        let mut portal = Portal {
            flags,
            port: free_port(),
            log,
            child: None,
        };
        portal.restart().await;
        portal
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the server wrote to its log so far (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("a running server").id()
    }

    /// Starts the server again (same flags, same port) and waits until it answers.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        let mut child = Command::new(BINARY)
            .args(&self.flags)
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .env("MDIS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mdis-server");
        // Through pipes, as a service manager collects logs: a file-size limit put on the
        // server (the full-disk test) does not stop its log from reaching the test.
        copy_to_log(child.stdout.take().expect("piped stdout"), &self.log);
        copy_to_log(child.stderr.take().expect("piped stderr"), &self.log);
        self.child = Some(child);
        self.wait_until_ready().await;
    }

    async fn wait_until_ready(&mut self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(response) = client.get(self.url("/healthz")).send().await
                && response.status().is_success()
            {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "mdis-server exited at start ({status}); its log:\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "mdis-server did not answer within a minute"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: no shutdown code runs, whatever was in flight is cut off.
    pub fn kill(&mut self) {
        let mut child = self.child.take().expect("a running server");
        child.kill().expect("kill -9 the server");
        child.wait().expect("reap the killed server");
    }

    /// SIGTERM and wait: the graceful shutdown (the audit chain is anchored on the way out).
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "SIGTERM the server");
        let status = child.wait().expect("wait for the server to stop");
        assert!(status.success(), "the server stopped with {status}");
    }
}

fn copy_to_log(mut from: impl std::io::Read + Send + 'static, log: &Path) {
    let mut to = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("open the server log");
    std::thread::spawn(move || std::io::copy(&mut from, &mut to));
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs an `mdis-server` subcommand against the registry: whether it succeeded, and its output.
pub fn try_subcommand(flags: &[String], subcommand: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(flags)
        .args(subcommand)
        .env("MDIS_LOG", "warn")
        .output()
        .expect("run mdis-server");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Runs an `mdis-server` subcommand against the registry; its output, or a panic with it.
pub fn run_subcommand(flags: &[String], subcommand: &[&str]) -> String {
    let (succeeded, text) = try_subcommand(flags, subcommand);
    assert!(succeeded, "mdis-server {subcommand:?} failed:\n{text}");
    text
}
