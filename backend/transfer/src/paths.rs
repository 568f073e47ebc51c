//! Paths inside a collection, as the Transfer API and the data server receive them.
//!
//! A path is parsed once, at the edge, into a [`CollectionPath`]: absolute, normalised, and free of
//! everything that could reach outside the collection's root (`..`, NUL bytes) or past what a file
//! system accepts (over-long names). Storage backends only ever see `CollectionPath`s, so a path
//! attack is a 400 at the door, never a question for the storage.

use std::fmt;

/// The longest name of one file or directory, in bytes (Linux `NAME_MAX`).
pub const MAX_NAME_BYTES: usize = 255;
/// The longest whole path, in bytes (Linux `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;
/// Names the service keeps for itself: files being written carry this prefix until they are
/// complete, and are never listed, read or written through the API.
pub const PARTIAL_PREFIX: &str = ".mrdp-partial-";
/// The name of the empty object that keeps an empty directory in an object store (which has
/// prefixes, not directories); never listed, read or written through the API either.
pub const DIRECTORY_MARKER: &str = ".mrdp-directory";

/// Why a path was refused; each is a 400 for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path `{0}` is not absolute (it must start with `/` or `/~/`)")]
    NotAbsolute(String),
    #[error("the path may not contain `..`")]
    ParentReference,
    #[error("the path may not contain a NUL byte")]
    Nul,
    #[error("the name `{0}…` is longer than {MAX_NAME_BYTES} bytes")]
    NameTooLong(String),
    #[error("the path is longer than {MAX_PATH_BYTES} bytes")]
    PathTooLong,
    #[error("names starting with `{PARTIAL_PREFIX}`, and `{DIRECTORY_MARKER}`, are reserved")]
    Reserved,
}

/// An absolute path inside a collection, normalised: no empty or `.` components, no `..`.
/// `/~/` (the caller's home in Globus terms) is the collection's root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CollectionPath {
    components: Vec<String>,
}

impl CollectionPath {
    /// The collection's root.
    pub fn root() -> Self {
        Self {
            components: Vec::new(),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, PathError> {
        if raw.contains('\0') {
            return Err(PathError::Nul);
        }
        if raw.len() > MAX_PATH_BYTES {
            return Err(PathError::PathTooLong);
        }
        let rest = if let Some(home) = raw.strip_prefix("/~") {
            home
        } else if let Some(home) = raw.strip_prefix('~') {
            home
        } else if raw.starts_with('/') {
            raw
        } else {
            return Err(PathError::NotAbsolute(raw.chars().take(64).collect()));
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            // `~alice/…`: another user's home, which a collection does not have.
            return Err(PathError::NotAbsolute(raw.chars().take(64).collect()));
        }
        let mut components = Vec::new();
        for name in rest.split('/') {
            match name {
                "" | "." => {}
                ".." => return Err(PathError::ParentReference),
                _ if name.len() > MAX_NAME_BYTES => {
                    return Err(PathError::NameTooLong(name.chars().take(32).collect()));
                }
                _ if name.starts_with(PARTIAL_PREFIX) || name == DIRECTORY_MARKER => {
                    return Err(PathError::Reserved);
                }
                _ => components.push(name.to_owned()),
            }
        }
        Ok(Self { components })
    }

    pub fn is_root(&self) -> bool {
        self.components.is_empty()
    }

    /// The last name (`None` for the root).
    pub fn name(&self) -> Option<&str> {
        self.components.last().map(String::as_str)
    }

    /// The directory holding this path (`None` for the root).
    pub fn parent(&self) -> Option<Self> {
        let (_, parent) = self.components.split_last()?;
        Some(Self {
            components: parent.to_vec(),
        })
    }

    /// This path with `name` appended; `name` must be one valid name.
    pub fn join(&self, name: &str) -> Result<Self, PathError> {
        let child = Self::parse(&format!("/{name}"))?;
        if child.components.len() != 1 {
            return Err(PathError::NotAbsolute(name.chars().take(64).collect()));
        }
        let mut components = self.components.clone();
        components.extend(child.components);
        Ok(Self { components })
    }

    /// `self` (a path of a guest collection) as a path of the collection it shares, whose
    /// directory `base` it is.
    pub fn below(&self, base: &Self) -> Self {
        let mut components = base.components.clone();
        components.extend(self.components.iter().cloned());
        Self { components }
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &Self) -> bool {
        self.components.starts_with(&other.components)
    }

    /// The path relative to the root (`""` for the root), for joining to a storage root.
    pub fn relative(&self) -> String {
        self.components.join("/")
    }

    /// The path as a directory, with the trailing slash the Transfer API echoes (`/a/b/`).
    pub fn as_dir(&self) -> String {
        if self.is_root() {
            "/".to_owned()
        } else {
            format!("/{}/", self.relative())
        }
    }
}

impl fmt::Display for CollectionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.relative())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> String {
        CollectionPath::parse(raw).unwrap().to_string()
    }

    #[test]
    fn paths_are_normalised_and_home_is_the_root() {
        assert_eq!(parsed("/"), "/");
        assert_eq!(parsed("/~/"), "/");
        assert_eq!(parsed("~"), "/");
        assert_eq!(parsed("/~/portal/catalog/"), "/portal/catalog");
        assert_eq!(parsed("//a/./b//"), "/a/b");
        assert_eq!(CollectionPath::parse("/share").unwrap().as_dir(), "/share/");
        assert_eq!(CollectionPath::root().as_dir(), "/");
    }

    #[test]
    fn every_escape_is_refused() {
        let refused = |raw: &str| CollectionPath::parse(raw).unwrap_err();
        assert_eq!(refused("/a/../../etc/passwd"), PathError::ParentReference);
        assert_eq!(refused("/~/.."), PathError::ParentReference);
        assert_eq!(refused("/a\0b"), PathError::Nul);
        assert!(matches!(refused("etc/passwd"), PathError::NotAbsolute(_)));
        assert!(matches!(refused("~root/.ssh"), PathError::NotAbsolute(_)));
        let long_name = format!("/{}", "n".repeat(MAX_NAME_BYTES + 1));
        assert!(matches!(refused(&long_name), PathError::NameTooLong(_)));
        let long_path = "/abc".repeat(MAX_PATH_BYTES / 4 + 1);
        assert_eq!(refused(&long_path), PathError::PathTooLong);
        assert_eq!(refused("/d/.mrdp-partial-123"), PathError::Reserved);
        assert_eq!(refused("/d/.mrdp-directory"), PathError::Reserved);
    }

    #[test]
    fn a_name_at_the_limit_is_fine() {
        let name = "é".repeat(MAX_NAME_BYTES / 2);
        assert_eq!(parsed(&format!("/{name}")), format!("/{name}"));
    }

    #[test]
    fn joining_takes_one_name_only() {
        let dir = CollectionPath::parse("/data").unwrap();
        assert_eq!(dir.join("2020.csv").unwrap().to_string(), "/data/2020.csv");
        assert!(dir.join("a/b").is_err());
        assert!(dir.join("..").is_err());
        assert_eq!(dir.join("x").unwrap().parent(), Some(dir.clone()));
        assert!(dir.join("x").unwrap().starts_with(&dir));
        assert!(!dir.starts_with(&dir.join("x").unwrap()));
        assert_eq!(CollectionPath::root().parent(), None);
        let shared = CollectionPath::parse("/2020.csv").unwrap();
        assert_eq!(shared.below(&dir).to_string(), "/data/2020.csv");
        assert_eq!(CollectionPath::root().below(&dir), dir);
    }
}
