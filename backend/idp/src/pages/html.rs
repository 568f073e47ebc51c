//! Rendering pages: escaping and the common layout.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS};

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f6f8fa;color:#1d2733;margin:0}\
main{max-width:26rem;margin:4rem auto;background:#fff;border:1px solid #d8dee6;border-radius:8px;padding:2rem}\
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:600}\
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}\
button{margin-top:1.2rem;padding:.5rem 1.2rem;font:inherit;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff}\
button.secondary{background:#fff;color:#0b5cad}.error{color:#b3261e;font-weight:600}ul{padding-left:1.2rem}";

/// A complete page; `body` must already be escaped HTML.
pub fn page(status: StatusCode, title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        title = escape(title),
    );
    HttpResponse::build(status)
        .insert_header((
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ))
        .insert_header((X_FRAME_OPTIONS, "DENY"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .content_type("text/html; charset=utf-8")
        .body(html)
}

/// A page that only says something went wrong (never redirects anywhere).
pub fn error_page(status: StatusCode, message: &str) -> HttpResponse {
    page(
        status,
        "Sign-in problem",
        &format!(
            "<h1>Something is wrong</h1><p class=\"error\">{}</p>",
            escape(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("plain"), "plain");
    }
}
