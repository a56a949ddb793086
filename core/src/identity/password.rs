//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes).
//!
//! Every hash and check runs in one bounded pool ([`checked`]): at most
//! `WARD_PASSWORD_WORKERS` (default the machine's cores) at once, so a burst of sign-ins
//! holds at most that many 19 MiB blocks; a sign-in that waits more than
//! [`QUEUE_WAIT`] for a worker gets `429 sign_in_busy` with `Retry-After`.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A stored password hash in PHC format. Deliberately not `Serialize`, and its `Debug`
/// does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHashString(pub String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(..)")
    }
}

/// Hashes a password (CPU-heavy: call from a blocking thread, see [`hash_async`]).
pub fn hash(password: &str) -> PasswordHashString {
    let salt = SaltString::generate(&mut OsRng);
    let phc = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 accepts any password with a generated salt")
        .to_string();
    PasswordHashString(phc)
}

/// Verifies a password against a stored hash; a malformed hash never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the username is unknown so that
/// unknown and known users take the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&uuid::Uuid::new_v4().to_string()).0)
}

/// How long a sign-in waits for a password worker before it is refused.
pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

static POOL: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::OnceLock::new();

/// Sizes the process's password pool (`WARD_PASSWORD_WORKERS`); the first call wins,
/// and a pool used before any call has the machine's cores.
pub fn configure(workers: usize) {
    let _ = POOL.set(std::sync::Arc::new(tokio::sync::Semaphore::new(
        workers.max(1),
    )));
}

fn pool() -> std::sync::Arc<tokio::sync::Semaphore> {
    POOL.get_or_init(|| std::sync::Arc::new(tokio::sync::Semaphore::new(default_workers())))
        .clone()
}

/// A worker of the pool, waited for at most `wait` (`None`: as long as it takes).
async fn worker(
    wait: Option<std::time::Duration>,
) -> Result<tokio::sync::OwnedSemaphorePermit, crate::Error> {
    let busy = || {
        crate::Error::too_many(
            "sign_in_busy",
            "Ward is busy checking other sign-ins. Try again in a moment.",
            1,
        )
    };
    let acquire = pool().acquire_owned();
    let permit = match wait {
        Some(w) => tokio::time::timeout(w, acquire).await.map_err(|_| busy())?,
        None => acquire.await,
    };
    permit.map_err(|_| busy())
}

/// [`hash`] on a blocking thread, in the bounded pool (waits for a worker).
pub async fn hash_async(password: String) -> PasswordHashString {
    let permit = worker(None).await.ok();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash(&password)
    })
    .await
    .expect("hashing does not panic")
}

fn default_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// [`verify`] on a blocking thread, in the bounded pool: `Err(429 sign_in_busy)` when
/// no worker is free within [`QUEUE_WAIT`]. The worker stays taken until the check ends,
/// even if the caller goes away.
pub async fn checked(password: String, stored: String) -> crate::Result<bool> {
    let permit = worker(Some(QUEUE_WAIT)).await?;
    Ok(tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify(&password, &stored)
    })
    .await
    .unwrap_or(false))
}

/// [`verify`] on a blocking thread, in the bounded pool (waits for a worker).
pub async fn verify_async(password: String, stored: String) -> bool {
    let permit = worker(None).await.ok();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify(&password, &stored)
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let h = hash("correct horse");
        assert!(h.0.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h.0));
        assert!(!verify("wrong horse", &h.0));
        assert!(!verify("correct horse", "not a hash"));
        assert_eq!(format!("{h:?}"), "PasswordHashString(..)");
    }
}
