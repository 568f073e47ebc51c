//! The identity provider's signing key (RSA, RS512 as Globus uses) and its JWKS document.
//!
//! The key is generated on first start into the secrets directory (PKCS#8 PEM, 0600) and read
//! back afterwards. The JWKS lists the signing key first: the Globus SDK only looks at `keys[0]`.
//! Keys are made, checked and used through aws-lc (`aws-lc-rs`, and `jsonwebtoken`'s backend on
//! it), whose RSA private-key operations are constant-time.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use pem::{EncodeConfig, LineEnding, Pem};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The algorithm of id tokens; discovery advertises it.
pub const ALGORITHM: Algorithm = Algorithm::RS512;
const KEY_FILE: &str = "idp-signing-key.pem";
const PEM_TAG: &str = "PRIVATE KEY";
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
        let mut keys = Self::from_pem(&pem)?;
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
            keys.retired.push(Self::from_pem(&pem)?.public);
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

    /// The key of a PKCS#8 PEM file, checked (aws-lc refuses an inconsistent RSA key).
    fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
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
        let public = Jwk {
            kty: "RSA",
            alg: "RS512",
            usage: "sig",
            kid: kid.clone(),
            n: URL_SAFE_NO_PAD.encode(n),
            e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
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

fn io_error(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Secret(mrdp_service::secrets::SecretError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// A new 2048-bit key as PKCS#8 PEM.
fn generate_pem() -> Result<Vec<u8>, aws_lc_rs::error::Unspecified> {
    let der = KeyPair::generate(KeySize::Rsa2048)?.as_der()?;
    let pem = Pem::new(PEM_TAG, der.as_ref());
    let config = EncodeConfig::new().set_line_ending(LineEnding::LF);
    Ok(pem::encode_config(&pem, config).into_bytes())
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
