//! Session cookies as every service sets them: HttpOnly, SameSite=Lax, whole site, Secure when
//! the service is reached over https.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

/// A session cookie; `max_age` in seconds, or `None` for the browser session.
pub fn session_cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: Option<i64>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    if let Some(seconds) = max_age {
        cookie.set_max_age(Duration::seconds(seconds));
    }
    cookie
}

/// A cookie that makes the browser delete the session cookie `name`.
pub fn removal_cookie(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie(name, String::new(), secure, None);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_over_https() {
        let cookie = session_cookie("s", "v".into(), true, Some(60)).to_string();
        for part in [
            "s=v",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(
            !session_cookie("s", "v".into(), false, None)
                .to_string()
                .contains("Secure")
        );
        assert!(removal_cookie("s", false).to_string().contains("Max-Age=0"));
    }
}
