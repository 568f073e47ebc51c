//! Requests per second with a fixed number of concurrent clients for a fixed time.

use mrdp_idp::bootstrap::ClientCredentials;
use std::time::{Duration, Instant};

/// Introspections per second and `GET /health` per second, measured alike.
pub async fn compare(
    idp: &str,
    caller: &ClientCredentials,
    token: &str,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<(f64, f64)> {
    let http = reqwest::Client::new();
    let introspect = {
        let (http, url, token) = (
            http.clone(),
            format!("{idp}/v2/oauth2/token/introspect"),
            token.to_owned(),
        );
        let (id, secret) = (caller.client_id.clone(), caller.client_secret.clone());
        move || {
            http.post(&url)
                .basic_auth(&id, Some(&secret))
                .form(&[("token", token.as_str())])
        }
    };
    let health = {
        let url = format!("{idp}/health");
        move || http.get(&url)
    };
    let introspections = rate(introspect, concurrency, duration).await?;
    let healths = rate(health, concurrency, duration).await?;
    Ok((introspections, healths))
}

/// Requests per second made by `concurrency` clients, each sending `request()` in a loop.
async fn rate<F>(request: F, concurrency: usize, duration: Duration) -> anyhow::Result<f64>
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + 'static,
{
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let request = request.clone();
        workers.spawn(async move {
            let mut done = 0_u64;
            while started.elapsed() < duration {
                request().send().await.and_then(|r| r.error_for_status())?;
                done += 1;
            }
            Ok::<_, anyhow::Error>(done)
        });
    }
    let mut total = 0;
    while let Some(outcome) = workers.join_next().await {
        total += outcome??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}
