//! The engine's error: every message is fixed text or sizes, never PHI.

/// Why text could not be protected. When a `protect_*` call returns this, the
/// caller must send nothing to the provider (fail closed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhiError {
    /// The input is larger than the detector accepts in one call.
    #[error("text of {len} bytes exceeds the PHI detector's limit of {limit} bytes")]
    InputTooLarge {
        /// The input's length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The JSON value is nested more deeply than the engine walks.
    #[error("structured value nested deeper than {limit} levels")]
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// The detector failed internally (a panic was caught, or its output broke
    /// an invariant); the text must be treated as unprotected.
    #[error("PHI detection failed: {0}")]
    DetectionFailed(&'static str),
    /// Pseudonymisation could not guarantee that the reply maps back exactly.
    #[error("pseudonymisation failed: {0}")]
    PseudonymizationFailed(&'static str),
}
