//! `mrdp healthcheck`: ask a running portal for the health of every service.

use crate::config::Config;
use anyhow::Context;
use mrdp_shared::{HealthReport, HealthStatus};
use std::process::ExitCode;
use std::time::Duration;

/// Prints the portal's health report; exit status 0 only when every service is ok.
pub async fn run(config: &Config, url: Option<String>) -> anyhow::Result<ExitCode> {
    let base = url.unwrap_or_else(|| {
        crate::service_urls::local_url(config, mrdp_shared::ServiceName::Portal)
    });
    let endpoint = format!("{}/api/health", base.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let report: HealthReport = client
        .get(&endpoint)
        .send()
        .await
        .with_context(|| format!("no answer from {endpoint}"))?
        .error_for_status()?
        .json()
        .await
        .with_context(|| format!("{endpoint} did not answer a health report"))?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(match report.status {
        HealthStatus::Ok => ExitCode::SUCCESS,
        HealthStatus::Degraded | HealthStatus::Down => ExitCode::FAILURE,
    })
}
