//! Chat: sessions and their history, the agent loop that streams a turn, the providers it
//! talks to, the framing of what the model sees, and the limits (rate and budget) that
//! gate every turn.

pub mod checkpoint;
pub mod export;
pub mod framing;
pub mod limits;
pub mod outbox;
pub mod provider;
pub mod recovery;
pub mod sessions;
pub mod turn;

use crate::Ward;
use ward_domain::api::ChatConfig;

/// What the chat screen shows about the model and its limits.
pub fn config(ward: &Ward) -> ChatConfig {
    ChatConfig {
        provider: ward.provider.kind().to_string(),
        model: ward.provider.model().to_string(),
        offline: ward.provider.is_offline(),
        phi_mode: ward.config.phi_mode.to_string(),
        max_tool_rounds: ward.config.llm_max_tool_rounds,
        rate_limit_per_hour: ward.config.rate_limit_per_hour,
    }
}
