//! The cap on chat streams one user holds open at once (`WARD_MAX_STREAMS_PER_USER`, per
//! process): each open stream holds a slot until its response body is dropped (the
//! turn ended or the client went away); one more gets `429 too_many_streams`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use ward_core::Error;

/// Open chat streams per user.
#[derive(Debug)]
pub struct StreamSlots {
    limit: usize,
    open: Mutex<HashMap<i64, usize>>,
}

/// A held slot; dropping it frees it.
#[derive(Debug)]
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    user_id: i64,
}

impl StreamSlots {
    /// Slots for at most `limit` streams per user.
    pub fn new(limit: usize) -> Arc<StreamSlots> {
        Arc::new(StreamSlots {
            limit,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// Takes a slot for `user_id`, or refuses with `429 too_many_streams`.
    pub fn take(self: &Arc<Self>, user_id: i64) -> Result<StreamSlot, Error> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(user_id).or_insert(0);
        if *n >= self.limit {
            return Err(Error::too_many(
                "too_many_streams",
                "You have too many replies streaming at once. Wait for one to finish.",
                1,
            ));
        }
        *n += 1;
        Ok(StreamSlot {
            slots: self.clone(),
            user_id,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_holds_at_most_the_limit_and_a_dropped_slot_is_free_again() {
        let slots = StreamSlots::new(2);
        let a = slots.take(1).unwrap();
        let _b = slots.take(1).unwrap();
        assert_eq!(slots.take(1).unwrap_err().code, "too_many_streams");
        assert!(slots.take(2).is_ok(), "another user is not affected");
        drop(a);
        assert!(slots.take(1).is_ok());
    }
}
