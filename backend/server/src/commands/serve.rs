//! `mrdp all|portal|idp|transfer|graph`: run services until a signal arrives.

use crate::config::{Config, service_key};
use crate::deployment::{Deployment, Role};
use mrdp_shared::ServiceName;
use std::process::ExitCode;

/// Starts the services of `role`, prints where they listen, and stops them gracefully on
/// SIGINT or SIGTERM.
pub async fn run(config: &Config, role: Role) -> anyhow::Result<ExitCode> {
    let mut signals = ShutdownSignals::install()?;
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
    } else if let Some(work) = role.worker_of() {
        println!("mrdp: ready, a {work} worker");
    } else {
        println!("mrdp: ready");
    }
    let outcome = tokio::select! {
        signal = signals.received() => signal.map(|name| tracing::info!(signal = name, "shutting down")),
        exited = deployment.any_server_exit() => exited,
    };
    deployment.stop().await;
    outcome.map(|()| ExitCode::SUCCESS)
}

/// SIGINT and SIGTERM, listened for from before the services start: a signal that arrives just
/// after "ready" must stop them gracefully, not kill the process.
#[cfg(unix)]
struct ShutdownSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl ShutdownSignals {
    fn install() -> anyhow::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn received(&mut self) -> anyhow::Result<&'static str> {
        tokio::select! {
            _ = self.interrupt.recv() => Ok("SIGINT"),
            _ = self.terminate.recv() => Ok("SIGTERM"),
        }
    }
}

#[cfg(not(unix))]
struct ShutdownSignals;

#[cfg(not(unix))]
impl ShutdownSignals {
    fn install() -> anyhow::Result<Self> {
        Ok(Self)
    }

    async fn received(&mut self) -> anyhow::Result<&'static str> {
        tokio::signal::ctrl_c().await?;
        Ok("Ctrl-C")
    }
}
