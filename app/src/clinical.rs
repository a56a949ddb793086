//! Tool results as clinicians read them: lab results and vital signs as tables with units,
//! reference ranges and abnormal values flagged (visibly and in words), every series as an
//! inline SVG chart with a time axis and its reference band, medications as a list and
//! admissions as a timeline. The raw result stays behind the card's details toggle
//! (`pages::transcript`). The flags come from `ward_domain::reference`, as the offline
//! agent's do.

use leptos::either::Either;
use leptos::prelude::*;
use serde::Deserialize;
use ward_domain::api::JsonText;
use ward_domain::reference::{lab_flag, number, numeric, Flag, Range, VITALS};

/// At most this many charts per card.
const MAX_CHARTS: usize = 4;

#[derive(Deserialize)]
struct Labs {
    #[serde(default)]
    results: Vec<Lab>,
}

#[derive(Deserialize)]
struct Lab {
    #[serde(default)]
    collected_at: Option<String>,
    #[serde(default)]
    test: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    units: String,
    #[serde(default)]
    reference_range: String,
    #[serde(default)]
    flag: String,
}

#[derive(Deserialize)]
struct Vitals {
    #[serde(default)]
    vitals: Vec<VitalSet>,
}

#[derive(Deserialize)]
struct VitalSet {
    #[serde(default)]
    recorded_at: Option<String>,
    #[serde(default)]
    systolic: Option<f64>,
    #[serde(default)]
    diastolic: Option<f64>,
    #[serde(default)]
    heart_rate: Option<f64>,
    #[serde(default)]
    respiratory_rate: Option<f64>,
    #[serde(default)]
    temperature_c: Option<f64>,
    #[serde(default)]
    spo2: Option<f64>,
    #[serde(default)]
    weight_kg: Option<f64>,
    #[serde(default)]
    bmi: Option<f64>,
}

impl VitalSet {
    fn get(&self, field: &str) -> Option<f64> {
        match field {
            "systolic" => self.systolic,
            "diastolic" => self.diastolic,
            "heart_rate" => self.heart_rate,
            "respiratory_rate" => self.respiratory_rate,
            "temperature_c" => self.temperature_c,
            "spo2" => self.spo2,
            "weight_kg" => self.weight_kg,
            "bmi" => self.bmi,
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Meds {
    #[serde(default)]
    medications: Vec<Med>,
}

#[derive(Deserialize)]
struct Med {
    #[serde(default)]
    medication: String,
    #[serde(default)]
    dose: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
    #[serde(default)]
    prescriber: String,
}

#[derive(Deserialize)]
struct Admissions {
    #[serde(default)]
    admissions: Vec<Admission>,
}

#[derive(Deserialize)]
struct Admission {
    #[serde(default)]
    admitted_at: Option<String>,
    #[serde(default)]
    discharged_at: Option<String>,
    #[serde(default)]
    department: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    attending: String,
}

/// A day (`YYYY-MM-DD…`) as days since 1970-01-01, for the time axis.
pub fn day_number(text: &str) -> Option<i64> {
    let y: i64 = text.get(0..4)?.parse().ok()?;
    let m: i64 = text.get(5..7)?.parse().ok()?;
    let d: i64 = text.get(8..10)?.parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn day(text: &Option<String>) -> String {
    text.as_deref()
        .and_then(|t| t.get(0..10))
        .unwrap_or("—")
        .to_string()
}

/// A series to chart: (day, value) oldest first.
pub struct Series {
    /// What it measures.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// (day `YYYY-MM-DD`, value), oldest first.
    pub points: Vec<(String, f64)>,
    /// Its reference range.
    pub range: Option<Range>,
}

/// Chart geometry: the SVG's size and its plotting area.
const W: f64 = 360.0;
const H: f64 = 140.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// Where each point goes, the band's top and bottom, and the value axis' ends.
pub struct Plot {
    /// (x, y, abnormal) per point.
    pub points: Vec<(f64, f64, bool)>,
    /// The band's (top y, bottom y), if the range has both ends in view.
    pub band: Option<(f64, f64)>,
    /// The lowest and highest value of the axis.
    pub axis: (f64, f64),
}

/// Lays out a series: x by date (evenly when dates are missing), y by value over the
/// values and the reference range together.
pub fn plot(series: &Series) -> Option<Plot> {
    let n = series.points.len();
    if n < 2 {
        return None;
    }
    let days: Vec<Option<i64>> = series.points.iter().map(|(d, _)| day_number(d)).collect();
    let dated = days.iter().all(Option::is_some);
    let xs: Vec<f64> = if dated {
        let first = days[0].unwrap_or(0) as f64;
        let last = days[n - 1].unwrap_or(0) as f64;
        let span = (last - first).max(1.0);
        days.iter()
            .map(|d| LEFT + (d.unwrap_or(0) as f64 - first) / span * (W - LEFT - RIGHT))
            .collect()
    } else {
        (0..n)
            .map(|i| LEFT + i as f64 / (n - 1) as f64 * (W - LEFT - RIGHT))
            .collect()
    };
    let mut lo = series
        .points
        .iter()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    let mut hi = series
        .points
        .iter()
        .map(|p| p.1)
        .fold(f64::NEG_INFINITY, f64::max);
    if let Some(r) = &series.range {
        lo = r.low.map_or(lo, |l| lo.min(l));
        hi = r.high.map_or(hi, |h| hi.max(h));
    }
    if hi - lo < 1e-9 {
        hi += 1.0;
        lo -= 1.0;
    }
    let pad = (hi - lo) * 0.08;
    let (lo, hi) = (lo - pad, hi + pad);
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
    let band = series.range.and_then(|r| Some((y(r.high?), y(r.low?))));
    let points = xs
        .into_iter()
        .zip(&series.points)
        .map(|(x, (_, v))| {
            let abnormal = series.range.is_some_and(|r| r.flag(*v).abnormal());
            (x, y(*v), abnormal)
        })
        .collect();
    Some(Plot {
        points,
        band,
        axis: (lo, hi),
    })
}

fn fmt1(v: f64) -> String {
    format!("{v:.1}")
}

/// A series as a line chart: time axis (first and last dates), value axis, the reference
/// band, out-of-range points marked; its summary in words as the figure's label.
pub fn trend_chart(series: Series) -> impl IntoView {
    let plot = plot(&series);
    let (first_day, first) = series.points.first().cloned().unwrap_or_default();
    let (last_day, last) = series.points.last().cloned().unwrap_or_default();
    let out = series
        .range
        .map(|r| {
            series
                .points
                .iter()
                .filter(|p| r.flag(p.1).abnormal())
                .count()
        })
        .unwrap_or(0);
    let unit = series.unit.clone();
    let range_words = series
        .range
        .map(|r| format!(", reference {} {unit}, {out} out of range", r.text()))
        .unwrap_or_default();
    let summary = format!(
        "{}: {} values from {} {unit} on {first_day} to {} {unit} on {last_day}{range_words}",
        series.label,
        series.points.len(),
        number(first),
        number(last)
    );
    plot.map(|p| {
        let line = p
            .points
            .iter()
            .map(|(x, y, _)| format!("{},{}", fmt1(*x), fmt1(*y)))
            .collect::<Vec<_>>()
            .join(" ");
        let (lo, hi) = p.axis;
        let base = fmt1(H - BOTTOM);
        view! {
            <figure class="trend" data-testid="trend-chart">
                <figcaption>{series.label.clone()}" ("{unit.clone()}")"</figcaption>
                <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=summary.clone()>
                    {p.band.map(|(top, bottom)| view! {
                        <rect class="band" x=fmt1(LEFT) y=fmt1(top) width=fmt1(W - LEFT - RIGHT) height=fmt1((bottom - top).max(0.5))></rect>
                    })}
                    <line class="axis" x1=fmt1(LEFT) y1=base.clone() x2=fmt1(W - RIGHT) y2=base.clone()></line>
                    <line class="axis" x1=fmt1(LEFT) y1=fmt1(TOP) x2=fmt1(LEFT) y2=base.clone()></line>
                    <text class="tick" x=fmt1(LEFT - 4.0) y=fmt1(TOP + 8.0) text-anchor="end">{number((hi * 10.0).round() / 10.0)}</text>
                    <text class="tick" x=fmt1(LEFT - 4.0) y=fmt1(H - BOTTOM) text-anchor="end">{number((lo * 10.0).round() / 10.0)}</text>
                    <text class="tick" x=fmt1(LEFT) y=fmt1(H - 6.0) text-anchor="start">{first_day.clone()}</text>
                    <text class="tick" x=fmt1(W - RIGHT) y=fmt1(H - 6.0) text-anchor="end">{last_day.clone()}</text>
                    <polyline class="series" points=line></polyline>
                    {p.points.iter().map(|(x, y, abnormal)| view! {
                        <circle class="point" class:abnormal=*abnormal cx=fmt1(*x) cy=fmt1(*y) r="3"></circle>
                    }).collect_view()}
                </svg>
                <p class="visually-hidden">{summary}</p>
            </figure>
        }
    })
}

/// A flag as the table shows it: a mark and the word (the word is what a screen reader
/// reads).
fn flag_cell(flag: Option<Flag>) -> impl IntoView {
    match flag {
        Some(f) if f.abnormal() => {
            let mark = if f == Flag::High { "▲ " } else { "▼ " };
            Either::Left(view! {
                <td class="flag abnormal" data-testid="abnormal-flag"><span aria-hidden="true">{mark}</span>{if f == Flag::High { "High" } else { "Low" }}</td>
            })
        }
        Some(_) => Either::Right(view! { <td class="flag">"Normal"</td> }),
        None => Either::Right(view! { <td class="flag">"—"</td> }),
    }
}

fn labs_view(labs: Labs) -> impl IntoView {
    // Tests in the order of their latest result; values newest first (as the tool gives).
    let mut tests: Vec<(String, Vec<Lab>)> = vec![];
    for l in labs.results {
        match tests.iter_mut().find(|(t, _)| *t == l.test) {
            Some((_, v)) => v.push(l),
            None => tests.push((l.test.clone(), vec![l])),
        }
    }
    let rows = tests
        .iter()
        .map(|(name, values)| {
            let l = &values[0];
            let flag = lab_flag(&l.value, &l.reference_range, &l.flag);
            let abnormal = flag.is_some_and(Flag::abnormal);
            view! {
                <tr class:abnormal=abnormal>
                    <th scope="row">{name.clone()}</th>
                    <td class="num">{l.value.clone()}</td>
                    <td>{l.units.clone()}</td>
                    <td>{l.reference_range.clone()}</td>
                    {flag_cell(flag)}
                    <td>{day(&l.collected_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let charts = tests
        .iter()
        .filter_map(|(name, values)| {
            let mut points: Vec<(String, f64)> = values
                .iter()
                .filter_map(|l| Some((day(&l.collected_at), numeric(&l.value)?)))
                .collect();
            points.reverse();
            (points.len() >= 2).then(|| Series {
                label: name.clone(),
                unit: values[0].units.clone(),
                points,
                range: Range::parse(&values[0].reference_range),
            })
        })
        .take(MAX_CHARTS)
        .map(trend_chart)
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table">
            <table class="data-table clinical" data-testid="lab-table">
                <caption class="visually-hidden">"Latest value of each test"</caption>
                <thead><tr><th scope="col">"Test"</th><th scope="col">"Result"</th><th scope="col">"Units"</th>
                    <th scope="col">"Reference"</th><th scope="col">"Flag"</th><th scope="col">"Collected"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="trends">{charts}</div>
    }
}

fn vitals_view(v: Vitals) -> impl IntoView {
    let latest = v.vitals.first();
    let when = latest.map(|s| day(&s.recorded_at)).unwrap_or_default();
    let rows = VITALS
        .iter()
        .filter_map(|vital| {
            let x = latest?.get(vital.field)?;
            let flag = vital.range.map(|r| r.flag(x));
            let abnormal = flag.is_some_and(Flag::abnormal);
            Some(view! {
                <tr class:abnormal=abnormal>
                    <th scope="row">{vital.label}</th>
                    <td class="num">{number(x)}</td>
                    <td>{vital.unit}</td>
                    <td>{vital.range.map(|r| r.text()).unwrap_or_else(|| "—".into())}</td>
                    {flag_cell(flag)}
                </tr>
            })
        })
        .collect_view();
    let charts = VITALS
        .iter()
        .filter_map(|vital| {
            let mut points: Vec<(String, f64)> = v
                .vitals
                .iter()
                .filter_map(|s| Some((day(&s.recorded_at), s.get(vital.field)?)))
                .collect();
            points.reverse();
            (points.len() >= 2).then(|| Series {
                label: vital.label.to_string(),
                unit: vital.unit.to_string(),
                points,
                range: vital.range,
            })
        })
        .take(MAX_CHARTS)
        .map(trend_chart)
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table">
            <table class="data-table clinical" data-testid="vitals-table">
                <caption>{format!("Latest vital signs ({when})")}</caption>
                <thead><tr><th scope="col">"Measure"</th><th scope="col">"Value"</th><th scope="col">"Unit"</th>
                    <th scope="col">"Normal range"</th><th scope="col">"Flag"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="trends">{charts}</div>
    }
}

fn meds_view(m: Meds) -> impl IntoView {
    view! {
        <ul class="med-list" data-testid="med-list">
            {m.medications.into_iter().map(|x| {
                let active = x.status == "active";
                let until = x.end_date.as_ref().map(|e| format!(" until {e}")).unwrap_or_default();
                view! {
                    <li class:inactive=!active>
                        <strong>{x.medication}</strong>" "{x.dose}" · "{x.route}" · "{x.frequency}
                        <span class="muted small">{format!(" — {}, since {}{until}; {}", x.status, day(&x.start_date), x.prescriber)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn admissions_view(a: Admissions) -> impl IntoView {
    view! {
        <ol class="timeline" data-testid="admission-timeline">
            {a.admissions.into_iter().map(|x| {
                let until = match &x.discharged_at {
                    Some(_) => day(&x.discharged_at),
                    None => "still admitted".into(),
                };
                view! {
                    <li>
                        <span class="when">{format!("{} → {until}", day(&x.admitted_at))}</span>
                        <strong>{x.reason}</strong>
                        <span class="muted small">{format!(" {} · {}", x.department, x.attending)}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The clinical view of a tool's result, if Ward has one for that tool.
pub fn result_view(tool: &str, result: &JsonText) -> Option<AnyView> {
    Some(match tool {
        "get_lab_results" => labs_view(result.read()?).into_any(),
        "get_vital_signs" => vitals_view(result.read()?).into_any(),
        "get_medications" => meds_view(result.read()?).into_any(),
        "list_admissions" => admissions_view(result.read()?).into_any(),
        _ => return None,
    })
}

/// A refusal or failure in plain words: what was not shown and what the clinician can do.
pub fn refusal_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "tool_not_permitted" => "Your role does not include this part of the record. Ask a colleague whose role does, or your administrator.",
        "break_glass_required" => "This patient is not on your care team. In an emergency you can break the glass, with a reason that is recorded for review.",
        "outside_care_team" => "This patient is not on your care team, and your role cannot use emergency access. Ask a clinician on the patient's care team.",
        "patient_not_in_session" => "This conversation is about another patient. Name the patient in your message, or start a new conversation.",
        "unknown_patient" => "There is no such patient in the record.",
        "too_many_tool_calls" => "Too many lookups at once; Ward ran the first ones.",
        "audit_unavailable" => "The audit trail could not be written, so the result was withheld.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-12-07T10:00:00Z"), Some(20_794));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("soon"), None);
    }

    #[test]
    fn a_series_is_laid_out_by_date_with_its_band() {
        let s = Series {
            label: "A1c".into(),
            unit: "%".into(),
            points: vec![
                ("2026-01-01".into(), 6.0),
                ("2026-01-03".into(), 7.0),
                ("2026-01-11".into(), 8.0),
            ],
            range: Range::parse("4.0-5.6"),
        };
        let p = plot(&s).unwrap();
        // The second point is a fifth of the way along (2 days of 10).
        let width = W - LEFT - RIGHT;
        assert!((p.points[1].0 - (LEFT + width * 0.2)).abs() < 1e-6);
        // Higher values are higher up; all three are out of range.
        assert!(p.points[2].1 < p.points[0].1);
        assert!(p.points.iter().all(|pt| pt.2));
        let (top, bottom) = p.band.unwrap();
        assert!(top < bottom && bottom > p.points[0].1);
        assert!(plot(&Series {
            points: vec![("2026-01-01".into(), 1.0)],
            ..s
        })
        .is_none());
    }
}
