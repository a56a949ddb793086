//! Reference ranges and what a value is against them: the lab's own range text
//! ("4.0-5.6", "<200", ">= 60") and adult vital-sign ranges. Shared by the offline agent
//! (its flags and trends) and the browser (tables flag abnormal values, charts draw the
//! band), so both say the same thing about the same number.

/// Where a value lies against its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// Below the range.
    Low,
    /// Within it.
    Normal,
    /// Above it.
    High,
}

impl Flag {
    /// The word for people (and screen readers): "low", "normal", "high".
    pub fn word(self) -> &'static str {
        match self {
            Flag::Low => "low",
            Flag::Normal => "normal",
            Flag::High => "high",
        }
    }

    /// Whether it is out of range.
    pub fn abnormal(self) -> bool {
        self != Flag::Normal
    }
}

/// A range with an optional lower and upper bound (inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// The lowest normal value.
    pub low: Option<f64>,
    /// The highest normal value.
    pub high: Option<f64>,
}

impl Range {
    /// Reads a lab's range text: `4.0-5.6`, `4.0 – 5.6`, `<200`, `<= 5.6`, `>60`, `> 60`.
    pub fn parse(text: &str) -> Option<Range> {
        let t = text.trim().replace(['–', '—'], "-");
        let num = |s: &str| s.trim().trim_start_matches('=').trim().parse::<f64>().ok();
        if let Some(rest) = t.strip_prefix('<') {
            return Some(Range {
                low: None,
                high: Some(num(rest)?),
            });
        }
        if let Some(rest) = t.strip_prefix('>') {
            return Some(Range {
                low: Some(num(rest)?),
                high: None,
            });
        }
        // A dash after the first character separates the bounds (the first may be a sign).
        let cut = t.char_indices().skip(1).find(|(_, c)| *c == '-')?.0;
        Some(Range {
            low: Some(num(&t[..cut])?),
            high: Some(num(&t[cut + 1..])?),
        })
    }

    /// Where `value` lies.
    pub fn flag(&self, value: f64) -> Flag {
        if self.low.is_some_and(|l| value < l) {
            Flag::Low
        } else if self.high.is_some_and(|h| value > h) {
            Flag::High
        } else {
            Flag::Normal
        }
    }

    /// The range as people write it.
    pub fn text(&self) -> String {
        match (self.low, self.high) {
            (Some(l), Some(h)) => format!("{}–{}", number(l), number(h)),
            (Some(l), None) => format!("≥ {}", number(l)),
            (None, Some(h)) => format!("≤ {}", number(h)),
            (None, None) => String::new(),
        }
    }
}

/// A number without a trailing `.0`.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{}", v as i64)
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// A value as reported (`"8.2"`, `"<0.01"`, `"positive"`) read as a number, if it is one.
pub fn numeric(value: &str) -> Option<f64> {
    value
        .trim()
        .trim_start_matches(['<', '>', '='])
        .trim()
        .parse()
        .ok()
}

/// A lab value's flag: the lab's own `H`/`L` if given, else the value against the range.
pub fn lab_flag(value: &str, range: &str, lab_flag: &str) -> Option<Flag> {
    match lab_flag.trim() {
        "H" | "HH" | "A" => return Some(Flag::High),
        "L" | "LL" => return Some(Flag::Low),
        _ => {}
    }
    Some(Range::parse(range)?.flag(numeric(value)?))
}

/// One vital sign: its field in `get_vital_signs` results, label, unit and adult range.
#[derive(Clone, Copy, Debug)]
pub struct Vital {
    /// The field of a `VitalSigns` record.
    pub field: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// The adult resting range, if one applies.
    pub range: Option<Range>,
}

const fn range(low: f64, high: f64) -> Option<Range> {
    Some(Range {
        low: Some(low),
        high: Some(high),
    })
}

/// The vital signs Ward shows, in the order it shows them, with adult ranges (resting
/// heart rate 60–100 bpm; systolic 90–139 and diastolic 60–89 mmHg; respiratory rate
/// 12–20/min; temperature 36.0–37.9 °C; SpO2 95–100 %).
pub const VITALS: [Vital; 8] = [
    Vital {
        field: "systolic",
        label: "Systolic BP",
        unit: "mmHg",
        range: range(90.0, 139.0),
    },
    Vital {
        field: "diastolic",
        label: "Diastolic BP",
        unit: "mmHg",
        range: range(60.0, 89.0),
    },
    Vital {
        field: "heart_rate",
        label: "Heart rate",
        unit: "bpm",
        range: range(60.0, 100.0),
    },
    Vital {
        field: "respiratory_rate",
        label: "Respiratory rate",
        unit: "/min",
        range: range(12.0, 20.0),
    },
    Vital {
        field: "temperature_c",
        label: "Temperature",
        unit: "°C",
        range: range(36.0, 37.9),
    },
    Vital {
        field: "spo2",
        label: "SpO2",
        unit: "%",
        range: range(95.0, 100.0),
    },
    Vital {
        field: "weight_kg",
        label: "Weight",
        unit: "kg",
        range: None,
    },
    Vital {
        field: "bmi",
        label: "BMI",
        unit: "kg/m²",
        range: range(18.5, 24.9),
    },
];

/// The direction of a series, oldest to newest: the latest against the first, with a 5 %
/// dead band (of the range's width when there is one, else of the first value).
pub fn direction(first: f64, latest: f64, range: Option<&Range>) -> &'static str {
    let scale = match range.map(|r| (r.low, r.high)) {
        Some((Some(l), Some(h))) if h > l => h - l,
        _ => first.abs().max(1e-9),
    };
    let change = (latest - first) / scale;
    if change > 0.05 {
        "rising"
    } else if change < -0.05 {
        "falling"
    } else {
        "stable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_texts_are_read() {
        assert_eq!(
            Range::parse("4.0-5.6"),
            Some(Range {
                low: Some(4.0),
                high: Some(5.6)
            })
        );
        assert_eq!(Range::parse("4.0 – 5.6").unwrap().high, Some(5.6));
        assert_eq!(Range::parse("<200").unwrap().high, Some(200.0));
        assert_eq!(Range::parse("<= 5.6").unwrap().high, Some(5.6));
        assert_eq!(Range::parse(">60").unwrap().low, Some(60.0));
        assert_eq!(Range::parse("negative"), None);
        assert_eq!(Range::parse("4.0-5.6").unwrap().text(), "4–5.6");
    }

    #[test]
    fn values_are_flagged_against_ranges_and_lab_flags_win() {
        assert_eq!(lab_flag("8.2", "4.0-5.6", ""), Some(Flag::High));
        assert_eq!(lab_flag("3.1", "3.5-5.1", ""), Some(Flag::Low));
        assert_eq!(lab_flag("4.2", "3.5-5.1", ""), Some(Flag::Normal));
        assert_eq!(lab_flag("4.2", "3.5-5.1", "H"), Some(Flag::High));
        assert_eq!(lab_flag("positive", "negative", ""), None);
        let spo2 = VITALS.iter().find(|v| v.field == "spo2").unwrap();
        assert_eq!(spo2.range.unwrap().flag(92.0), Flag::Low);
        let sys = VITALS.iter().find(|v| v.field == "systolic").unwrap();
        assert_eq!(sys.range.unwrap().flag(154.0), Flag::High);
    }

    #[test]
    fn directions_have_a_dead_band() {
        let r = Range::parse("4.0-5.6").unwrap();
        assert_eq!(direction(7.1, 8.2, Some(&r)), "rising");
        assert_eq!(direction(8.2, 7.1, Some(&r)), "falling");
        assert_eq!(direction(8.2, 8.22, Some(&r)), "stable");
        assert_eq!(direction(100.0, 101.0, None), "stable");
    }
}
