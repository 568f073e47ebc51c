//! The catalog a datasets journey starts with: the shipped demo catalog, plus a test dataset
//! whose folder has folders in it (the shipped ones are flat) and enough small test datasets
//! for the results to take two pages.

use anyhow::Context;
use std::path::Path;

/// The test dataset's id and folder.
pub const NESTED_ID: &str = "nested-test";
const NESTED_FILE: &str = "a/b/deep.csv";
/// The flat test datasets added (`more-test-1`, …): with the demo's seven and the nested one,
/// twelve for a member of the demo group, two pages of ten.
pub const MORE_TEST_DATASETS: usize = 4;

/// A copy of `data/climate` with the test datasets added to its folders and catalog file.
pub fn journey_catalog() -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::tempdir().context("create a catalog directory")?;
    copy_tree(&crate::workspace_root().join("data/climate"), dir.path())?;
    let nested = dir.path().join(NESTED_ID);
    std::fs::create_dir_all(nested.join("a/b"))?;
    std::fs::write(nested.join("top.csv"), "DATE,PRCP,TMAX,TMIN\n")?;
    std::fs::write(
        nested.join(NESTED_FILE),
        "DATE,PRCP,TMAX,TMIN\n20200101,1,2,3\n",
    )?;
    let catalog_file = dir.path().join("catalog.json");
    let mut catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog_file)?)?;
    let datasets = catalog["datasets"]
        .as_array_mut()
        .context("catalog.json has a datasets array")?;
    let mut entry = datasets
        .first()
        .context("catalog.json has a dataset")?
        .clone();
    let mut add = |id: &str, title: &str| {
        entry["id"] = id.into();
        entry["folder"] = id.into();
        entry["title"] = title.into();
        datasets.push(entry.clone());
    };
    add(NESTED_ID, "A test dataset with folders");
    for n in 1..=MORE_TEST_DATASETS {
        let id = format!("more-test-{n}");
        std::fs::create_dir_all(dir.path().join(&id))?;
        std::fs::write(
            dir.path().join(&id).join("2012.csv"),
            "DATE,PRCP,TMAX,TMIN
",
        )?;
        add(&id, &format!("Test dataset {n}"));
    }
    std::fs::write(&catalog_file, catalog.to_string())?;
    Ok(dir)
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
