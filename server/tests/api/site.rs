//! The built site's static files: served by Ward itself, precompressed (release builds)
//! or gzipped on the fly when the browser accepts it, and never compressing the NDJSON
//! chat stream.

use crate::helpers::{spawn, Spawn};
use serde_json::json;

/// A site directory with a WASM-like file that compresses well.
fn site_with_wasm() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    let wasm: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.path().join("pkg/ward.wasm"), &wasm).unwrap();
    (dir, wasm)
}

#[tokio::test]
async fn static_files_are_gzipped_only_for_browsers_that_accept_it() {
    let (dir, wasm) = site_with_wasm();
    let app = spawn(Spawn {
        site_root: Some(dir.path().to_string_lossy().into_owned()),
        ..Default::default()
    })
    .await;

    let gz = app
        .client
        .get(app.url("/pkg/ward.wasm"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.status(), 200);
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["content-type"], "application/wasm");
    let compressed = gz.bytes().await.unwrap();
    assert!(
        compressed.len() < wasm.len() / 4,
        "gzip body is {} bytes for {} raw",
        compressed.len(),
        wasm.len()
    );

    let plain = app
        .client
        .get(app.url("/pkg/ward.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), wasm.as_slice());

    let missing = app
        .client
        .get(app.url("/pkg/nope.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_release_builds_precompressed_files_are_served_as_they_are() {
    let (dir, wasm) = site_with_wasm();
    // Not real compressed streams: proves the file on disk is sent, not a fresh compression.
    std::fs::write(dir.path().join("pkg/ward.wasm.gz"), b"precompressed gzip").unwrap();
    std::fs::write(dir.path().join("pkg/ward.wasm.br"), b"precompressed brotli").unwrap();
    let app = spawn(Spawn {
        site_root: Some(dir.path().to_string_lossy().into_owned()),
        ..Default::default()
    })
    .await;
    let get = |encoding: &'static str| {
        app.client
            .get(app.url("/pkg/ward.wasm"))
            .header("accept-encoding", encoding)
            .send()
    };

    let br = get("gzip, br").await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"precompressed brotli");

    let gz = get("gzip").await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"precompressed gzip");

    let plain = get("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), wasm.as_slice());
}

#[tokio::test]
async fn the_chat_stream_is_never_compressed() {
    let app = spawn(Spawn::default()).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let r = app
        .client
        .post(app.url("/frontend/api/chat/message/"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .json(&json!({"session_id": session, "message": "Latest labs for PAT-001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("content-encoding").is_none());
    let body = r.text().await.unwrap();
    assert!(
        body.lines().any(|l| l.contains("\"type\":\"done\"")),
        "{body}"
    );
}
