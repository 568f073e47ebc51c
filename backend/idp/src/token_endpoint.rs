//! `POST /v2/oauth2/token`: every grant, dispatched on `grant_type`.

use crate::IdpState;
use crate::client_auth::presented;
use crate::error::OAuthError;
use crate::grants;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::auth::GrantType;
use serde::Deserialize;

/// The form fields the grants read; others (`include_consented_scopes`, …) are ignored.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    grant_type: String,
    scope: Option<String>,
    client_id: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    /// The dependent-token grant's subject.
    token: Option<String>,
    access_type: Option<String>,
    subject_token: Option<String>,
    subject_token_type: Option<String>,
    audience: Option<String>,
    resource: Option<String>,
}

pub async fn post_token(
    req: HttpRequest,
    state: web::Data<IdpState>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, OAuthError> {
    let answered = answer(&req, &state, &form).await;
    let grant = GrantType::parse(&form.grant_type);
    state.grants.record(grant, answered.as_ref().err());
    answered
}

async fn answer(
    req: &HttpRequest,
    state: &IdpState,
    form: &TokenForm,
) -> Result<HttpResponse, OAuthError> {
    let grant = GrantType::parse(&form.grant_type).ok_or(OAuthError::UnsupportedGrantType)?;
    let presented = presented(req, form.client_id.as_deref())?;
    let mut response = HttpResponse::Ok();
    response.insert_header((CACHE_CONTROL, "no-store"));
    Ok(match grant {
        GrantType::ClientCredentials => response.json(
            grants::client_credentials::grant(state, presented, form.scope.as_deref()).await?,
        ),
        GrantType::AuthorizationCode => {
            let exchange = grants::authorization_code::CodeExchange {
                code: form.code.as_deref(),
                redirect_uri: form.redirect_uri.as_deref(),
                code_verifier: form.code_verifier.as_deref(),
            };
            response.json(grants::authorization_code::grant(state, presented, exchange).await?)
        }
        GrantType::RefreshToken => response.json(
            grants::refresh_token::grant(state, presented, form.refresh_token.as_deref()).await?,
        ),
        GrantType::DependentToken => {
            let (token, scope, access_type) = (
                form.token.as_deref(),
                form.scope.as_deref(),
                form.access_type.as_deref(),
            );
            response.json(
                grants::dependent_token::grant(state, presented, token, scope, access_type).await?,
            )
        }
        GrantType::TokenExchange => {
            let exchange = grants::token_exchange::Exchange {
                subject_token: form.subject_token.as_deref(),
                subject_token_type: form.subject_token_type.as_deref(),
                scope: form.scope.as_deref(),
                audience: form.audience.as_deref().or(form.resource.as_deref()),
            };
            response.json(grants::token_exchange::grant(state, presented, exchange).await?)
        }
    })
}
