//! The admins' screen: usage and spend per day and per user as charts, the daily budgets,
//! users with their roles, and the import of FHIR files (Bundles and Bulk Data NDJSON)
//! with its report.

use crate::charts::{Bar, BarChart};
use crate::client::{self, on_mount};
use crate::display::{explain_error, role_label, usd, Problem};
use crate::signed_in::{can_administer, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ward_domain::api::{
    BudgetSettings, CreateUserRequest, UpdateUserRequest, UsageReport, UserView, WhoAmI,
};
use ward_domain::capability::{active_box_locked, role_box_locked};
use ward_domain::import::ImportReport;
use ward_domain::paths::{api, fill};
use ward_domain::role::Role;

/// `/frontend/admin`.
#[component]
pub fn AdminScreen() -> impl IntoView {
    view! { <SignedIn page=|me: WhoAmI| view! { <Admin me/> }/> }
}

fn tokens(v: f64) -> String {
    format!("{v:.0} tokens")
}

#[component]
fn Admin(me: WhoAmI) -> impl IntoView {
    if !can_administer(&me) {
        return view! {
            <div class="page"><h1>"Admin"</h1>
            <p class="problem" role="alert">"Only admins manage Ward."</p></div>
        }
        .into_any();
    }
    let usage = LocalResource::new(|| async {
        client::get::<UsageReport>(&format!("{}?days=14", api::ADMIN_USAGE)).await
    });
    view! {
        <div class="page admin" data-testid="admin-page">
            <h1>"Admin"</h1>
            <section aria-labelledby="usage-title">
                <h2 id="usage-title">"Usage and spend, last 14 days"</h2>
                {move || match usage.get() {
                    None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="problem" role="alert">{explain_error(&e).detail}</p> }.into_any(),
                    Some(Ok(r)) => {
                        let per_day_cost: Vec<Bar> = r.per_day.iter().map(|d| Bar { label: d.key.get(5..).unwrap_or(&d.key).to_string(), value: d.cost_usd }).collect();
                        let per_day_tokens: Vec<Bar> = r.per_day.iter().map(|d| Bar { label: d.key.get(5..).unwrap_or(&d.key).to_string(), value: (d.prompt_tokens + d.completion_tokens) as f64 }).collect();
                        let per_user: Vec<Bar> = r.per_user.iter().map(|u| Bar { label: u.key.clone(), value: u.cost_usd }).collect();
                        view! {
                            <p data-testid="spent-today">{format!("Spent today: {} of {} for Ward; {} per user.", usd(r.spent_today_usd), usd(r.budget.global_daily_usd), usd(r.budget.user_daily_usd))}</p>
                            <div class="charts">
                                <BarChart id="chart-day-cost" title="Spend per day".into() bars=per_day_cost format=usd/>
                                <BarChart id="chart-day-tokens" title="Tokens per day".into() bars=per_day_tokens format=tokens/>
                                <BarChart id="chart-user-cost" title="Spend per user".into() bars=per_user format=usd/>
                            </div>
                        }.into_any()
                    }
                }}
            </section>
            <Budgets/>
            {me.capabilities.manage_users.then(|| view! { <Users me_id=me.id/> })}
            <ImportData/>
        </div>
    }
    .into_any()
}

#[component]
fn Budgets() -> impl IntoView {
    let global = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let note = RwSignal::new(None::<Result<String, Problem>>);
    on_mount(move || {
        spawn_local(async move {
            if let Ok(b) = client::get::<BudgetSettings>(api::ADMIN_BUDGETS).await {
                global.set(format!("{:.2}", b.global_daily_usd));
                user.set(format!("{:.2}", b.user_daily_usd));
            }
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(g), Ok(u)) = (
            global.get_untracked().trim().parse::<f64>(),
            user.get_untracked().trim().parse::<f64>(),
        ) else {
            note.set(Some(Err(Problem {
                headline: "Budgets must be numbers.".into(),
                detail: "Enter amounts in US dollars, e.g. 50 or 2.50.".into(),
            })));
            return;
        };
        spawn_local(async move {
            let body = BudgetSettings {
                global_daily_usd: g,
                user_daily_usd: u,
            };
            match client::put::<_, BudgetSettings>(api::ADMIN_BUDGETS, &body).await {
                Ok(b) => note.set(Some(Ok(format!(
                    "Saved: {} per day for Ward, {} per user.",
                    usd(b.global_daily_usd),
                    usd(b.user_daily_usd)
                )))),
                Err(e) => note.set(Some(Err(explain_error(&e)))),
            }
        });
    };
    view! {
        <section aria-labelledby="budget-title">
            <h2 id="budget-title">"Daily budgets"</h2>
            <form class="inline-form" on:submit=save>
                <div class="field">
                    <label for="budget-global">"Whole deployment (USD per day)"</label>
                    <input id="budget-global" inputmode="decimal" prop:value=global on:input=move |e| global.set(event_target_value(&e))/>
                </div>
                <div class="field">
                    <label for="budget-user">"Each user (USD per day)"</label>
                    <input id="budget-user" inputmode="decimal" prop:value=user on:input=move |e| user.set(event_target_value(&e))/>
                </div>
                <div class="field actions"><button type="submit" class="primary">"Save budgets"</button></div>
            </form>
            <div aria-live="polite">
                {move || note.get().map(|n| match n {
                    Ok(t) => view! { <p class="ok-banner">{t}</p> }.into_any(),
                    Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn Users(me_id: i64) -> impl IntoView {
    let users = RwSignal::new(Vec::<UserView>::new());
    let note = RwSignal::new(None::<Result<String, Problem>>);
    let reload = move || {
        spawn_local(async move {
            match client::get::<Vec<UserView>>(api::ADMIN_USERS).await {
                Ok(list) => users.set(list),
                Err(e) => note.set(Some(Err(explain_error(&e)))),
            }
        })
    };
    on_mount(reload);
    let update = move |id: i64, change: UpdateUserRequest, done: String| {
        spawn_local(async move {
            match client::patch::<_, UserView>(&fill(api::ADMIN_USER, id), &change).await {
                Ok(_) => note.set(Some(Ok(done))),
                Err(e) => note.set(Some(Err(explain_error(&e)))),
            }
            reload();
        });
    };
    // The new-user form.
    let (username, display_name, password, unit) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let new_role = RwSignal::new("doctor".to_string());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let role = Role::ALL
            .into_iter()
            .find(|r| r.as_str() == new_role.get_untracked())
            .unwrap_or(Role::Doctor);
        let body = CreateUserRequest {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            password: password.get_untracked(),
            roles: vec![role],
            unit: Some(unit.get_untracked()).filter(|u| !u.trim().is_empty()),
        };
        spawn_local(async move {
            match client::post::<_, UserView>(api::ADMIN_USERS, &body).await {
                Ok(u) => {
                    note.set(Some(Ok(format!("Created {}.", u.username))));
                    username.set(String::new());
                    display_name.set(String::new());
                    password.set(String::new());
                    unit.set(String::new());
                    reload();
                }
                Err(e) => note.set(Some(Err(explain_error(&e)))),
            }
        });
    };
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">"Users and roles"</h2>
            <div aria-live="polite">
                {move || note.get().map(|n| match n {
                    Ok(t) => view! { <p class="ok-banner">{t}</p> }.into_any(),
                    Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
                })}
            </div>
            <div class="table-scroll">
            <table class="data-table users" data-testid="users-table">
                <caption class="visually-hidden">"Users; tick a role to grant it"</caption>
                <thead><tr>
                    <th scope="col">"User"</th><th scope="col">"Unit"</th>
                    {Role::ALL.iter().map(|r| view! { <th scope="col">{role_label(*r)}</th> }).collect_view()}
                    <th scope="col">"Active"</th>
                </tr></thead>
                <tbody>
                    <For each=move || users.get() key=|u| format!("{:?}", u) children=move |u: UserView| {
                        let id = u.id;
                        let name = u.username.clone();
                        let roles = u.roles.clone();
                        view! {
                            <tr>
                                <th scope="row">{u.display_name.clone()}<span class="muted small">{format!(" ({})", u.username)}</span></th>
                                <td>{u.unit.clone().unwrap_or_default()}</td>
                                {Role::ALL.into_iter().map(|r| {
                                    let has = roles.contains(&r);
                                    let roles = roles.clone();
                                    let name = name.clone();
                                    let label = format!("{} for {}", role_label(r), name);
                                    // What the server refuses (an admin's own admin role) is locked.
                                    let locked = role_box_locked(me_id, id, r, has);
                                    view! { <td class="center"><input type="checkbox" aria-label=label prop:checked=has disabled=locked
                                        on:change=move |_| {
                                            let mut next: Vec<Role> = roles.iter().copied().filter(|x| *x != r).collect();
                                            if !has { next.push(r); }
                                            update(id, UpdateUserRequest { roles: Some(next), ..Default::default() },
                                                format!("{} is {} {}.", name, if has { "no longer" } else { "now" }, role_label(r).to_lowercase()));
                                        }/></td> }
                                }).collect_view()}
                                <td class="center">
                                    <input type="checkbox" aria-label=format!("{} may sign in", u.username) prop:checked=u.is_active
                                        disabled=active_box_locked(me_id, id)
                                        on:change={
                                            let name = name.clone();
                                            let active = u.is_active;
                                            move |_| update(id, UpdateUserRequest { is_active: Some(!active), ..Default::default() },
                                                format!("{} {}.", name, if active { "can no longer sign in" } else { "can sign in again" }))
                                        }/>
                                </td>
                            </tr>
                        }
                    }/>
                </tbody>
            </table>
            </div>
            <h3>"Add a user"</h3>
            <form class="inline-form" on:submit=create>
                <div class="field"><label for="nu-username">"Username"</label>
                    <input id="nu-username" required autocomplete="off" prop:value=username on:input=move |e| username.set(event_target_value(&e))/></div>
                <div class="field"><label for="nu-name">"Display name"</label>
                    <input id="nu-name" required prop:value=display_name on:input=move |e| display_name.set(event_target_value(&e))/></div>
                <div class="field"><label for="nu-password">"Initial password (8+ characters)"</label>
                    <input id="nu-password" type="password" required minlength="8" autocomplete="new-password" prop:value=password on:input=move |e| password.set(event_target_value(&e))/></div>
                <div class="field"><label for="nu-role">"Role"</label>
                    <select id="nu-role" prop:value=new_role on:change=move |e| new_role.set(event_target_value(&e))>
                        {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{role_label(*r)}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="nu-unit">"Unit (optional)"</label>
                    <input id="nu-unit" prop:value=unit on:input=move |e| unit.set(event_target_value(&e))/></div>
                <div class="field actions"><button type="submit" class="primary">"Add user"</button></div>
            </form>
        </section>
    }
}

/// `POST`: one FHIR file to import.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const IMPORT: &str = api::ADMIN_IMPORT;

/// The content type an upload is sent with, from its file name.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn import_content_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".ndjson") || lower.ends_with(".jsonl") {
        "application/fhir+ndjson"
    } else {
        "application/fhir+json"
    }
}

/// The order files are sent in: Patient files first, so that the resources of later
/// files find their patients; then by name.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn import_order(names: &mut [String]) {
    names.sort_by_key(|n| (!n.to_ascii_lowercase().contains("patient"), n.clone()));
}

/// What became of the files sent so far.
#[derive(Clone, Debug, Default, PartialEq)]
struct ImportProgress {
    report: ImportReport,
    /// Files refused as a whole (size, type), with the reason.
    refused: Vec<(String, String)>,
    sent: usize,
    of: usize,
}

#[component]
fn ImportData() -> impl IntoView {
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let progress = RwSignal::new(None::<ImportProgress>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(el) = input.get_untracked() else {
                return;
            };
            let Some(list) = el.files() else { return };
            let mut files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            if files.is_empty() {
                return;
            }
            let mut names: Vec<String> = files.iter().map(|f| f.name()).collect();
            import_order(&mut names);
            files.sort_by_key(|f| {
                names
                    .iter()
                    .position(|n| *n == f.name())
                    .unwrap_or(usize::MAX)
            });
            busy.set(true);
            progress.set(Some(ImportProgress {
                of: files.len(),
                ..Default::default()
            }));
            spawn_local(async move {
                for file in files {
                    let name = file.name();
                    let path = format!("{IMPORT}?name={}", client::encode_query_value(&name));
                    let answer = client::upload_file(&path, import_content_type(&name), file).await;
                    progress.update(|p| {
                        let Some(p) = p else { return };
                        p.sent += 1;
                        match answer {
                            Ok((200, body)) => {
                                if let Ok(r) = serde_json::from_value::<ImportReport>(body) {
                                    p.report.merge(r);
                                }
                            }
                            Ok((422, body)) => {
                                if let Ok(r) =
                                    serde_json::from_value::<ImportReport>(body["report"].clone())
                                {
                                    p.report.merge(r);
                                }
                            }
                            Ok((status, body)) => {
                                let why = body["error"]
                                    .as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| format!("Ward answered {status}."));
                                p.refused.push((name.clone(), why));
                            }
                            Err(e) => p.refused.push((name.clone(), explain_error(&e).detail)),
                        }
                    });
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (input, busy);
    };
    view! {
        <section aria-labelledby="import-title" data-testid="import-section">
            <h2 id="import-title">"Import FHIR data"</h2>
            <p class="muted">"FHIR R4 Bundles or single resources (.json) and FHIR Bulk Data files (.ndjson, one resource a line). \
                A resource that cannot be used is listed below and the rest is imported; importing the same data again updates it. \
                Large exports: use the command line, "<code>"server import-fhir"</code>"."</p>
            <form class="inline-form" on:submit=submit>
                <div class="field">
                    <label for="import-files">"Files"</label>
                    <input id="import-files" type="file" multiple accept=".json,.ndjson,.jsonl,application/fhir+json,application/json" node_ref=input required/>
                </div>
                <div class="field actions">
                    <button type="submit" class="primary" prop:disabled=move || busy.get()>
                        {move || if busy.get() { "Importing…" } else { "Import" }}
                    </button>
                </div>
            </form>
            <div aria-live="polite" aria-busy=move || busy.get().to_string()>
                {move || progress.get().map(|p| view! { <ImportReportView progress=p/> })}
            </div>
        </section>
    }
}

#[component]
fn ImportReportView(progress: ImportProgress) -> impl IntoView {
    let t = progress.report.totals();
    let status = if progress.sent < progress.of {
        format!("Sent {} of {} file(s)…", progress.sent, progress.of)
    } else {
        format!("{} file(s) sent.", progress.of)
    };
    let summary = format!(
        "{} resource(s) read: {} imported ({} new, {} updated), {} not used by Ward, {} could not be used.",
        t.read,
        t.imported(),
        t.created,
        t.updated,
        t.not_used,
        t.failed
    );
    let kinds: Vec<(String, ward_domain::import::KindCounts)> = progress
        .report
        .kinds
        .iter()
        .map(|(k, c)| (k.clone(), *c))
        .collect();
    let issues = progress.report.issues.clone();
    let omitted = progress.report.issues_omitted;
    let refused = progress.refused.clone();
    let banner = if t.imported() > 0 {
        "ok-banner"
    } else {
        "problem"
    };
    view! {
        <div data-testid="import-report">
            <p class="muted">{status}</p>
            <p class=banner data-testid="import-summary">{summary}</p>
            {(!refused.is_empty()).then(|| view! {
                <ul class="problem" data-testid="import-refused">
                    {refused.into_iter().map(|(n, why)| view! { <li>{format!("{n}: {why}")}</li> }).collect_view()}
                </ul>
            })}
            {(!kinds.is_empty()).then(|| view! {
                <div class="table-scroll">
                <table class="data-table" data-testid="import-kinds">
                    <caption class="visually-hidden">"Resources per FHIR resource type"</caption>
                    <thead><tr>
                        <th scope="col">"Resource type"</th><th scope="col">"Read"</th><th scope="col">"New"</th>
                        <th scope="col">"Updated"</th><th scope="col">"Not used"</th><th scope="col">"Unusable"</th>
                    </tr></thead>
                    <tbody>
                        {kinds.into_iter().map(|(k, c)| view! {
                            <tr><th scope="row">{k}</th><td class="num">{c.read}</td><td class="num">{c.created}</td>
                            <td class="num">{c.updated}</td><td class="num">{c.not_used}</td><td class="num">{c.failed}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
            {(!issues.is_empty()).then(|| view! {
                <h3>"Could not be used"</h3>
                <ul class="import-issues" data-testid="import-issues">
                    {issues.into_iter().map(|i| view! { <li>{i.to_string()}</li> }).collect_view()}
                    {(omitted > 0).then(|| view! { <li>{format!("… and {omitted} more")}</li> })}
                </ul>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_files_are_sent_first() {
        let mut names = vec![
            "Observation.ndjson".to_string(),
            "Patient.ndjson".to_string(),
            "Condition.ndjson".to_string(),
        ];
        import_order(&mut names);
        assert_eq!(names[0], "Patient.ndjson");
        assert_eq!(
            import_content_type("Patient.NDJSON"),
            "application/fhir+ndjson"
        );
        assert_eq!(import_content_type("bundle.json"), "application/fhir+json");
    }
}
