//! `[s3]`: the S3-compatible object store that `s3://bucket/prefix` collections live in, and
//! the key its requests are signed with (SigV4). Without it, only local collections open.

use anyhow::Context;
use mrdp_transfer::storage::object::S3Access;
use serde::Deserialize;

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// `http(s)://host:port` of an S3-compatible server; unset: AWS S3 itself.
    pub endpoint: Option<String>,
    /// The region requests are signed for (`us-east-1` when unset).
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    /// Better given as `MRDP_S3__SECRET_ACCESS_KEY` than written in a file.
    pub secret_access_key: Option<String>,
}

/// Never shows the secret.
impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.access_key_id.is_some() == self.secret_access_key.is_some(),
            "s3.access_key_id and s3.secret_access_key: set both, or neither"
        );
        if let Some(endpoint) = &self.endpoint {
            let url = reqwest::Url::parse(endpoint).context("s3.endpoint")?;
            anyhow::ensure!(
                matches!(url.scheme(), "http" | "https"),
                "s3.endpoint: `{endpoint}` is not an http(s):// URL"
            );
        }
        Ok(())
    }

    /// How to reach the store, when one is configured.
    pub fn access(&self) -> Option<S3Access> {
        let (Some(access_key_id), Some(secret_access_key)) =
            (&self.access_key_id, &self.secret_access_key)
        else {
            return None;
        };
        Some(S3Access {
            endpoint: self.endpoint.clone(),
            region: self
                .region
                .clone()
                .unwrap_or_else(|| "us-east-1".to_owned()),
            access_key_id: access_key_id.clone(),
            secret_access_key: secret_access_key.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(endpoint: Option<&str>, key: Option<&str>, secret: Option<&str>) -> S3Config {
        S3Config {
            endpoint: endpoint.map(str::to_owned),
            region: None,
            access_key_id: key.map(str::to_owned),
            secret_access_key: secret.map(str::to_owned),
        }
    }

    #[test]
    fn a_store_needs_a_key_and_its_secret_and_never_shows_the_secret() {
        let complete = config(Some("http://127.0.0.1:9000"), Some("AK"), Some("s3cret"));
        complete.validate().unwrap();
        let access = complete.access().unwrap();
        assert_eq!(access.region, "us-east-1");
        assert!(!format!("{complete:?} {access:?}").contains("s3cret"));
        assert!(config(None, None, None).access().is_none());
        for broken in [
            config(None, Some("AK"), None),
            config(None, None, Some("s3cret")),
            config(Some("ftp://store"), Some("AK"), Some("s3cret")),
            config(Some("not a url"), Some("AK"), Some("s3cret")),
        ] {
            let error = format!("{:#}", broken.validate().unwrap_err());
            assert!(error.starts_with("s3."), "{error}");
        }
    }
}
