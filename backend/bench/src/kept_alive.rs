//! Small files on one connection kept alive, as a browser fetches the web app's files and the
//! graph service many small CSVs: `GET`s one after another on one plain TCP connection (the next
//! sent once the last response is read whole), in requests per second, against nginx serving the
//! same file (nginx sets `TCP_NODELAY` by default). The data server's `GET` of a 6.8 KB CSV runs
//! in its own process (`mrdp transfer`); the portal's `GET /` (`index.html` of `dist/`) in the
//! deployment. Each server's runs alternate with nginx's, each first in every other round.

use crate::code_flow::{CodeFlow, median};
use crate::data_plane::Nginx;
use crate::raw_client::Target;
use crate::service_process::ServiceProcess;
use crate::{Stores, workspace};
use anyhow::Context;
use mrdp_globus::auth::collection_https_scope;
use mrdp_server::deployment::Deployment;
use mrdp_shared::ServiceName;
use std::path::Path;
use std::time::Duration;

/// How long each run sends requests.
const RUN: Duration = Duration::from_secs(2);
/// Runs of each server.
const ROUNDS: usize = 5;
/// A real file of the demo catalog: 6,799 bytes.
const SMALL_FILE: &str = "data/climate/nyc/2013.csv";

/// Prints both lines: the data server's small file and the portal's `index.html`, each against
/// nginx.
pub async fn print(
    deployment: &Deployment,
    stores: &Stores<'_>,
    flow: &CodeFlow<'_>,
    web_app: &Path,
) -> anyhow::Result<()> {
    let (collection, root) = stores.collection("bench-small-files", flow).await?;
    std::fs::create_dir_all(&root)?;
    std::fs::copy(workspace().join(SMALL_FILE), root.join("small.csv"))
        .with_context(|| format!("copy {SMALL_FILE}"))?;
    let token = flow
        .client_token(&collection_https_scope(&collection))
        .await?;
    let service = ServiceProcess::start(stores.data_dir, deployment.url(ServiceName::Idp))?;
    let nginx = Nginx::serve(&root)?;
    let bearer = format!("Bearer {token}");
    let data = Target::get(
        &format!("{}/{collection}/small.csv", service.url),
        &[("Authorization", &bearer)],
        200,
    )?;
    let (ours, theirs) = compare(
        &data,
        &Target::get(&format!("{}/small.csv", nginx.url), &[], 200)?,
    )
    .await?;
    println!(
        "small data GET 6.8 KB, one kept-alive connection {ours:8.0} /s   nginx {theirs:8.0} /s   ratio {:.2} (goal 0.8)",
        ours / theirs
    );

    let nginx = Nginx::serve(web_app)?;
    let portal = Target::get(
        &format!("{}/", deployment.url(ServiceName::Portal)),
        &[],
        200,
    )?;
    let theirs = Target::get(&format!("{}/", nginx.url), &[], 200)?;
    let (ours, theirs) = compare(&portal, &theirs).await?;
    println!(
        "small portal GET / (index.html), one kept-alive connection {ours:8.0} /s   nginx {theirs:8.0} /s   ratio {:.2} (goal 0.8)",
        ours / theirs
    );
    Ok(())
}

/// Requests per second of `ours` and of `nginx`: medians of `ROUNDS` runs each, alternating.
async fn compare(ours: &Target, nginx: &Target) -> anyhow::Result<(f64, f64)> {
    let (mut our_rates, mut nginx_rates) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            our_rates.push(ours.rate(RUN).await?);
        }
        nginx_rates.push(nginx.rate(RUN).await?);
        if round % 2 == 1 {
            our_rates.push(ours.rate(RUN).await?);
        }
    }
    Ok((median(&mut our_rates), median(&mut nginx_rates)))
}
