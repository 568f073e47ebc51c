//! Discovery and JWKS advertise this server's own absolute URLs.

use crate::harness::TestIdp;
use mrdp_shared::StoreBackend;

#[tokio::test]
async fn discovery_points_at_this_server_and_its_rsa_signing_key() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let discovery = idp
        .get_json(&idp.url("/.well-known/openid-configuration"))
        .await;
    assert_eq!(discovery["issuer"], idp.url.as_str());
    for (key, path) in [
        ("authorization_endpoint", "/v2/oauth2/authorize"),
        ("token_endpoint", "/v2/oauth2/token"),
        ("revocation_endpoint", "/v2/oauth2/token/revoke"),
        ("userinfo_endpoint", "/v2/oauth2/userinfo"),
        ("jwks_uri", "/jwk.json"),
    ] {
        assert_eq!(discovery[key], idp.url(path), "{key}");
    }
    assert_eq!(
        discovery["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS512"])
    );
    assert_eq!(
        discovery["token_endpoint_auth_methods_supported"],
        serde_json::json!(["client_secret_basic"])
    );

    let jwks = idp.get_json(discovery["jwks_uri"].as_str().unwrap()).await;
    let first = &jwks["keys"][0];
    assert_eq!(
        (
            first["kty"].as_str(),
            first["alg"].as_str(),
            first["use"].as_str()
        ),
        (Some("RSA"), Some("RS512"), Some("sig"))
    );
    assert!(
        first["n"].as_str().unwrap().len() > 300,
        "a 2048-bit modulus"
    );
    idp.stop().await;
}
