//! Ward's PHI engine: detection, masking and reversible pseudonymisation of
//! protected health information, and accounting of disclosures (docs/contract.md §3).
//!
//! * [`Detector`] finds the HIPAA Safe Harbor identifiers in free text:
//!   patterns, name dictionaries (census and world names), US place names,
//!   context cues, and the identifiers Ward already knows
//!   ([`KnownIdentifiers`]). It is immutable and shared.
//! * [`SessionVault`] holds one chat session's surrogates and date shift.
//!   [`SessionVault::protect_text`], [`SessionVault::protect_field`] and
//!   [`SessionVault::protect_json`] make text safe for a provider under a
//!   [`PhiMode`]; [`SessionVault::restore`] and
//!   [`SessionVault::restorer`] map the reply back.
//! * [`DisclosureTally`] counts what went out, by kind and mode, with no PHI.
//! * [`eval`] scores the detector on a labelled corpus.
//!
//! **Fail closed.** Detection fails when the input exceeds
//! [`MAX_INPUT_BYTES`], when the detector panics (the panic is caught), when
//! its output breaks an invariant (out of bounds, overlapping), or when a
//! pseudonymised text would not map back exactly. Every `protect_*` call then
//! returns a [`PhiError`] and no text; the caller must send nothing.
//!
//! **No PHI in errors or logs.** Error messages are fixed text and sizes;
//! this crate logs nothing.
//!
//! **Memory.** The detector and the dictionary are built once and never grow.
//! Everything a session adds lives in its own [`SessionVault`], whose size
//! depends only on that session's content and which is dropped (or stored
//! with the session) when the request ends: nothing global grows with the
//! number of sessions, ended or not.

#![deny(missing_docs)]

mod dates;
mod detect;
mod error;
pub mod eval;
mod gazetteer;
mod kind;
mod known;
mod lexicon;
pub mod properties;
mod restore;
mod tally;
mod vault;
mod wordlists;

pub use detect::{Detection, Detector, MAX_INPUT_BYTES};
pub use error::PhiError;
pub use kind::{FieldClass, NameRole, PhiMode, PhiType, UnknownWord};
pub use known::KnownIdentifiers;
pub use restore::StreamRestorer;
pub use tally::{DisclosureTally, KindCount};
pub use vault::{SessionVault, AGE_90_OR_OLDER, MAX_JSON_DEPTH};

#[cfg(test)]
mod tests {
    use super::*;

    fn shared<T: Send + Sync>() {}

    #[test]
    fn detector_vault_and_known_identifiers_can_be_shared_across_threads() {
        shared::<Detector>();
        shared::<KnownIdentifiers>();
        shared::<SessionVault>();
        shared::<DisclosureTally>();
    }
}
