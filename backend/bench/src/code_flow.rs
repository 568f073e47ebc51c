//! Timing the authorization code flow as a browser and a portal walk it.

use anyhow::{Context, bail};
use mrdp_idp::bootstrap::ClientCredentials;
use std::time::Instant;

pub struct CodeFlow<'a> {
    pub idp: &'a str,
    pub callback: &'a str,
    pub client: &'a ClientCredentials,
    pub username: &'a str,
    pub password: &'a str,
}

/// The value of the hidden field `name` of a page's form.
pub fn hidden(page: &str, name: &str) -> anyhow::Result<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).context("hidden field")? + marker.len();
    let end = page[start..].find('"').context("field end")?;
    Ok(page[start..start + end].replace("&amp;", "&"))
}

fn location(response: &reqwest::Response) -> anyhow::Result<String> {
    Ok(response
        .headers()
        .get("location")
        .context("a redirect")?
        .to_str()?
        .to_owned())
}

impl CodeFlow<'_> {
    /// Median milliseconds of a full flow with a fresh browser, and of one `GET /health`.
    pub async fn measure(&self, runs: usize) -> anyhow::Result<(f64, f64)> {
        self.once().await?; // gives consent, warms the connections
        let mut flows = Vec::new();
        let mut healths = Vec::new();
        let http = reqwest::Client::new();
        for _ in 0..runs {
            let started = Instant::now();
            self.once().await?;
            flows.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            http.get(format!("{}/health", self.idp))
                .send()
                .await?
                .error_for_status()?;
            healths.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        Ok((median(&mut flows), median(&mut healths)))
    }

    /// One flow: authorize, sign in, (consent), code, token exchange.
    async fn once(&self) -> anyhow::Result<()> {
        self.user_tokens().await.map(drop)
    }

    /// The token response of one flow as the user, for the Transfer scope (and sign-in).
    pub async fn user_tokens(&self) -> anyhow::Result<serde_json::Value> {
        self.user_tokens_for(
            "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all",
        )
        .await
    }

    /// The token response of one flow as the user, for `scopes` (space-separated).
    pub async fn user_tokens_for(&self, scopes: &str) -> anyhow::Result<serde_json::Value> {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let query = [
            ("client_id", self.client.client_id.as_str()),
            ("redirect_uri", self.callback),
            ("response_type", "code"),
            ("scope", scopes),
            ("state", "bench"),
        ];
        let response = browser
            .get(format!("{}/v2/oauth2/authorize", self.idp))
            .query(&query)
            .send()
            .await?;
        let back = self.walk(&browser, response, self.callback).await?;
        let code = back
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("code="))
            .context("a code")?
            .to_owned();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", self.callback),
        ];
        Ok(reqwest::Client::new()
            .post(format!("{}/v2/oauth2/token", self.idp))
            .basic_auth(&self.client.client_id, Some(&self.client.client_secret))
            .form(&form)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// Walks the provider's pages from `response` as its user (signing in, consenting) until the
    /// provider sends the browser to a URL starting with `back_to`; answers that URL.
    pub async fn walk(
        &self,
        browser: &reqwest::Client,
        mut response: reqwest::Response,
        back_to: &str,
    ) -> anyhow::Result<String> {
        loop {
            let status = response.status().as_u16();
            if status == 302 || status == 303 {
                let next = location(&response)?;
                if next.starts_with(back_to) {
                    return Ok(next);
                }
                let url = match next.starts_with("http") {
                    true => next,
                    false => format!("{}{next}", self.idp),
                };
                response = browser.get(url).send().await?;
                continue;
            }
            let page = response.text().await?;
            response = if page.contains("name=\"password\"") {
                let form = [
                    ("username", self.username),
                    ("password", self.password),
                    ("csrf", &hidden(&page, "csrf")?),
                    ("next", &hidden(&page, "next")?),
                ];
                browser
                    .post(format!("{}/v2/web/login", self.idp))
                    .form(&form)
                    .send()
                    .await?
            } else if page.contains("asks to act for you") {
                let form = [
                    ("request", hidden(&page, "request")?),
                    ("csrf", hidden(&page, "csrf")?),
                    ("decision", "allow".to_owned()),
                ];
                browser
                    .post(format!("{}/v2/web/consent", self.idp))
                    .form(&form)
                    .send()
                    .await?
            } else {
                bail!("unexpected page {status}");
            };
        }
    }

    /// A client-credentials token of the client for `scope`.
    pub async fn client_token(&self, scope: &str) -> anyhow::Result<String> {
        let body: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/v2/oauth2/token", self.idp))
            .basic_auth(&self.client.client_id, Some(&self.client.client_secret))
            .form(&[("grant_type", "client_credentials"), ("scope", scope)])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(body["access_token"]
            .as_str()
            .context("an access token")?
            .to_owned())
    }
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
