//! Builds the web app and the demo catalog into the `mrdp` binary, so that it serves both from
//! any directory (`src/built_in.rs` unpacks them into the data directory on start).
//!
//! Each is packed into one file of `OUT_DIR` (`src/pack.rs`), rewritten only when its content
//! changes. The web app is the release build in `dist/` that
//! trunk's hook stamped (`scripts/compress-web-app` writes `.tmp/web-app.digest` when the content
//! changed), so that a rebuild of the same web app rebuilds nothing here; without a stamp the
//! binary carries no web app and says so. The catalog is `data/climate/`.

#[path = "src/pack.rs"]
mod pack;

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let stamp = root.join(".tmp/web-app.digest");
    let catalog = root.join("data/climate");
    println!("cargo:rerun-if-changed={}", stamp.display());
    println!("cargo:rerun-if-changed={}", catalog.display());
    let web_app = if stamp.is_file() {
        files_of(&root.join("dist"))
    } else {
        println!(
            "cargo:warning=no release build of the web app (dist/, stamped): the binary carries none; `make frontend` builds it"
        );
        Vec::new()
    };
    for (name, files) in [("web-app", web_app), ("demo-catalog", files_of(&catalog))] {
        let packed = pack::pack(&files);
        assert_eq!(
            pack::files(&packed).map(|read| read.len()),
            Some(files.len())
        );
        write_if_changed(&out.join(format!("{name}.pack")), &packed);
    }
}

/// Every file under `dir`, by its path relative to it (with `/`), in order.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative.to_string_lossy().replace('\\', "/");
                let bytes = fs::read(&path).unwrap_or_else(|e| panic!("read {name}: {e}"));
                found.push((name, bytes));
            }
        }
    }
    found.sort();
    found
}

fn write_if_changed(path: &Path, content: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(content) {
        fs::write(path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
