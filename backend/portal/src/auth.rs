//! Signing in: the OAuth authorization code flow against the configured OpenID Connect
//! provider, server-side sessions, and the token vault. The browser only ever holds an
//! HttpOnly session cookie; tokens never leave the server.

pub mod bearer;
pub mod callback;
pub mod connections;
pub mod csrf;
pub mod grants;
pub mod id_token;
pub mod identities;
pub mod login;
pub mod logout;
pub mod me;
pub mod memberships;
pub mod provider;
pub mod purge;
pub mod session;
pub mod session_cache;
pub mod settings;
pub mod sign_in_cookie;

use actix_web::web;

/// Registers `/auth/*` and `/me` inside the `/api` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::get().to(login::get_login))
        .route("/auth/signup", web::get().to(login::get_signup))
        .route("/auth/callback", web::get().to(callback::get_callback))
        .route("/auth/logout", web::post().to(logout::post_logout))
        .route("/me", web::get().to(me::get_me))
        .route("/me/profile", web::put().to(me::put_profile))
        .route(
            "/me/connections",
            web::get().to(connections::get_connections),
        );
}
