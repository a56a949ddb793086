//! What a page needs first, named in its head so the browser fetches it at once.
//!
//! - The first reads: the JSON a screen asks for on load, as `<link rel="preload"
//!   as="fetch">`. The browser fetches it while the WASM downloads and compiles, and the
//!   screen's own `fetch` after hydration takes the preloaded response instead of waiting
//!   a round trip each. Nothing is read on the server: the browser's requests carry the
//!   same cookies, and Ward authorises each one as if the screen had made it.
//! - The split build's loader script, as `<link rel="modulepreload">`.

use crate::pages::chat::session_in_path;

/// `GET /frontend/whoami/`: every screen asks who is signed in.
pub const WHOAMI: &str = "/frontend/whoami/";
/// `GET`: the chat screen's session list.
pub const SESSIONS: &str = "/frontend/api/chat/sessions/";
/// `GET`: what the chat panel shows about the model.
pub const CHAT_CONFIG: &str = "/frontend/api/chat/config/";

/// `GET`: one session's history.
pub fn history_path(session_id: &str) -> String {
    format!("/frontend/api/chat/history/{session_id}/")
}

/// The reads a page opened at `path` makes first, for someone signed in. Only the chat
/// screen (the main WASM module) is covered: the lazy screens fetch their own chunk
/// first anyway. A session id is named only if it looks like one.
pub fn first_reads(path: &str) -> Vec<String> {
    let mut reads = vec![WHOAMI.to_string()];
    if let Some(open) = session_in_path(path) {
        reads.push(SESSIONS.to_string());
        reads.push(CHAT_CONFIG.to_string());
        if let Some(id) = open.filter(|id| looks_like_session_id(id)) {
            reads.push(history_path(&id));
        }
    }
    reads
}

/// Session ids are UUIDs: hex digits and dashes.
fn looks_like_session_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// The loader that `cargo leptos … --split` writes beside the main module. The main
/// module's JS imports it, so without a hint the browser would ask for it only once that
/// JS has arrived, and the WASM could not start before a second round trip.
pub const SPLIT_LOADER: &str = "__wasm_split.______________________.js";

/// The preload tags for the page being rendered (SSR only): the split loader (when the
/// build has one), and the first reads for someone with a session cookie (anyone else's
/// would be refused).
#[cfg(feature = "ssr")]
pub fn links(options: &leptos::config::LeptosOptions) -> impl leptos::IntoView {
    use leptos::prelude::*;
    use std::sync::OnceLock;
    static SPLIT: OnceLock<Option<String>> = OnceLock::new();
    let loader = SPLIT
        .get_or_init(|| {
            let pkg = format!("{}/{}", options.site_root, options.site_pkg_dir);
            std::path::Path::new(&pkg)
                .join(SPLIT_LOADER)
                .exists()
                .then(|| format!("/{}/{SPLIT_LOADER}", options.site_pkg_dir))
        })
        .clone()
        .map(|href| view! { <link rel="modulepreload" href=href/> });
    let parts = use_context::<http::request::Parts>();
    let reads = parts
        .filter(has_session_cookie)
        .map(|p| first_reads(p.uri.path()))
        .unwrap_or_default()
        .into_iter()
        .map(|href| view! { <link rel="preload" href=href r#as="fetch" crossorigin="anonymous"/> })
        .collect_view();
    (loader, reads)
}

/// In the browser the document head is never rendered: nothing to add.
#[cfg(not(feature = "ssr"))]
pub fn links(_options: &leptos::config::LeptosOptions) -> impl leptos::IntoView {}

/// Whether the request carries Ward's access or refresh cookie.
#[cfg(feature = "ssr")]
fn has_session_cookie(parts: &http::request::Parts) -> bool {
    use ward_domain::api::{cookie_value, ACCESS_COOKIE, REFRESH_COOKIE};
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            [ACCESS_COOKIE, REFRESH_COOKIE]
                .iter()
                .any(|name| cookie_value(v, name).is_some_and(|c| !c.is_empty()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chat_screen_preloads_its_list_config_and_history() {
        assert_eq!(first_reads("/frontend/"), [WHOAMI, SESSIONS, CHAT_CONFIG]);
        assert_eq!(
            first_reads("/frontend/chat/0b6c1f2e-8d3a-4c1b-9e2f-1a2b3c4d5e6f"),
            [
                WHOAMI,
                SESSIONS,
                CHAT_CONFIG,
                "/frontend/api/chat/history/0b6c1f2e-8d3a-4c1b-9e2f-1a2b3c4d5e6f/"
            ]
        );
    }

    #[test]
    fn other_screens_preload_only_whoami() {
        for path in [
            "/frontend/login",
            "/frontend/audit",
            "/frontend/reviews/abc",
        ] {
            assert_eq!(first_reads(path), [WHOAMI], "{path}");
        }
    }

    #[test]
    fn an_odd_session_id_is_not_named() {
        for path in [
            "/frontend/chat/%22%3E%3Cscript%3E",
            "/frontend/chat/..%2F..%2Fadmin",
        ] {
            assert_eq!(first_reads(path), [WHOAMI, SESSIONS, CHAT_CONFIG], "{path}");
        }
    }
}
