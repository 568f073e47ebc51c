//! Who is calling: client authentication on the token, introspection and revocation endpoints.
//!
//! Confidential clients use HTTP Basic, decoded literally: the Globus SDK base64-encodes
//! `id:secret` without form-encoding them first, and Globus secrets contain `+ / =`. Clients that
//! follow RFC 6749 §2.3.1 to the letter form-encode both first; that form is accepted too.
//! Public clients send only `client_id` in the body.

use crate::error::OAuthError;
use crate::registry::apps;
use crate::registry::clients::{self, ClientRow};
use crate::secret::digest;
use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mrdp_service::store::Store;

/// What a request presents to identify its client.
#[derive(PartialEq, Eq)]
pub enum Presented {
    Basic { id: String, secret: String },
    PublicId(String),
    Nothing,
}

impl std::fmt::Debug for Presented {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Basic { id, .. } => write!(f, "Basic({id}, [redacted])"),
            Self::PublicId(id) => write!(f, "PublicId({id})"),
            Self::Nothing => f.write_str("Nothing"),
        }
    }
}

/// Reads the client's credentials from the `Authorization` header or the body's `client_id`.
pub fn presented(req: &HttpRequest, body_client_id: Option<&str>) -> Result<Presented, OAuthError> {
    match req.headers().get(AUTHORIZATION) {
        Some(value) => {
            let value = value.to_str().map_err(|_| OAuthError::InvalidClient)?;
            let encoded = value
                .strip_prefix("Basic ")
                .or_else(|| value.strip_prefix("basic "))
                .ok_or(OAuthError::InvalidClient)?;
            let decoded = STANDARD
                .decode(encoded.trim())
                .map_err(|_| OAuthError::InvalidClient)?;
            let decoded = String::from_utf8(decoded).map_err(|_| OAuthError::InvalidClient)?;
            let (id, secret) = decoded.split_once(':').ok_or(OAuthError::InvalidClient)?;
            Ok(Presented::Basic {
                id: id.to_owned(),
                secret: secret.to_owned(),
            })
        }
        None => {
            Ok(body_client_id.map_or(Presented::Nothing, |id| Presented::PublicId(id.to_owned())))
        }
    }
}

/// The client a request authenticated as.
pub async fn authenticate(store: &Store, presented: Presented) -> Result<ClientRow, OAuthError> {
    match presented {
        Presented::Basic { id, secret } => {
            for (id, secret) in literal_and_form_decoded(&id, &secret) {
                let Some((client, stored)) = clients::find_with_secret(store, &id).await? else {
                    continue;
                };
                if client.public {
                    continue;
                }
                // The secret it was registered with, or a credential made since.
                let presented = digest(&secret);
                let credentials = apps::credential_digests(store, &id).await?;
                if stored.iter().chain(&credentials).any(|d| *d == presented) {
                    return Ok(client);
                }
            }
            Err(OAuthError::InvalidClient)
        }
        Presented::PublicId(id) => match clients::find(store, &id).await? {
            Some(client) if client.public => Ok(client),
            _ => Err(OAuthError::InvalidClient),
        },
        Presented::Nothing => Err(OAuthError::InvalidClient),
    }
}

/// A confidential client only (introspection, dependent tokens, client credentials).
pub async fn authenticate_confidential(
    store: &Store,
    presented: Presented,
) -> Result<ClientRow, OAuthError> {
    match presented {
        Presented::Basic { .. } => authenticate(store, presented).await,
        Presented::PublicId(_) | Presented::Nothing => Err(OAuthError::InvalidClient),
    }
}

fn literal_and_form_decoded(id: &str, secret: &str) -> Vec<(String, String)> {
    let literal = (id.to_owned(), secret.to_owned());
    let decoded = (form_decode(id), form_decode(secret));
    if decoded == literal {
        vec![literal]
    } else {
        vec![literal, decoded]
    }
}

/// `application/x-www-form-urlencoded` decoding of one value.
fn form_decode(value: &str) -> String {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn basic(credentials: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((
                AUTHORIZATION,
                format!("Basic {}", STANDARD.encode(credentials)),
            ))
            .to_http_request()
    }

    #[test]
    fn basic_is_decoded_literally_and_splits_at_the_first_colon() {
        let secret = "Htbj82qnaKmRHBgXprkDHx/eezYDAYGAdlVgGJH3mKU=";
        let presented = presented(&basic(&format!("c1:{secret}")), None).unwrap();
        assert_eq!(
            presented,
            Presented::Basic {
                id: "c1".into(),
                secret: secret.into()
            }
        );
        let with_colon = presented_of("c1:a:b");
        assert_eq!(
            with_colon,
            Presented::Basic {
                id: "c1".into(),
                secret: "a:b".into()
            }
        );
    }

    fn presented_of(credentials: &str) -> Presented {
        presented(&basic(credentials), None).unwrap()
    }

    #[test]
    fn malformed_authorization_is_invalid_client() {
        for header in ["Bearer abc", "Basic !!!", "Basic bm9jb2xvbg=="] {
            let req = TestRequest::default()
                .insert_header((AUTHORIZATION, header))
                .to_http_request();
            assert!(
                matches!(presented(&req, None), Err(OAuthError::InvalidClient)),
                "{header}"
            );
        }
    }

    #[test]
    fn body_client_id_is_a_public_client_and_nothing_is_nothing() {
        let req = TestRequest::default().to_http_request();
        assert_eq!(
            presented(&req, Some("native")).unwrap(),
            Presented::PublicId("native".into())
        );
        assert_eq!(presented(&req, None).unwrap(), Presented::Nothing);
    }

    #[test]
    fn rfc_form_encoded_secrets_are_tried_after_the_literal_one() {
        let candidates = literal_and_form_decoded("c1", "a%2Bb%2F%3D");
        assert_eq!(candidates[1], ("c1".to_owned(), "a+b/=".to_owned()));
        assert_eq!(literal_and_form_decoded("c1", "plain").len(), 1);
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!(
            "{:?}",
            Presented::Basic {
                id: "c1".into(),
                secret: "s3cret".into()
            }
        );
        assert!(!shown.contains("s3cret"));
    }
}
