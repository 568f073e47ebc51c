//! `mrdp migrate`: apply every service's migrations and exit.

use crate::config::Config;
use crate::deployment::{SCHEMAS, open_store};
use mrdp_service::store::StoreLocation;
use std::process::ExitCode;

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    crate::data_dir::prepare(&config.data_dir)?;
    let location = StoreLocation::from_config(config.database_url.as_ref(), &config.data_dir)?;
    for (schema, migrations) in SCHEMAS {
        let store = open_store(&location, schema, migrations).await?;
        let version = store.schema_version().await?;
        println!(
            "mrdp: {schema:<9} schema version {}",
            version.map_or("none".to_owned(), |v| v.to_string())
        );
        store.close().await;
    }
    Ok(ExitCode::SUCCESS)
}
