//! The catalog file an operator writes (`data/climate/catalog.json` for the demo): its entries,
//! read and checked whole before anything of an import is applied. A refusal names the entry and
//! the field.

use mrdp_shared::{Access, Station, Variable};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One dataset as the catalog file describes it. File counts and sizes are not here: the transfer
/// service counts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The dataset's folder in the catalog collection, relative to its root (`sea`).
    pub folder: String,
    pub station: Station,
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub variables_missing: Vec<String>,
    pub first_year: i32,
    pub last_year: i32,
    pub licence: String,
    pub source: String,
    pub provenance: String,
    pub creator: String,
    pub access: Access,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    datasets: Vec<serde_json::Value>,
}

/// Why a catalog file was refused: which entry, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entry}: {field}: {problem}")]
pub struct EntryError {
    /// `entry 3 (ceu)`, or `the file` when the file itself is malformed.
    pub entry: String,
    pub field: String,
    pub problem: String,
}

/// Reads a catalog file: every entry, or the first thing wrong.
pub fn parse(text: &str) -> Result<Vec<CatalogEntry>, EntryError> {
    let whole = |field: String, problem: String| EntryError {
        entry: "the file".into(),
        field,
        problem,
    };
    let file: CatalogFile =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
            .map_err(|e| whole(e.path().to_string(), e.into_inner().to_string()))?;
    let mut ids = HashSet::new();
    let mut folders = HashSet::new();
    let mut entries = Vec::with_capacity(file.datasets.len());
    for (index, value) in file.datasets.into_iter().enumerate() {
        let named = value
            .get("id")
            .and_then(|id| id.as_str())
            .map(str::to_owned);
        let name = match &named {
            Some(id) => format!("entry {} ({id})", index + 1),
            None => format!("entry {}", index + 1),
        };
        let fail = |field: &str, problem: String| EntryError {
            entry: name.clone(),
            field: field.to_owned(),
            problem,
        };
        let entry: CatalogEntry = serde_path_to_error::deserialize(value)
            .map_err(|e| fail(&e.path().to_string(), e.into_inner().to_string()))?;
        check(&entry).map_err(|(field, problem)| fail(field, problem))?;
        if !ids.insert(entry.id.clone()) {
            return Err(fail("id", "another entry of the file has this id".into()));
        }
        if !folders.insert(entry.folder.clone()) {
            return Err(fail(
                "folder",
                "another entry of the file has this folder".into(),
            ));
        }
        entries.push(entry);
    }
    Ok(entries)
}

type Problem = (&'static str, String);

fn check(entry: &CatalogEntry) -> Result<(), Problem> {
    if !is_slug(&entry.id) {
        return Err((
            "id",
            "1 to 64 of a-z, 0-9 and '-', starting with a letter or digit".into(),
        ));
    }
    text("title", &entry.title, 200)?;
    text("description", &entry.description, 5000)?;
    if !is_folder(&entry.folder) {
        return Err((
            "folder",
            "a relative path of names made of A-Z, a-z, 0-9, '.', '_' and '-' (no '..')".into(),
        ));
    }
    text("station.id", &entry.station.id, 32)?;
    text("station.name", &entry.station.name, 200)?;
    if let Some(at) = &entry.station.coordinates {
        within("station.coordinates.latitude", at.latitude, -90.0, 90.0)?;
        within("station.coordinates.longitude", at.longitude, -180.0, 180.0)?;
        within(
            "station.coordinates.elevation_m",
            at.elevation_m,
            -500.0,
            9000.0,
        )?;
        text("station.coordinates.source", &at.source, 500)?;
    }
    check_variables(entry)?;
    for (field, year) in [
        ("first_year", entry.first_year),
        ("last_year", entry.last_year),
    ] {
        if !(1..=9999).contains(&year) {
            return Err((field, format!("{year} is not a year from 1 to 9999")));
        }
    }
    if entry.first_year > entry.last_year {
        return Err(("last_year", "before first_year".into()));
    }
    text("licence", &entry.licence, 500)?;
    text("source", &entry.source, 1000)?;
    text("provenance", &entry.provenance, 2000)?;
    text("creator", &entry.creator, 500)?;
    if let Access::Group { id, name } = &entry.access {
        if uuid_like(id).is_none() {
            return Err(("access.id", "a group id is a UUID".into()));
        }
        text("access.name", name, 100)?;
    }
    Ok(())
}

fn check_variables(entry: &CatalogEntry) -> Result<(), Problem> {
    if entry.variables.is_empty() {
        return Err(("variables", "at least one".into()));
    }
    let mut names = HashSet::new();
    for variable in &entry.variables {
        text("variables.name", &variable.name, 64)?;
        text("variables.description", &variable.description, 200)?;
        text("variables.unit", &variable.unit, 64)?;
        if !names.insert(variable.name.as_str()) {
            return Err(("variables.name", format!("{} twice", variable.name)));
        }
    }
    for missing in &entry.variables_missing {
        if !names.contains(missing.as_str()) {
            return Err((
                "variables_missing",
                format!("{missing} is not one of the variables"),
            ));
        }
    }
    Ok(())
}

fn text(field: &'static str, value: &str, most: usize) -> Result<(), Problem> {
    let length = value.chars().count();
    if value.trim().is_empty() || length > most || value.chars().any(char::is_control) {
        return Err((
            field,
            format!("1 to {most} characters, no control characters"),
        ));
    }
    Ok(())
}

fn within(field: &'static str, value: f64, least: f64, most: f64) -> Result<(), Problem> {
    if value.is_finite() && (least..=most).contains(&value) {
        Ok(())
    } else {
        Err((field, format!("{value} is not from {least} to {most}")))
    }
}

fn is_slug(id: &str) -> bool {
    let mut bytes = id.bytes();
    id.len() <= 64
        && bytes
            .next()
            .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_folder(folder: &str) -> bool {
    folder.len() <= 255
        && folder.split('/').all(|name| {
            !name.is_empty()
                && name != "."
                && name != ".."
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

fn uuid_like(id: &str) -> Option<()> {
    let groups: Vec<&str> = id.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    (groups.len() == 5
        && groups.iter().zip(lengths).all(|(group, length)| {
            group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit())
        }))
    .then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/climate/catalog.json"
        );
        std::fs::read_to_string(path).unwrap()
    }

    /// The shipped catalog with `change` applied to its `index`th entry.
    fn changed(index: usize, change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut file: serde_json::Value = serde_json::from_str(&shipped()).unwrap();
        change(&mut file["datasets"][index]);
        file.to_string()
    }

    #[test]
    fn the_shipped_catalog_describes_the_seven_stations() {
        let entries = parse(&shipped()).unwrap();
        let ids: Vec<&str> = entries.iter().map(|entry| entry.id.as_str()).collect();
        assert_eq!(ids, ["sea", "nyc", "ewr", "jfk", "lga", "lnk", "ceu"]);
        let ceu = &entries[6];
        assert_eq!(ceu.variables_missing, ["PRCP"]);
        assert!(matches!(&ceu.access, Access::Group { name, .. } if name == "Climate history"));
        assert_eq!((ceu.first_year, ceu.last_year), (1930, 2020));
    }

    /// A change to one entry of a catalog file.
    type Change = fn(&mut serde_json::Value);

    #[test]
    fn a_refusal_names_the_entry_and_the_field() {
        let cases: [(usize, Change, &str, &str); 8] = [
            (
                2,
                |e| e["first_year"] = 2014.into(),
                "entry 3 (ewr)",
                "last_year",
            ),
            (0, |e| e["id"] = "Sea".into(), "entry 1 (Sea)", "id"),
            (
                1,
                |e| e["folder"] = "../etc".into(),
                "entry 2 (nyc)",
                "folder",
            ),
            (
                1,
                |e| e["folder"] = "/nyc".into(),
                "entry 2 (nyc)",
                "folder",
            ),
            (3, |e| e["title"] = "".into(), "entry 4 (jfk)", "title"),
            (
                4,
                |e| e["station"]["coordinates"]["latitude"] = 91.0.into(),
                "entry 5 (lga)",
                "station.coordinates.latitude",
            ),
            (
                5,
                |e| e["variables_missing"] = serde_json::json!(["SNOW"]),
                "entry 6 (lnk)",
                "variables_missing",
            ),
            (
                6,
                |e| e["access"]["id"] = "climate".into(),
                "entry 7 (ceu)",
                "access.id",
            ),
        ];
        for (index, change, entry, field) in cases {
            let error = parse(&changed(index, change)).unwrap_err();
            assert_eq!(
                (error.entry.as_str(), error.field.as_str()),
                (entry, field),
                "{error}"
            );
        }
    }

    #[test]
    fn types_unknown_fields_and_repeats_are_refused_by_name() {
        let error = parse(&changed(0, |e| e["first_year"] = "2012".into())).unwrap_err();
        assert_eq!(
            (error.entry.as_str(), error.field.as_str()),
            ("entry 1 (sea)", "first_year")
        );
        let error = parse(&changed(0, |e| e["colour"] = "blue".into())).unwrap_err();
        assert!(error.problem.contains("colour"), "{error}");
        let error = parse(&changed(1, |e| e["id"] = "sea".into())).unwrap_err();
        assert_eq!(
            (error.entry.as_str(), error.field.as_str()),
            ("entry 2 (sea)", "id")
        );
        let error = parse("{\"datasets\": 3}").unwrap_err();
        assert_eq!(
            (error.entry.as_str(), error.field.as_str()),
            ("the file", "datasets")
        );
    }
}
