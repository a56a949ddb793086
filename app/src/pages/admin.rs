//! The admins' screen: usage and spend per day and per user as charts, the daily budgets,
//! and users with their roles.

use crate::charts::{Bar, BarChart};
use crate::client::{self, on_mount};
use crate::display::{explain_error, role_label, usd, Problem};
use crate::signed_in::{can_administer, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ward_domain::api::{
    BudgetSettings, CreateUserRequest, UpdateUserRequest, UsageReport, UserView, WhoAmI,
};
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
    let usage =
        LocalResource::new(|| client::get::<UsageReport>("/frontend/api/admin/usage/?days=14"));
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
            <Users me_id=me.id/>
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
            if let Ok(b) = client::get::<BudgetSettings>("/frontend/api/admin/budgets/").await {
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
            match client::put::<_, BudgetSettings>("/frontend/api/admin/budgets/", &body).await {
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
            match client::get::<Vec<UserView>>("/frontend/api/admin/users/").await {
                Ok(list) => users.set(list),
                Err(e) => note.set(Some(Err(explain_error(&e)))),
            }
        })
    };
    on_mount(reload);
    let update = move |id: i64, change: UpdateUserRequest, done: String| {
        spawn_local(async move {
            match client::patch::<_, UserView>(&format!("/frontend/api/admin/users/{id}/"), &change)
                .await
            {
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
            match client::post::<_, UserView>("/frontend/api/admin/users/", &body).await {
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
                                    // An admin cannot take away their own admin role here.
                                    let locked = id == me_id && r == Role::Admin;
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
                                        disabled=id == me_id
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
