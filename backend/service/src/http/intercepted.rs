//! Serving with an interceptor in front of the app: each plain-TCP connection goes first to code
//! that may answer requests itself, writing straight on the socket (the data server sends files
//! with `sendfile`, which actix-web's body pipeline, copying every chunk into its write buffer,
//! cannot), and that hands the connection — with the bytes it read and did not answer — to the
//! app for everything else. The hand-over is one way: from then on the app serves the connection.

use super::{NODELAY, SHUTDOWN_TIMEOUT_SECS, app};
use actix_http::HttpService;
pub use actix_server::GracefulShutdownSignal;
use actix_server::Server;
use actix_service::{
    IntoServiceFactory, Service, ServiceFactory, fn_factory, fn_service, map_config,
};
use actix_web::dev::AppConfig;
use bytes::Bytes;
use std::io;
use std::net::TcpListener;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// A connection left to the app: the stream, and what was read from it and not answered (the
/// app reads that first).
#[derive(Debug)]
pub struct Unanswered {
    pub stream: TcpStream,
    pub read: Bytes,
}

/// Code that sees each connection before the app does.
pub trait Interceptor: Clone + Send + 'static {
    /// Answers the requests it can at the start of `stream`. Answers the connection for the app
    /// to go on with, or `None` once the connection is finished. An idle connection is best
    /// closed once `shutdown` is notified (a request being answered is let finish).
    fn intercept(
        &self,
        stream: TcpStream,
        shutdown: GracefulShutdownSignal,
    ) -> impl Future<Output = Option<Unanswered>>;
}

/// Serves `configure`'s routes on `listener` (plain HTTP/1.1), each connection going through
/// `interceptor` first. Shutdown, timeouts and `TCP_NODELAY` are those of [`super::serve`].
pub fn serve_intercepted<F, I>(
    listener: TcpListener,
    workers: usize,
    configure: F,
    interceptor: I,
) -> io::Result<Server>
where
    F: Fn(&mut actix_web::web::ServiceConfig) + Send + Clone + 'static,
    I: Interceptor,
{
    let builder = Server::build();
    let shutdown = builder.graceful_shutdown_signal();
    let builder = builder
        .workers(workers)
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen("intercepted", listener, move || {
            let (configure, interceptor, shutdown) =
                (configure.clone(), interceptor.clone(), shutdown.clone());
            fn_factory(move || {
                let (shutdown, on_connections) = (shutdown.clone(), shutdown.clone());
                let routes = map_config(app(configure.clone()).into_factory(), |()| {
                    AppConfig::default()
                });
                let http = HttpService::<Rewound, _, _>::build()
                    // As actix-web's `HttpServer` sets it (the builder's own default is none).
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .graceful_shutdown_signal(move || {
                        let shutdown = shutdown.clone();
                        async move { shutdown.notified().await }
                    })
                    .h1(routes);
                let interceptor = interceptor.clone();
                async move {
                    let http = Rc::new(http.new_service(()).await?);
                    Ok::<_, ()>(fn_service(move |stream: TcpStream| {
                        let (http, interceptor) = (http.clone(), interceptor.clone());
                        let shutdown = on_connections.clone();
                        async move {
                            // Fails only on a connection already gone, which then fails its first read.
                            let _ = stream.set_nodelay(NODELAY);
                            let peer = stream.peer_addr().ok();
                            match interceptor.intercept(stream, shutdown).await {
                                Some(Unanswered { stream, read }) => {
                                    http.call((Rewound { read, stream }, peer)).await
                                }
                                None => Ok(()),
                            }
                        }
                    }))
                }
            })
        })?;
    Ok(builder.run())
}

/// A stream that first gives back what was already read from it.
#[derive(Debug)]
struct Rewound {
    read: Bytes,
    stream: TcpStream,
}

impl AsyncRead for Rewound {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.read.is_empty() {
            return Pin::new(&mut self.stream).poll_read(cx, buf);
        }
        let length = self.read.len().min(buf.remaining());
        let replayed = self.read.split_to(length);
        buf.put_slice(&replayed);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Rewound {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
