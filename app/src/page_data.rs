//! What a page starts with ([`PageData`]): who is signed in and, on the chat screen, the
//! screen's first reads. The server loads it before it renders the page ([`start`]),
//! renders the screen with it and writes it into the page's head as JSON; the browser
//! reads it back before it hydrates ([`provide`]), so both render the same screen and
//! the browser asks the API for nothing on its first load.
//!
//! [`Page::of`] says which paths are pages and what each needs; [`start`] also decides
//! the redirects a page load gets (to sign-in, to the user's home screen, from
//! `/frontend/` to the session a first visit opens).

use leptos::prelude::*;
use ward_domain::api::{ChatStart, PageData, SignInOptions, WhoAmI};
use ward_domain::paths::screen;

/// The id of the `<script type="application/json">` that carries the page data.
pub const ELEMENT_ID: &str = "ward-page-data";
/// The id of the `<script type="application/json">` that carries the sign-in page's
/// [`SignInOptions`].
pub const SIGN_IN_ELEMENT_ID: &str = "ward-sign-in";

/// The sign-in page.
pub const SIGN_IN: &str = screen::SIGN_IN;

/// A page of the app, as far as its first render is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/frontend/login`.
    SignIn,
    /// `/frontend/` (`None`: open a session first) or `/frontend/chat/<id>`.
    Chat(Option<String>),
    /// The other signed-in screens (reviews, audit, admin): they load their own data.
    Screen,
}

impl Page {
    /// The page at `path`; `None` for anything that is not one of the app's pages (the
    /// API, static files, unknown paths).
    pub fn of(path: &str) -> Option<Page> {
        if path == SIGN_IN {
            return Some(Page::SignIn);
        }
        if let Some(open) = crate::pages::chat::session_in_path(path) {
            return Some(Page::Chat(open));
        }
        let trimmed = path.trim_end_matches('/');
        let is_screen = [screen::REVIEWS, screen::AUDIT, screen::ADMIN].contains(&trimmed)
            || path
                .strip_prefix(screen::REVIEW_PREFIX)
                .is_some_and(|id| !id.is_empty() && !id.contains('/'));
        is_screen.then_some(Page::Screen)
    }
}

/// The page data as the screens use it: the user, and the chat screen's first reads until
/// the chat screen takes them.
#[derive(Clone, Copy)]
struct Started {
    chat: StoredValue<Option<ChatStart>>,
}

/// Reads the page data (from the request on the server, from the page in the browser),
/// makes the chat start available to [`take_chat_start`], and returns the signed-in user.
pub fn provide() -> Option<WhoAmI> {
    let data = current();
    let (me, chat) = match data {
        Some(PageData { me, chat }) => (Some(me), chat),
        None => (None, None),
    };
    provide_context(Started {
        chat: StoredValue::new(chat),
    });
    me
}

/// The chat screen's first reads, if the page was loaded on session `id`; given once.
pub fn take_chat_start(id: Option<&str>) -> Option<ChatStart> {
    let started = use_context::<Started>()?;
    started
        .chat
        .try_update_value(|c| c.take_if(|c| Some(c.session_id.as_str()) == id))
        .flatten()
}

#[cfg(feature = "ssr")]
fn current() -> Option<PageData> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<PageData>()
        .cloned()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn current() -> Option<PageData> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id(ELEMENT_ID)?
        .text_content()?;
    serde_json::from_str(&text).ok()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn current() -> Option<PageData> {
    None
}

/// How people may sign in (the sign-in page); passwords only when the page carries none.
pub fn sign_in_options() -> SignInOptions {
    #[cfg(feature = "ssr")]
    let options = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<SignInOptions>().cloned());
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    let options = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(SIGN_IN_ELEMENT_ID))
        .and_then(|e| e.text_content())
        .and_then(|t| serde_json::from_str(&t).ok());
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let options = None;
    options.unwrap_or(SignInOptions {
        sso: false,
        passwords: true,
    })
}

/// The page data as the text of a `<script type="application/json">`: JSON with every
/// `<` escaped, so no text in it (a title, a message) can close the element.
pub fn script_text(data: &PageData) -> String {
    serde_json::to_string(data)
        .expect("page data serialises")
        .replace('<', "\\u003c")
}

/// The page data element for the page being rendered (SSR only; in the browser the head
/// is never rendered).
pub fn element() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let sign_in = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<SignInOptions>().cloned())
        .map(|o| {
            let text = serde_json::to_string(&o).expect("options serialise");
            view! { <script type="application/json" id=SIGN_IN_ELEMENT_ID inner_html=text></script> }
        });
    #[cfg(not(feature = "ssr"))]
    let sign_in: Option<()> = None;
    let page = current().map(|data| {
        view! { <script type="application/json" id=ELEMENT_ID inner_html=script_text(&data)></script> }
    });
    (page, sign_in)
}

/// What the server does with a request for a page.
#[derive(Debug)]
pub enum Start {
    /// Render the page, with its data when someone is signed in.
    Render(Option<Box<PageData>>),
    /// Send the browser elsewhere (`303 See Other`).
    Redirect(String),
}

/// Loads what `page` starts with for `caller` (with the CSRF token of their browser
/// session), or decides where the page load goes instead: the signed-out to sign-in, the
/// signed-in away from sign-in and from screens their roles do not open, and a first
/// visit to chat (`/frontend/`) to the session it opens. The reads are the ones the API
/// calls they replace would make, by the same rules (a reviewer's read of someone else's
/// archived session is audited the same way).
#[cfg(feature = "ssr")]
pub async fn start(
    ward: &ward_core::Ward,
    caller: Option<&ward_core::Caller>,
    csrf_token: Option<String>,
    page: Page,
) -> ward_core::Result<Start> {
    use crate::signed_in::{can_chat, home_path};
    use ward_core::chat::sessions;
    let Some(caller) = caller else {
        return Ok(match page {
            Page::SignIn => Start::Render(None),
            _ => Start::Redirect(SIGN_IN.to_string()),
        });
    };
    let mut me =
        ward_core::identity::users::whoami(&ward.db, &ward.policy, &caller.principal, csrf_token)
            .await?;
    me.demo = !ward.config.is_production();
    let chat = match page {
        Page::SignIn => return Ok(Start::Redirect(home_path(&me).to_string())),
        Page::Screen => None,
        Page::Chat(_) if !can_chat(&me) => {
            let home = home_path(&me);
            if Page::of(home) != Some(Page::Chat(None)) {
                return Ok(Start::Redirect(home.to_string()));
            }
            None
        }
        Page::Chat(None) => {
            let opened = sessions::open_fresh(ward, caller).await?;
            return Ok(Start::Redirect(crate::pages::chat::chat_path(
                &opened.session_id,
            )));
        }
        Page::Chat(Some(id)) => {
            let history = match sessions::history(ward, caller, &id).await {
                Ok(h) => Some(h),
                Err(e) if e.kind == ward_core::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
            Some(ChatStart {
                config: ward_core::chat::config(ward),
                sessions: sessions::list(ward, caller, false).await?.sessions,
                session_id: id,
                history,
            })
        }
    };
    Ok(Start::Render(Some(Box::new(PageData { me, chat }))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_of_the_app_is_a_page_and_the_api_is_not() {
        assert_eq!(Page::of("/frontend/login"), Some(Page::SignIn));
        assert_eq!(Page::of("/frontend/"), Some(Page::Chat(None)));
        assert_eq!(
            Page::of("/frontend/chat/abc"),
            Some(Page::Chat(Some("abc".into())))
        );
        for screen in [
            "/frontend/reviews",
            "/frontend/reviews/abc",
            "/frontend/audit",
            "/frontend/admin",
        ] {
            assert_eq!(Page::of(screen), Some(Page::Screen), "{screen}");
        }
        for not_a_page in [
            "/frontend/login/",
            "/frontend/whoami/",
            "/frontend/api/chat/sessions/",
            "/frontend/reviews/a/b",
            "/pkg/ward.js",
            "/frontend/nowhere",
        ] {
            assert_eq!(Page::of(not_a_page), None, "{not_a_page}");
        }
    }

    #[test]
    fn page_data_cannot_close_its_script_element() {
        let data = PageData {
            me: WhoAmI {
                id: 1,
                username: "doctor".into(),
                display_name: "</script><script>alert(1)</script>".into(),
                roles: vec![],
                is_superuser: false,
                care_team: Default::default(),
                csrf_token: None,
                demo: true,
                capabilities: Default::default(),
            },
            chat: None,
        };
        let text = script_text(&data);
        assert!(!text.contains('<'), "{text}");
        let back: PageData = serde_json::from_str(&text).unwrap();
        assert_eq!(back, data);
    }
}
