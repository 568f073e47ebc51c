//! Each dataset as a schema.org `Dataset` in JSON-LD, as dataset search engines index CKAN and
//! Dataverse: `GET /api/datasets/{id}` with `Accept: application/ld+json`, and embedded in the
//! HTML the portal serves for `/datasets/{id}` (for datasets open to every signed-in researcher:
//! their metadata is public, their files need a sign-in; a group's dataset is never described to
//! anyone outside it).

use super::landing::{document, landing_url};
use super::stored::StoredDataset;
use crate::PortalState;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::Access;
use serde_json::{Value, json};

pub const MEDIA_TYPE: &str = "application/ld+json";

/// Whether the request asks for JSON-LD.
pub fn wanted(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|t| t.trim().starts_with(MEDIA_TYPE)))
}

pub fn dataset(stored: &StoredDataset, portal_url: &str) -> Value {
    let dataset = document(stored, portal_url);
    let url = landing_url(portal_url, &dataset.id);
    let mut place = json!({"@type": "Place", "name": dataset.station.name});
    if let Some(at) = &dataset.station.coordinates {
        place["geo"] = json!({
            "@type": "GeoCoordinates",
            "latitude": at.latitude,
            "longitude": at.longitude,
            "elevation": at.elevation_m,
        });
    }
    let variables: Vec<Value> = dataset
        .variables
        .iter()
        .map(|variable| {
            json!({
                "@type": "PropertyValue",
                "name": variable.name,
                "description": variable.description,
                "unitText": variable.unit,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "identifier": dataset.id,
        "name": dataset.title,
        "description": dataset.description,
        "creator": {"@type": "Organization", "name": dataset.creator},
        "license": dataset.licence,
        "isAccessibleForFree": true,
        "temporalCoverage": format!("{}/{}", dataset.first_year, dataset.last_year),
        "spatialCoverage": place,
        "variableMeasured": variables,
        "distribution": [{
            "@type": "DataDownload",
            "encodingFormat": "text/csv",
            "contentUrl": url,
            "contentSize": format!("{} bytes in {} files", dataset.bytes, dataset.file_count),
        }],
        "citation": dataset.citation.text,
        "isBasedOn": dataset.source,
    })
}

/// `GET /datasets/{id}`: the web app's `index.html`, with the dataset's JSON-LD in its head when
/// the dataset is open to every signed-in researcher; otherwise the web app as on any route.
pub async fn landing_page(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, crate::PortalError> {
    let snapshot = state.catalog.current();
    let Some(stored) = snapshot
        .datasets
        .get(id.as_str())
        .filter(|stored| stored.entry.access == Access::SignedIn)
    else {
        return crate::spa::get_web_app_file(req, state).await;
    };
    let index = state.dist_dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|_| crate::PortalError::WebAppMissing)?;
    let described = dataset(stored, &state.public_url).to_string();
    // `<` never appears raw inside the script, so no `</script>` can end it early.
    let script = format!(
        "<script type=\"{MEDIA_TYPE}\">{}</script>",
        described.replace('<', "\\u003c")
    );
    let at = html
        .find("</head>")
        .or_else(|| html.find("<body"))
        .unwrap_or(html.len());
    let mut page = html;
    page.insert_str(at, &script);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(page))
}
