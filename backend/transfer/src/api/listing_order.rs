//! `orderby` of a listing, as Globus writes it: fields separated by commas, each optionally
//! followed by `ASC` or `DESC` (`type,name`, `size DESC,name`), over `name`, `type`, `size` and
//! `last_modified`. The entries are put in that order before a page is taken from them.

use super::TransferError;
use crate::storage::Entry;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Type,
    Size,
    LastModified,
}

/// An order of entries: fields, each ascending or descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingOrder(Vec<(Field, bool)>);

impl ListingOrder {
    /// Reads `orderby`; none: by name.
    pub fn parse(orderby: Option<&str>) -> Result<Self, TransferError> {
        let Some(text) = orderby.filter(|text| !text.trim().is_empty()) else {
            return Ok(Self(vec![(Field::Name, false)]));
        };
        let bad = |what: &str| {
            TransferError::BadRequest(format!(
                "orderby: `{what}` is not one of name, type, size, last_modified (each with ASC or DESC)"
            ))
        };
        let mut fields = Vec::new();
        for part in text.split(',') {
            let mut words = part.split_whitespace();
            let field = match words.next().map(str::to_ascii_lowercase).as_deref() {
                Some("name") => Field::Name,
                Some("type") => Field::Type,
                Some("size") => Field::Size,
                Some("last_modified") => Field::LastModified,
                _ => return Err(bad(part.trim())),
            };
            let descending = match words.next().map(str::to_ascii_uppercase).as_deref() {
                None | Some("ASC") => false,
                Some("DESC") => true,
                Some(_) => return Err(bad(part.trim())),
            };
            if words.next().is_some() {
                return Err(bad(part.trim()));
            }
            fields.push((field, descending));
        }
        Ok(Self(fields))
    }

    /// Sorts `entries` in this order (the name last, so that the order is whole).
    pub fn sort(&self, entries: &mut [Entry]) {
        entries.sort_by(|a, b| {
            self.0
                .iter()
                .map(|&(field, descending)| {
                    let order = match field {
                        Field::Name => a.name.cmp(&b.name),
                        Field::Type => a.kind.as_str().cmp(b.kind.as_str()),
                        Field::Size => a.size.cmp(&b.size),
                        Field::LastModified => a.modified.cmp(&b.modified),
                    };
                    if descending { order.reverse() } else { order }
                })
                .find(|order| *order != Ordering::Equal)
                .unwrap_or_else(|| a.name.cmp(&b.name))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::EntryKind;

    fn entry(name: &str, kind: EntryKind, size: u64, modified: i64) -> Entry {
        Entry {
            name: name.to_owned(),
            kind,
            size,
            modified,
            permissions: 0o644,
            symlink: false,
            name_is_utf8: true,
        }
    }

    fn sorted(orderby: &str) -> Vec<String> {
        let mut entries = vec![
            entry("b.csv", EntryKind::File, 30, 3),
            entry("z", EntryKind::Dir, 4096, 1),
            entry("a.csv", EntryKind::File, 10, 5),
            entry("c.csv", EntryKind::File, 20, 4),
        ];
        ListingOrder::parse(Some(orderby))
            .unwrap()
            .sort(&mut entries);
        entries.into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn entries_are_ordered_as_globus_writes_orderby() {
        assert_eq!(sorted("type,name"), ["z", "a.csv", "b.csv", "c.csv"]);
        assert_eq!(sorted("size DESC"), ["z", "b.csv", "c.csv", "a.csv"]);
        assert_eq!(
            sorted("type ASC, last_modified desc"),
            ["z", "a.csv", "c.csv", "b.csv"]
        );
        assert_eq!(sorted("name DESC"), ["z", "c.csv", "b.csv", "a.csv"]);
        for wrong in ["owner", "name UP", "size DESC extra"] {
            assert!(ListingOrder::parse(Some(wrong)).is_err(), "{wrong}");
        }
    }
}
