//! The file manager's address: which collection and folder each pane shows
//! (`?origin=&origin_path=&destination=&destination_path=`, as the Globus web app's file manager
//! takes them) and, from the datasets selection, which folders start selected (`select=`).

use crate::route::AppRoute;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// A collection and a folder of it (absolute, ending with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneAt {
    pub collection: String,
    pub path: String,
}

impl PaneAt {
    pub fn new(collection: &str, path: &str) -> Self {
        Self {
            collection: collection.to_owned(),
            path: folder_path(path),
        }
    }
}

/// `path` as an absolute folder: `a/b` → `/a/b/`, `` → `/`.
pub fn folder_path(path: &str) -> String {
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

/// The file manager's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileManagerLink {
    pub origin: Option<PaneAt>,
    pub destination: Option<PaneAt>,
    /// Names in the origin's folder to start selected.
    pub select: Vec<String>,
}

impl FileManagerLink {
    /// Reads the query's pairs; a path without its collection is ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let (mut origin, mut origin_path, mut destination, mut destination_path) =
            (None, "", None, "");
        let mut select = Vec::new();
        for (key, value) in pairs {
            match key {
                "origin" if !value.is_empty() => origin = Some(value),
                "origin_path" => origin_path = value,
                "destination" if !value.is_empty() => destination = Some(value),
                "destination_path" => destination_path = value,
                "select" => select.extend(
                    value
                        .split(',')
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned),
                ),
                _ => {}
            }
        }
        Self {
            origin: origin.map(|id| PaneAt::new(id, origin_path)),
            destination: destination.map(|id| PaneAt::new(id, destination_path)),
            select,
        }
    }

    /// The page's address, with what is set.
    pub fn href(&self) -> String {
        let escape = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
        let mut pairs = Vec::new();
        for (name, pane) in [("origin", &self.origin), ("destination", &self.destination)] {
            if let Some(pane) = pane {
                pairs.push(format!("{name}={}", escape(&pane.collection)));
                pairs.push(format!("{name}_path={}", escape(&pane.path)));
            }
        }
        if !self.select.is_empty() {
            let names: Vec<String> = self.select.iter().map(|n| escape(n)).collect();
            pairs.push(format!("select={}", names.join(",")));
        }
        let path = AppRoute::FileManager.path();
        if pairs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_panes_come_back_from_their_address() {
        let link = FileManagerLink {
            origin: Some(PaneAt::new("c-1", "/sea/")),
            destination: Some(PaneAt::new("c 2", "/my results/")),
            select: vec!["sea".into(), "jfk".into()],
        };
        let href = link.href();
        assert_eq!(
            href,
            "/file-manager?origin=c%2D1&origin_path=%2Fsea%2F&destination=c%202&destination_path=%2Fmy%20results%2F&select=sea,jfk"
        );
        let query = href.split_once('?').unwrap().1;
        let decoded: Vec<(String, String)> = query
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                (key.to_owned(), value.into_owned())
            })
            .collect();
        let again =
            FileManagerLink::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, link);
    }

    #[test]
    fn paths_are_folders_and_a_path_needs_its_collection() {
        assert_eq!(folder_path(""), "/");
        assert_eq!(folder_path("a/b"), "/a/b/");
        let link = FileManagerLink::from_pairs([("origin_path", "/x/"), ("destination", "d")]);
        assert_eq!(link.origin, None);
        assert_eq!(link.destination, Some(PaneAt::new("d", "/")));
        assert_eq!(FileManagerLink::default().href(), "/file-manager");
    }
}
