//! One signing key of the identity provider (RSA, RS512 as Globus uses) and the JWKS document.
//! Where keys are kept, which one signs and which are published: [`crate::key_ring`].
//!
//! The JWKS lists the signing key first: the Globus SDK only looks at `keys[0]`. Keys are made,
//! checked and used through aws-lc (`aws-lc-rs`, and `jsonwebtoken`'s backend on it), whose RSA
//! private-key operations are constant-time.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use pem::{EncodeConfig, LineEnding, Pem};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The algorithm of id tokens; discovery advertises it.
pub const ALGORITHM: Algorithm = Algorithm::RS512;
const PEM_TAG: &str = "PRIVATE KEY";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Secret(#[from] mrdp_service::secrets::SecretError),
    #[error("a signing key is not an RSA PKCS#8 PEM key: {0}")]
    Parse(String),
    #[error("the signing keys' store: {0}")]
    Store(#[from] sqlx::Error),
    #[error("signing key {0} does not open with idp-key-seal.key (a different data directory?)")]
    Sealed(String),
    #[error("no signing key is current")]
    NoneCurrent,
}

/// A key id tokens are signed with, and what verifiers need to check them.
#[derive(Clone)]
pub struct SigningKey {
    encoding: EncodingKey,
    public: Jwk,
    /// PKCS#8 PEM, to be kept (sealed).
    pem: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.public.kid)
            .finish_non_exhaustive()
    }
}

/// One public key, as RFC 7517 writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jwk {
    pub kty: &'static str,
    pub alg: &'static str,
    #[serde(rename = "use")]
    pub usage: &'static str,
    pub kid: String,
    pub n: String,
    pub e: String,
}

impl Jwk {
    /// The RS512 signature key of modulus `n` and exponent `e` (base64url), named `kid`.
    pub fn rsa(kid: String, n: String, e: String) -> Self {
        Self {
            kty: "RSA",
            alg: "RS512",
            usage: "sig",
            kid,
            n,
            e,
        }
    }
}

/// `GET /jwk.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

impl SigningKey {
    /// A new 2048-bit key.
    pub fn generate() -> Result<Self, KeyError> {
        let der = KeyPair::generate(KeySize::Rsa2048)
            .and_then(|key| key.as_der())
            .map_err(|e| KeyError::Parse(e.to_string()))?;
        let pem = Pem::new(PEM_TAG, der.as_ref());
        let config = EncodeConfig::new().set_line_ending(LineEnding::LF);
        Self::from_pem(pem::encode_config(&pem, config).as_bytes())
    }

    /// The key of a PKCS#8 PEM document, checked (aws-lc refuses an inconsistent RSA key).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let parsed = pem::parse(pem).map_err(|e| KeyError::Parse(e.to_string()))?;
        if parsed.tag() != PEM_TAG {
            return Err(KeyError::Parse(format!("a {} block", parsed.tag())));
        }
        let key =
            KeyPair::from_pkcs8(parsed.contents()).map_err(|e| KeyError::Parse(e.to_string()))?;
        let encoding =
            EncodingKey::from_rsa_pem(pem).map_err(|e| KeyError::Parse(e.to_string()))?;
        let public = key.public_key();
        let n = public.modulus().big_endian_without_leading_zero();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(n)[..12]);
        let e = public.exponent().big_endian_without_leading_zero();
        let public = Jwk::rsa(kid, URL_SAFE_NO_PAD.encode(n), URL_SAFE_NO_PAD.encode(e));
        Ok(Self {
            encoding,
            public,
            pem: pem.to_vec(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.public.kid
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    pub fn public(&self) -> &Jwk {
        &self.public
    }

    /// The private key, PKCS#8 PEM: to be kept sealed.
    pub fn pem(&self) -> &[u8] {
        &self.pem
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Header, Validation, decode, encode};

    #[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
    struct Claims {
        sub: String,
        exp: i64,
    }

    #[test]
    fn a_key_signs_what_its_jwk_verifies_and_reads_back_from_its_pem() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_pem(key.pem()).unwrap();
        assert_eq!(key.kid(), again.kid(), "the kid is the key's");
        let jwk = key.public();
        assert_eq!(
            (jwk.kty, jwk.alg, jwk.usage, jwk.e.as_str()),
            ("RSA", "RS512", "sig", "AQAB")
        );
        let claims = Claims {
            sub: "alice".into(),
            exp: 4_102_444_800,
        };
        let token = encode(&Header::new(ALGORITHM), &claims, again.encoding_key()).unwrap();
        let decoding = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).unwrap();
        let decoded = decode::<Claims>(&token, &decoding, &Validation::new(ALGORITHM)).unwrap();
        assert_eq!(decoded.claims, claims);
    }

    #[test]
    fn what_is_not_an_rsa_pkcs8_key_is_refused() {
        for pem in [
            &b"not a key"[..],
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            assert!(matches!(SigningKey::from_pem(pem), Err(KeyError::Parse(_))));
        }
    }
}
