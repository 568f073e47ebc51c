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
    let introspections = rate(introspect, concurrency, duration, None).await?;
    let healths = rate(health, concurrency, duration, None).await?;
    Ok((introspections.per_second, healths.per_second))
}

/// What a load run measured.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Rate {
    /// `per_second`, with the median and 99th percentile of `latencies` (milliseconds).
    pub fn of(per_second: f64, latencies: &mut [f64]) -> Self {
        latencies.sort_by(f64::total_cmp);
        let at = |fraction: f64| {
            let last = latencies.len().saturating_sub(1);
            let index = ((latencies.len() as f64 * fraction) as usize).min(last);
            latencies.get(index).copied().unwrap_or(f64::NAN)
        };
        Self {
            per_second,
            p50_ms: at(0.5),
            p99_ms: at(0.99),
        }
    }
}

/// Requests per second made by `concurrency` clients, each sending `request()` in a loop, and
/// the latencies' median and 99th percentile; every answer must have `status` (`None`: be a
/// success).
pub async fn rate<F>(
    request: F,
    concurrency: usize,
    duration: Duration,
    status: Option<u16>,
) -> anyhow::Result<Rate>
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + 'static,
{
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let request = request.clone();
        workers.spawn(async move {
            let mut latencies = Vec::new();
            while started.elapsed() < duration {
                let sent = Instant::now();
                let response = request().send().await?;
                let answered = response.status().as_u16();
                response.bytes().await?;
                let expected = status.map_or(answered < 400, |wanted| answered == wanted);
                anyhow::ensure!(expected, "answered {answered}");
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut all = Vec::new();
    while let Some(outcome) = workers.join_next().await {
        all.extend(outcome??);
    }
    let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
    Ok(Rate::of(per_second, &mut all))
}
