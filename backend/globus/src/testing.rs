//! Test support: a stand-in identity provider that answers token introspection over real HTTP
//! (for resource-server tests that need chosen answers, not the embedded provider's).

use actix_web::{App, HttpResponse, HttpServer, web};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Serves `POST /v2/oauth2/token/introspect` answering `answer(token)` on a free loopback port;
/// returns its base URL and how many introspections it answered.
///
/// # Panics
/// When no loopback port can be had (a test cannot go on without one).
pub async fn introspection_stand_in<F>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(&str) -> serde_json::Value + Send + Sync + 'static,
{
    let answer = Arc::new(answer);
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let server = HttpServer::new(move || {
        let (answer, counter) = (answer.clone(), counter.clone());
        App::new().route(
            "/v2/oauth2/token/introspect",
            web::post().to(move |form: web::Form<HashMap<String, String>>| {
                counter.fetch_add(1, Ordering::SeqCst);
                let token = form.get("token").map_or("", String::as_str);
                let body = answer(token);
                async move { HttpResponse::Ok().json(body) }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .bind("127.0.0.1:0")
    .unwrap_or_else(|e| panic!("a loopback port for the stand-in provider: {e}"));
    let url = format!("http://{}", server.addrs()[0]);
    tokio::spawn(server.run());
    (url, asked)
}
