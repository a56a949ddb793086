//! Prices and cost arithmetic (docs/contract.md §6). Money is kept in integer micro-dollars so sums
//! are exact; a cost is rounded up, never down.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One model's prices in US dollars per million tokens.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    /// Dollars per million prompt tokens.
    pub input_per_mtok: f64,
    /// Dollars per million completion tokens.
    pub output_per_mtok: f64,
}

/// Micro-dollars (1e-6 USD).
pub type MicroUsd = i64;

/// Converts micro-dollars to dollars for display and the wire.
pub fn to_usd(micros: MicroUsd) -> f64 {
    micros as f64 / 1e6
}

/// Converts dollars to micro-dollars (rounded to the nearest micro-dollar).
pub fn from_usd(usd: f64) -> MicroUsd {
    (usd * 1e6).round() as MicroUsd
}

impl ModelPrice {
    /// The cost of a call, rounded up to the next micro-dollar.
    pub fn cost(&self, prompt_tokens: u64, completion_tokens: u64) -> MicroUsd {
        // $/Mtok × tokens = micro-dollars exactly.
        let micros = self.input_per_mtok * prompt_tokens as f64
            + self.output_per_mtok * completion_tokens as f64;
        micros.ceil() as MicroUsd
    }
}

/// The price table: known models and a price for everything else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceTable {
    models: BTreeMap<String, ModelPrice>,
    /// Applied to models not in the table: deliberately high, so an unknown model cannot
    /// spend the budget faster than Ward thinks.
    pub fallback: ModelPrice,
}

impl Default for PriceTable {
    fn default() -> Self {
        let p = |i, o| ModelPrice {
            input_per_mtok: i,
            output_per_mtok: o,
        };
        let models = [
            ("offline", p(0.0, 0.0)),
            ("gpt-4o", p(2.5, 10.0)),
            ("gpt-4o-mini", p(0.15, 0.6)),
            ("gpt-4.1", p(2.0, 8.0)),
            ("gpt-4.1-mini", p(0.4, 1.6)),
            ("gpt-4.1-nano", p(0.1, 0.4)),
            ("gpt-5", p(1.25, 10.0)),
            ("gpt-5-mini", p(0.25, 2.0)),
            ("o4-mini", p(1.1, 4.4)),
            ("claude-sonnet-4", p(3.0, 15.0)),
            ("claude-opus-4", p(15.0, 75.0)),
            ("claude-3-5-haiku", p(0.8, 4.0)),
            ("llama-3.1-8b-instruct", p(0.0, 0.0)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        PriceTable {
            models,
            fallback: p(15.0, 75.0),
        }
    }
}

impl PriceTable {
    /// The price of `model`: an exact entry, else the longest entry that prefixes it (so
    /// `gpt-4o-2024-08-06` is priced as `gpt-4o`), else the fallback.
    pub fn price(&self, model: &str) -> ModelPrice {
        if let Some(p) = self.models.get(model) {
            return *p;
        }
        self.models
            .iter()
            .filter(|(k, _)| model.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, p)| *p)
            .unwrap_or(self.fallback)
    }

    /// Sets or replaces one model's price.
    pub fn set(&mut self, model: &str, price: ModelPrice) {
        self.models.insert(model.to_string(), price);
    }

    /// The most a call can cost: the prompt priced as is, the completion at `max_tokens`.
    pub fn reservation(&self, model: &str, prompt_tokens: u64, max_tokens: u64) -> MicroUsd {
        self.price(model).cost(prompt_tokens, max_tokens)
    }
}

/// A rough token count for text (about four characters a token), used to size
/// reservations before a provider reports real usage.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_exact_in_micro_dollars_and_rounds_up() {
        let p = ModelPrice {
            input_per_mtok: 2.5,
            output_per_mtok: 10.0,
        };
        assert_eq!(p.cost(1_000_000, 0), 2_500_000);
        assert_eq!(p.cost(1000, 100), 2500 + 1000);
        assert_eq!(p.cost(1, 0), 3); // 2.5 micro-dollars rounds up
    }

    #[test]
    fn dated_model_names_take_their_family_price_and_unknown_ones_the_fallback() {
        let t = PriceTable::default();
        assert_eq!(t.price("gpt-4o-2024-08-06"), t.price("gpt-4o"));
        assert_eq!(t.price("gpt-4o-mini-2024"), t.price("gpt-4o-mini"));
        assert_eq!(t.price("mystery-model"), t.fallback);
    }

    #[test]
    fn a_reservation_prices_the_completion_at_max_tokens() {
        let t = PriceTable::default();
        let r = t.reservation("gpt-4o", 1000, 1000);
        assert_eq!(r, 2500 + 10_000);
        assert_eq!(to_usd(from_usd(1.25)), 1.25);
    }
}
