//! The driver that streams a turn: the provider rounds, the text restored as it streams,
//! the tool calls run and shown, the events sent to the clinician as NDJSON lines, and the
//! end of the turn. What it writes goes through the [`ledger`]; what it decides without
//! I/O is in [`rules`].

use super::ledger::{self, Owed};
use super::rules::{self, PendingCall, Stop, ToolCalls};
use super::Turn;
use crate::audit;
use crate::chat::checkpoint::Checkpoint;
use crate::chat::framing;
use crate::chat::limits::Reservation;
use crate::chat::outbox::OutboxSender;
use crate::chat::provider::{
    estimated_prompt_tokens, ModelEvent, ModelMessage, ModelOutput, ModelRequest, ModelTool,
    ModelToolCall,
};
use crate::chat::sessions::{self, NewMessage};
use crate::error::Result;
use crate::privacy::{self, Protected};
use crate::tools::{call_tool, Door, SessionBinding, ToolRequest, ToolSuccess};
use crate::Ward;
use bytes::Bytes;
use chrono::{SecondsFormat, Utc};
use futures::StreamExt;
use serde_json::{json, Value};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::chat::{ChatEvent, ChatEventKind, FunctionCall, ToolStatus, Usage};
use ward_domain::pricing::{to_usd, MicroUsd};
use ward_phi::{DisclosureTally, SessionVault};

fn event(kind: ChatEventKind) -> ChatEvent {
    ChatEvent {
        kind,
        timestamp: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}

/// One event as a line of NDJSON (the chat stream's format, `docs/api.md`).
pub fn ndjson_line(event: &ChatEvent) -> Bytes {
    let mut line = serde_json::to_vec(event).expect("chat events serialise");
    line.push(b'\n');
    Bytes::from(line)
}

/// The state of a streaming turn: the clinician's stream, what is owed to the ledger,
/// the turn's usage so far and the reply's checkpoint.
///
/// A turn has one transaction between provider calls and one at its end, so the
/// database's write lock is taken twice per tool-free turn.
struct Stream {
    /// The clinician's stream: each event as one NDJSON line (serialised here, so an
    /// open stream's queue holds compact bytes).
    tx: OutboxSender,
    /// Messages and the settlement not yet written.
    owed: Owed,
    prompt_tokens: u64,
    completion_tokens: u64,
    cost: MicroUsd,
    /// The reply as it streams, persisted in batches (`chat::checkpoint`).
    checkpoint: Checkpoint,
}

impl Stream {
    async fn send(&self, kind: ChatEventKind) -> Result<(), Stop> {
        self.tx
            .send(ndjson_line(&event(kind)))
            .await
            .map_err(|_| Stop::Disconnected)
    }

    /// Records a provider call's usage, to be settled in the next transaction.
    fn used(&mut self, ward: &Ward, r: Reservation, prompt: u64, completion: u64) {
        self.prompt_tokens += prompt;
        self.completion_tokens += completion;
        self.cost += ward
            .prices
            .price(ward.provider.model())
            .cost(prompt, completion);
        self.owed.settlement(r, prompt, completion);
    }
}

/// Streams a turn, sending its events to `tx` as NDJSON lines. Runs to completion even if
/// the client leaves (then it stops the provider call and stores what it has).
pub async fn run_turn(mut turn: Turn, tx: OutboxSender) {
    let ward = turn.ward.clone();
    let _stream_guard = ward.metrics.open_stream();
    let mut vault = std::mem::replace(&mut turn.vault, SessionVault::new(0));
    let mut stream = Stream {
        tx,
        owed: Owed::new(turn.next_position),
        prompt_tokens: 0,
        completion_tokens: 0,
        cost: 0,
        checkpoint: Checkpoint::new(&ward, &turn.id),
    };
    let opening = std::mem::take(&mut turn.opening);
    let tally = std::mem::take(&mut turn.tally);
    let outcome = converse(&turn, opening, tally, &mut vault, &mut stream).await;
    let mut failed = outcome.is_err();
    let reply = match outcome {
        Ok(reply) => Some(reply),
        Err(Stop::Failed { code, message }) => {
            let _ = stream
                .send(ChatEventKind::Error {
                    code: code.clone(),
                    message: message.clone(),
                })
                .await;
            stream.owed.message(NewMessage {
                role: "error",
                content: message,
                tool_result: Some(json!({"code": code})),
                ..Default::default()
            });
            None
        }
        Err(Stop::Disconnected) => None,
    };
    // One transaction stores the rest of the turn, keeps the session's surrogates for its
    // next turn (on any replica) and releases its lease, before the client sees the end
    // of the stream, so its next message never finds the session still busy.
    let reply_id = reply.as_ref().map(|(id, _)| id.as_str());
    let checkpointed = stream.checkpoint.stop().await;
    let finished = ledger::finish(
        &ward,
        &turn.id,
        &vault,
        &stream.owed,
        reply_id,
        checkpointed,
    )
    .await;
    match (finished, reply) {
        (Ok(()), Some((message_id, content))) => {
            let _ = stream
                .send(ChatEventKind::Message {
                    role: "assistant".into(),
                    content,
                })
                .await;
            let _ = stream
                .send(ChatEventKind::Done {
                    message_id,
                    usage: Usage {
                        prompt_tokens: stream.prompt_tokens,
                        completion_tokens: stream.completion_tokens,
                        cost_usd: to_usd(stream.cost),
                    },
                })
                .await;
        }
        (Ok(()), None) => {}
        (Err(e), reply) => {
            tracing::error!(error = %e, "could not store the end of a turn and release its session");
            if reply.is_some() {
                failed = true;
                let _ = stream
                    .send(ChatEventKind::Error {
                        code: "storage_unavailable".into(),
                        message: "Ward could not save this reply, so it is not in the session's history. Please try again.".into(),
                    })
                    .await;
            }
        }
    }
    // OpenTelemetry: the turn's counts, on its span (see `routes::chat::send_message`).
    crate::spans::record_turn_tokens(stream.prompt_tokens, stream.completion_tokens, failed);
    ward.metrics.chat_turn(failed);
}

/// What one provider call streamed.
struct Streamed {
    /// The model's text, as it wrote it (surrogates included).
    model_text: ModelOutput,
    /// The same text as the clinician was shown it (restored).
    shown: String,
    /// The tool calls it asked for.
    calls: ToolCalls,
    /// The completion's tokens (reported, else estimated).
    completion_tokens: u64,
}

/// The provider rounds of a turn. Returns the final reply's id and text (owed to the
/// turn's last transaction).
async fn converse(
    turn: &Turn,
    mut messages: Vec<ModelMessage>,
    mut tally: DisclosureTally,
    vault: &mut SessionVault,
    s: &mut Stream,
) -> Result<(String, String), Stop> {
    let ward = &turn.ward;
    let subject = turn.caller.principal.subject();
    let tools: Vec<ModelTool> = ward
        .policy
        .tools_for(&subject)
        .into_iter()
        .map(|t| ModelTool {
            name: t.as_str(),
            description: t.spec().description,
            parameters: t.input_schema(),
        })
        .collect();
    let binding = SessionBinding {
        session_id: turn.id.clone(),
        allowed_patients: turn.allowed_patients.clone(),
    };
    // The patient whose banner the session shows: it changes (audited) when a tool runs
    // on another patient, and the clinician is told with a `patient` event.
    let mut bannered = sessions::banner_of(&turn.session).map(|b| b.id);
    let max_rounds = ward.config.llm_max_tool_rounds as usize;
    let mut reservation = Some(turn.reservation.clone());
    let mut reply_chars = 0usize;

    for round in 0..=max_rounds {
        // The first call was reserved and disclosed with the clinician's message.
        let r = match reservation.take() {
            Some(r) => r,
            None => {
                let cost = ward.prices.reservation(
                    ward.provider.model(),
                    estimated_prompt_tokens(&messages),
                    ward.config.llm_max_tokens as u64,
                );
                Box::pin(ledger::between_calls(
                    ward,
                    turn.user_id(),
                    &turn.id,
                    &mut s.owed,
                    cost,
                    &tally,
                    vault,
                ))
                .await?
            }
        };
        let request = ModelRequest {
            messages: messages.clone(),
            tools: if rules::offers_tools(round, max_rounds) {
                tools.clone()
            } else {
                vec![]
            },
            max_tokens: ward.config.llm_max_tokens,
            temperature: ward.config.llm_temperature,
        };
        let streamed = stream_call(turn, request, &messages, r, vault, &mut reply_chars, s).await?;
        let Streamed {
            model_text,
            shown,
            calls,
            completion_tokens: ct,
        } = streamed;

        let calls = calls.complete();
        if calls.is_empty() {
            let id = s.owed.message(NewMessage {
                role: "assistant",
                content: shown.clone(),
                tokens_used: ct as i32,
                provider_content: Protected::from_model(&model_text).stored(),
                ..Default::default()
            });
            return Ok((id, shown));
        }
        if round == max_rounds {
            break;
        }

        // The model asked for tools.
        let ids: Vec<Protected> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| Protected::call_id(&c.id, round, i))
            .collect();
        let restored: Vec<String> = calls
            .iter()
            .map(|c| {
                privacy::tool_arguments(
                    vault,
                    ward.config.phi_mode,
                    &c.arguments,
                    &turn.allowed_patients,
                )
            })
            .collect();
        s.owed.message(NewMessage {
            role: "assistant",
            content: shown.clone(),
            tokens_used: ct as i32,
            tool_result: Some(json!({"tool_calls": calls.iter().zip(&ids).zip(&restored).map(|((c, id), a)| json!({"id": id.as_str(), "name": c.name.as_str(), "arguments": a})).collect::<Vec<_>>()})),
            provider_content: Protected::from_model(&model_text).stored(),
            ..Default::default()
        });
        messages.push(ModelMessage::Assistant {
            text: (!model_text.is_empty()).then(|| Protected::from_model(&model_text)),
            tool_calls: calls
                .iter()
                .zip(&ids)
                .map(|(c, id)| ModelToolCall {
                    id: id.clone(),
                    name: Protected::from_model(&c.name),
                    arguments: Protected::from_model(&c.arguments),
                })
                .collect(),
        });
        for (i, ((call, call_id), args_text)) in calls.iter().zip(&ids).zip(&restored).enumerate() {
            let content = Box::pin(run_call(
                turn,
                &binding,
                &mut bannered,
                (i, call, call_id, args_text),
                &mut tally,
                vault,
                s,
            ))
            .await?;
            messages.push(ModelMessage::Tool {
                call_id: call_id.clone(),
                content,
            });
        }
    }
    let mut e = turn
        .caller
        .entry(AuditAction::AgentRefused, Outcome::Denied);
    e.session_id = Some(turn.id.to_string());
    e.reason = Some("tool_rounds_exceeded".into());
    Box::pin(audit::append(&ward.db, e)).await?;
    Err(Stop::rounds_exceeded(max_rounds))
}

/// One provider call: starts it, streams its text (restored) to the clinician, assembles
/// its tool calls, and records its usage. A failure or a disconnect stops the turn, with
/// what was shown owed as an incomplete reply.
async fn stream_call(
    turn: &Turn,
    request: ModelRequest,
    messages: &[ModelMessage],
    r: Reservation,
    vault: &SessionVault,
    reply_chars: &mut usize,
    s: &mut Stream,
) -> Result<Streamed, Stop> {
    let ward = &turn.ward;
    // OpenTelemetry: one span per provider call (ends when dropped, after `used`).
    let call_span = crate::spans::WardSpan::provider_call(&ward.config);
    let started = tokio::select! {
        biased;
        _ = s.tx.closed() => Err(None),
        res = ward.provider.start(request) => res.map_err(Some),
    };
    let mut events = match started {
        Ok(ev) => ev,
        Err(e) => {
            ward.metrics.provider_call(true);
            s.used(ward, r, 0, 0);
            return Err(match e {
                None => Stop::Disconnected,
                Some(e) => Stop::provider_unavailable(e.code(), &e),
            });
        }
    };
    let mut restorer = vault.restorer();
    let mut model_text = ModelOutput::default();
    let mut shown = String::new();
    let mut calls = ToolCalls::default();
    let mut usage: Option<(u64, u64)> = None;
    let mut failure: Option<Stop> = None;
    loop {
        let next = tokio::select! {
            biased;
            _ = s.tx.closed() => { failure = Some(Stop::Disconnected); break; }
            n = events.next() => n,
        };
        match next {
            None => break,
            Some(Err(e)) => {
                failure = Some(Stop::provider_broke_off(e.code(), &e));
                break;
            }
            Some(Ok(ModelEvent::Text(t))) => {
                model_text.push(&t);
                *reply_chars += t.as_str().chars().count();
                let out = restorer.push(t.as_str());
                if !out.is_empty() {
                    shown.push_str(&out);
                    s.checkpoint.push(s.owed.position(), &out);
                    if s.send(ChatEventKind::Delta { content: out }).await.is_err() {
                        failure = Some(Stop::Disconnected);
                        break;
                    }
                }
                if rules::reply_too_long(*reply_chars) {
                    failure = Some(Stop::reply_too_long());
                    break;
                }
            }
            Some(Ok(ModelEvent::ToolCallDelta {
                index,
                id,
                name,
                arguments,
            })) => {
                if let Err(stop) = calls.push(index, id, name, arguments) {
                    failure = Some(stop);
                    break;
                }
            }
            Some(Ok(ModelEvent::Usage {
                prompt_tokens,
                completion_tokens,
            })) => {
                usage = Some((prompt_tokens, completion_tokens));
            }
        }
    }
    drop(events); // cancels the provider call if it is still running
    let tail = restorer.finish();
    shown.push_str(&tail);
    s.checkpoint.push(s.owed.position(), &tail);
    let client_gone = matches!(failure, Some(Stop::Disconnected));
    if !tail.is_empty()
        && !client_gone
        && s.send(ChatEventKind::Delta { content: tail })
            .await
            .is_err()
    {
        failure = Some(Stop::Disconnected);
    }
    let (pt, ct) = usage.unwrap_or_else(|| rules::estimated_usage(messages, &model_text, &calls));
    s.used(ward, r, pt, ct);
    call_span.tokens(pt, ct); // OpenTelemetry
    drop(call_span);
    ward.metrics.provider_call(
        failure
            .as_ref()
            .is_some_and(|f| matches!(f, Stop::Failed { .. })),
    );
    if let Some(stop) = failure {
        if !shown.is_empty() {
            s.owed.message(NewMessage {
                role: "assistant",
                content: shown,
                tokens_used: ct as i32,
                incomplete: true,
                provider_content: Protected::from_model(&model_text).stored(),
                ..Default::default()
            });
        }
        return Err(stop);
    }
    Ok(Streamed {
        model_text,
        shown,
        calls,
        completion_tokens: ct,
    })
}

/// Runs the `i`-th tool call of a round through [`call_tool`] with the session's binding
/// (or refuses it past [`rules::MAX_CALLS_PER_ROUND`]), moves the session's banner when
/// it ran on another patient, shows the call and its result to the clinician, owes the
/// result to the ledger, and returns what the model gets back: the result protected and
/// framed as untrusted data.
async fn run_call(
    turn: &Turn,
    binding: &SessionBinding,
    bannered: &mut Option<String>,
    (i, call, call_id, args_text): (usize, &PendingCall, &Protected, &String),
    tally: &mut DisclosureTally,
    vault: &mut SessionVault,
    s: &mut Stream,
) -> Result<Protected, Stop> {
    let ward = &turn.ward;
    let (phi, mode) = (&ward.phi, ward.config.phi_mode);
    let name = call.name.as_str();
    s.send(ChatEventKind::ToolCall {
        id: call_id.as_str().to_string(),
        function: FunctionCall {
            name: name.to_string(),
            arguments: args_text.clone(),
        },
    })
    .await?;
    let outcome: Result<ToolSuccess> = if !rules::call_is_run(i) {
        let mut e = turn
            .caller
            .entry(AuditAction::AgentRefused, Outcome::Denied);
        e.session_id = Some(turn.id.to_string());
        e.tool = Some(name.chars().take(64).collect());
        e.reason = Some("too_many_tool_calls".into());
        Box::pin(audit::append(&ward.db, e)).await?;
        Err(rules::too_many_calls())
    } else {
        let args: Value =
            serde_json::from_str(args_text).unwrap_or_else(|_| Value::String(args_text.clone()));
        // Boxed, as the other rare awaits here: the turn's task then carries only the
        // streaming state, not every branch's (memory per open stream).
        Box::pin(call_tool(
            ward,
            &turn.caller,
            ToolRequest {
                name,
                arguments: &args,
                door: Door::Chat(binding),
            },
        ))
        .await
    };
    let banner = match outcome.as_ref().ok().and_then(|ok| ok.patient_id.clone()) {
        Some(pid) if bannered.as_ref() != Some(&pid) => {
            let b = Box::pin(sessions::bind_patient(
                ward,
                &turn.caller,
                turn.id.as_str(),
                &pid,
            ))
            .await?;
            *bannered = Some(pid);
            b
        }
        _ => None,
    };
    let (status, shown_result, content) = match outcome {
        Ok(ok) => {
            let protected = phi.protect_result(vault, mode, &ok.result, tally)?;
            (
                ToolStatus::Ok,
                ok.result,
                framing::frame_ok(&Protected::from_model(&call.name), &protected),
            )
        }
        Err(e) if rules::failure_ends_turn(e.kind) => return Err(e.into()),
        Err(e) => {
            let (status, word) = rules::failure_status(e.kind);
            let message = phi.protect_text(vault, mode, &e.message, tally)?;
            (
                status,
                json!({"error": e.message, "code": e.code}),
                framing::frame_failure(&Protected::from_model(&call.name), word, &e, &message),
            )
        }
    };
    s.send(ChatEventKind::ToolResult {
        id: call_id.as_str().to_string(),
        name: name.to_string(),
        status,
        result: ward_domain::api::JsonText::of(&shown_result),
    })
    .await?;
    if let Some(b) = banner {
        s.send(ChatEventKind::Patient(b)).await?;
    }
    s.owed.message(NewMessage {
        role: "tool",
        content: shown_result.to_string(),
        tool_call_id: Some(call_id.as_str().to_string()),
        tool_name: Some(name.to_string()),
        tool_result: Some(
            json!({"status": status, "arguments": args_text, "result": shown_result}),
        ),
        ..Default::default()
    });
    Ok(content)
}
