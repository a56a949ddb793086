//! Chat: sessions and their history, the agent loop that streams a turn, the providers it
//! talks to, the framing of what the model sees, and the limits (rate and budget) that
//! gate every turn.

pub mod agent;
pub mod framing;
pub mod limits;
pub mod provider;
pub mod sessions;
