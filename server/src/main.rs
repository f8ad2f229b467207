use std::process::ExitCode;

use clap::Parser;
use server::cli::open_state as open;
use server::config::{Command, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    server::telemetry::init(config.log_format, config.log_file.as_deref());
    let outcome = match config.command.clone() {
        None | Some(Command::Serve) => server::run(config).await.map_err(|error| error.to_string()),
        Some(Command::CreateAdmin { email, name }) => create_admin(&config, &email, &name).await,
        Some(Command::VerifyAudit) => verify_audit(&config).await,
        Some(Command::Backup { out }) => server::cli::backup::backup(&config, &out).await,
        Some(Command::Restore { from }) => server::cli::backup::restore(&config, &from).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped on an error");
            ExitCode::FAILURE
        }
    }
}

async fn create_admin(config: &Config, email: &str, name: &str) -> Result<(), String> {
    let state = open(config).await?;
    let link = server::seed::create_admin(&state, email, name)
        .await
        .map_err(|error| error.to_string())?;
    println!(
        "Registry administrator {email} created. They choose a password and set up an authenticator here:\n{link}"
    );
    Ok(())
}

async fn verify_audit(config: &Config) -> Result<(), String> {
    let state = open(config).await?;
    let report = server::audit::verify(&state.database, Some(&state.anchors))
        .await
        .map_err(|error| error.to_string())?;
    match report.first_broken {
        None => {
            println!(
                "Audit trail intact: {} entries checked, against {} anchors kept in {}.",
                report.entries_checked,
                report.anchors_checked,
                state.anchors.path().display()
            );
            Ok(())
        }
        Some(broken) => Err(format!(
            "audit trail broken at entry {}: {} ({} entries before it are intact)",
            broken.entry_id, broken.reason, report.entries_checked
        )),
    }
}
