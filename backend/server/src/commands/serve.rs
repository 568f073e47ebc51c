//! `mrdp all|portal|idp|transfer|graph`: run services until a signal arrives.

use crate::config::{Config, service_key};
use crate::deployment::{Deployment, Role};
use mrdp_shared::ServiceName;
use std::process::ExitCode;

/// Starts the services of `role`, prints where they listen, and stops them gracefully on
/// SIGINT or SIGTERM.
pub async fn run(config: &Config, role: Role) -> anyhow::Result<ExitCode> {
    let mut deployment = Deployment::start(config, role).await?;
    // One line per service on stdout (logs go to stderr): scripts and the e2e tests read these.
    for (service, url) in deployment.running() {
        println!("mrdp: {:<9} {url}", service_key(service));
    }
    let demo = deployment.demo_credentials();
    if !demo.users.is_empty() {
        let path = config.data_dir.join("demo-credentials.toml");
        println!(
            "mrdp: demo sign-in (shown once, kept in {}):",
            path.display()
        );
        for user in &demo.users {
            println!("mrdp:   {}  password {}", user.username, user.password);
        }
    }
    if role.services().contains(&ServiceName::Portal) {
        println!(
            "mrdp: ready, open {} in a browser",
            deployment.url(ServiceName::Portal)
        );
    }
    let outcome = tokio::select! {
        signal = shutdown_signal() => signal.map(|name| tracing::info!(signal = name, "shutting down")),
        exited = deployment.any_server_exit() => exited,
    };
    deployment.stop().await;
    outcome.map(|()| ExitCode::SUCCESS)
}

#[cfg(unix)]
async fn shutdown_signal() -> anyhow::Result<&'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        interrupted = tokio::signal::ctrl_c() => interrupted.map(|()| "SIGINT").map_err(Into::into),
        _ = terminate.recv() => Ok("SIGTERM"),
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() -> anyhow::Result<&'static str> {
    tokio::signal::ctrl_c().await?;
    Ok("Ctrl-C")
}
