//! Apps a researcher registers to call the portal's API for themselves: a native app (a script
//! or a notebook: a public client that signs in with PKCE) or a service (a confidential client
//! with a secret, shown once). Registered at the identity provider; each acts only for whoever
//! signs in to it.

use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppKind {
    /// A public client (scripts, notebooks): PKCE, redirect URIs, no secret.
    Native,
    /// A confidential client acting as itself (client credentials), with a secret.
    Service,
}

/// `POST /api/apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewApp {
    /// 1 to 100 characters, on one line.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub kind: AppKind,
    /// Where the provider may send a native app's browser back (`http://127.0.0.1/…` for a
    /// script that listens locally): absolute `http(s)` URLs without a fragment. A native app
    /// has at least one, a service none.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

impl NewApp {
    /// What is wrong with the request, field by field (nothing: it may be sent).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.contains(['\n', '\r']) {
            problems.push(FieldError {
                field: "name",
                message: "1 to 100 characters, on one line",
            });
        }
        match self.kind {
            AppKind::Native if self.redirect_uris.is_empty() => problems.push(FieldError {
                field: "redirect_uris",
                message: "a native app needs at least one redirect URI",
            }),
            AppKind::Service if !self.redirect_uris.is_empty() => problems.push(FieldError {
                field: "redirect_uris",
                message: "a service signs in as itself and has no redirect URI",
            }),
            _ => {}
        }
        if self.redirect_uris.iter().any(|uri| !is_redirect_uri(uri)) {
            problems.push(FieldError {
                field: "redirect_uris",
                message: "each redirect URI is an absolute http(s) URL without a fragment",
            });
        }
        problems
    }
}

fn is_redirect_uri(uri: &str) -> bool {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !uri.contains('#')
            && !uri.contains(char::is_whitespace)
    })
}

/// An app, as the Developer page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct App {
    /// Its client id at the identity provider.
    pub id: String,
    pub name: String,
    pub kind: AppKind,
    pub redirect_uris: Vec<String>,
}

/// `GET /api/apps`: the researcher's apps, by name, and the scope they ask for to call the
/// portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Apps {
    pub apps: Vec<App>,
    #[serde(flatten)]
    pub paging: crate::Paging,
    pub portal_scope: String,
    /// Where the identity provider shows a native app's code for its user to paste (globus-sdk's
    /// default redirect URI for native apps): the redirect URI of a script without a web server.
    pub code_page: String,
}

/// `POST /api/apps` (201): the app, and a service's secret, in this answer only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppRegistered {
    pub app: App,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(kind: AppKind, uris: &[&str]) -> NewApp {
        NewApp {
            name: "Notebook".into(),
            kind,
            redirect_uris: uris.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    #[test]
    fn a_native_app_needs_redirect_uris_and_a_service_none() {
        assert!(
            app(AppKind::Native, &["http://127.0.0.1:8765/callback"])
                .validate()
                .is_empty()
        );
        assert!(app(AppKind::Service, &[]).validate().is_empty());
        assert_eq!(
            app(AppKind::Native, &[]).validate()[0].field,
            "redirect_uris"
        );
        assert_eq!(
            app(AppKind::Service, &["https://x.org/cb"]).validate()[0].field,
            "redirect_uris"
        );
        for bad in [
            "ftp://x.org",
            "https://",
            "https:///path",
            "https://x.org/#frag",
            "x.org",
        ] {
            assert_eq!(app(AppKind::Native, &[bad]).validate().len(), 1, "{bad}");
        }
        let unnamed = NewApp {
            name: " ".into(),
            ..app(AppKind::Service, &[])
        };
        assert_eq!(unnamed.validate()[0].field, "name");
    }
}
