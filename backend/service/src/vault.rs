//! The token vault: tokens are sealed with ChaCha20-Poly1305 before they reach a database, bound
//! (as associated data) to their holder (the portal's session, the graph service's job) and
//! resource server, so that a sealed token copied to another row does not open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The vault key (32 bytes); `Debug` shows nothing of it.
#[derive(Clone)]
pub struct VaultKey([u8; 32]);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey([redacted])")
    }
}

impl VaultKey {
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn generate() -> Vec<u8> {
        let mut key = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key.to_vec()
    }
}

/// One resource server's tokens, as the vault keeps them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub scope: String,
    pub expires_at: i64,
}

impl std::fmt::Debug for StoredTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredTokens")
            .field("scope", &self.scope)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the vault could not seal or open a secret")]
pub struct VaultError;

fn associated(holder: &str, resource_server: &str) -> String {
    format!("{holder}\n{resource_server}")
}

pub fn seal(
    key: &VaultKey,
    holder: &str,
    resource_server: &str,
    tokens: &StoredTokens,
) -> Result<String, VaultError> {
    let plaintext = serde_json::to_vec(tokens).map_err(|_| VaultError)?;
    seal_bytes(key, &associated(holder, resource_server), &plaintext)
}

pub fn open(
    key: &VaultKey,
    holder: &str,
    resource_server: &str,
    sealed: &str,
) -> Result<StoredTokens, VaultError> {
    let plaintext = open_bytes(key, &associated(holder, resource_server), sealed)?;
    serde_json::from_slice(&plaintext).map_err(|_| VaultError)
}

/// Seals `plaintext`, bound to `context` (it opens only with the same), as base64 of nonce and
/// ciphertext.
pub fn seal_bytes(key: &VaultKey, context: &str, plaintext: &[u8]) -> Result<String, VaultError> {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
    let mut nonce = [0_u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| VaultError)?;
    Ok(STANDARD.encode([nonce.as_slice(), &sealed].concat()))
}

/// Opens what [`seal_bytes`] sealed with `key` for `context`.
pub fn open_bytes(key: &VaultKey, context: &str, sealed: &str) -> Result<Vec<u8>, VaultError> {
    let bytes = STANDARD.decode(sealed).map_err(|_| VaultError)?;
    if bytes.len() < 12 {
        return Err(VaultError);
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| VaultError)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> StoredTokens {
        StoredTokens {
            access_token: "at-secret".into(),
            refresh_token: Some("rt-secret".into()),
            scope: "s".into(),
            expires_at: 1,
        }
    }

    #[test]
    fn sealed_tokens_open_only_where_they_were_sealed() {
        let key = VaultKey::from_bytes(&VaultKey::generate()).unwrap();
        let sealed = seal(&key, "session-a", "transfer.api.globus.org", &tokens()).unwrap();
        assert!(!sealed.contains("secret"));
        assert_eq!(
            open(&key, "session-a", "transfer.api.globus.org", &sealed).unwrap(),
            tokens()
        );
        assert!(
            open(&key, "session-b", "transfer.api.globus.org", &sealed).is_err(),
            "moved to another session"
        );
        assert!(
            open(&key, "session-a", "auth.globus.org", &sealed).is_err(),
            "moved to another resource server"
        );
        let other = VaultKey::from_bytes(&VaultKey::generate()).unwrap();
        assert!(
            open(&other, "session-a", "transfer.api.globus.org", &sealed).is_err(),
            "another key"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        assert!(!format!("{:?}", tokens()).contains("secret"));
        assert!(!format!("{:?}", VaultKey::from_bytes(&[7; 32]).unwrap()).contains('7'));
    }
}
