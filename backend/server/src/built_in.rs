//! The web app and the demo catalog that `build.rs` built into the binary, so that `mrdp`
//! started from any directory serves both. Unless the configuration names a directory
//! (`dist_dir`, `transfer.catalog_dir`), each is unpacked once into
//! `<data_dir>/built-in/<what>-<digest>/` (written beside it, synced, then renamed into place,
//! so that a crash leaves no half of one there) and used from there.

use crate::config::Config;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

static WEB_APP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/web-app.pack"));
static DEMO_CATALOG: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/demo-catalog.pack"));

/// Where the portal serves the web app from: `dist_dir` when configured; otherwise the one
/// built in, unpacked; `./dist` for a binary built without one (the portal then says how to
/// build it).
pub fn web_app_dir(config: &Config) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &config.dist_dir {
        return Ok(dir.clone());
    }
    if WEB_APP.is_empty() {
        return Ok(PathBuf::from("./dist"));
    }
    unpack("web-app", WEB_APP, &config.data_dir)
}

/// The demo datasets: `transfer.catalog_dir` when configured (a directory, or an error that
/// names the setting); otherwise the catalog built in, unpacked.
pub fn catalog_dir(config: &Config) -> anyhow::Result<PathBuf> {
    match &config.transfer.catalog_dir {
        Some(dir) if dir.is_dir() => Ok(dir.clone()),
        Some(dir) => anyhow::bail!(
            "transfer.catalog_dir: {} is not a directory (leave it unset for the demo catalog built into mrdp)",
            dir.display()
        ),
        None => unpack("demo-catalog", DEMO_CATALOG, &config.data_dir),
    }
}

/// `<data_dir>/built-in/<what>-<digest>/` holding the pack's files, unpacked if it is not there.
fn unpack(what: &str, pack: &[u8], data_dir: &Path) -> anyhow::Result<PathBuf> {
    let digest = Sha256::digest(pack);
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let parent = data_dir.join("built-in");
    let target = parent.join(format!("{what}-{short}"));
    if target.is_dir() {
        return Ok(target);
    }
    let staging = parent.join(format!(".{what}-{short}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let files = crate::pack::files(pack)
        .with_context(|| format!("the built-in {what} is not a whole pack"))?;
    for (name, bytes) in files {
        anyhow::ensure!(
            !name.split('/').any(|part| part.is_empty() || part == ".."),
            "the built-in {what} names {name}"
        );
        let path = staging.join(name);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = std::fs::File::create(&path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::create_dir_all(&staging)?;
    match std::fs::rename(&staging, &target) {
        Ok(()) => {}
        // Another process (a replica on the same data directory) was first: use its copy.
        Err(_) if target.is_dir() => {
            let _ = std::fs::remove_dir_all(&staging);
        }
        Err(e) => return Err(e).with_context(|| format!("unpack the built-in {what}")),
    }
    std::fs::File::open(&parent)?.sync_all()?;
    tracing::info!(what, dir = %target.display(), "unpacked what the binary carries");
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let files: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
            .collect();
        crate::pack::pack(&files)
    }

    #[test]
    fn a_pack_unpacks_once_into_a_folder_named_by_its_digest() {
        let data = tempfile::tempdir().unwrap();
        let pack = pack_of(&[("index.html", b"<html>"), ("a/b.csv", b"1,2\n")]);
        let dir = unpack("web-app", &pack, data.path()).unwrap();
        assert_eq!(std::fs::read(dir.join("a/b.csv")).unwrap(), b"1,2\n");
        assert_eq!(std::fs::read(dir.join("index.html")).unwrap(), b"<html>");
        std::fs::write(dir.join("index.html"), "changed").unwrap();
        assert_eq!(
            unpack("web-app", &pack, data.path()).unwrap(),
            dir,
            "the same pack"
        );
        assert_eq!(
            std::fs::read(dir.join("index.html")).unwrap(),
            b"changed",
            "not again"
        );
        let other = unpack("web-app", &pack_of(&[("index.html", b"new")]), data.path()).unwrap();
        assert_ne!(other, dir);
        let leftovers = std::fs::read_dir(data.path().join("built-in"))
            .unwrap()
            .count();
        assert_eq!(leftovers, 2, "no staging folder left behind");
    }

    #[test]
    fn a_pack_cut_short_or_naming_a_way_out_is_refused() {
        let data = tempfile::tempdir().unwrap();
        let pack = pack_of(&[("index.html", b"<html>")]);
        assert!(unpack("a", &pack[..pack.len() - 1], data.path()).is_err());
        assert!(unpack("b", &pack_of(&[("../escape", b"x")]), data.path()).is_err());
    }

    #[test]
    fn the_binary_carries_the_demo_catalog() {
        let names: Vec<&str> = crate::pack::files(DEMO_CATALOG)
            .unwrap()
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert!(
            names.contains(&"catalog.json") && names.contains(&"sea/2012.csv"),
            "{names:?}"
        );
    }
}
