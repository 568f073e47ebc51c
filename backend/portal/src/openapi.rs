//! The API's OpenAPI 3.1 document, `GET /api/openapi.json`: every route ([`routes::ROUTES`]), the
//! schemas of the shared types (derived from them by utoipa), the error envelope with its stable
//! codes, and both ways in (the web app's session cookie with its CSRF header, and a bearer token
//! for the portal's scope). `docs/openapi.json` is a snapshot a test compares, so that a change
//! of the API shows as a diff in review. `GET /api/docs` draws it for people.

mod components;
mod reference;
pub mod routes;

use crate::api_version::{CURRENT, VERSION_HEADER};
use actix_web::{HttpResponse, web};
use routes::{In, Kind, ROUTES, Route};
use serde_json::{Value, json};
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, Required,
    ResponseBuilder,
};

/// The groups of routes, in the order a reader meets them.
const TAGS: &[(&str, &str)] = &[
    ("service", "The portal's health"),
    (
        "you",
        "Who is calling: the profile, the services the portal may use for them, signing out",
    ),
    (
        "datasets",
        "The catalog: search with facets, landing documents, files, signed downloads",
    ),
    (
        "files",
        "The caller's collections and folders (the file manager)",
    ),
    (
        "sharing",
        "Folders shared with people and groups (access rules)",
    ),
    (
        "transfers",
        "Transfers and deletes: submitting, following live, cancelling",
    ),
    ("graphs", "Graphs drawn by the graph service for the caller"),
    (
        "apps",
        "The caller's apps, which call this API for whoever signs in to them",
    ),
];

/// Refusals every route may answer (the error envelope, `code` naming which); `400` for one, as a
/// version the portal does not serve may be asked of any.
const EVERY_ROUTE: &[u16] = &[400, 401, 403, 404, 413, 429, 431, 500, 502];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(get_document))
        .route("/docs", web::get().to(reference::get_reference));
}

async fn get_document() -> HttpResponse {
    HttpResponse::Ok().json(document_json())
}

/// The document as JSON, as served and as snapshotted.
pub fn document_json() -> Value {
    serde_json::to_value(document()).unwrap_or(Value::Null)
}

/// The statuses the document says `route` answers.
pub fn documented_statuses(route: &Route) -> Vec<u16> {
    std::iter::once(route.answer.0)
        .chain(route.refusals.iter().copied())
        .chain(EVERY_ROUTE.iter().copied())
        .collect()
}

fn operation(route: &Route) -> OperationBuilder {
    let mut operation = OperationBuilder::new()
        .tag(route.tag)
        .summary(Some(route.summary))
        .operation_id(Some(format!(
            "{}_{}",
            route.method,
            route
                .path
                .trim_start_matches("/api/")
                .replace(['/', '{', '}'], "_")
        )));
    for (name, place, required, kind, what) in route.params {
        let (parameter_in, name) = match (place, *name) {
            (In::Path, name) => (ParameterIn::Path, name),
            (In::Query, name) => (ParameterIn::Query, name),
            (In::Header, name) => (ParameterIn::Header, name),
        };
        let schema = match kind {
            Kind::Text => ObjectBuilder::new().schema_type(Type::String),
            Kind::Boolean => ObjectBuilder::new().schema_type(Type::Boolean),
            Kind::Integer(least, most) => ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(*least))
                .maximum(Some(*most)),
            Kind::OneOf(words) => ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(words.iter().copied())),
            Kind::Matching(pattern) => ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(*pattern)),
        };
        operation = operation.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(parameter_in)
                .required(if *required {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some(*what))
                .schema(Some(schema)),
        );
    }
    if let Some(body) = route.body {
        operation = operation.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(body)))
                        .example(example_of(body))
                        .build(),
                )
                .build(),
        ));
    }
    let (status, answer) = route.answer;
    let success = match answer {
        // Events, not one JSON document: each `data:` line is the route's JSON (docs/api.md).
        Some("text/event-stream") => ResponseBuilder::new()
            .description("Server-Sent Events: `progress` with the task or job, then one `end`")
            .content("text/event-stream", ContentBuilder::new().build()),
        Some(schema) => ResponseBuilder::new().description("Done").content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        ),
        None => ResponseBuilder::new().description("Done, nothing to say"),
    };
    operation = operation.response(status.to_string(), success.build());
    for refusal in route.refusals.iter().chain(EVERY_ROUTE) {
        operation = if *refusal == 304 {
            let unchanged = ResponseBuilder::new()
                .description("Not modified: the client holds this document (If-None-Match)");
            operation.response("304", unchanged.build())
        } else {
            operation.response(
                refusal.to_string(),
                Ref::from_response_name(components::REFUSED),
            )
        };
    }
    if routes::PUBLIC.contains(&route.path) {
        return operation;
    }
    operation
        .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
        .security(SecurityRequirement::new("session", Vec::<String>::new()))
}

/// An example of a request body, for the bodies a client most often sends.
fn example_of(schema: &str) -> Option<Value> {
    Some(match schema {
        "ProfileRequest" => {
            json!({"name": "Alice Researcher", "email": "alice@example.org", "institution": "NOAA NCEI"})
        }
        "TransferSubmission" => {
            json!({"datasets": ["sea"], "destination_collection": "6ad5b8a4-6a5e-4b43-9a55-0e2f3b1e5c11", "destination_path": "/seattle/", "label": "Seattle"})
        }
        "GraphRequest" => {
            json!({"datasets": ["sea", "nyc"], "from_year": 2013, "to_year": 2014, "charts": ["temperature", "trend"]})
        }
        "NewApp" => {
            json!({"name": "My notebook", "kind": "native", "redirect_uris": ["http://127.0.0.1:8081/v2/web/auth-code"]})
        }
        "DownloadRequest" => json!({"path": "2012.csv"}),
        _ => return None,
    })
}

fn method(name: &str) -> HttpMethod {
    match name {
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "delete" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

/// The document.
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut items: Vec<(&str, PathItem)> = Vec::new();
    for route in ROUTES {
        let built = operation(route).build();
        match items.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, item)) => item.merge_operations(PathItem::new(method(route.method), built)),
            None => items.push((route.path, PathItem::new(method(route.method), built))),
        }
    }
    for (path, item) in items {
        paths = paths.path(path, item);
    }
    let info = InfoBuilder::new()
        .title("MRDP-rs portal API")
        .version(CURRENT)
        .description(Some(format!(
            "The research data portal's JSON API (docs/api.md). Every answer carries `{VERSION_HEADER}`; errors are `{{\"code\", \"message\"}}`."
        )))
        .build();
    let tags = TAGS.iter().map(|(name, what)| {
        TagBuilder::new()
            .name(*name)
            .description(Some(*what))
            .build()
    });
    OpenApiBuilder::new()
        .info(info)
        .tags(Some(tags))
        .paths(paths.build())
        .components(Some(components::components().build()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn snapshot_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
    }

    /// The served document is the committed one: a change of the API shows as a diff of
    /// `docs/openapi.json` in review. `MRDP_UPDATE_OPENAPI=1` writes it anew.
    #[test]
    fn the_document_matches_its_committed_snapshot() {
        let served = serde_json::to_string_pretty(&document_json()).unwrap() + "\n";
        if std::env::var_os("MRDP_UPDATE_OPENAPI").is_some() {
            std::fs::write(snapshot_path(), &served).unwrap();
        }
        let committed = std::fs::read_to_string(snapshot_path()).unwrap_or_default();
        assert!(
            committed == served,
            "docs/openapi.json differs from the API: review the change, then run `MRDP_UPDATE_OPENAPI=1 cargo test -p mrdp-portal openapi`"
        );
    }

    #[test]
    fn every_route_has_its_answer_and_the_error_envelope_and_both_ways_in() {
        let document = document_json();
        assert_eq!(document["openapi"], "3.1.0");
        let paths = document["paths"].as_object().unwrap();
        assert_eq!(
            paths
                .values()
                .map(|item| item.as_object().unwrap().len())
                .sum::<usize>(),
            ROUTES.len(),
            "one operation per route"
        );
        let schemas = document["components"]["schemas"].as_object().unwrap();
        for route in ROUTES {
            let operation = &paths[route.path][route.method];
            assert_eq!(
                operation["responses"]["401"]["$ref"], "#/components/responses/Refused",
                "{}",
                route.path
            );
            if let (_, Some(schema)) = route.answer
                && schema != "text/event-stream"
            {
                assert!(schemas.contains_key(schema), "{schema} of {}", route.path);
            }
            if let Some(body) = route.body {
                assert!(schemas.contains_key(body), "{body} of {}", route.path);
            }
        }
        let codes = &schemas["ErrorCode"]["enum"];
        assert!(
            codes.as_array().unwrap().contains(&"rate_limited".into()),
            "{codes}"
        );
        let schemes = document["components"]["securitySchemes"]
            .as_object()
            .unwrap();
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert_eq!(schemes["session"]["in"], "cookie");
    }
}
