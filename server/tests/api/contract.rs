//! The API's contract: the served OpenAPI document is valid and describes every route;
//! every rejection (body, query string, path, method, media type, size) is Ward's JSON
//! error and never quotes what was sent; the prototype's statuses.
//! (Schemathesis checks the responses against the document: `scripts/schemathesis.sh`.)

use crate::helpers::*;
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use std::collections::BTreeSet;

async fn document(app: &TestApp) -> Value {
    let r = app
        .client
        .get(app.url("/frontend/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    r.json().await.unwrap()
}

/// Every `$ref` in `v` resolves in `doc`.
fn check_refs(doc: &Value, v: &Value, at: &str) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let pointer = r.strip_prefix('#').expect("local reference");
                assert!(doc.pointer(pointer).is_some(), "{at}: {r} does not resolve");
            }
            for (k, x) in map {
                check_refs(doc, x, &format!("{at}/{k}"));
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, x)| check_refs(doc, x, &format!("{at}/{i}"))),
        _ => {}
    }
}

/// The paths the app and the server share (`ward_domain::paths`) are exactly the
/// documented ones: the handlers' `#[utoipa::path]` literals repeat them, and a path
/// changed on one side only fails here.
#[tokio::test]
async fn the_shared_paths_are_exactly_the_documented_paths() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let documented: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let shared: BTreeSet<&str> = ward_domain::paths::api::DOCUMENTED.into_iter().collect();
    let only_shared: Vec<_> = shared.difference(&documented).collect();
    let only_documented: Vec<_> = documented.difference(&shared).collect();
    assert!(
        only_shared.is_empty() && only_documented.is_empty(),
        "in ward_domain::paths only: {only_shared:?}; documented only: {only_documented:?}"
    );
}

#[tokio::test]
async fn the_openapi_document_is_valid_and_lists_every_route() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    check_refs(&doc, &doc, "");

    // Every operation: a unique id, its path parameters declared, a success and the
    // errors in Ward's shape.
    let methods = ["get", "put", "post", "delete", "patch"];
    let mut ids = BTreeSet::new();
    let paths = doc["paths"].as_object().unwrap();
    for (path, item) in paths {
        let templated: BTreeSet<&str> = path
            .split('{')
            .skip(1)
            .map(|p| p.split('}').next().unwrap())
            .collect();
        for (method, op) in item.as_object().unwrap() {
            assert!(methods.contains(&method.as_str()), "{method} {path}");
            let id = op["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_string()), "operationId {id} twice");
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, templated, "{method} {path}: path parameters");
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses
                    .keys()
                    .any(|s| s.starts_with('2') || s.starts_with('3')),
                "{method} {path} has no success"
            );
            for (status, r) in responses {
                if status.starts_with('4') && path != "/frontend/api/admin/import/" {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }

    // Every route of the router is documented: the handlers registered with
    // `routes!(...)` are by construction; a plain `.route(...)` must be too.
    let router = include_str!("../../src/http/mod.rs");
    let mut plain = 0;
    for piece in router.split(".route(").skip(1) {
        let path = piece.split('"').nth(1).unwrap();
        if path == "/" {
            continue;
        }
        plain += 1;
        assert!(paths.contains_key(path), "{path} is not in the document");
    }
    // `/mcp`, and `/metrics` again on the metrics listener (`metrics_router`).
    assert_eq!(
        plain, 2,
        "only /mcp and the metrics listener are routed outside `routes!`"
    );
    // The app's server functions (`app::server_fns`, routed by Leptos'
    // `leptos_routes_with_context`, not by `api_routes()`) are left out of the document
    // on purpose: they are the browser app's own calls, typed by the Rust functions that
    // both sides are compiled from (the app is their only client; scripts use the REST
    // endpoints beside them, which are documented), so Schemathesis does not fuzz them;
    // their guards and errors are tested in `server_fns.rs`. Each is a POST under the
    // prefix whose callers the router resolves (`server_fn_auth`), and no other route
    // hides among them.
    let functions: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            assert_eq!(method, reqwest::Method::POST, "{path}");
            assert!(path.starts_with(server::http::SERVER_FN_PREFIX), "{path}");
            assert!(!paths.contains_key(path), "{path}");
            path.strip_prefix(server::http::SERVER_FN_PREFIX)
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        functions,
        [
            "reviews/archived",
            "sessions/archive",
            "sessions/create",
            "sessions/history",
            "sessions/list",
            "sessions/rename",
            "sessions/unarchive",
        ]
        .map(String::from)
        .into(),
    );
    let registered = router.matches("routes!(").count();
    assert!(registered > 25, "{registered}");
    assert!(paths.len() > 30, "{} paths", paths.len());

    // …and every documented operation is routed: none answers 404 `no_such_endpoint` or
    // 405 (unauthenticated, so nothing changes).
    for (path, item) in paths {
        let concrete = path.replace("{id}", "1");
        for method in item.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app
                .client
                .request(m, app.url(&concrete))
                .send()
                .await
                .unwrap();
            assert_ne!(r.status(), 405, "{method} {path}");
            if r.status() == 404 {
                let body: Value = r.json().await.unwrap_or_default();
                assert_ne!(body["code"], "no_such_endpoint", "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn nullable_fields_are_nullable_in_the_document() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("CareTeam", "unit"),
        ("WhoAmI", "csrf_token"),
        ("SessionSummary", "patient_id"),
        ("HistoryMessage", "tool_name"),
        ("AuditEntry", "patient_id"),
        ("UserView", "unit"),
    ] {
        let types = &schemas[schema]["properties"][field]["type"];
        assert!(
            types.as_array().is_some_and(|t| t.contains(&json!("null"))),
            "{schema}.{field}: {types}"
        );
    }
}

#[tokio::test]
async fn handlers_use_wards_extractors_only() {
    // axum's own `Json`, `Query` and `Path` reject in text/plain and quote the input.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/routes");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.contains("use axum::extract")) {
            for banned in ["Query", "Path", "Json", "Form"] {
                assert!(
                    !line
                        .split(['{', '}', ',', ' ', ':', ';'])
                        .any(|w| w == banned),
                    "{}: {line}",
                    path.display()
                );
            }
        }
        for banned in ["Json(", "Query(", "Path("] {
            for line in text.lines().filter(|l| l.trim_start().starts_with(banned)) {
                assert!(
                    !line.contains(&format!("axum::{banned}")),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

/// Asserts `r` is Ward's JSON error with `status` and `code`, and returns its message.
async fn rejected(r: reqwest::Response, status: u16, code: &str) -> String {
    assert_eq!(r.status(), status);
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        r.headers()[CONTENT_TYPE]
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    body["error"].as_str().unwrap().to_string()
}

const NAME_AND_BIRTH_DATE: &str = "Zebulon Quillfeather DOB 1911-07-23";

fn quotes_nothing(message: &str) {
    for part in ["Zebulon", "Quillfeather", "1911"] {
        assert!(
            !message.contains(part),
            "the error quotes the input: {message}"
        );
    }
}

#[tokio::test]
async fn body_rejections_are_json_and_quote_nothing() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let url = app.url("/frontend/api/chat/session/x/");
    let send = |body: String, content_type: Option<&'static str>| {
        let mut req = app.client.patch(&url).bearer_auth(&token).body(body);
        if let Some(t) = content_type {
            req = req.header(CONTENT_TYPE, t);
        }
        req.send()
    };
    // A title of the wrong type, holding a name and a birth date, in every field.
    for body in [
        json!({"title": [NAME_AND_BIRTH_DATE]}),
        json!({"title": NAME_AND_BIRTH_DATE, "is_archived": NAME_AND_BIRTH_DATE}),
        json!({"title": {NAME_AND_BIRTH_DATE: 1}}),
    ] {
        let r = send(body.to_string(), Some("application/json"))
            .await
            .unwrap();
        let message = rejected(r, 400, "invalid_request").await;
        quotes_nothing(&message);
    }
    // Not JSON at all.
    let r = send(
        format!("{{\"title\": {NAME_AND_BIRTH_DATE}}}"),
        Some("application/json"),
    )
    .await
    .unwrap();
    quotes_nothing(&rejected(r, 400, "malformed_json").await);
    // JSON without its content type, and another media type.
    let r = send(json!({"title": "x"}).to_string(), None).await.unwrap();
    rejected(r, 415, "unsupported_media_type").await;
    let r = send("title=x".into(), Some("application/x-www-form-urlencoded"))
        .await
        .unwrap();
    rejected(r, 415, "unsupported_media_type").await;
    // Over the body limit.
    let big = json!({ "title": "x".repeat(3 * 1024 * 1024) }).to_string();
    let r = send(big, Some("application/json")).await.unwrap();
    rejected(r, 413, "payload_too_large").await;

    // The chat session's optional body: the same rejections.
    let create = app.url("/frontend/api/chat/session/");
    let r = app
        .client
        .post(&create)
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body(json!({"title": NAME_AND_BIRTH_DATE, "reuse_empty": NAME_AND_BIRTH_DATE}).to_string())
        .send()
        .await
        .unwrap();
    let message = rejected(r, 400, "invalid_request").await;
    quotes_nothing(&message);
    assert!(message.contains("reuse_empty"), "{message}");
    let r = app
        .client
        .post(&create)
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "text/plain")
        .body(NAME_AND_BIRTH_DATE)
        .send()
        .await
        .unwrap();
    rejected(r, 415, "unsupported_media_type").await;

    // A tool's arguments: an unknown argument is not named back.
    let r = app
        .post(
            &token,
            "/frontend/mcp-proxy/",
            json!({"tool": "get_patient_overview", "arguments": {"patient_id": "PAT-001", NAME_AND_BIRTH_DATE: true}}),
        )
        .await;
    assert_eq!(r.status(), 400);
    quotes_nothing(&r.text().await.unwrap());
}

#[tokio::test]
async fn query_path_and_method_rejections_are_json() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let auditor = app.token("auditor").await;
    let doctor = app.token("doctor").await;

    // A malformed query string.
    for (token, path) in [
        (
            &doctor,
            "/frontend/api/chat/sessions/?archived=Zebulon%20Quillfeather%201911",
        ),
        (
            &admin,
            "/frontend/api/admin/usage/?days=Zebulon%20Quillfeather%201911",
        ),
        (
            &auditor,
            "/frontend/api/audit/events/?limit=Zebulon%20Quillfeather%201911",
        ),
        (
            &auditor,
            "/frontend/api/audit/events/?before_seq=1911-07-23",
        ),
    ] {
        let message = rejected(app.get(token, path).await, 400, "invalid_query").await;
        quotes_nothing(&message);
    }
    // A path parameter of the wrong type.
    let r = app
        .client
        .patch(app.url("/frontend/api/admin/users/Quillfeather1911/"))
        .bearer_auth(&admin)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let message = rejected(r, 400, "invalid_path").await;
    quotes_nothing(&message);
    assert!(message.contains("`id`"), "{message}");
    // A known path with another method, and an unknown path.
    let r = app
        .client
        .delete(app.url("/frontend/api/chat/sessions/"))
        .bearer_auth(&doctor)
        .send()
        .await
        .unwrap();
    rejected(r, 405, "method_not_allowed").await;
    let r = app.get(&doctor, "/frontend/api/no-such-thing/").await;
    rejected(r, 404, "no_such_endpoint").await;
    // rmcp's own refusals at /mcp are Ward's JSON too.
    let r = app
        .client
        .post(app.url("/mcp"))
        .bearer_auth(&doctor)
        .header(CONTENT_TYPE, "application/json")
        .header("accept", "text/html")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string())
        .send()
        .await
        .unwrap();
    rejected(r, 406, "not_acceptable").await;
}

#[tokio::test]
async fn creating_a_session_answers_200_as_the_prototype() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    // No body at all (the prototype's curl), an empty object, a title.
    let r = app
        .client
        .post(app.url("/frontend/api/chat/session/"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let created: Value = r.json().await.unwrap();
    assert!(created["session_id"]
        .as_str()
        .is_some_and(|s| s.len() == 36));
    for body in [json!({}), Value::Null, json!({"title": "Ward round"})] {
        let r = app.post(&token, "/frontend/api/chat/session/", body).await;
        assert_eq!(r.status(), 200);
    }
}
