//! The auditors' screen: the audit trail with filters (user, patient, action, outcome,
//! session, time), chain verification with its result, signed checkpoints (sign one now,
//! download them to keep elsewhere), exports (JSON lines, CSV, FHIR AuditEvent), the
//! active break-the-glass grants (revocable), and the accounting of disclosures to LLM
//! providers (filters, table, CSV and FHIR exports).

use crate::client::{self, on_mount, query_string};
use crate::display::{explain_error, time_with_seconds, Problem};
use crate::signed_in::{can_audit, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use serde::Deserialize;
use ward_domain::api::{ActiveGrants, DisclosurePage, WhoAmI};
use ward_domain::audit::{AuditAction, ChainReport, Checkpoint};
use ward_domain::paths::{api, fill};

/// One audit record as the table shows it (times stay text: no date library in the
/// browser).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct AuditRow {
    /// Position in the chain.
    pub seq: i64,
    /// When (RFC 3339).
    pub occurred_at: String,
    /// Who.
    pub actor: String,
    /// Their roles.
    pub roles: String,
    /// What.
    pub action: String,
    /// The patient concerned.
    pub patient_id: Option<String>,
    /// The tool concerned.
    pub tool: Option<String>,
    /// ok, denied or error.
    pub outcome: String,
    /// Why.
    pub reason: Option<String>,
    /// The chat session concerned.
    pub session_id: Option<String>,
}

/// One page of records.
#[derive(Clone, Debug, Deserialize)]
struct AuditRows {
    records: Vec<AuditRow>,
    next_before_seq: Option<i64>,
}

/// The filters of the form.
#[derive(Clone, Copy)]
struct Filters {
    user: RwSignal<String>,
    patient: RwSignal<String>,
    action: RwSignal<String>,
    outcome: RwSignal<String>,
    session: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Filters {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("user", self.user.get_untracked()),
            ("patient", self.patient.get_untracked()),
            ("action", self.action.get_untracked()),
            ("outcome", self.outcome.get_untracked()),
            ("session", self.session.get_untracked()),
            ("from", self.from.get_untracked()),
            ("to", self.to.get_untracked()),
        ]
    }
}

/// `/frontend/audit`.
#[component]
pub fn AuditScreen() -> impl IntoView {
    view! { <SignedIn page=|me: WhoAmI| view! { <AuditTrail me/> }/> }
}

fn text_filter(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type=kind prop:value=value on:input=move |e| value.set(event_target_value(&e))/>
        </div>
    }
}

#[component]
fn AuditTrail(me: WhoAmI) -> impl IntoView {
    if !can_audit(&me) {
        return view! {
            <div class="page"><h1>"Audit trail"</h1>
            <p class="problem" role="alert">"Only auditors read the audit trail."</p></div>
        }
        .into_any();
    }
    let query = use_query_map();
    let initial = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let filters = Filters {
        user: RwSignal::new(initial("user")),
        patient: RwSignal::new(initial("patient")),
        action: RwSignal::new(initial("action")),
        outcome: RwSignal::new(initial("outcome")),
        session: RwSignal::new(initial("session")),
        from: RwSignal::new(initial("from")),
        to: RwSignal::new(initial("to")),
    };
    let rows = RwSignal::new(None::<Vec<AuditRow>>);
    let next = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<Problem>);
    let report = RwSignal::new(None::<Result<ChainReport, Problem>>);
    let verifying = RwSignal::new(false);
    // The filters of the rows on screen (exports use the same).
    let applied = RwSignal::new(String::new());

    let load = move |more: bool| {
        let mut pairs = filters.pairs();
        let base = query_string(&pairs);
        if more {
            if let Some(n) = next.get_untracked() {
                pairs.push(("before_seq", n.to_string()));
            }
        }
        let path = format!("{}{}", api::AUDIT_EVENTS, query_string(&pairs));
        spawn_local(async move {
            match client::get::<AuditRows>(&path).await {
                Ok(page) => {
                    problem.set(None);
                    applied.set(base);
                    next.set(page.next_before_seq);
                    if more {
                        rows.update(|r| r.get_or_insert_with(Vec::new).extend(page.records));
                    } else {
                        rows.set(Some(page.records));
                    }
                }
                Err(e) => problem.set(Some(explain_error(&e))),
            }
        });
    };
    on_mount(move || load(false));

    let verify = move |_| {
        verifying.set(true);
        spawn_local(async move {
            let r = client::get::<ChainReport>(api::AUDIT_VERIFY).await;
            report.set(Some(r.map_err(|e| explain_error(&e))));
            verifying.set(false);
        });
    };
    let export_href = move |format: &str| {
        let q = applied.get();
        let sep = if q.is_empty() { "?" } else { "&" };
        format!("{}{q}{sep}format={format}", api::AUDIT_EXPORT)
    };

    view! {
        <div class="page audit" data-testid="audit-page">
            <h1>"Audit trail"</h1>
            <section class="verify" aria-labelledby="verify-title">
                <h2 id="verify-title" class="visually-hidden">"Chain verification"</h2>
                <button type="button" class="primary" on:click=verify disabled=move || verifying.get() data-testid="verify">
                    {move || if verifying.get() { "Verifying…" } else { "Verify the chain" }}
                </button>
                <div aria-live="polite" data-testid="verify-result">
                    {move || report.get().map(|r| match r {
                        Ok(r) if r.ok => view! {
                            <p class="ok-banner">{format!("Chain intact: all {} records verified with the audit key, and {} signed checkpoint(s); no record was changed, removed, inserted or re-hashed.", r.records_checked, r.checkpoints_checked)}</p>
                        }.into_any(),
                        Ok(r) => view! {
                            <p class="problem">{format!("Chain broken at record {}: {}", r.first_broken_seq.unwrap_or_default(), r.problem.unwrap_or_default())}</p>
                        }.into_any(),
                        Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
                    })}
                </div>
                <CheckpointControls/>
            </section>
            <GrantsPanel/>
            <DisclosuresPanel/>
            <form class="filters" aria-label="Filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(false); }>
                {text_filter("f-user", "User", filters.user, "text")}
                {text_filter("f-patient", "Patient", filters.patient, "text")}
                <div class="field">
                    <label for="f-action">"Action"</label>
                    <select id="f-action" prop:value=filters.action on:change=move |e| filters.action.set(event_target_value(&e))>
                        <option value="">"Any"</option>
                        {AuditAction::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.as_str().replace('_', " ")}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-outcome">"Outcome"</label>
                    <select id="f-outcome" prop:value=filters.outcome on:change=move |e| filters.outcome.set(event_target_value(&e))>
                        <option value="">"Any"</option>
                        <option value="ok">"ok"</option>
                        <option value="denied">"denied"</option>
                        <option value="error">"error"</option>
                    </select>
                </div>
                {text_filter("f-session", "Session", filters.session, "text")}
                {text_filter("f-from", "From (date)", filters.from, "date")}
                {text_filter("f-to", "Until (date, exclusive)", filters.to, "date")}
                <div class="field actions">
                    <button type="submit" class="primary">"Search"</button>
                </div>
            </form>
            <p class="exports">
                "Export these records: "
                <a href=move || export_href("jsonl") download="ward-audit.jsonl">"JSON lines"</a>" · "
                <a href=move || export_href("csv") download="ward-audit.csv">"CSV"</a>" · "
                <a href=move || export_href("fhir") download="ward-audit.ndjson">"FHIR AuditEvent"</a>
            </p>
            {move || problem.get().map(|p| view! { <div class="problem" role="alert"><strong>{p.headline}</strong><p>{p.detail}</p></div> })}
            <div aria-live="polite">
                {move || rows.get().map(|list| if list.is_empty() {
                    view! { <p class="muted">"No audit records match."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                        <table class="data-table" data-testid="audit-table">
                            <caption class="visually-hidden">"Audit records, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"#"</th><th scope="col">"Time"</th><th scope="col">"User"</th>
                                <th scope="col">"Action"</th><th scope="col">"Patient"</th><th scope="col">"Tool"</th>
                                <th scope="col">"Outcome"</th><th scope="col">"Reason"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr data-testid="audit-row">
                                        <td class="num">{r.seq}</td>
                                        <td>{time_with_seconds(&r.occurred_at)}</td>
                                        <td>{r.actor.clone()}<span class="muted small">{format!(" ({})", r.roles)}</span></td>
                                        <td>{r.action.replace('_', " ")}</td>
                                        <td>{r.patient_id.clone().unwrap_or_default()}</td>
                                        <td>{r.tool.clone().unwrap_or_default()}</td>
                                        <td><span class=format!("outcome outcome-{}", r.outcome)>{r.outcome.clone()}</span></td>
                                        <td>{r.reason.clone().unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                })}
            </div>
            <Show when=move || next.get().is_some()>
                <button type="button" class="quiet" on:click=move |_| load(true)>"Older records"</button>
            </Show>
        </div>
    }
    .into_any()
}

/// Sign a checkpoint of the chain now; download every checkpoint to keep outside Ward.
#[component]
fn CheckpointControls() -> impl IntoView {
    let signed = RwSignal::new(None::<Result<Checkpoint, Problem>>);
    let sign = move |_| {
        spawn_local(async move {
            let r = client::post::<_, Checkpoint>(api::AUDIT_CHECKPOINTS, &()).await;
            signed.set(Some(r.map_err(|e| explain_error(&e))));
        });
    };
    view! {
        <p class="checkpoints">
            <button type="button" class="quiet" on:click=sign data-testid="sign-checkpoint">"Sign a checkpoint now"</button>
            " · "
            <a href=api::AUDIT_CHECKPOINTS download="ward-audit-checkpoints.json">"Download the signed checkpoints"</a>
            " (keep them outside Ward: a chain rewritten later no longer matches them)"
        </p>
        <div aria-live="polite">
            {move || signed.get().map(|r| match r {
                Ok(c) => view! { <p class="ok-banner">{format!("Checkpoint signed at record {}.", c.seq)}</p> }.into_any(),
                Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
            })}
        </div>
    }
}

/// Everyone's active break-the-glass grants, each with a Revoke button.
#[component]
fn GrantsPanel() -> impl IntoView {
    let grants = RwSignal::new(None::<Result<ActiveGrants, Problem>>);
    let load = move || {
        spawn_local(async move {
            let r = client::get::<ActiveGrants>(api::AUDIT_BREAK_GLASS).await;
            grants.set(Some(r.map_err(|e| explain_error(&e))));
        });
    };
    on_mount(load);
    let revoke = move |id: i64| {
        spawn_local(async move {
            let path = fill(api::BREAK_GLASS_GRANT, id);
            match client::send::<_, ()>("DELETE", &path, &()).await {
                Ok(()) => load(),
                Err(e) => grants.set(Some(Err(explain_error(&e)))),
            }
        });
    };
    view! {
        <section class="grants" aria-labelledby="grants-title" data-testid="grants">
            <h2 id="grants-title">"Active break-the-glass grants"</h2>
            {move || grants.get().map(|r| match r {
                Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
                Ok(g) if g.grants.is_empty() => view! { <p class="muted">"No active grants."</p> }.into_any(),
                Ok(g) => view! {
                    <div class="table-scroll">
                    <table class="data-table">
                        <caption class="visually-hidden">"Active grants, newest first"</caption>
                        <thead><tr>
                            <th scope="col">"User"</th><th scope="col">"Patient"</th><th scope="col">"Reason"</th>
                            <th scope="col">"Granted"</th><th scope="col">"Until"</th><th scope="col">"Action"</th>
                        </tr></thead>
                        <tbody>
                            {g.grants.into_iter().map(|x| {
                                let id = x.id;
                                view! {
                                    <tr data-testid="grant-row">
                                        <td>{x.username}</td>
                                        <td>{x.patient_id}</td>
                                        <td>{x.reason}</td>
                                        <td>{time_with_seconds(&x.granted_at)}</td>
                                        <td>{time_with_seconds(&x.expires_at)}</td>
                                        <td><button type="button" class="quiet" on:click=move |_| revoke(id)>"Revoke"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

/// The accounting of disclosures (HIPAA 164.528): what went to LLM providers, per patient
/// and provider, with kinds and counts, PHI mode and clinician; CSV and FHIR exports.
#[component]
fn DisclosuresPanel() -> impl IntoView {
    let patient = RwSignal::new(String::new());
    let provider = RwSignal::new(String::new());
    let page = RwSignal::new(None::<Result<DisclosurePage, Problem>>);
    let applied = RwSignal::new(String::new());
    let load = move || {
        let pairs = vec![
            ("patient", patient.get_untracked()),
            ("provider", provider.get_untracked()),
        ];
        let q = query_string(&pairs);
        spawn_local(async move {
            let r = client::get::<DisclosurePage>(&format!("{}{q}", api::AUDIT_DISCLOSURES)).await;
            if r.is_ok() {
                applied.set(q);
            }
            page.set(Some(r.map_err(|e| explain_error(&e))));
        });
    };
    on_mount(load);
    let export_href = move |format: &str| {
        let q = applied.get();
        let sep = if q.is_empty() { "?" } else { "&" };
        format!("{}{q}{sep}format={format}", api::AUDIT_DISCLOSURES_EXPORT)
    };
    view! {
        <section class="disclosures" aria-labelledby="disclosures-title" data-testid="disclosures">
            <h2 id="disclosures-title">"Accounting of disclosures"</h2>
            <form class="filters" aria-label="Disclosure filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); }>
                {text_filter("d-patient", "Disclosed patient", patient, "text")}
                {text_filter("d-provider", "Provider", provider, "text")}
                <div class="field actions">
                    <button type="submit" class="primary">"Show"</button>
                </div>
            </form>
            <p class="exports">
                "Export: "
                <a href=move || export_href("csv") download="ward-disclosures.csv">"Disclosures (CSV)"</a>" · "
                <a href=move || export_href("fhir") download="ward-disclosures.ndjson">"Disclosures (FHIR AuditEvent)"</a>
            </p>
            {move || page.get().map(|r| match r {
                Err(p) => view! { <p class="problem">{p.detail}</p> }.into_any(),
                Ok(p) if p.records.is_empty() => view! { <p class="muted">"No disclosures match."</p> }.into_any(),
                Ok(p) => view! {
                    <div class="table-scroll">
                    <table class="data-table" data-testid="disclosures-table">
                        <caption class="visually-hidden">"Disclosures to LLM providers, newest first"</caption>
                        <thead><tr>
                            <th scope="col">"Time"</th><th scope="col">"Patient"</th><th scope="col">"Provider"</th>
                            <th scope="col">"PHI mode"</th><th scope="col">"Clinician"</th><th scope="col">"Kinds and counts"</th>
                        </tr></thead>
                        <tbody>
                            {p.records.into_iter().map(|d| {
                                let kinds = d.kinds.iter().map(|k| {
                                    format!("{} {}", k.kind, k.raw + k.pseudonymized + k.redacted)
                                }).collect::<Vec<_>>().join(", ");
                                view! {
                                    <tr data-testid="disclosure-row">
                                        <td>{time_with_seconds(&d.disclosed_at)}</td>
                                        <td>{d.patient_id.unwrap_or_default()}</td>
                                        <td>{format!("{} ({})", d.provider, d.model)}</td>
                                        <td>{d.phi_mode}</td>
                                        <td>{d.clinician}</td>
                                        <td>{kinds}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
