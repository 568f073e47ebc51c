//! The document's components: the schemas of the shared types the routes take and answer
//! (derived by utoipa, with the types they hold), the one answer of every refusal (the error
//! envelope), and both ways in (a bearer token for the portal's scope, the web app's session).

use crate::auth::csrf::CSRF_HEADER;
use crate::auth::session::SESSION_COOKIE;
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, ContentBuilder, Ref, ResponseBuilder};

/// The shared answer of every refusal.
pub const REFUSED: &str = "Refused";
fn add<T: ToSchema>(components: ComponentsBuilder) -> ComponentsBuilder {
    let mut more = Vec::new();
    T::schemas(&mut more);
    components.schema_from::<T>().schemas_from_iter(more)
}

pub fn components() -> ComponentsBuilder {
    use mrdp_shared as s;
    let mut components = ComponentsBuilder::new();
    components = add::<s::ApiError>(components);
    components = add::<s::HealthReport>(components);
    components = add::<s::MeResponse>(components);
    components = add::<s::ProfileRequest>(components);
    components = add::<s::ConnectionsResponse>(components);
    components = add::<s::LogoutResponse>(components);
    components = add::<s::DatasetSearch>(components);
    components = add::<s::Dataset>(components);
    components = add::<s::DatasetFiles>(components);
    components = add::<s::DownloadRequest>(components);
    components = add::<s::DownloadLink>(components);
    components = add::<s::CollectionList>(components);
    components = add::<s::FolderListing>(components);
    components = add::<s::NewFolder>(components);
    components = add::<s::Rename>(components);
    components = add::<s::Deletion>(components);
    components = add::<s::ShareRequest>(components);
    components = add::<s::Share>(components);
    components = add::<s::Shares>(components);
    components = add::<s::TransferSubmission>(components);
    components = add::<s::TransferSubmitted>(components);
    components = add::<s::TransferTasks>(components);
    components = add::<s::TransferTask>(components);
    components = add::<s::TransferEvents>(components);
    components = add::<s::TransferredFiles>(components);
    components = add::<s::GraphRequest>(components);
    components = add::<s::GraphJob>(components);
    components = add::<s::GraphJobs>(components);
    components = add::<s::GraphLinks>(components);
    components = add::<s::Apps>(components);
    components = add::<s::NewApp>(components);
    components = add::<s::AppRegistered>(components);
    let refused = ResponseBuilder::new()
        .description("Refused: the error envelope, whose `code` says why")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .example(Some(
                    json!({"code": "not_found", "message": "no dataset xyz"}),
                ))
                .build(),
        );
    components
        .response(REFUSED, refused.build())
        .security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token for the portal's scope, https://auth.globus.org/scopes/<portal client id>/all (docs/api.md)",
                    ))
                    .build(),
            ),
        )
        .security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE.to_owned(),
                format!("The web app's session; requests that change something also send `{CSRF_HEADER}: 1`"),
            ))),
        )
}
