//! Random credentials (tokens, client secrets) and how they are stored: only as SHA-256 digests.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

pub use mrdp_service::secrets::{digest, random_token};

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
    fn client_secret_debug_is_redacted() {
        let secret = new_client_secret();
        assert_eq!(secret.expose().len(), 44);
        assert!(!format!("{secret:?}").contains(secret.expose()));
    }
}
