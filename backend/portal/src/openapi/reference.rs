//! The API reference, `GET /api/docs`: the OpenAPI document drawn by redoc, whose standalone
//! script the web app's release carries (npm's `redoc`, installed by `make setup`), so that nothing
//! comes from a CDN.

use actix_web::HttpResponse;

/// The API reference, `GET /api/docs`: the document drawn by redoc, whose script the web app's
/// build carries (from npm, by `make setup`): nothing comes from a CDN.
const REFERENCE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MRDP-rs portal API reference</title>
<style>
/* redoc's section headers are a fixed half-transparent grey: darker, for WCAG AA contrast. */
#reference h5 { color: #4d5559; }
/* A selected status tab is light: its text dark, whatever the status's colour on the dark panel. */
#reference li.react-tabs__tab--selected { color: #1f2a30; }
</style>
</head>
<body>
<main id="reference"></main>
<script src="/redoc.standalone.js"></script>
<script>
// Colours darker than redoc's own, for text to keep WCAG AA contrast.
Redoc.init("/api/openapi.json", {
  hideHostname: true,
  theme: {
    colors: {
      text: { secondary: "#4d4d4d" },
      primary: { main: "#0b5cad" },
      // The status tabs of the answers' samples sit on the dark right panel: light text there.
      responses: {
        success: { tabTextColor: "#a5e3b0" },
        error: { tabTextColor: "#ffb4ab" },
        redirect: { tabTextColor: "#ffd699" },
        info: { tabTextColor: "#a6d4ff" },
      },
    },
    typography: { code: { color: "#9a1a16", backgroundColor: "#f4f4f4" } },
  },
}, document.getElementById("reference"));
</script>
</body>
</html>
"##;

pub async fn get_reference() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(REFERENCE)
}
