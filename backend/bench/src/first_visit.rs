//! What a first visit to the portal transfers: `GET /` (`index.html`) and every file the page
//! names (style sheet, script, wasm), asked for as a browser asks
//! (`Accept-Encoding: gzip, deflate, br`), against the same files as they are. Bodies only: the
//! headers add a few hundred bytes a file either way.

use anyhow::Context;
use mrdp_server::deployment::Deployment;
use mrdp_shared::ServiceName;

/// What browsers send.
const BROWSER: &str = "gzip, deflate, br";

/// Prints the line.
pub async fn print(deployment: &Deployment) -> anyhow::Result<()> {
    let portal = deployment.url(ServiceName::Portal);
    // Without gzip or brotli features, reqwest neither asks for an encoding nor decodes one.
    let client = reqwest::Client::new();
    let page = get(&client, portal, "/", None).await?;
    let files = named_files(&String::from_utf8_lossy(&page));
    let (mut sent, mut gzip, mut plain) = (0, 0, 0);
    for path in std::iter::once("/").chain(files.iter().map(String::as_str)) {
        sent += get(&client, portal, path, Some(BROWSER)).await?.len();
        gzip += get(&client, portal, path, Some("gzip")).await?.len();
        plain += get(&client, portal, path, None).await?.len();
    }
    let kib = |bytes: usize| bytes as f64 / 1024.0;
    println!(
        "visit first visit (/ and the {} files it names, Accept-Encoding: {BROWSER}) {:8.1} KiB   as they are {:8.1} KiB   ratio {:.2}",
        files.len(),
        kib(sent),
        kib(plain),
        sent as f64 / plain as f64
    );
    println!(
        "visit the release web app in gzip (a browser without brotli) {:8.1} KB (goal at most 300 KB)",
        gzip as f64 / 1000.0
    );
    Ok(())
}

/// The body of `path` at `portal`, asked for with `accepted` encodings.
async fn get(
    client: &reqwest::Client,
    portal: &str,
    path: &str,
    accepted: Option<&str>,
) -> anyhow::Result<bytes::Bytes> {
    let mut request = client.get(format!("{portal}{path}"));
    if let Some(accepted) = accepted {
        request = request.header(reqwest::header::ACCEPT_ENCODING, accepted);
    }
    let response = request.send().await?.error_for_status()?;
    response
        .bytes()
        .await
        .with_context(|| format!("GET {path}"))
}

/// The site's own files a page names in `href` and `src` attributes, each once, in order.
fn named_files(page: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for attribute in ["href=\"/", "src=\"/"] {
        for (at, _) in page.match_indices(attribute) {
            let value = &page[at + attribute.len() - 1..];
            let Some(end) = value.find('"') else {
                continue;
            };
            let file = &value[..end];
            if !files.iter().any(|named| named == file) {
                files.push(file.to_owned());
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::named_files;

    #[test]
    fn a_pages_own_files_are_named_once() {
        let page = r#"<link rel="stylesheet" href="/style-1.css"/>
            <script type="module">import init from '/app-2.js';</script>
            <link rel="modulepreload" href="/app-2.js"><link rel="preload" href="/app-2_bg.wasm">
            <a href="https://example.org/">elsewhere</a><img src="/logo.svg">"#;
        assert_eq!(
            named_files(page),
            ["/style-1.css", "/app-2.js", "/app-2_bg.wasm", "/logo.svg"]
        );
    }
}
