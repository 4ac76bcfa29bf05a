//! A value that is there now, or a future that will produce it: what the extension
//! points return, so a synchronous implementation (the JWT verifier, the local limiter)
//! costs no allocation and an asynchronous one (introspection, Redis) can await I/O.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The boxed future of a deferred answer.
type Deferred<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// An answer available at once ([`MaybeReady::ready`], no allocation) or later
/// ([`MaybeReady::pending`], one boxed future). It is itself a future, so callers in
/// async code simply `.await` it; synchronous callers take the value with
/// [`MaybeReady::into_ready`].
///
/// ```
/// use jwsgate::authn::MaybeReady;
/// let now = MaybeReady::ready(7);
/// assert!(now.is_ready());
/// assert_eq!(now.into_ready().ok(), Some(7));
///
/// let later = MaybeReady::pending(async { 7 });
/// assert!(!later.is_ready());
/// assert!(later.into_ready().is_err()); // must be awaited
/// ```
#[must_use = "a MaybeReady does nothing unless its value is taken or it is awaited"]
pub struct MaybeReady<T>(Repr<T>);

enum Repr<T> {
    /// `None` once the value was taken by a poll.
    Ready(Option<T>),
    Pending(Deferred<T>),
}

impl<T> MaybeReady<T> {
    /// An answer available now. Allocates nothing.
    pub const fn ready(value: T) -> MaybeReady<T> {
        MaybeReady(Repr::Ready(Some(value)))
    }

    /// An answer `future` will produce. The future must own what it needs (`'static`).
    pub fn pending(future: impl Future<Output = T> + Send + 'static) -> MaybeReady<T> {
        MaybeReady(Repr::Pending(Box::pin(future)))
    }

    /// Whether the answer is available without awaiting.
    pub fn is_ready(&self) -> bool {
        matches!(self.0, Repr::Ready(Some(_)))
    }

    /// The answer when it is available now; otherwise `self` back, to be awaited.
    ///
    /// # Errors
    /// `Err(self)` when the answer is deferred (or was already taken by a poll).
    pub fn into_ready(self) -> Result<T, MaybeReady<T>> {
        match self.0 {
            Repr::Ready(Some(value)) => Ok(value),
            other => Err(MaybeReady(other)),
        }
    }
}

/// The value is moved out, never pinned; the deferred future is pinned in its box.
impl<T> Unpin for MaybeReady<T> {}

impl<T> Future for MaybeReady<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match &mut self.get_mut().0 {
            Repr::Ready(value) => match value.take() {
                Some(value) => Poll::Ready(value),
                // Polled again after completion: the Future contract allows any
                // non-UB behaviour; never completing is the harmless one.
                None => Poll::Pending,
            },
            Repr::Pending(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for MaybeReady<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Repr::Ready(Some(_)) => "MaybeReady::Ready",
            Repr::Ready(None) => "MaybeReady::Taken",
            Repr::Pending(_) => "MaybeReady::Pending",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    fn poll_once<T>(m: &mut MaybeReady<T>) -> Poll<T> {
        Pin::new(m).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn ready_values_come_out_once() {
        let mut m = MaybeReady::ready(3u8);
        assert!(m.is_ready());
        assert_eq!(format!("{m:?}"), "MaybeReady::Ready");
        assert_eq!(poll_once(&mut m), Poll::Ready(3));
        assert!(!m.is_ready());
        assert_eq!(poll_once(&mut m), Poll::Pending);
        assert_eq!(format!("{m:?}"), "MaybeReady::Taken");
        assert!(m.into_ready().is_err());
    }

    #[test]
    fn pending_values_come_from_their_future() {
        let mut m = MaybeReady::pending(async { 5u8 });
        assert!(!m.is_ready());
        assert_eq!(format!("{m:?}"), "MaybeReady::Pending");
        assert_eq!(poll_once(&mut m), Poll::Ready(5));
        let m = MaybeReady::pending(async { 5u8 });
        let mut back = m.into_ready().unwrap_err();
        assert_eq!(poll_once(&mut back), Poll::Ready(5));
    }
}
