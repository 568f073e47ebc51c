//! The HTTP server every service runs: actix-web with one tracing span per request.
//!
//! Each request gets a request id (from `tracing-actix-web`), recorded on its span, logged with
//! the request's outcome, and echoed in the `x-request-id` response header so that a user's bug
//! report can be matched to the logs.
//!
//! A service that answers some requests straight on the socket (the data server's downloads)
//! serves through [`serve_intercepted`].

mod intercepted;

pub use intercepted::{GracefulShutdownSignal, Interceptor, Unanswered, serve_intercepted};

use crate::tls::Tls;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use std::net::TcpListener;
use std::time::Instant;
use tracing_actix_web::{RequestId, TracingLogger};

/// How long a stopping server lets the requests it is answering finish, in seconds.
const SHUTDOWN_TIMEOUT_SECS: u64 = 5;

/// `TCP_NODELAY` on every accepted connection, plain or TLS. A response whose body is not ready
/// with its head (a file's) goes out in two writes; with Nagle's algorithm the second waited for
/// the client's delayed acknowledgement of the first, 40 ms a response on a connection kept alive.
const NODELAY: bool = true;

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Serves `configure`'s routes on an already bound `listener`.
///
/// Binding first (port 0 in tests) and serving second removes port races and readiness polling.
/// Signals are not handled here: the caller owns shutdown (see `ServerHandle::stop`).
pub fn serve<F>(listener: TcpListener, workers: usize, configure: F) -> std::io::Result<Server>
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    serve_with_tls(listener, workers, None, configure)
}

/// [`serve`], over TLS when `tls` is given.
pub fn serve_with_tls<F>(
    listener: TcpListener,
    workers: usize,
    tls: Option<Tls>,
    configure: F,
) -> std::io::Result<Server>
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let server = HttpServer::new(move || app(configure.clone()))
        .workers(workers)
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .tcp_nodelay(NODELAY);
    let server = match tls {
        Some(tls) => server.listen_rustls_0_23(listener, tls.config)?,
        None => server.listen(listener)?,
    };
    Ok(server.run())
}

/// The app every service runs: `configure`'s routes, each request in its span and tagged.
fn app<F>(
    configure: F,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
>
where
    F: FnOnce(&mut web::ServiceConfig),
{
    App::new()
        .wrap(from_fn(log_and_tag_request))
        .wrap(TracingLogger::default())
        .configure(configure)
}

/// Runs inside the request's span: one log line per request (method, path and request id come
/// from the span), the id in the response header, and the request counted in the service's
/// metrics when it keeps them.
async fn log_and_tag_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req.extensions().get::<RequestId>().copied();
    let (route, method) = (req.match_pattern(), req.method().to_string());
    let started = Instant::now();
    let mut response = next.call(req).await?;
    crate::metrics::count(route, &method, &response, started.elapsed());
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(status, elapsed_ms, "request");
    if let Some(id) = request_id
        && let Ok(value) = HeaderValue::from_str(&id.to_string())
    {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}
