//! A validator for the subset of JSON Schema that Ward's tool schemas use.
//!
//! Supported keywords: `type` (object, string, integer, number, boolean, array),
//! `properties`, `required`, `additionalProperties: false`, `enum`, `minLength`,
//! `maxLength`, `minimum`, `maximum`, `items`, `maxItems`. Every error names the field
//! it is about, as a dotted path (`arguments.patient_id`).

use serde_json::Value;

/// Why a value does not match its schema; `field` is the dotted path of the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct SchemaViolation {
    /// Dotted path of the offending field, starting at `arguments`.
    pub field: String,
    /// What is wrong with it, in plain words.
    pub problem: String,
}

/// Validates `value` against `schema`, returning the first violation found.
pub fn validate(schema: &Value, value: &Value) -> Result<(), SchemaViolation> {
    check(schema, value, "arguments")
}

fn violation(field: &str, problem: impl Into<String>) -> SchemaViolation {
    SchemaViolation {
        field: field.to_string(),
        problem: problem.into(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn matches_type(expected: &str, v: &Value) -> bool {
    match expected {
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => type_name(v) == other,
    }
}

fn check(schema: &Value, value: &Value, path: &str) -> Result<(), SchemaViolation> {
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        if !matches_type(expected, value) {
            return Err(violation(
                path,
                format!("expected {expected}, got {}", type_name(value)),
            ));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            let names: Vec<String> = options.iter().map(|o| o.to_string()).collect();
            return Err(violation(
                path,
                format!("must be one of {}", names.join(", ")),
            ));
        }
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(name) {
                        return Err(violation(&format!("{path}.{name}"), "is required"));
                    }
                }
            }
            let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
            for (key, item) in map {
                let child = format!("{path}.{key}");
                match props.and_then(|p| p.get(key)) {
                    Some(sub) => check(sub, item, &child)?,
                    // The key is the caller's and is not repeated: the known ones are.
                    None if closed => {
                        let known: Vec<&str> = props
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        return Err(violation(
                            path,
                            format!(
                                "has an argument that is not known (known: {})",
                                known.join(", ")
                            ),
                        ));
                    }
                    None => {}
                }
            }
        }
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    return Err(violation(
                        path,
                        format!("must be at least {min} characters"),
                    ));
                }
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    return Err(violation(path, format!("must be at most {max} characters")));
                }
            }
        }
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if x.is_nan() || x < min {
                    return Err(violation(path, format!("must be at least {min}")));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if x.is_nan() || x > max {
                    return Err(violation(path, format!("must be at most {max}")));
                }
            }
        }
        Value::Array(items) => {
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if items.len() as u64 > max {
                    return Err(violation(path, format!("must have at most {max} items")));
                }
            }
            if let Some(sub) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(sub, item, &format!("{path}[{i}]"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "patient_id": {"type": "string", "minLength": 1, "maxLength": 8},
                "limit": {"type": "integer", "minimum": 1, "maximum": 10},
                "kind": {"type": "string", "enum": ["a", "b"]}
            },
            "required": ["patient_id"],
            "additionalProperties": false
        })
    }

    #[test]
    fn valid_arguments_pass() {
        assert!(validate(&schema(), &json!({"patient_id": "PAT-001", "limit": 3})).is_ok());
    }

    #[test]
    fn each_violation_names_its_field() {
        let cases = [
            (json!({}), "arguments.patient_id", "is required"),
            (
                json!({"patient_id": 7}),
                "arguments.patient_id",
                "expected string",
            ),
            (
                json!({"patient_id": ""}),
                "arguments.patient_id",
                "at least 1",
            ),
            (
                json!({"patient_id": "123456789"}),
                "arguments.patient_id",
                "at most 8",
            ),
            (
                json!({"patient_id": "x", "limit": 0}),
                "arguments.limit",
                "at least 1",
            ),
            (
                json!({"patient_id": "x", "limit": 2.5}),
                "arguments.limit",
                "expected integer",
            ),
            (
                json!({"patient_id": "x", "kind": "c"}),
                "arguments.kind",
                "one of",
            ),
            // The caller's key is not repeated (it can hold anything).
            (
                json!({"patient_id": "x", "evil": 1}),
                "arguments",
                "is not known (known: ",
            ),
            (json!([1]), "arguments", "expected object"),
        ];
        for (value, field, problem) in cases {
            let err = validate(&schema(), &value).unwrap_err();
            assert_eq!(err.field, field, "{value}");
            assert!(err.problem.contains(problem), "{value}: {}", err.problem);
        }
    }
}
