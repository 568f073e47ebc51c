//! Random credentials (tokens, client secrets) and how they are stored: only as SHA-256 digests.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe: access and refresh tokens, authorization codes.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes())
}

/// A new client secret. Standard base64, so that it contains `+ / =` as Globus secrets do:
/// clients must send it in HTTP Basic exactly as issued.
pub fn new_client_secret() -> ClientSecret {
    ClientSecret(STANDARD.encode(random_bytes()))
}

fn random_bytes() -> [u8; 32] {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// What the database keeps of a token or secret: its SHA-256, base64url. The values are 256-bit
/// random, so a fast hash is enough (no password stretching needed).
pub fn digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// A client secret as issued; shown once, never logged (`Debug` is redacted).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn digests_are_stable_and_do_not_contain_the_secret() {
        assert_eq!(digest("abc"), digest("abc"));
        assert_ne!(digest("abc"), digest("abd"));
        assert!(!digest("abc").contains("abc"));
    }

    #[test]
    fn client_secret_debug_is_redacted() {
        let secret = new_client_secret();
        assert_eq!(secret.expose().len(), 44);
        assert!(!format!("{secret:?}").contains(secret.expose()));
    }
}
