//! Where a browser may be sent back to after signing in: a path on the same server, never
//! another origin.
//!
//! Checking for `//` and `\` is not enough: browsers drop tabs, CR and LF from a `Location` before
//! parsing it, so `/<TAB>/evil.example` becomes `//evil.example`, another host. A local path is
//! therefore checked against a closed set of characters (RFC 3986's path, query and fragment
//! characters), and a percent escape may not stand for a control character or a backslash.

/// The longest local path accepted (longer ones are refused rather than stored).
pub const MAX_LOCAL_PATH_BYTES: usize = 2048;

/// `candidate` if it is a path on this server that a browser cannot read as another origin.
pub fn local_path(candidate: &str) -> Option<&str> {
    let bytes = candidate.as_bytes();
    let starts_local = bytes.first() == Some(&b'/') && !matches!(bytes.get(1), Some(b'/' | b'\\'));
    if !starts_local || bytes.len() > MAX_LOCAL_PATH_BYTES {
        return None;
    }
    let mut rest = bytes;
    while let Some((&byte, tail)) = rest.split_first() {
        rest = if byte == b'%' {
            let escaped = escaped_byte(tail)?;
            if escaped.is_ascii_control() || escaped == b'\\' {
                return None;
            }
            &tail[2..]
        } else if is_url_character(byte) {
            tail
        } else {
            return None;
        };
    }
    Some(candidate)
}

/// The byte two hex digits at the start of `digits` stand for.
fn escaped_byte(digits: &[u8]) -> Option<u8> {
    let hex = std::str::from_utf8(digits.get(..2)?).ok()?;
    u8::from_str_radix(hex, 16).ok()
}

/// RFC 3986 `pchar` plus `/`, `?` and `#`, without `%` (escapes are checked on their own).
fn is_url_character(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
                | b'?'
                | b'#'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_server_pass() {
        for local in [
            "/",
            "/datasets?q=rain&page=2#results",
            "/v2/oauth2/authorize?client_id=x&scope=openid%20profile&redirect_uri=http%3A%2F%2F127.0.0.1",
            "/a/b.c/~d/e-f_g/(h),i;j=k:l@m!n$o'p*q+r",
        ] {
            assert_eq!(local_path(local), Some(local), "{local}");
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_origin_is_refused() {
        for hostile in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\t\t/evil.example",
            "/%09/evil.example",
            "/%0d/evil.example",
            "/%0A/evil.example",
            "/%5C/evil.example",
            "/%5c%5cevil.example",
            "/%00",
            "/%7F",
            "/%",
            "/%4",
            "/%zz",
            "/a b",
            "/a\"b",
            "/a<b>",
            "/é",
        ] {
            assert_eq!(local_path(hostile), None, "{hostile:?}");
        }
    }

    #[test]
    fn a_path_is_bounded() {
        let longest = format!("/{}", "a".repeat(MAX_LOCAL_PATH_BYTES - 1));
        assert_eq!(local_path(&longest), Some(longest.as_str()));
        assert_eq!(local_path(&format!("{longest}a")), None);
    }
}
