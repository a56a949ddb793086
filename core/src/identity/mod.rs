//! Who the caller is: users, password hashes, tokens, login throttling.
//!
//! - [`password`]: argon2 hashing and verification, off the async threads.
//! - [`token`]: JWT access and refresh tokens with a token type, so one is never taken
//!   for the other.
//! - [`users`]: users, roles and care teams in the database; [`Principal`] is the
//!   authenticated caller.
//! - [`login`]: sign-in, refresh with rotation and reuse detection, logout.
//! - [`throttle`]: the sign-in throttle (reserved before the password is checked).
//! - [`oidc`]: single sign-on with an OpenID Provider (Authorization Code with PKCE).

pub mod login;
pub mod oidc;
pub mod password;
pub mod throttle;
pub mod token;
pub mod users;

pub use users::Principal;
