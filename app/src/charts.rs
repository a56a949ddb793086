//! Inline SVG bar charts (no chart library, no script from elsewhere). Sizes are SVG
//! attributes, colours come from the stylesheet, so the page's CSP needs no inline styles.

use leptos::prelude::*;

/// One bar: its label and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The label under the bar (a day, a user).
    pub label: String,
    /// The value.
    pub value: f64,
}

/// The geometry of a bar chart: `(x, y, width, height)` of each bar in a `width` ×
/// `height` box with `gutter` space below for labels. The tallest bar fills the box.
pub fn bar_geometry(
    values: &[f64],
    width: f64,
    height: f64,
    gutter: f64,
) -> Vec<(f64, f64, f64, f64)> {
    let max = values.iter().cloned().fold(0.0_f64, f64::max);
    let n = values.len().max(1) as f64;
    let slot = width / n;
    let bar_width = (slot * 0.7).clamp(1.0, 48.0);
    let plot = height - gutter;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = if max > 0.0 {
                (v.max(0.0) / max) * plot
            } else {
                0.0
            };
            let x = i as f64 * slot + (slot - bar_width) / 2.0;
            (x, plot - h, bar_width, h)
        })
        .collect()
}

/// A bar chart with a title, labelled for screen readers, with the numbers in a table
/// beside it for anyone who prefers to read them.
#[component]
pub fn BarChart(
    /// The chart's title.
    title: String,
    /// An id for the title, unique on the page.
    id: &'static str,
    /// The bars.
    bars: Vec<Bar>,
    /// How a value reads ("$1.20").
    format: fn(f64) -> String,
) -> impl IntoView {
    const W: f64 = 600.0;
    const H: f64 = 220.0;
    const GUTTER: f64 = 40.0;
    let values: Vec<f64> = bars.iter().map(|b| b.value).collect();
    let geometry = bar_geometry(&values, W, H, GUTTER);
    let total: f64 = values.iter().sum();
    let label_every = bars.len().div_ceil(10).max(1);
    let summary = format!("{title}: total {}", format(total));
    let rows = bars.clone();
    view! {
        <figure class="chart" aria-labelledby=id>
            <figcaption id=id>{title.clone()}<span class="muted small">{format!(" — total {}", format(total))}</span></figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=summary class="bars">
                <line class="axis" x1="0" y1=H - GUTTER x2=W y2=H - GUTTER></line>
                {bars.into_iter().zip(geometry).enumerate().map(|(i, (b, (x, y, w, h)))| {
                    let tip = format!("{}: {}", b.label, format(b.value));
                    view! {
                        <g>
                            <rect class="bar" x=x y=y width=w height=h><title>{tip}</title></rect>
                            {(i % label_every == 0).then(|| view! {
                                <text class="bar-label" x=x + w / 2.0 y=H - GUTTER + 16.0 text-anchor="middle">{b.label.clone()}</text>
                            })}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <details class="chart-data">
                <summary>"Show the numbers"</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">"Key"</th><th scope="col">"Value"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|b| view! { <tr><td>{b.label}</td><td class="num">{format(b.value)}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_plot_and_zero_is_flat() {
        let g = bar_geometry(&[0.0, 2.0, 1.0], 300.0, 140.0, 40.0);
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].3, 0.0);
        assert_eq!(g[1].3, 100.0);
        assert_eq!(g[1].1, 0.0);
        assert_eq!(g[2].3, 50.0);
    }

    #[test]
    fn no_spending_draws_no_bars() {
        let g = bar_geometry(&[0.0, 0.0], 100.0, 100.0, 10.0);
        assert!(g.iter().all(|b| b.3 == 0.0));
    }
}
