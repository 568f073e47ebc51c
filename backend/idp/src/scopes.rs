//! Globus scope strings: space-separated scopes, each optionally followed by its dependent scopes
//! in brackets, where a leading `*` marks a dependency as optional:
//!
//! ```text
//! openid urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c1/data_access]
//! ```
//!
//! Every grant parses what it is given with [`parse`] and works on the tree; [`ScopeRequest`]'s
//! `Display` writes the canonical form back.

use std::fmt;

/// The longest scope string accepted (anything longer is abuse, not a request).
const MAX_LENGTH: usize = 8 * 1024;
/// How deeply dependencies may nest.
const MAX_DEPTH: usize = 8;

/// One requested scope and the scopes it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRequest {
    pub scope: String,
    /// Only dependencies can be optional (`*`); the grant goes on without them.
    pub optional: bool,
    pub dependencies: Vec<ScopeRequest>,
}

impl ScopeRequest {
    pub fn new(scope: impl Into<String>) -> Self {
        Self {
            scope: scope.into(),
            optional: false,
            dependencies: Vec::new(),
        }
    }
}

/// Why a scope string was rejected; the message is fit for an `invalid_scope` error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeParseError {
    #[error("the scope string is empty")]
    Empty,
    #[error("the scope string is longer than {MAX_LENGTH} characters")]
    TooLong,
    #[error("dependencies nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("unbalanced brackets at character {0}")]
    Unbalanced(usize),
    #[error("a dependency list at character {0} names no scope")]
    EmptyDependencies(usize),
    #[error("`*` (optional) applies only to dependencies, at character {0}")]
    OptionalAtTopLevel(usize),
    #[error("a `*` at character {0} is not followed by a scope")]
    DanglingOptional(usize),
}

/// Parses a scope string into its top-level scopes. Whitespace of any kind separates scopes.
pub fn parse(input: &str) -> Result<Vec<ScopeRequest>, ScopeParseError> {
    if input.len() > MAX_LENGTH {
        return Err(ScopeParseError::TooLong);
    }
    let mut parser = Parser {
        chars: input.char_indices().collect(),
        position: 0,
    };
    let scopes = parser.list(0)?;
    if let Some(&(at, _)) = parser.chars.get(parser.position) {
        return Err(ScopeParseError::Unbalanced(at));
    }
    if scopes.is_empty() {
        return Err(ScopeParseError::Empty);
    }
    Ok(scopes)
}

struct Parser {
    chars: Vec<(usize, char)>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> Option<(usize, char)> {
        self.chars.get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            self.position += 1;
        }
    }

    /// Scopes up to the end of input (depth 0) or up to a `]` (left for the caller).
    fn list(&mut self, depth: usize) -> Result<Vec<ScopeRequest>, ScopeParseError> {
        let mut scopes = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                None | Some((_, ']')) => return Ok(scopes),
                Some((at, '[')) => return Err(ScopeParseError::Unbalanced(at)),
                Some(_) => scopes.push(self.scope(depth)?),
            }
        }
    }

    fn scope(&mut self, depth: usize) -> Result<ScopeRequest, ScopeParseError> {
        let mut optional = false;
        if let Some((at, '*')) = self.peek() {
            if depth == 0 {
                return Err(ScopeParseError::OptionalAtTopLevel(at));
            }
            optional = true;
            self.position += 1;
            if self
                .peek()
                .is_none_or(|(_, c)| c.is_whitespace() || c == '[' || c == ']')
            {
                return Err(ScopeParseError::DanglingOptional(at));
            }
        }
        let mut scope = String::new();
        while let Some((_, c)) = self.peek() {
            if c.is_whitespace() || c == '[' || c == ']' {
                break;
            }
            scope.push(c);
            self.position += 1;
        }
        let mut dependencies = Vec::new();
        if let Some((open, '[')) = self.peek() {
            if depth + 1 >= MAX_DEPTH {
                return Err(ScopeParseError::TooDeep);
            }
            self.position += 1;
            dependencies = self.list(depth + 1)?;
            match self.peek() {
                Some((_, ']')) => self.position += 1,
                _ => return Err(ScopeParseError::Unbalanced(open)),
            }
            if dependencies.is_empty() {
                return Err(ScopeParseError::EmptyDependencies(open));
            }
        }
        Ok(ScopeRequest {
            scope,
            optional,
            dependencies,
        })
    }
}

impl fmt::Display for ScopeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.optional {
            f.write_str("*")?;
        }
        f.write_str(&self.scope)?;
        if !self.dependencies.is_empty() {
            f.write_str("[")?;
            write_list(f, &self.dependencies)?;
            f.write_str("]")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, scopes: &[ScopeRequest]) -> fmt::Result {
    for (i, scope) in scopes.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        write!(f, "{scope}")?;
    }
    Ok(())
}

/// The canonical space-separated form of a list of scopes.
pub fn to_string(scopes: &[ScopeRequest]) -> String {
    scopes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSFER: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";

    #[test]
    fn plain_scopes_split_on_any_whitespace() {
        let scopes = parse(" openid\tprofile\n email ").unwrap();
        let names: Vec<&str> = scopes.iter().map(|s| s.scope.as_str()).collect();
        assert_eq!(names, ["openid", "profile", "email"]);
        assert!(
            scopes
                .iter()
                .all(|s| !s.optional && s.dependencies.is_empty())
        );
    }

    #[test]
    fn dependencies_and_optional_markers_nest() {
        let input = format!(
            "openid {TRANSFER}[*https://auth.globus.org/scopes/c1/data_access https://auth.globus.org/scopes/g/all[x *y]]"
        );
        let scopes = parse(&input).unwrap();
        assert_eq!(scopes.len(), 2);
        let transfer = &scopes[1];
        assert_eq!(transfer.scope, TRANSFER);
        assert_eq!(transfer.dependencies.len(), 2);
        assert!(transfer.dependencies[0].optional);
        assert_eq!(
            transfer.dependencies[0].scope,
            "https://auth.globus.org/scopes/c1/data_access"
        );
        let graph = &transfer.dependencies[1];
        assert!(!graph.optional);
        assert_eq!(
            graph.dependencies,
            [
                ScopeRequest::new("x"),
                ScopeRequest {
                    optional: true,
                    ..ScopeRequest::new("y")
                }
            ]
        );
        assert_eq!(to_string(&scopes), input);
    }

    #[test]
    fn canonical_form_normalises_whitespace() {
        let scopes = parse(&format!("  {TRANSFER}[ *a   b ]   openid ")).unwrap();
        assert_eq!(to_string(&scopes), format!("{TRANSFER}[*a b] openid"));
    }

    #[test]
    fn malformed_strings_are_rejected_with_a_position() {
        let cases = [
            ("", ScopeParseError::Empty),
            ("   ", ScopeParseError::Empty),
            ("a[b", ScopeParseError::Unbalanced(1)),
            ("a]", ScopeParseError::Unbalanced(1)),
            ("a[b]]", ScopeParseError::Unbalanced(4)),
            ("[a]", ScopeParseError::Unbalanced(0)),
            ("a[]", ScopeParseError::EmptyDependencies(1)),
            ("a[  ]", ScopeParseError::EmptyDependencies(1)),
            ("*a", ScopeParseError::OptionalAtTopLevel(0)),
            ("a[* b]", ScopeParseError::DanglingOptional(2)),
            ("a[b[]c]", ScopeParseError::EmptyDependencies(3)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn abuse_is_bounded() {
        let deep = format!("{}x{}", "a[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse(&deep), Err(ScopeParseError::TooDeep));
        let long = "s ".repeat(MAX_LENGTH);
        assert_eq!(parse(&long), Err(ScopeParseError::TooLong));
    }

    #[test]
    fn unicode_is_kept_and_positions_are_byte_offsets() {
        let scopes = parse("données[é]").unwrap();
        assert_eq!(scopes[0].dependencies[0].scope, "é");
        assert_eq!(parse("é]"), Err(ScopeParseError::Unbalanced(2)));
    }
}
