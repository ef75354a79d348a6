//! The listening socket as the connection threads of [`crate::serve`] share it.
//!
//! Every thread accepts from the same socket, so a new connection goes to whichever thread asks first, and a
//! connection stays on its thread for its whole life. Left alone, nothing keeps the split even, and a thread
//! holding more of the connections leaves its core with more of the work: without the balance, the portal
//! benchmark's agency home moved between 104k and 132k req/s from one round to the next (with it, 127–129k).
//! So each thread counts its open connections, and one that holds more than [`SLACK`] over the least loaded
//! thread lets the others take the next ones.

use axum::serve::Listener;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// How many connections more than the least loaded thread a thread may hold and still accept.
const SLACK: usize = 1;

/// One thread's view of the shared listening socket.
pub(crate) struct Balanced {
    inner: TcpListener,
    me: usize,
    /// Open connections per thread.
    open: Arc<[AtomicUsize]>,
}

/// Open connections per thread, for `threads` threads.
pub(crate) fn counters(threads: usize) -> Arc<[AtomicUsize]> {
    (0..threads).map(|_| AtomicUsize::new(0)).collect()
}

impl Balanced {
    /// Thread `me`'s listener over `inner` (a clone of the shared socket, made in this thread's runtime).
    pub(crate) fn new(inner: TcpListener, me: usize, open: Arc<[AtomicUsize]>) -> Self {
        Self { inner, me, open }
    }

    /// Whether this thread holds too many connections to take another now.
    fn over(&self) -> bool {
        let mine = self.open[self.me].load(Ordering::Relaxed);
        let least = self.open.iter().map(|n| n.load(Ordering::Relaxed)).min().unwrap_or(0);
        mine > least + SLACK
    }
}

impl Listener for Balanced {
    type Io = Counted;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Counted, SocketAddr) {
        loop {
            while self.over() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    // Answers go out as soon as they are written (as nginx does on keep-alive connections).
                    let _ = stream.set_nodelay(true);
                    self.open[self.me].fetch_add(1, Ordering::Relaxed);
                    return (Counted { stream, me: self.me, open: self.open.clone() }, addr);
                }
                // A connection that went away before it was accepted: nothing to do.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) => {}
                // Out of file descriptors and the like: wait, as axum's own listener does.
                Err(e) => {
                    tracing::error!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// An accepted connection, counted as open on its thread until dropped.
pub(crate) struct Counted {
    stream: TcpStream,
    me: usize,
    open: Arc<[AtomicUsize]>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.open[self.me].fetch_sub(1, Ordering::Relaxed);
    }
}

impl AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    /// Headers and body go out in one `writev` (hyper copies them into one buffer otherwise).
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

#[cfg(test)]
mod tests {
    use super::{Balanced, SLACK, counters};
    use axum::serve::Listener;
    use std::sync::atomic::Ordering;

    /// Two threads' listeners on one socket, both accepting all the time: the connections are shared out
    /// within the slack, and a closed one frees its thread's place. (Without the balance, one listener of the
    /// same runtime takes them all: the one whose accept was registered first is woken first.)
    #[tokio::test]
    async fn connections_are_shared_out_between_the_threads() {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let addr = socket.local_addr().unwrap();
        let open = counters(2);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for me in 0..2 {
            let inner = tokio::net::TcpListener::from_std(socket.try_clone().unwrap()).unwrap();
            let mut listener = Balanced::new(inner, me, open.clone());
            let tx = tx.clone();
            tokio::spawn(async move {
                loop {
                    let (conn, _) = listener.accept().await;
                    if tx.send((me, conn)).is_err() {
                        return;
                    }
                }
            });
        }
        let mut clients = Vec::new();
        let mut accepted = Vec::new();
        for _ in 0..20 {
            clients.push(tokio::net::TcpStream::connect(addr).await.unwrap());
            accepted.push(rx.recv().await.unwrap());
        }
        let per = |me: usize| accepted.iter().filter(|(t, _)| *t == me).count();
        assert_eq!(per(0) + per(1), 20);
        assert!(per(0).abs_diff(per(1)) <= SLACK + 1, "shared out {} and {}", per(0), per(1));
        assert_eq!(open[0].load(Ordering::Relaxed), per(0));
        // Thread 0's connections close: the next ones go to thread 0 until it is level again (but for one that
        // thread 1 may take with the accept it had already begun while it was level).
        let (mine, others): (Vec<_>, Vec<_>) = accepted.into_iter().partition(|(t, _)| *t == 0);
        drop(mine);
        assert_eq!(open[0].load(Ordering::Relaxed), 0);
        let mut next = Vec::new();
        for _ in 0..6 {
            clients.push(tokio::net::TcpStream::connect(addr).await.unwrap());
            next.push(rx.recv().await.unwrap());
        }
        let to_busier = next.iter().filter(|(t, _)| *t == 1).count();
        assert!(to_busier <= 1, "{to_busier} of 6 new connections went to the busier thread");
        drop(others);
    }
}
