//! A path inside a dataset's folder, as a researcher names it (`2012.csv`, `nested/deeper`): read
//! once at the edge, so that nothing built from it can leave the folder. `..`, `.`, an absolute
//! path, an empty name, a backslash, a `%` (an escape left after decoding) and control characters
//! (NUL included) are refused.

use crate::PortalError;

const MOST_BYTES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetPath {
    names: Vec<String>,
}

impl DatasetPath {
    /// `""` is the dataset's folder itself; a trailing `/` is allowed.
    pub fn parse(raw: &str) -> Result<Self, PortalError> {
        let bad = |problem: &str| PortalError::BadRequest(format!("path: {problem}"));
        if raw.len() > MOST_BYTES {
            return Err(bad("at most 1024 bytes"));
        }
        if raw.starts_with('/') {
            return Err(bad("relative to the dataset's folder, not absolute"));
        }
        let trimmed = raw.strip_suffix('/').unwrap_or(raw);
        if trimmed.is_empty() {
            return Ok(Self { names: Vec::new() });
        }
        let mut names = Vec::new();
        for name in trimmed.split('/') {
            if name.is_empty() || name == "." || name == ".." {
                return Err(bad("no empty, '.' or '..' names"));
            }
            if name
                .chars()
                .any(|c| c.is_control() || c == '\\' || c == '%')
            {
                return Err(bad("no control characters, backslashes or escapes"));
            }
            names.push(name.to_owned());
        }
        Ok(Self { names })
    }

    /// As the researcher wrote it, normalised (`a/b`).
    pub fn relative(&self) -> String {
        self.names.join("/")
    }

    /// The path in the collection, under the dataset's `folder`, as a directory (`/sea/a/`).
    pub fn folder_in(&self, folder: &str) -> String {
        let mut path = format!("/{folder}/");
        for name in &self.names {
            path.push_str(name);
            path.push('/');
        }
        path
    }

    /// The path in the collection, under the dataset's `folder`, as a file (`/sea/2012.csv`);
    /// `None` for the folder itself.
    pub fn file_in(&self, folder: &str) -> Option<String> {
        (!self.names.is_empty()).then(|| format!("/{folder}/{}", self.relative()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_stays_in_its_dataset_folder() {
        let path = DatasetPath::parse("nested/deeper/").unwrap();
        assert_eq!(path.folder_in("sea"), "/sea/nested/deeper/");
        assert_eq!(path.file_in("sea").unwrap(), "/sea/nested/deeper");
        assert_eq!(DatasetPath::parse("").unwrap().folder_in("sea"), "/sea/");
        assert_eq!(DatasetPath::parse("").unwrap().file_in("sea"), None);
    }

    #[test]
    fn attacks_are_refused() {
        for attack in [
            "..",
            "../ceu",
            "a/../../ceu",
            "./a",
            "/etc/passwd",
            "a//b",
            "a\0b",
            "a\\..\\b",
            "%2e%2e/ceu",
            "a\nb",
        ] {
            assert!(
                matches!(DatasetPath::parse(attack), Err(PortalError::BadRequest(_))),
                "{attack:?}"
            );
        }
        assert!(DatasetPath::parse(&"a/".repeat(600)).is_err());
    }
}
