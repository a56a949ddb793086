//! Reading FHIR JSON: paths into a resource, dates at their precision, references, and
//! the problems that make a resource unusable (named by field, never by value).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;
use ward_domain::tool::PatientId;

/// Why one resource cannot be used: the field at fault (FHIR path style) and what is
/// wrong with it. Contains field names and Ward's words, never values of the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unusable {
    /// The field, e.g. `valueQuantity.value` (empty for the resource as a whole).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Unusable {
    /// A problem with `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Unusable {
        Unusable {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The reason as one sentence: `field message`.
    pub fn reason(&self) -> String {
        if self.field.is_empty() {
            self.message.clone()
        } else {
            format!("{} {}", self.field, self.message)
        }
    }
}

/// The result of reading one part of a resource.
pub type Read<T> = Result<T, Unusable>;

/// Turns a FHIR path such as `component[1].valueQuantity.value` into a JSON pointer.
pub fn pointer(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars() {
        match c {
            '.' | '[' => out.push('/'),
            ']' => {}
            c => out.push(c),
        }
    }
    out
}

/// A date or instant as FHIR wrote it, at its precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A year (`2013`).
    Year(i32),
    /// A year and month (`2013-04`).
    Month(i32, u32),
    /// A calendar date.
    Day(NaiveDate),
    /// An instant (a date-time; without a time zone it is taken as UTC), and the calendar
    /// date as written.
    Instant(DateTime<Utc>, NaiveDate),
}

impl When {
    /// The instant: a date alone is midnight UTC; a partial date has none.
    pub fn instant(self) -> Option<DateTime<Utc>> {
        match self {
            When::Instant(t, _) => Some(t),
            When::Day(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
            _ => None,
        }
    }

    /// The calendar date as written; a partial date has none.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            When::Instant(_, d) | When::Day(d) => Some(d),
            _ => None,
        }
    }

    /// ISO 8601 text at the source's precision (instants in UTC, to the second), which
    /// sorts chronologically: `2013`, `2013-04`, `2013-04-05`, `2013-04-05T10:00:00Z`.
    pub fn iso(self) -> String {
        match self {
            When::Year(y) => format!("{y:04}"),
            When::Month(y, m) => format!("{y:04}-{m:02}"),
            When::Day(d) => d.format("%Y-%m-%d").to_string(),
            When::Instant(t, _) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// Parses a FHIR `date`, `dateTime` or `instant`.
pub fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    match s.len() {
        4 if digits(s) => return s.parse().ok().map(When::Year),
        7 if digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) => {
            let m: u32 = s[5..].parse().ok()?;
            let y: i32 = s[..4].parse().ok()?;
            return (1..=12).contains(&m).then_some(When::Month(y, m));
        }
        _ => {}
    }
    let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    if s.len() == 10 {
        return Some(When::Day(day));
    }
    let at = if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        t.with_timezone(&Utc)
    } else {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
            .ok()?
            .and_utc()
    };
    Some(When::Instant(at, day))
}

/// One resource being read, with its type and id for messages.
#[derive(Clone, Copy)]
pub struct Res<'a> {
    /// The resource's JSON.
    pub value: &'a Value,
}

impl<'a> Res<'a> {
    /// The value at `path`, if present and not null.
    pub fn get(&self, path: &str) -> Option<&'a Value> {
        self.value.pointer(&pointer(path)).filter(|v| !v.is_null())
    }

    /// A non-empty string at `path`, if any.
    pub fn str(&self, path: &str) -> Option<&'a str> {
        self.get(path)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The first non-empty string among `paths`.
    pub fn first_str(&self, paths: &[&str]) -> Option<&'a str> {
        paths.iter().find_map(|p| self.str(p))
    }

    /// The array at `path` (empty when absent or not an array).
    pub fn array(&self, path: &str) -> &'a [Value] {
        self.get(path)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// A number at `path`: `None` when absent, unusable when present but not a number.
    pub fn number(&self, path: &str) -> Read<Option<f64>> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(|| Unusable::new(path, "is not a number")),
        }
    }

    /// A number at `path` as written (`4.0` stays `4.0`).
    pub fn number_text(&self, path: &str) -> Read<Option<String>> {
        Ok(self.number(path)?.and(self.get(path)).map(Value::to_string))
    }

    /// A date, date-time or instant at `path`, at its precision. Absent is `None`;
    /// present but not a valid FHIR date is unusable.
    pub fn when(&self, path: &str) -> Read<Option<When>> {
        let Some(v) = self.get(path) else {
            return Ok(None);
        };
        v.as_str()
            .and_then(parse_when)
            .map(Some)
            .ok_or_else(|| Unusable::new(path, "is not a valid FHIR date or date-time"))
    }

    /// The first of `paths` that holds a date.
    pub fn first_when(&self, paths: &[&str]) -> Read<Option<When>> {
        for p in paths {
            if let Some(w) = self.when(p)? {
                return Ok(Some(w));
            }
        }
        Ok(None)
    }

    /// The codes of a CodeableConcept's codings.
    pub fn codes(&self, path: &str) -> Vec<&'a str> {
        self.array(&format!("{path}.coding"))
            .iter()
            .filter_map(|c| c.get("code").and_then(Value::as_str))
            .collect()
    }

    /// The text of a CodeableConcept: its `text`, else the first coding's display, else
    /// the first coding's code.
    pub fn concept_text(&self, path: &str) -> Option<&'a str> {
        self.first_str(&[
            &format!("{path}.text"),
            &format!("{path}.coding[0].display"),
            &format!("{path}.coding[0].code"),
        ])
    }

    /// The display of a CodeableConcept for people: its `text`, else the first coding's
    /// display (never a bare code).
    pub fn concept_display(&self, path: &str) -> Option<&'a str> {
        self.first_str(&[
            &format!("{path}.text"),
            &format!("{path}.coding[0].display"),
        ])
    }

    /// The texts of every CodeableConcept in the array at `path`, joined with `; `.
    pub fn concepts_joined(&self, path: &str) -> String {
        (0..self.array(path).len())
            .filter_map(|i| self.concept_text(&format!("{path}[{i}]")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The texts of `note[*].text` (Annotations), joined with a blank line.
    pub fn notes(&self) -> String {
        self.array("note")
            .iter()
            .filter_map(|n| n.get("text").and_then(Value::as_str))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The display of the first Reference among `paths` (e.g. `performer[0].actor`).
    pub fn reference_display(&self, paths: &[&str]) -> Option<&'a str> {
        paths.iter().find_map(|p| self.str(&format!("{p}.display")))
    }
}

/// Cuts `s` to at most `max` characters, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A number as people write it: no trailing `.0`.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Rounds to two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Whether `id` is a usable row id (FHIR's id rule, which Ward's patient id rule
/// contains: 1–64 letters, digits, `-` and `.`; Ward also allows `_`).
pub fn valid_id(id: &str) -> bool {
    PatientId::parse(id).is_ok()
}

/// What a reference string names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A `urn:uuid:` or `urn:oid:` reference (a bundle's `fullUrl`).
    Urn(String),
    /// `Type/id`, relative or at the end of an absolute URL.
    Typed(String, String),
    /// A contained resource, `#id`.
    Contained(String),
}

/// Parses a reference string.
pub fn parse_reference(reference: &str) -> Option<Target> {
    let reference = reference.trim();
    if reference.starts_with("urn:") {
        return Some(Target::Urn(reference.to_string()));
    }
    if let Some(id) = reference.strip_prefix('#') {
        return Some(Target::Contained(id.to_string()));
    }
    if reference.contains('?') {
        return None;
    }
    let path = reference
        .split("/_history/")
        .next()
        .unwrap_or(reference)
        .trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let id = parts.next()?;
    let rtype = parts.next()?;
    (!id.is_empty() && rtype.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .then(|| Target::Typed(rtype.to_string(), id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fhir_paths_become_json_pointers() {
        assert_eq!(pointer("a.b[0].c"), "/a/b/0/c");
        assert_eq!(
            pointer("component[12].valueQuantity.value"),
            "/component/12/valueQuantity/value"
        );
    }

    #[test]
    fn references_name_their_type_and_id() {
        assert_eq!(
            parse_reference("Patient/abc"),
            Some(Target::Typed("Patient".into(), "abc".into()))
        );
        assert_eq!(
            parse_reference("https://ehr.example/fhir/Patient/abc/_history/2"),
            Some(Target::Typed("Patient".into(), "abc".into()))
        );
        assert_eq!(
            parse_reference("urn:uuid:1234"),
            Some(Target::Urn("urn:uuid:1234".into()))
        );
        assert_eq!(
            parse_reference("#med1"),
            Some(Target::Contained("med1".into()))
        );
        assert!(parse_reference("Practitioner?identifier=x|1").is_none());
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(parse_when("2013"), Some(When::Year(2013)));
        assert_eq!(parse_when("2013-04"), Some(When::Month(2013, 4)));
        assert_eq!(parse_when("2013-13"), None);
        assert_eq!(parse_when("2024-02-30"), None);
        assert_eq!(parse_when("yesterday"), None);
        let w = parse_when("2024-02-03T10:00:00-05:00").unwrap();
        assert_eq!(w.iso(), "2024-02-03T15:00:00Z");
        assert_eq!(w.date(), NaiveDate::from_ymd_opt(2024, 2, 3));
        assert_eq!(parse_when("2024-02-03").unwrap().iso(), "2024-02-03");
        assert_eq!(
            parse_when("2024-02-03T10:00:00").unwrap().iso(),
            "2024-02-03T10:00:00Z"
        );
        assert_eq!(parse_when("2013-04").unwrap().instant(), None);
        let mut sorted = ["2013-04-05T10:00:00Z", "2013", "2013-04-05", "2012-12"];
        sorted.sort();
        assert_eq!(
            sorted,
            ["2012-12", "2013", "2013-04-05", "2013-04-05T10:00:00Z"]
        );
    }

    #[test]
    fn a_bad_value_names_its_field_and_not_its_value() {
        let v = json!({"valueQuantity": {"value": "high"}, "effectiveDateTime": "soon"});
        let r = Res { value: &v };
        let e = r.number("valueQuantity.value").unwrap_err();
        assert_eq!(e.reason(), "valueQuantity.value is not a number");
        let e = r.when("effectiveDateTime").unwrap_err();
        assert!(!e.reason().contains("soon"));
        assert_eq!(r.when("missing"), Ok(None));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fmt_num(140.0), "140");
        assert_eq!(fmt_num(7.2), "7.2");
    }
}
