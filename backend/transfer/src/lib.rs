//! The embedded transfer service (Globus Transfer API v0.10 compatible) and its data server.
//!
//! Two HTTP services share one store: the Transfer API (`mrdp transfer`, port base+2) and the
//! HTTPS data server that reads and writes collection files (port base+3).

pub mod access;
pub mod access_rules;
pub mod api;
pub mod bearer;
pub mod collections;
pub mod data_server;
pub mod engine;
pub mod judge;
pub mod leases;
pub mod locate;
pub mod metrics;
pub mod paths;
pub mod rule_book;
pub mod storage;
pub mod task_files;
pub mod task_pages;
pub mod tasks;
pub mod temporary_files;

use mrdp_service::store::Migrations;

/// The transfer service's schema, per SQL dialect (the data server shares it).
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_globus::introspection::Introspector;
    use mrdp_service::clock::SystemClock;
    use mrdp_shared::ServiceName;
    use std::sync::Arc;

    fn introspector() -> Introspector {
        Introspector::new(
            reqwest::Client::new(),
            "http://127.0.0.1:9",
            "t".into(),
            "s".into(),
        )
    }

    #[tokio::test]
    async fn both_services_report_themselves_and_their_migrated_store_on_both_backends() {
        mrdp_service::testing::assert_healthy_on_both_backends(
            ServiceName::Transfer,
            "transfer",
            &MIGRATIONS,
            |cfg, store| {
                let api = api::TransferApi::new(
                    store.clone(),
                    introspector(),
                    Arc::new(SystemClock),
                    "http://127.0.0.1:9".into(),
                    Default::default(),
                );
                api::configure(cfg, &api);
            },
        )
        .await;
        mrdp_service::testing::assert_healthy_on_both_backends(
            ServiceName::Data,
            "transfer",
            &MIGRATIONS,
            |cfg, store| {
                let signed_urls = data_server::SignedUrls {
                    signer: data_server::signed::UrlSigner::from_secret(b"k"),
                    public_url: "http://127.0.0.1:9".into(),
                    origins: Vec::new(),
                };
                let server = data_server::DataServer::new(
                    store.clone(),
                    introspector(),
                    Arc::new(SystemClock),
                    Default::default(),
                    signed_urls,
                );
                data_server::configure(cfg, &server);
            },
        )
        .await;
    }
}
