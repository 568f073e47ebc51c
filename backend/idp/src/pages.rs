//! The identity provider's server-rendered pages: sign-in, consent, sign-out.
//!
//! Pages are plain HTML with no script, served with a strict Content-Security-Policy, no caching
//! and no framing. Forms carry a CSRF token: the sign-in form a double-submit cookie (there is
//! no session yet), later forms the session's own token.

pub mod auth_code;
pub mod consent;
pub mod html;
pub mod login;
pub mod logout;
pub mod session;
pub mod throttle;
