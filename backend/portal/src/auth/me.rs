//! `GET /api/me` (who is signed in, and their profile), `PUT /api/me/profile`, and the gate
//! that keeps other features closed until the profile is complete.

use super::session::{self, Session};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{MeResponse, Profile, ProfileRequest};

pub async fn get_me(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<web::Json<MeResponse>, PortalError> {
    let session = session::required(&req, &state).await?;
    let (profile, saved) = stored_profile(&state, &session).await?;
    Ok(web::Json(me(session, profile, saved)))
}

pub async fn put_profile(
    req: HttpRequest,
    state: web::Data<PortalState>,
    body: web::Json<ProfileRequest>,
) -> Result<web::Json<MeResponse>, PortalError> {
    let now = state.clock.now();
    let session = session::required(&req, &state).await?;
    let request = body.into_inner();
    if let Some(first) = request.validate().first() {
        return Err(PortalError::BadRequest(format!(
            "{}: {}",
            first.field, first.message
        )));
    }
    let profile = Profile {
        name: request.name.trim().to_owned(),
        email: request.email.trim().to_owned(),
        institution: request.institution.trim().to_owned(),
    };
    sqlx::query(
        "INSERT INTO profiles (identity_id, name, email, institution, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (identity_id) DO UPDATE SET name = excluded.name, email = excluded.email, \
         institution = excluded.institution, updated_at = excluded.updated_at",
    )
    .bind(&session.identity_id)
    .bind(&profile.name)
    .bind(&profile.email)
    .bind(&profile.institution)
    .bind(now)
    .execute(state.store.pool())
    .await?;
    Ok(web::Json(me(session, profile, true)))
}

/// The request's session, once its profile is complete: every feature beyond the profile starts
/// here, so that the app can send the researcher to the profile page first.
pub async fn with_complete_profile(
    req: &HttpRequest,
    state: &PortalState,
) -> Result<Session, PortalError> {
    let session = session::required(req, state).await?;
    if state.sessions.profile_is_complete(&session.identity_id) {
        return Ok(session);
    }
    let (profile, saved) = stored_profile(state, &session).await?;
    if !(saved && profile.is_complete()) {
        return Err(PortalError::ProfileIncomplete);
    }
    state
        .sessions
        .remember_complete_profile(&session.identity_id);
    Ok(session)
}

/// The saved profile (`true`), or one started from what the identity provider said (`false`):
/// the researcher confirms it once before the features open.
async fn stored_profile(
    state: &PortalState,
    session: &Session,
) -> Result<(Profile, bool), PortalError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, email, institution FROM profiles WHERE identity_id = $1")
            .bind(&session.identity_id)
            .fetch_optional(state.store.pool())
            .await?;
    Ok(match row {
        Some((name, email, institution)) => (
            Profile {
                name,
                email,
                institution,
            },
            true,
        ),
        None => (
            Profile {
                name: session.name.clone(),
                email: session.email.clone().unwrap_or_default(),
                institution: session.organization.clone().unwrap_or_default(),
            },
            false,
        ),
    })
}

fn me(session: Session, profile: Profile, saved: bool) -> MeResponse {
    MeResponse {
        identity_id: session.identity_id,
        username: session.username,
        name: session.name,
        email: session.email,
        organization: session.organization,
        profile_complete: saved && profile.is_complete(),
        profile,
    }
}
