//! The cost of a load balancer: a sign-in plus ten API calls through Debian's nginx terminating
//! TLS in front of the portal and the identity provider (as `docs/deployment.md` configures it),
//! against the same straight to the portal and the provider over plain HTTP. A deployment of its
//! own, whose public URLs are nginx's; the straight way sends each request to the service behind
//! the URL instead. Each round is a new browser (new connections, so TLS handshakes included, and
//! new cookies); the two ways alternate.

use crate::code_flow::{hidden, median};
use anyhow::bail;
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::testing::nginx::{Nginx, Site};
use mrdp_shared::ServiceName;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

const ROUNDS: usize = 15;

/// Where a URL of the portal or the provider is sent: through nginx, or straight to the service.
struct Routes {
    /// `(public, direct)` base URLs of the portal, then of the identity provider.
    services: [(String, String); 2],
    through_nginx: bool,
}

impl Routes {
    /// The URL a request for `url` goes to, and which service's cookies it carries.
    fn route(&self, url: &str) -> anyhow::Result<(String, usize)> {
        for (index, (public, direct)) in self.services.iter().enumerate() {
            if let Some(path) = url.strip_prefix(public.as_str()) {
                let base = if self.through_nginx { public } else { direct };
                return Ok((format!("{base}{path}"), index));
            }
        }
        bail!("{url} is neither the portal's nor the provider's")
    }
}

/// What a request sends.
#[derive(Clone, Copy)]
enum Body<'a> {
    None,
    Form(&'a [(&'a str, String)]),
    Json(&'a serde_json::Value),
}

/// A browser of one round: its own connections and cookies (kept by hand, so that the straight
/// way over plain HTTP sends the `Secure` cookies the services set for their public URLs).
struct Browser<'a> {
    http: reqwest::Client,
    cookies: [HashMap<String, String>; 2],
    routes: &'a Routes,
}

impl Browser<'_> {
    /// `url` with `body` (none: a `GET`); the status, the location and the body.
    async fn call(&mut self, url: &str, body: Body<'_>) -> anyhow::Result<(u16, String, String)> {
        let (target, service) = self.routes.route(url)?;
        let mut request = match body {
            Body::Form(form) => self.http.post(&target).form(form),
            // As the web app puts it: JSON, with the header the portal's CSRF check asks for.
            Body::Json(json) => self.http.put(&target).header("x-mrdp-csrf", "1").json(json),
            Body::None => self.http.get(&target),
        };
        let jar = &self.cookies[service];
        if !jar.is_empty() {
            let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header("cookie", header.join("; "));
        }
        let response = request.send().await?;
        for set in response.headers().get_all("set-cookie") {
            let pair = set.to_str()?.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies[service].insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(|location| reqwest::Url::parse(&target).and_then(|base| base.join(location)))
            .transpose()?
            .map(|absolute| self.public(absolute.as_str()))
            .unwrap_or_default();
        Ok((status, location, response.text().await?))
    }

    /// `url` as its public URL (a redirect the straight way gets names the service's own port).
    fn public(&self, url: &str) -> String {
        for (public, direct) in &self.routes.services {
            if let Some(path) = url.strip_prefix(direct.as_str()) {
                return format!("{public}{path}");
            }
        }
        url.to_owned()
    }

    /// Signs in as `user` from the portal's login, through the provider's pages, back to the
    /// portal; then ten API calls, each answered 2xx.
    async fn sign_in_and_call(&mut self, (username, password): (&str, &str)) -> anyhow::Result<()> {
        let (portal, idp) = (
            self.routes.services[0].0.clone(),
            self.routes.services[1].0.clone(),
        );
        let mut url = format!("{portal}/api/auth/login?next=/");
        let mut form: Option<Vec<(&str, String)>> = None;
        for _ in 0..20 {
            let body = form.as_deref().map_or(Body::None, Body::Form);
            let (status, location, page) = self.call(&url, body).await?;
            form = None;
            match status {
                302 | 303 if url.contains("/api/auth/callback") => {
                    return self.ten_calls(&portal).await;
                }
                302 | 303 => url = location,
                200 if page.contains("name=\"password\"") => {
                    url = format!("{idp}/v2/web/login");
                    form = Some(vec![
                        ("username", username.to_owned()),
                        ("password", password.to_owned()),
                        ("csrf", hidden(&page, "csrf")?),
                        ("next", hidden(&page, "next")?),
                    ]);
                }
                200 => {
                    url = format!("{idp}/v2/web/consent");
                    form = Some(vec![
                        ("request", hidden(&page, "request")?),
                        ("csrf", hidden(&page, "csrf")?),
                        ("decision", "allow".to_owned()),
                    ]);
                }
                other => bail!("{other} at {url}"),
            }
        }
        bail!("the sign-in did not come back to the portal")
    }

    /// The profile saved, then nine reads: what a researcher's first minute calls.
    async fn ten_calls(&mut self, portal: &str) -> anyhow::Result<()> {
        let profile = serde_json::json!({"name": "Alice Researcher", "email": "alice@example.org",
            "institution": "NOAA NCEI"});
        let paths = [
            "/api/me",
            "/api/datasets",
            "/api/datasets/sea",
            "/api/me/connections",
        ];
        for n in 0..10 {
            let (url, body) = match n {
                0 => (format!("{portal}/api/me/profile"), Body::Json(&profile)),
                n => (format!("{portal}{}", paths[n % paths.len()]), Body::None),
            };
            let (status, _, answer) = self.call(&url, body).await?;
            if !(200..300).contains(&status) {
                bail!("{status} from {url}: {answer}");
            }
        }
        Ok(())
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub async fn print(web_app: &Path) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let ports = [free_port()?, free_port()?];
    let public = ports.map(|port| format!("https://127.0.0.1:{port}"));
    let mut config = Config::for_tests(data.path(), web_app, None);
    config.portal.public_url = Some(public[0].clone());
    config.idp.issuer = Some(public[1].clone());
    config.trusted_proxies = vec!["127.0.0.1".to_owned()];
    config.portal.rate_limit.per_address = 1_000_000;
    let deployment = Deployment::start(&config, Role::All).await?;
    let alice = crate::stores::first_demo_user(&deployment)?;
    let direct = [
        deployment.url(ServiceName::Portal).to_owned(),
        deployment.url(ServiceName::Idp).to_owned(),
    ];
    let sites = [0, 1].map(|n| Site {
        port: ports[n],
        servers: std::slice::from_ref(&direct[n]),
    });
    let (nginx, certificate) = Nginx::balancer(&sites).map_err(anyhow::Error::msg)?;
    let certificate = reqwest::Certificate::from_pem(certificate.as_bytes())?;
    let services = [0, 1].map(|n| (public[n].clone(), direct[n].clone()));
    let user = (alice.username.as_str(), alice.password.as_str());
    let (mut through, mut straight) = (Vec::new(), Vec::new());
    for round in 0..=ROUNDS {
        for through_nginx in [round % 2 == 0, round % 2 == 1] {
            let routes = Routes {
                services: services.clone(),
                through_nginx,
            };
            let mut browser = Browser {
                http: reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .add_root_certificate(certificate.clone())
                    .build()?,
                cookies: Default::default(),
                routes: &routes,
            };
            let started = Instant::now();
            browser.sign_in_and_call(user).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            // The first round gives consent and warms the services: not counted.
            if round > 0 {
                if through_nginx {
                    &mut through
                } else {
                    &mut straight
                }
                .push(ms);
            }
        }
    }
    let (through, straight) = (median(&mut through), median(&mut straight));
    println!(
        "lb   sign-in + 10 API calls through nginx (TLS) {through:7.1} ms   straight to the portal {straight:7.1} ms   overhead {:+.1} ms ({:+.0}%, reported; {ROUNDS} rounds, medians)",
        through - straight,
        100.0 * (through - straight) / straight
    );
    drop(nginx);
    deployment.stop().await;
    Ok(())
}
