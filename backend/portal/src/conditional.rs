//! Conditional answers (RFC 9110 §13): a document sent with a strong `ETag` (a digest of its
//! bytes) is answered `304 Not Modified`, without a body, to a request whose `If-None-Match`
//! names that tag (or is `*`). Answers are per researcher, so they may be kept only privately and
//! must be checked again before use.

use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, HeaderValue, IF_NONE_MATCH, VARY,
};
use actix_web::{HttpRequest, HttpResponse};
use mrdp_service::secrets::digest;

/// `body` as `content_type`, or `304` when the request already holds it.
pub fn document(req: &HttpRequest, content_type: &str, body: String) -> HttpResponse {
    let tag = format!("\"{}\"", digest(&body));
    let mut response = if holds(req.headers().get(IF_NONE_MATCH), &tag) {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, content_type))
            .body(body)
    };
    let headers = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        headers.insert(ETAG, tag);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    headers.insert(
        VARY,
        HeaderValue::from_static("Accept, Cookie, Authorization"),
    );
    response
}

/// Whether `If-None-Match` names `tag` (weak comparison, as the RFC asks for this header).
fn holds(if_none_match: Option<&HeaderValue>, tag: &str) -> bool {
    let Some(listed) = if_none_match.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    listed.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds_for(value: &str) -> bool {
        holds(Some(&HeaderValue::from_str(value).unwrap()), "\"abc\"")
    }

    #[test]
    fn if_none_match_names_the_tag_in_a_list_weakly_or_with_a_star() {
        assert!(holds_for("\"abc\""));
        assert!(holds_for("\"x\", W/\"abc\""));
        assert!(holds_for("*"));
        assert!(!holds_for("\"abcd\""));
        assert!(!holds(None, "\"abc\""));
    }
}
