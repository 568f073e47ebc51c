//! The identity provider's signing key (RSA, RS512 as Globus uses) and its JWKS document.
//!
//! The key is generated on first start into the secrets directory (PKCS#8 PEM, 0600) and read
//! back afterwards. The JWKS lists the signing key first: the Globus SDK only looks at `keys[0]`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The algorithm of id tokens; discovery advertises it.
pub const ALGORITHM: Algorithm = Algorithm::RS512;
const KEY_FILE: &str = "idp-signing-key.pem";
const KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Secret(#[from] mrdp_service::secrets::SecretError),
    #[error("the signing key file is not an RSA PKCS#8 PEM key: {0}")]
    Parse(String),
}

/// The key id tokens are signed with, and what verifiers need to check them.
pub struct SigningKeys {
    kid: String,
    encoding: EncodingKey,
    public: Jwk,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeys")
            .field("kid", &self.kid)
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

/// `GET /jwk.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

impl SigningKeys {
    /// Reads the key from `secrets_dir`, generating it on first start.
    pub fn load_or_create(secrets_dir: &Path) -> Result<Self, KeyError> {
        let pem = mrdp_service::secrets::load_or_create(&secrets_dir.join(KEY_FILE), generate_pem)?;
        let pem = String::from_utf8(pem).map_err(|e| KeyError::Parse(e.to_string()))?;
        let key =
            RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| KeyError::Parse(e.to_string()))?;
        Self::from_key(&key)
    }

    fn from_key(key: &RsaPrivateKey) -> Result<Self, KeyError> {
        let der = key
            .to_pkcs1_der()
            .map_err(|e| KeyError::Parse(e.to_string()))?;
        let encoding = EncodingKey::from_rsa_der(der.as_bytes());
        let n = key.n().to_bytes_be();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..12]);
        let public = Jwk {
            kty: "RSA",
            alg: "RS512",
            usage: "sig",
            kid: kid.clone(),
            n: URL_SAFE_NO_PAD.encode(&n),
            e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        };
        Ok(Self {
            kid,
            encoding,
            public,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    pub fn jwks(&self) -> Jwks {
        Jwks {
            keys: vec![self.public.clone()],
        }
    }
}

fn generate_pem() -> Result<Vec<u8>, rsa::Error> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, KEY_BITS)?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(rsa::Error::Pkcs8)?;
    Ok(pem.as_bytes().to_vec())
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
    fn key_is_generated_once_and_signs_what_its_jwk_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path()).unwrap();
        let again = SigningKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(
            keys.kid(),
            again.kid(),
            "the second start reads the same key"
        );

        let jwk = &keys.jwks().keys[0];
        assert_eq!(
            (jwk.kty, jwk.alg, jwk.usage, jwk.e.as_str()),
            ("RSA", "RS512", "sig", "AQAB")
        );

        let claims = Claims {
            sub: "alice".into(),
            exp: 4_102_444_800,
        };
        let token = encode(&Header::new(ALGORITHM), &claims, keys.encoding_key()).unwrap();
        let decoding = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).unwrap();
        let decoded = decode::<Claims>(&token, &decoding, &Validation::new(ALGORITHM)).unwrap();
        assert_eq!(decoded.claims, claims);
    }

    #[test]
    fn a_corrupt_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        assert!(matches!(
            SigningKeys::load_or_create(dir.path()),
            Err(KeyError::Parse(_))
        ));
    }
}
