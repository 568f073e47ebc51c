//! `make bench`: performance figures of a real deployment, each next to a baseline measured in
//! the same run on the same machine, so that the ratio means something whatever the machine.
//!
//! Identity provider:
//! - a full sign-in code flow (authorize → sign-in page → consent already given → code → token)
//!   against one `GET /health` round trip;
//! - token introspections per second against `GET /health` requests per second, both with the
//!   same concurrency.

mod code_flow;
mod load;

use anyhow::Context;
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_shared::ServiceName;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir().context("a data directory")?;
    let mut config = Config::for_tests(data.path(), data.path(), None);
    config.workers = 2;
    let deployment = Deployment::start(&config, Role::All).await?;
    let idp = deployment.url(ServiceName::Idp).to_owned();
    let portal = deployment.url(ServiceName::Portal).to_owned();
    let alice = deployment
        .demo_credentials()
        .users
        .first()
        .context("a demo user")?
        .clone();
    let credentials = |name: &str| {
        mrdp_idp::bootstrap::read_credentials(
            &data.path().join(format!("secrets/clients/{name}.toml")),
        )
    };
    let portal_client = credentials(mrdp_idp::bootstrap::PORTAL_CLIENT)?;
    let callback = format!("{portal}/api/auth/callback");

    println!("MRDP bench (medians of several runs; ratios against baselines taken now)");
    let flow = code_flow::CodeFlow {
        idp: &idp,
        callback: &callback,
        client: &portal_client,
        username: &alice.username,
        password: &alice.password,
    };
    let (flow_ms, health_ms) = flow.measure(25).await?;
    println!(
        "idp  full code flow (authorize, sign-in, code, token)  {flow_ms:8.2} ms   GET /health {health_ms:6.2} ms   ratio {:.1}",
        flow_ms / health_ms
    );

    let token = flow.client_token().await?;
    let (introspections, healths) = load::compare(
        &idp,
        &portal_client,
        &token,
        16,
        std::time::Duration::from_secs(4),
    )
    .await?;
    println!(
        "idp  introspections/s {introspections:8.0}   GET /health/s {healths:8.0}   ratio {:.2}",
        introspections / healths
    );
    deployment.stop().await;
    Ok(())
}
