//! The portal's API as a signed-in researcher calls it: `GET /api/datasets/{id}` with a session
//! (the session, the profile gate, the catalog), 64 connections at once, against the portal's
//! cheapest JSON answer through the same middleware (request id, log line, CSRF check: the 404 of
//! an unknown API route) and against a bare actix-web JSON handler, all in the same run;
//! requests per second with their median and 99th-percentile latencies, sent by our own light
//! client (`raw_client`).

use crate::code_flow::{CodeFlow, median};
use crate::load::Rate;
use crate::raw_client::Target;
use anyhow::Context;
use mrdp_server::deployment::Deployment;
use mrdp_shared::ServiceName;
use reqwest::cookie::CookieStore;
use std::sync::Arc;
use std::time::Duration;

const CONNECTIONS: usize = 64;
const RUN: Duration = Duration::from_secs(2);
const ROUNDS: usize = 3;

/// The `Cookie` header of a browser signed in to the portal as the flow's user, with a complete
/// profile.
pub async fn signed_in(portal: &str, flow: &CodeFlow<'_>) -> anyhow::Result<String> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let browser = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login = browser
        .get(format!("{portal}/api/auth/login?next=/"))
        .send()
        .await?;
    let callback = format!("{portal}/api/auth/callback");
    let back = flow.walk(&browser, login, &callback).await?;
    browser.get(back).send().await?.error_for_status()?;
    let profile = serde_json::json!({
        "name": "Bench Researcher", "email": "bench@example.org", "institution": "MRDP"
    });
    browser
        .put(format!("{portal}/api/me/profile"))
        .header("x-mrdp-csrf", "1")
        .json(&profile)
        .send()
        .await?
        .error_for_status()?;
    let cookies = jar
        .cookies(&portal.parse()?)
        .context("the portal set no cookie")?;
    Ok(cookies.to_str()?.to_owned())
}

/// A bare actix-web server answering `GET /json` with a small JSON body, on a free port.
fn bare_server(workers: usize) -> anyhow::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/json", listener.local_addr()?);
    let server = actix_web::HttpServer::new(|| {
        actix_web::App::new().route(
            "/json",
            actix_web::web::get().to(|| async {
                actix_web::HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
            }),
        )
    })
    .workers(workers)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(url)
}

/// Median rate, p50 and p99 of `ROUNDS` runs of `request`.
pub fn medians(runs: &[Rate]) -> Rate {
    let pick = |field: fn(&Rate) -> f64| median(&mut runs.iter().map(field).collect::<Vec<_>>());
    Rate {
        per_second: pick(|r| r.per_second),
        p50_ms: pick(|r| r.p50_ms),
        p99_ms: pick(|r| r.p99_ms),
    }
}

pub async fn print(
    deployment: &Deployment,
    flow: &CodeFlow<'_>,
    workers: usize,
) -> anyhow::Result<()> {
    let portal = deployment.url(ServiceName::Portal).to_owned();
    let cookie = signed_in(&portal, flow)
        .await
        .context("sign in to the portal")?;
    let session = [("Cookie", cookie.as_str())];
    let dataset = Target::get(&format!("{portal}/api/datasets/sea"), &session, 200)?;
    let cheapest = Target::get(&format!("{portal}/api/no-such-route"), &session, 404)?;
    let bare = Target::get(&bare_server(workers)?, &[], 200)?;
    let (mut ours, mut route, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ours.push(dataset.rate_on(CONNECTIONS, RUN).await?);
        route.push(cheapest.rate_on(CONNECTIONS, RUN).await?);
        plain.push(bare.rate_on(CONNECTIONS, RUN).await?);
    }
    let (ours, route, plain) = (medians(&ours), medians(&route), medians(&plain));
    let line = |name: &str, rate: &Rate| {
        format!(
            "{name} {:8.0} /s (p50 {:.1} ms, p99 {:.1} ms)",
            rate.per_second, rate.p50_ms, rate.p99_ms
        )
    };
    println!(
        "api {}   {}   ratio {:.2} (goal 0.7)",
        line(
            "GET /api/datasets/{id} with a session, 64 connections",
            &ours
        ),
        line("cheapest JSON route", &route),
        ours.per_second / route.per_second
    );
    println!(
        "api {}   {}   ratio {:.2} (goal 0.3)",
        line(
            "GET /api/datasets/{id} with a session, 64 connections",
            &ours
        ),
        line("bare actix-web JSON handler", &plain),
        ours.per_second / plain.per_second
    );
    Ok(())
}
