//! The sign-in cookie: binds a sign-in to the browser that started it, against login CSRF.
//!
//! The `state` coming back from the provider is not enough: an attacker can start a sign-in in
//! his own browser and lure a victim to its callback, which would sign the victim in as him (and
//! send the victim's uploads and shares to his account). So the login sets an HttpOnly,
//! SameSite=Lax cookie with a random value (`__Host-` prefixed over https, so no other host can
//! plant it), the sign-in request keeps its digest, and the callback needs both.
//!
//! A browser keeps one value while any of its sign-ins is under way, so that two tabs signing in
//! at once both complete; the callback removes the cookie once none is left, and a later sign-in
//! gets a new value.

use super::login::LOGIN_LIFETIME;
use actix_web::HttpRequest;
use actix_web::cookie::Cookie;
use mrdp_service::cookies::{removal_cookie, session_cookie};
use mrdp_service::secrets::{digest, random_token};

const NAME: &str = "mrdp_signin";
/// Over https: a `__Host-` cookie is Secure, for the whole site, and cannot name a domain.
const SECURE_NAME: &str = "__Host-mrdp_signin";

fn name(secure: bool) -> &'static str {
    if secure { SECURE_NAME } else { NAME }
}

/// The value the browser holds (its sign-ins under way keep its digest), or a new one.
pub fn value(req: &HttpRequest, secure: bool) -> String {
    req.cookie(name(secure))
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
        .unwrap_or_else(random_token)
}

/// The digest of the browser's value, `None` when it holds none.
pub fn presented(req: &HttpRequest, secure: bool) -> Option<String> {
    req.cookie(name(secure))
        .filter(|cookie| !cookie.value().is_empty())
        .map(|cookie| digest(cookie.value()))
}

/// The cookie, living as long as a sign-in may take.
pub fn cookie(value: String, secure: bool) -> Cookie<'static> {
    session_cookie(name(secure), value, secure, Some(LOGIN_LIFETIME))
}

pub fn removal(secure: bool) -> Cookie<'static> {
    removal_cookie(name(secure), secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn over_https_the_cookie_is_a_host_cookie() {
        let secure = cookie("v".into(), true).to_string();
        assert!(secure.starts_with("__Host-mrdp_signin=v;"), "{secure}");
        for part in [
            "Secure",
            "Path=/",
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=600",
        ] {
            assert!(secure.contains(part), "{part} in {secure}");
        }
        assert!(!secure.contains("Domain"), "{secure}");
        let plain = cookie("v".into(), false).to_string();
        assert!(plain.starts_with("mrdp_signin=v;") && !plain.contains("Secure"));
        assert!(
            removal(true)
                .to_string()
                .starts_with("__Host-mrdp_signin=;")
        );
    }

    #[test]
    fn a_browser_keeps_its_value_and_a_new_one_gets_a_fresh_one() {
        let holding = TestRequest::default()
            .cookie(Cookie::new(NAME, "held"))
            .to_http_request();
        assert_eq!(value(&holding, false), "held");
        assert_eq!(presented(&holding, false), Some(digest("held")));
        // The plain cookie does not count over https, where only the __Host- one can be trusted.
        assert_eq!(presented(&holding, true), None);
        assert_ne!(value(&holding, true), "held");

        let fresh = TestRequest::default().to_http_request();
        assert_eq!(presented(&fresh, false), None);
        assert_ne!(value(&fresh, false), value(&fresh, false));
    }
}
