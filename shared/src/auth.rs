//! Who is signed in to the portal.

use serde::{Deserialize, Serialize};

/// `GET /api/me`: the signed-in person (never a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeResponse {
    pub identity_id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
}

/// `POST /api/auth/logout`: where to send the browser to end the provider's session too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoutResponse {
    pub logout_url: String,
}
