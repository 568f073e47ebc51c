//! The data server over HTTPS: given a certificate and its key, it serves files over TLS only,
//! and the endpoint documents point clients at `https://`.

use crate::catalog::{assert_downloads_1930, deployment_with, get_json};
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_server::seed::catalog_id;
use mrdp_service::testing::accepted_sockets::assert_accepted_with_nodelay;
use mrdp_shared::{ServiceName, StoreBackend};

#[tokio::test]
async fn the_data_server_speaks_https_with_the_configured_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let issued = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let (certificate, key) = (tmp.path().join("data.crt"), tmp.path().join("data.key"));
    std::fs::write(&certificate, issued.cert.pem()).unwrap();
    std::fs::write(&key, issued.key_pair.serialize_pem()).unwrap();
    let app = deployment_with(StoreBackend::Sqlite, |config| {
        config.data.tls_certificate = Some(certificate.clone());
        config.data.tls_private_key = Some(key.clone());
    })
    .await;
    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let data = app.deployment.url(ServiceName::Data);
    assert!(data.starts_with("https://127.0.0.1:"), "{data}");

    // The endpoint document sends clients to HTTPS.
    let transfer = app.grant("transfer.api.globus.org").await;
    let endpoint = get_json(
        &app,
        format!(
            "{}/v0.10/endpoint/{}",
            app.deployment.url(ServiceName::Transfer),
            catalog_id()
        ),
        &transfer.access_token,
    )
    .await;
    let file = format!(
        "{}/ceu/1930.csv",
        endpoint["https_server"].as_str().unwrap()
    );
    assert!(file.starts_with(data), "{file}");

    // A client trusting the certificate downloads the file.
    let tokens = app.grant(&catalog_id()).await;
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(issued.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    assert_downloads_1930(&trusting, &file, &tokens.access_token).await;
    // Its small responses leave at once on the connection kept alive (no Nagle's delay).
    assert_accepted_with_nodelay(data);

    // A client that does not trust it, and plain HTTP, get no file.
    let untrusting = app
        .client
        .get(&file)
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap_err();
    let refused = tls_error(&untrusting);
    assert!(
        matches!(
            refused,
            Some(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer
            ))
        ),
        "an unknown certificate is refused: {untrusting:?}"
    );
    let plain = file.replacen("https://", "http://", 1);
    let over_http = app
        .client
        .get(&plain)
        .bearer_auth(&tokens.access_token)
        .send()
        .await;
    let over_http = over_http.unwrap_err();
    assert!(
        over_http.is_request(),
        "nothing is served without TLS: {over_http:?}"
    );
    app.stop().await;
}

/// The TLS error behind a failed request, if that is why it failed (an I/O error holds its
/// cause itself rather than as its source).
fn tls_error(error: &reqwest::Error) -> Option<&rustls::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        cause = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => error.source(),
        };
    }
    None
}
