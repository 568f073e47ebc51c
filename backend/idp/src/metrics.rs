//! The identity provider's own metrics (beside the HTTP requests and the store's pool every
//! service has): the tokens it granted and refused at its token endpoint, by grant type (and, for
//! a refusal, its OAuth error), under `mrdp_idp_`.

use crate::error::OAuthError;
use mrdp_globus::auth::GrantType;
use mrdp_service::metrics::{Labels, Metrics};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

/// Grants and refusals, as the token endpoint answers them.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    granted: Family<Labels, Counter>,
    refused: Family<Labels, Counter>,
}

impl Grants {
    /// One answer of the token endpoint: `grant` (`None`: a grant type it does not support),
    /// granted or refused with `refusal`.
    pub fn record(&self, grant: Option<GrantType>, refusal: Option<&OAuthError>) {
        let grant_type = grant.map_or("unsupported", GrantType::as_str).to_owned();
        match refusal {
            None => self
                .granted
                .get_or_create(&vec![("grant_type", grant_type)])
                .inc(),
            Some(error) => self
                .refused
                .get_or_create(&vec![
                    ("grant_type", grant_type),
                    ("error", error.code().to_owned()),
                ])
                .inc(),
        };
    }

    /// Registers these counters in `metrics`.
    pub fn register(&self, metrics: &Metrics) {
        metrics.register(
            "idp_tokens_granted",
            "Token requests granted, by grant type",
            self.granted.clone(),
        );
        metrics.register(
            "idp_tokens_refused",
            "Token requests refused, by grant type and OAuth error",
            self.refused.clone(),
        );
    }
}
