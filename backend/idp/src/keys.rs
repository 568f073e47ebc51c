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
/// Where rotated-out keys go, as `<unix time>.pem`.
const RETIRED_DIR: &str = "idp-retired-signing-keys";
/// How many retired keys stay published.
const KEEP_RETIRED: usize = 3;

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
    /// Keys rotated out, newest first: tokens they signed still verify.
    retired: Vec<Jwk>,
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
    /// Reads the key from `secrets_dir`, generating it on first start, and the retired keys.
    pub fn load_or_create(secrets_dir: &Path) -> Result<Self, KeyError> {
        let pem = mrdp_service::secrets::load_or_create(&secrets_dir.join(KEY_FILE), generate_pem)?;
        let mut keys = Self::from_key(&parse(&pem)?)?;
        let retired_dir = secrets_dir.join(RETIRED_DIR);
        let mut retired: Vec<std::path::PathBuf> = match std::fs::read_dir(&retired_dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_error(&retired_dir, e)),
        };
        // Named `<unix time>.pem`: the newest first, and only the few most recent.
        retired.sort();
        retired.reverse();
        for path in retired.into_iter().take(KEEP_RETIRED) {
            let pem = std::fs::read(&path).map_err(|e| io_error(&path, e))?;
            keys.retired.push(Self::from_key(&parse(&pem)?)?.public);
        }
        Ok(keys)
    }

    /// Retires the current key (it stays published for verification) and makes a new one
    /// current. Returns the new key id. A running identity provider picks it up on restart.
    pub fn rotate(secrets_dir: &Path, now: i64) -> Result<String, KeyError> {
        let current = secrets_dir.join(KEY_FILE);
        let retired_dir = secrets_dir.join(RETIRED_DIR);
        std::fs::create_dir_all(&retired_dir).map_err(|e| io_error(&retired_dir, e))?;
        if current.exists() {
            let target = retired_dir.join(format!("{now:012}.pem"));
            std::fs::rename(&current, &target).map_err(|e| io_error(&current, e))?;
        }
        Ok(Self::load_or_create(secrets_dir)?.kid)
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
            retired: Vec::new(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    pub fn jwks(&self) -> Jwks {
        let mut keys = vec![self.public.clone()];
        keys.extend(self.retired.iter().cloned());
        Jwks { keys }
    }
}

fn parse(pem: &[u8]) -> Result<RsaPrivateKey, KeyError> {
    let pem = std::str::from_utf8(pem).map_err(|e| KeyError::Parse(e.to_string()))?;
    RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| KeyError::Parse(e.to_string()))
}

fn io_error(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Secret(mrdp_service::secrets::SecretError::Io {
        path: path.display().to_string(),
        source,
    })
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
    fn rotation_signs_with_a_new_key_and_still_publishes_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let old = SigningKeys::load_or_create(dir.path()).unwrap();
        let old_token = encode(
            &Header::new(ALGORITHM),
            &Claims {
                sub: "a".into(),
                exp: 4_102_444_800,
            },
            old.encoding_key(),
        )
        .unwrap();

        let new_kid = SigningKeys::rotate(dir.path(), 1_800_000_000).unwrap();
        let keys = SigningKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(keys.kid(), new_kid);
        assert_ne!(new_kid, old.kid());
        let jwks = keys.jwks().keys;
        assert_eq!(
            jwks.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(),
            [new_kid.as_str(), old.kid()]
        );
        let retired = DecodingKey::from_rsa_components(&jwks[1].n, &jwks[1].e).unwrap();
        assert!(decode::<Claims>(&old_token, &retired, &Validation::new(ALGORITHM)).is_ok());

        for (i, now) in [1_800_000_100, 1_800_000_200, 1_800_000_300]
            .into_iter()
            .enumerate()
        {
            SigningKeys::rotate(dir.path(), now).unwrap();
            let published = SigningKeys::load_or_create(dir.path())
                .unwrap()
                .jwks()
                .keys
                .len();
            assert_eq!(published, (i + 3).min(1 + KEEP_RETIRED));
        }
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
