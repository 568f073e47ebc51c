//! Signed URLs: a browser link cannot carry a bearer token, and tokens never reach the browser.
//! A caller with a token for the collection asks `POST /signed-urls` for a file it may read; the
//! data server answers a URL bound to the collection, the path, the caller's identities and
//! groups and an expiry at most five minutes away, signed (HMAC-SHA256) with a key it generated
//! into its data directory (0600). A `GET` or `HEAD` of that URL is checked for the signature and
//! the expiry, and then judged against the collection's rules as they are at that moment, so a
//! rule taken back after signing applies at once.
//!
//! The URL: `<data server>/<collection>/<path>?identities=<id,…>&groups=<id,…>&expires=<unix
//! seconds>&signature=<base64url>`. The signature covers every one of those and the path.

use crate::access::Caller;
use aws_lc_rs::hmac;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::path::Path;

/// The longest a signed URL lives, in seconds.
pub const LIFETIME: i64 = 300;

/// Why a signed URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedUrlError {
    #[error("the signed URL has expired")]
    Expired,
    #[error("the signed URL is not valid: it was changed, or signed by another server")]
    Tampered,
}

/// The data server's URL-signing key.
pub struct UrlSigner {
    key: hmac::Key,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner([redacted])")
    }
}

/// What a signed URL's query says, once read.
#[derive(Debug, PartialEq, Eq)]
struct Claims<'a> {
    identities: &'a str,
    groups: &'a str,
    expires: &'a str,
    signature: &'a str,
}

impl<'a> Claims<'a> {
    /// The signed URL's parameters, if the query has any; a query with some but not all of them,
    /// or any twice, is tampered with.
    fn read(query: &'a str) -> Result<Option<Self>, SignedUrlError> {
        let (mut identities, mut groups, mut expires, mut signature) = (None, None, None, None);
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match name {
                "identities" => &mut identities,
                "groups" => &mut groups,
                "expires" => &mut expires,
                "signature" => &mut signature,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(SignedUrlError::Tampered);
            }
        }
        match (identities, groups, expires, signature) {
            (None, None, None, None) => Ok(None),
            (Some(identities), Some(groups), Some(expires), Some(signature)) => Ok(Some(Self {
                identities,
                groups,
                expires,
                signature,
            })),
            _ => Err(SignedUrlError::Tampered),
        }
    }
}

/// What is signed: every part of the URL that grants something.
fn message(collection: &str, path: &str, identities: &str, groups: &str, expires: &str) -> String {
    format!("mrdp-signed-url-v1\n{collection}\n{path}\n{identities}\n{groups}\n{expires}")
}

impl UrlSigner {
    /// Reads the key at `path`, or makes one there (32 random bytes, 0600).
    pub fn load_or_create(path: &Path) -> Result<Self, mrdp_service::secrets::SecretError> {
        let secret = mrdp_service::secrets::load_or_create(path, || {
            let mut key = vec![0_u8; 32];
            SystemRandom::new()
                .fill(&mut key)
                .map(|()| key)
                .map_err(|_| "the system's random source failed")
        })?;
        Ok(Self::from_secret(&secret))
    }

    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    /// The query of a signed URL for `caller` to read `path` (as in the URL, with its leading
    /// `/`) of `collection` until `expires`.
    pub fn sign(&self, collection: &str, path: &str, caller: &Caller, expires: i64) -> String {
        let identities = caller.identities.join(",");
        let groups = caller.groups.join(",");
        let expires = expires.to_string();
        let signed = message(collection, path, &identities, &groups, &expires);
        let signature = URL_SAFE_NO_PAD.encode(hmac::sign(&self.key, signed.as_bytes()));
        format!("identities={identities}&groups={groups}&expires={expires}&signature={signature}")
    }

    /// Who a request's signed URL acts for: `Ok(None)` when its query has no signature.
    pub fn verify(
        &self,
        collection: &str,
        path: &str,
        query: &str,
        now: i64,
    ) -> Result<Option<Caller>, SignedUrlError> {
        let Some(claims) = Claims::read(query)? else {
            return Ok(None);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(claims.signature)
            .map_err(|_| SignedUrlError::Tampered)?;
        let signed = message(
            collection,
            path,
            claims.identities,
            claims.groups,
            claims.expires,
        );
        hmac::verify(&self.key, signed.as_bytes(), &signature)
            .map_err(|_| SignedUrlError::Tampered)?;
        let expires: i64 = claims
            .expires
            .parse()
            .map_err(|_| SignedUrlError::Tampered)?;
        if now >= expires {
            return Err(SignedUrlError::Expired);
        }
        let list = |text: &str| -> Vec<String> {
            text.split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Ok(Some(Caller {
            identities: list(claims.identities),
            groups: list(claims.groups),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Caller {
        Caller {
            identities: vec!["a1".into()],
            groups: vec!["g1".into(), "g2".into()],
        }
    }

    #[test]
    fn a_signed_url_verifies_as_signed_and_until_it_expires() {
        let signer = UrlSigner::from_secret(b"k");
        let query = signer.sign("c", "/sea/2012.csv", &alice(), 1000);
        let caller = signer.verify("c", "/sea/2012.csv", &query, 999).unwrap();
        assert_eq!(caller, Some(alice()));
        let expired = signer.verify("c", "/sea/2012.csv", &query, 1000);
        assert_eq!(expired, Err(SignedUrlError::Expired));
        assert_eq!(signer.verify("c", "/sea/2012.csv", "", 0), Ok(None));
    }

    #[test]
    fn every_changed_part_is_refused() {
        let signer = UrlSigner::from_secret(b"k");
        let query = signer.sign("c", "/sea/2012.csv", &alice(), 1000);
        let verify =
            |query: &str, collection: &str, path: &str| signer.verify(collection, path, query, 0);
        for changed in [
            query.replace("identities=a1", "identities=b2"),
            query.replace("groups=g1,g2", "groups=g1,g2,g3"),
            query.replace("expires=1000", "expires=9999"),
            query.replace("signature=", "signature=A"),
            format!("{query}&expires=1000"),
            query
                .split("&signature")
                .next()
                .unwrap_or_default()
                .to_owned(),
        ] {
            let refused = verify(&changed, "c", "/sea/2012.csv");
            assert_eq!(refused, Err(SignedUrlError::Tampered), "{changed}");
        }
        let refused = verify(&query, "c", "/sea/2013.csv");
        assert_eq!(refused, Err(SignedUrlError::Tampered), "another path");
        let refused = verify(&query, "d", "/sea/2012.csv");
        assert_eq!(refused, Err(SignedUrlError::Tampered), "another collection");
        let other = UrlSigner::from_secret(b"another key");
        let refused = other.verify("c", "/sea/2012.csv", &query, 0);
        assert_eq!(
            refused,
            Err(SignedUrlError::Tampered),
            "another server's key"
        );
        let extra = verify(&format!("{query}&download=1"), "c", "/sea/2012.csv");
        assert_eq!(
            extra,
            Ok(Some(alice())),
            "other parameters change nothing granted"
        );
    }
}
