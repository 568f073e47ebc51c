//! The signing keys in the store, on both backends: two replicas (key rings on their own
//! connections) sign with the same key; a rotation through one is what the other signs with and
//! publishes at once, with the key before still published, so that its id tokens verify; only the
//! few most recent retired keys stay published; the key files of earlier versions are taken in at
//! the first start; and keys sealed with another data directory's seal key do not open.

use jsonwebtoken::{DecodingKey, Header, Validation, decode, encode};
use mrdp_idp::MIGRATIONS;
use mrdp_idp::key_ring::{KEEP_RETIRED, KeyRing};
use mrdp_idp::keys::{ALGORITHM, KeyError, SigningKey};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::each_backend;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Claims {
    sub: String,
    exp: i64,
}

async fn store(location: &StoreLocation) -> Store {
    let store = Store::connect(location, "idp").await.unwrap();
    store.migrate(&MIGRATIONS).await.unwrap();
    store
}

async fn ring(location: &StoreLocation, secrets: &Path, now: i64) -> KeyRing {
    KeyRing::open(store(location).await, secrets, now)
        .await
        .unwrap()
}

/// A token for `sub` signed as the ring signs now.
async fn signed(ring: &KeyRing, sub: &str) -> String {
    let keys = ring.current().await.unwrap();
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(keys.signing().kid().to_owned());
    let claims = Claims {
        sub: sub.into(),
        exp: 4_102_444_800,
    };
    encode(&header, &claims, keys.signing().encoding_key()).unwrap()
}

/// Whether `token` verifies with the key of its kid in what `ring` publishes.
async fn verifies(ring: &KeyRing, token: &str) -> bool {
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let keys = ring.current().await.unwrap();
    let Some(jwk) = keys.jwks().keys.iter().find(|jwk| jwk.kid == kid) else {
        return false;
    };
    let key = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).unwrap();
    decode::<Claims>(token, &key, &Validation::new(ALGORITHM)).is_ok()
}

async fn published(ring: &KeyRing) -> Vec<String> {
    let keys = ring.current().await.unwrap();
    keys.jwks().keys.iter().map(|jwk| jwk.kid.clone()).collect()
}

#[tokio::test]
async fn a_key_rotated_through_one_replica_signs_and_is_published_by_the_other_on_both_backends() {
    each_backend(|location| async move {
        let secrets = tempfile::tempdir().unwrap();
        let one = ring(&location, secrets.path(), 1_000).await;
        let other = ring(&location, secrets.path(), 1_001).await;
        let first = published(&one).await;
        assert_eq!(first.len(), 1, "one key made, by the first start only");
        assert_eq!(published(&other).await, first);
        let before = signed(&one, "alice").await;
        assert!(verifies(&other, &before).await);

        let kid = one.rotate(2_000).await.unwrap();
        assert_eq!(published(&other).await, [kid.clone(), first[0].clone()]);
        let after = signed(&other, "bob").await;
        assert_eq!(
            jsonwebtoken::decode_header(&after).unwrap().kid.as_deref(),
            Some(kid.as_str()),
            "the other replica signs with the new key"
        );
        assert!(verifies(&one, &after).await);
        assert!(
            verifies(&other, &before).await,
            "the key before is still published"
        );

        for n in 0..KEEP_RETIRED {
            other
                .rotate(3_000 + i64::try_from(n).unwrap())
                .await
                .unwrap();
        }
        let kids = published(&one).await;
        assert_eq!(kids.len(), 1 + KEEP_RETIRED);
        assert!(
            !kids.contains(&first[0]),
            "the oldest is no longer published"
        );
        assert!(!verifies(&one, &before).await);
    })
    .await;
}

#[tokio::test]
async fn former_key_files_are_taken_in_and_another_seal_key_opens_nothing_on_both_backends() {
    each_backend(|location| async move {
        let secrets = tempfile::tempdir().unwrap();
        let (current, retired) = (
            SigningKey::generate().unwrap(),
            SigningKey::generate().unwrap(),
        );
        std::fs::write(secrets.path().join("idp-signing-key.pem"), current.pem()).unwrap();
        let retired_dir = secrets.path().join("idp-retired-signing-keys");
        std::fs::create_dir(&retired_dir).unwrap();
        std::fs::write(retired_dir.join("000000001500.pem"), retired.pem()).unwrap();

        let taken_in = ring(&location, secrets.path(), 2_000).await;
        assert_eq!(
            published(&taken_in).await,
            [current.kid(), retired.kid()],
            "the key that signed before signs still"
        );

        let elsewhere = tempfile::tempdir().unwrap();
        let refused = KeyRing::open(store(&location).await, elsewhere.path(), 2_001).await;
        assert!(
            matches!(refused, Err(KeyError::Sealed(ref kid)) if kid == current.kid()),
            "{refused:?}"
        );
    })
    .await;
}
