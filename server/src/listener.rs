//! Accepting TCP connections and serving HTTP/1.1 on them, with the limits a
//! server on the open internet needs and `axum::serve` does not set. Without
//! them a client that opens connections and sends nothing, half a request
//! line, or one header byte a second holds a task and a socket for as long
//! as it likes, and enough such clients exhaust the server's file
//! descriptors.
//!
//! - **Header-read timeout**: a request's line and headers must arrive
//!   complete within it, counted from when the connection is ready for them
//!   (its start, or the previous response on a kept-alive connection).
//! - **Idle timeout**: a connection on which nothing is read or written for
//!   that long while no request is being handled is closed (a client that
//!   stopped reading its response); a request body must arrive complete
//!   within the same time.
//! - **Connections per client address**: one more than the cap is closed at
//!   once. A trusted reverse proxy, which carries everyone's connections, is
//!   not capped; IPv6 clients count by their /64.
//!
//! An upgraded connection (the sync WebSocket) leaves all of this behind:
//! `ws.rs` has its own rules, and it lives as long as its session.
//!
//! Shutdown: the listener closes, every connection finishes the request it
//! is handling and closes, and [`serve`] returns once they all have.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::Request;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

use crate::client_address::{TrustedProxies, network};

/// What one HTTP connection may take of the server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections_per_address: usize,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets every
/// connection finish the request it is handling and returns when all have
/// closed. Handlers see the peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    proxies: Arc<TrustedProxies>,
    shutdown: impl Future<Output = ()>,
) {
    let counts = AddressCounts::new(limits.max_connections_per_address);
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection task holds a receiver; all dropped means all closed.
    let (closed_tx, closed_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let peer = SocketAddr::new(peer.ip().to_canonical(), peer.port());
        let slot = if proxies.contains(peer.ip()) {
            None
        } else if let Some(slot) = counts.take(peer.ip()) {
            Some(slot)
        } else {
            tracing::debug!(%peer, "connection closed: too many from this address");
            drop(tcp);
            continue;
        };
        tokio::spawn(connection(
            tcp,
            peer,
            app.clone(),
            limits,
            slot,
            stop_rx.clone(),
            closed_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(closed_rx);
    closed_tx.closed().await;
}

/// An error from `accept` is about one connection (reset before it was
/// taken) or about the process (out of file descriptors): then wait a
/// little instead of spinning, as the connections that hold them may close.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// One connection, from accept to close (or to its upgrade).
async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    slot: Option<AddressSlot>,
    mut stop: watch::Receiver<bool>,
    _closed: watch::Receiver<()>,
) {
    // Small frames (an ack after an entries frame) must go out at once:
    // with Nagle's algorithm the second waits for the client's delayed ACK,
    // up to 40 ms on Linux, on every acknowledgement.
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY not set");
    }
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        io: tcp,
        activity: activity.clone(),
        _slot: slot,
    });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |request: Request<Incoming>| {
            let work = activity.begin();
            let mut request = request.map(|body| {
                if http_body::Body::is_end_stream(&body) {
                    Body::new(body)
                } else {
                    Body::new(BodyDeadline::new(body, limits.idle_timeout))
                }
            });
            request.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await;
                drop(work);
                response
            }
        })
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(io, service).with_upgrades();
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            // Also ends when the connection is upgraded and handed over.
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "HTTP connection ended with an error");
                }
                break;
            }
            _ = stop.wait_for(|stop| *stop), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
            () = activity.idle(limits.idle_timeout) => {
                tracing::debug!(%peer, "idle HTTP connection closed");
                break;
            }
        }
    }
}

/// When a connection last moved a byte, and how many of its requests are
/// being handled.
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last read or write that moved bytes.
    last_ms: AtomicU64,
    working: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            working: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Counts a request as being handled until the returned guard drops.
    fn begin(self: &Arc<Self>) -> Work {
        self.working.fetch_add(1, Ordering::Relaxed);
        Work(self.clone())
    }

    /// Resolves once nothing has moved for `limit` with no request being
    /// handled: a handler may take its time without a byte on the wire.
    async fn idle(&self, limit: Duration) {
        loop {
            if self.working.load(Ordering::Relaxed) > 0 {
                tokio::time::sleep(limit).await;
                continue;
            }
            let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A request being handled; its end counts as activity, so the idle time
/// starts after the answer, not at the request.
struct Work(Arc<Activity>);

impl Drop for Work {
    fn drop(&mut self) {
        self.0.working.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// The TCP stream, noting every read and write that moves bytes. It holds
/// the connection's place under its address's cap: the place is given back
/// when the socket closes, also after an upgrade.
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
    _slot: Option<AddressSlot>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = ready!(Pin::new(&mut this.io).poll_read(cx, buf));
        if buf.filled().len() > before {
            this.activity.touch();
        }
        Poll::Ready(result)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = ready!(Pin::new(&mut this.io).poll_write(cx, buf));
        if matches!(result, Ok(n) if n > 0) {
            this.activity.touch();
        }
        Poll::Ready(result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = ready!(Pin::new(&mut this.io).poll_write_vectored(cx, bufs));
        if matches!(result, Ok(n) if n > 0) {
            this.activity.touch();
        }
        Poll::Ready(result)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// A request body that must arrive complete by a deadline: one byte a
/// minute keeps a connection busy but never idle.
struct BodyDeadline {
    body: Incoming,
    deadline: Pin<Box<Sleep>>,
    limit: Duration,
}

impl BodyDeadline {
    fn new(body: Incoming, limit: Duration) -> Self {
        Self {
            body,
            deadline: Box::pin(tokio::time::sleep(limit)),
            limit,
        }
    }
}

/// Why a request body was cut off.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
struct BodyTooSlow(Duration);

impl http_body::Body for BodyDeadline {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(BodyTooSlow(this.limit).into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Open connections per client network (see [`network`]).
#[derive(Clone)]
struct AddressCounts {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl AddressCounts {
    fn new(max: usize) -> Self {
        Self {
            max,
            open: Arc::default(),
        }
    }

    fn take(&self, ip: IpAddr) -> Option<AddressSlot> {
        let key = network(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            key,
            counts: self.clone(),
        })
    }
}

/// One connection's place under its address's cap.
struct AddressSlot {
    key: IpAddr,
    counts: AddressCounts,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const SHORT: Duration = Duration::from_millis(300);
    /// How long a test waits for what must happen, so that it never hangs.
    const BOUND: Duration = Duration::from_secs(10);

    async fn start(limits: Limits) -> (SocketAddr, watch::Sender<bool>) {
        let app = Router::new()
            .route("/", get(|| async { "ok" }))
            .route(
                "/echo",
                axum::routing::post(|body: Bytes| async move { body }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(SHORT * 4).await;
                    "done"
                }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop_tx, mut stop_rx) = watch::channel(false);
        tokio::spawn(serve(listener, app, limits, Arc::default(), async move {
            let _ = stop_rx.wait_for(|s| *s).await;
        }));
        (addr, stop_tx)
    }

    /// Starts a server with `limits` and sends `request` on a new
    /// connection; the sender stops the server.
    async fn send_to_new(limits: Limits, request: &[u8]) -> (TcpStream, watch::Sender<bool>) {
        let (addr, stop) = start(limits).await;
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(request).await.expect("send");
        (stream, stop)
    }

    /// Reads until the server closes; fails if it does not within [`BOUND`].
    async fn read_until_closed(stream: &mut TcpStream) -> String {
        let mut seen = Vec::new();
        let read = tokio::time::timeout(BOUND, stream.read_to_end(&mut seen)).await;
        assert!(read.is_ok(), "the server kept the connection open");
        String::from_utf8_lossy(&seen).into_owned()
    }

    #[tokio::test]
    async fn a_slow_handler_is_not_cut_by_the_idle_timeout_but_an_idle_connection_is() {
        let (mut stream, _stop) = send_to_new(
            Limits {
                header_read_timeout: BOUND * 2,
                idle_timeout: SHORT,
                max_connections_per_address: 8,
            },
            b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .await;
        // The handler takes four idle timeouts; then the kept-alive
        // connection sits idle and is closed.
        let seen = read_until_closed(&mut stream).await;
        assert!(
            seen.starts_with("HTTP/1.1 200") && seen.ends_with("done"),
            "{seen}"
        );
    }

    #[tokio::test]
    async fn a_stalled_request_body_is_cut_off() {
        let (mut stream, _stop) = send_to_new(
            Limits {
                header_read_timeout: BOUND * 2,
                idle_timeout: SHORT,
                max_connections_per_address: 8,
            },
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":",
        )
        .await;
        // Keep trickling, so that the connection is never idle.
        let trickle = async {
            loop {
                tokio::time::sleep(SHORT / 3).await;
                if stream.write_all(b" ").await.is_err() {
                    break;
                }
            }
        };
        assert!(
            tokio::time::timeout(BOUND, trickle).await.is_ok(),
            "the server kept reading a body that took far longer than the idle timeout"
        );
    }

    #[tokio::test]
    async fn shutdown_lets_a_request_in_flight_finish() {
        let (mut stream, stop) = send_to_new(
            Limits {
                header_read_timeout: BOUND,
                idle_timeout: BOUND,
                max_connections_per_address: 8,
            },
            b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .await;
        tokio::time::sleep(SHORT).await;
        let _ = stop.send(true);
        let seen = read_until_closed(&mut stream).await;
        assert!(
            seen.starts_with("HTTP/1.1 200") && seen.ends_with("done"),
            "{seen}"
        );
    }
}
