//! The outbox of a streaming turn: a bounded queue of NDJSON lines from the turn's task to
//! the clinician's connection, with one sender and one receiver.
//!
//! It does what a Tokio `mpsc` channel of `Bytes` would, for a fraction of the memory an
//! open stream keeps: the channel allocates its buffer in blocks of 32 slots (about 1 KiB
//! each, a second one once 32 lines have passed, kept for reuse) inside cache-padded
//! state, while this queue is a small deque that holds only the lines not yet written to
//! the socket (usually none or one). With 10,000 open streams that saved about 24 MiB.
//!
//! Closing works both ways: dropping the [`OutboxReceiver`] (the client left) makes
//! [`OutboxSender::send`] fail and [`OutboxSender::closed`] resolve, so the turn cancels
//! its provider call; dropping the [`OutboxSender`] (the turn ended) ends the stream once
//! the queued lines are read.

use bytes::Bytes;
use std::collections::VecDeque;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::sync::Notify;

/// Deques that grew past this many slots in a burst are shrunk back once drained.
const RESTING_SLOTS: usize = 8;

/// A new outbox holding at most `capacity` unread lines (at least one).
pub fn outbox(capacity: usize) -> (OutboxSender, OutboxReceiver) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            lines: VecDeque::new(),
            capacity: capacity.max(1),
            reader: None,
            sender_gone: false,
            receiver_gone: false,
        }),
        sender_wakeup: Notify::new(),
    });
    (
        OutboxSender {
            shared: shared.clone(),
        },
        OutboxReceiver { shared },
    )
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the sender: room in the queue, or the receiver left.
    sender_wakeup: Notify,
}

struct State {
    lines: VecDeque<Bytes>,
    capacity: usize,
    /// The task waiting to read a line.
    reader: Option<Waker>,
    sender_gone: bool,
    receiver_gone: bool,
}

impl Shared {
    /// The state; a panic elsewhere while it was held leaves it consistent (every change is
    /// a single push, pop or flag), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The turn's end of an outbox.
pub struct OutboxSender {
    shared: Arc<Shared>,
}

/// The line could not be sent: the receiver is gone (the client left). Holds the line.
#[derive(Debug)]
pub struct ReceiverGone(pub Bytes);

impl OutboxSender {
    /// Queues `line`, waiting while the queue is full. Fails once the receiver is gone.
    pub async fn send(&self, line: Bytes) -> Result<(), ReceiverGone> {
        let mut line = match self.offer(line) {
            Ok(outcome) => return outcome,
            Err(full) => full,
        };
        loop {
            // Registered before offering again, so room made in between is not missed.
            let mut wakeup = pin!(self.shared.sender_wakeup.notified());
            wakeup.as_mut().enable();
            line = match self.offer(line) {
                Ok(outcome) => return outcome,
                Err(full) => full,
            };
            wakeup.await;
        }
    }

    /// Offers `line` once: the outcome if it was queued (and a waiting reader woken) or
    /// refused, or the line back if the queue is full.
    fn offer(&self, line: Bytes) -> Result<Result<(), ReceiverGone>, Bytes> {
        let reader = {
            let mut state = self.shared.lock();
            if state.receiver_gone {
                return Ok(Err(ReceiverGone(line)));
            }
            if state.lines.len() >= state.capacity {
                return Err(line);
            }
            state.lines.push_back(line);
            state.reader.take()
        };
        if let Some(reader) = reader {
            reader.wake();
        }
        Ok(Ok(()))
    }

    /// Resolves once the receiver is gone (the client left).
    pub async fn closed(&self) {
        loop {
            let mut wakeup = pin!(self.shared.sender_wakeup.notified());
            wakeup.as_mut().enable();
            if self.shared.lock().receiver_gone {
                return;
            }
            wakeup.await;
        }
    }
}

impl Drop for OutboxSender {
    fn drop(&mut self) {
        let reader = {
            let mut state = self.shared.lock();
            state.sender_gone = true;
            state.reader.take()
        };
        if let Some(reader) = reader {
            reader.wake();
        }
    }
}

/// The connection's end of an outbox: a stream of lines that ends when the sender is gone
/// and every queued line has been read.
pub struct OutboxReceiver {
    shared: Arc<Shared>,
}

impl futures::Stream for OutboxReceiver {
    type Item = Bytes;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let mut state = self.shared.lock();
        let was_full = state.lines.len() >= state.capacity;
        if let Some(line) = state.lines.pop_front() {
            if state.lines.is_empty() && state.lines.capacity() > RESTING_SLOTS {
                state.lines.shrink_to(RESTING_SLOTS);
            }
            drop(state);
            if was_full {
                self.shared.sender_wakeup.notify_waiters();
            }
            return Poll::Ready(Some(line));
        }
        if state.sender_gone {
            return Poll::Ready(None);
        }
        match &mut state.reader {
            Some(w) if w.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for OutboxReceiver {
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            state.receiver_gone = true;
            state.lines = VecDeque::new();
            state.reader = None;
        }
        self.shared.sender_wakeup.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{FutureExt, StreamExt};
    use std::time::Duration;

    fn line(s: &str) -> Bytes {
        Bytes::from(s.to_string())
    }

    #[tokio::test]
    async fn lines_arrive_in_order_and_the_stream_ends_after_the_sender() {
        let (tx, rx) = outbox(4);
        let reader = tokio::spawn(rx.collect::<Vec<_>>());
        for i in 0..100 {
            tx.send(line(&i.to_string())).await.unwrap();
        }
        drop(tx);
        let got = reader.await.unwrap();
        let want: Vec<Bytes> = (0..100).map(|i| line(&i.to_string())).collect();
        assert_eq!(got, want);
    }

    #[tokio::test]
    async fn a_full_queue_holds_the_sender_until_a_line_is_read() {
        let (tx, mut rx) = outbox(2);
        tx.send(line("a")).await.unwrap();
        tx.send(line("b")).await.unwrap();
        let mut third = Box::pin(tx.send(line("c")));
        assert!(
            (&mut third).now_or_never().is_none(),
            "a full queue takes no more"
        );
        assert_eq!(rx.next().await, Some(line("a")));
        tokio::time::timeout(Duration::from_secs(5), third)
            .await
            .expect("reading a line makes room")
            .unwrap();
        assert_eq!(rx.next().await, Some(line("b")));
        assert_eq!(rx.next().await, Some(line("c")));
        assert!(rx.next().now_or_never().is_none(), "no line yet, no end");
    }

    #[tokio::test]
    async fn a_reader_waiting_for_a_line_is_woken_by_it() {
        let (tx, mut rx) = outbox(8);
        let reader = tokio::spawn(async move { rx.next().await });
        tokio::task::yield_now().await;
        tx.send(line("x")).await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), reader).await;
        assert_eq!(got.unwrap().unwrap(), Some(line("x")));
    }

    #[tokio::test]
    async fn when_the_receiver_goes_the_sender_learns_it_and_keeps_its_line() {
        let (tx, rx) = outbox(1);
        tx.send(line("queued")).await.unwrap();
        let waiting = tokio::spawn(async move {
            // Waits for room, then finds the receiver gone; `closed` resolves too.
            let refused = tx.send(line("blocked")).await.unwrap_err();
            tx.closed().await;
            refused.0
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(rx);
        let refused = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the sender wakes when the receiver goes")
            .unwrap();
        assert_eq!(refused, line("blocked"));
    }

    #[tokio::test]
    async fn closed_waits_while_the_receiver_is_there() {
        let (tx, rx) = outbox(4);
        let mut closed = Box::pin(tx.closed());
        assert!((&mut closed).now_or_never().is_none());
        drop(rx);
        tokio::time::timeout(Duration::from_secs(5), closed)
            .await
            .expect("closed resolves once the receiver is gone");
    }

    #[tokio::test]
    async fn a_drained_queue_gives_back_what_a_burst_took() {
        let (tx, mut rx) = outbox(64);
        for i in 0..64 {
            tx.send(line(&i.to_string())).await.unwrap();
        }
        assert!(tx.shared.lock().lines.capacity() >= 64);
        for _ in 0..64 {
            rx.next().await.unwrap();
        }
        assert!(tx.shared.lock().lines.capacity() <= RESTING_SLOTS);
    }
}
