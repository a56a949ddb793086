//! Logging and traces.
//!
//! Logs: human-readable lines by default, JSON lines with `--log-json` (or
//! `WARD_LOG_FORMAT=json`), filtered by `RUST_LOG` (default `info`). What is logged is
//! decided where it is logged; nothing logs bodies, query strings, tokens or PHI.
//!
//! Traces (off by default): with `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, the spans of `ward_core::spans` — a request,
//! a chat turn, a provider call, a tool call — go over OTLP/HTTP (protobuf) to that
//! collector, and nothing else does: the exporter's layer takes only spans of
//! [`ward_core::spans::TARGET`], never events or other spans, whatever `RUST_LOG` says.
//! Their attributes are PHI-free by construction (`ward_core::spans::SafeValue`).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{SpanExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Libraries held at `warn` whatever `RUST_LOG` says.
const QUIET: [&str; 8] = [
    "rmcp=warn",
    "sqlx=warn",
    "sea_orm=warn",
    "sea_query=warn",
    "hyper=warn",
    "reqwest=warn",
    "async_openai=warn",
    "leptos_axum=warn",
];

/// The exporter's HTTP client: Ward's reqwest (rustls), no second HTTP stack. The SDK
/// exports from a thread of its own, outside Tokio, so each request runs on the Tokio
/// runtime that started Ward and is awaited from there.
#[derive(Debug, Clone)]
struct OtlpHttp {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl opentelemetry_http::HttpClient for OtlpHttp {
    async fn send_bytes(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Response<bytes::Bytes>, opentelemetry_http::HttpError> {
        let client = self.client.clone();
        let send = async move {
            let (parts, body) = request.into_parts();
            let res = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let mut out = http::Response::builder().status(res.status());
            if let Some(h) = out.headers_mut() {
                h.extend(res.headers().clone());
            }
            let body = res.bytes().await?;
            Ok::<_, opentelemetry_http::HttpError>(out.body(body)?)
        };
        self.runtime.spawn(send).await?
    }
}

/// What [`init`] started: the trace exporter, flushed and stopped by [`Telemetry::shutdown`].
#[derive(Default)]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether traces are exported.
    pub fn exporting(&self) -> bool {
        self.traces.is_some()
    }

    /// Sends the spans still queued and stops the exporter (off the async threads: the
    /// SDK blocks until its export thread is done).
    pub async fn shutdown(self) {
        if let Some(provider) = self.traces {
            let _ = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        }
    }
}

/// The collector's address, if traces are on: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the
/// full URL), else `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces`.
fn traces_endpoint() -> Option<String> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").or_else(|| {
        get("OTEL_EXPORTER_OTLP_ENDPOINT")
            .map(|base| format!("{}/v1/traces", base.trim().trim_end_matches('/')))
    })
}

fn tracer_provider(endpoint: String) -> anyhow::Result<SdkTracerProvider> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let exporter = SpanExporter::builder()
        .with_http()
        .with_http_client(OtlpHttp {
            client,
            runtime: tokio::runtime::Handle::try_current()?,
        })
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_secs(10))
        .build()?;
    let service = std::env::var("OTEL_SERVICE_NAME")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "ward".into());
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder()
                .with_service_name(service)
                .with_attribute(opentelemetry::KeyValue::new(
                    "service.version",
                    env!("CARGO_PKG_VERSION"),
                ))
                .build(),
        )
        .build())
}

/// Installs the global subscriber (once; later calls are ignored): logs, and traces when
/// `traces` is true and an OTLP endpoint is configured (call from within Tokio).
pub fn init(json: bool, traces: bool) -> Telemetry {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // These libraries log request bodies, tool results or SQL with values at debug level:
    // whatever RUST_LOG says, they never log below warn. The exported spans are not logs.
    for quiet in QUIET.into_iter().chain(["ward::otel=off"]) {
        filter = filter.add_directive(quiet.parse().expect("a valid directive"));
    }
    let logs = if json {
        fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_target(false)
            .with_filter(filter)
            .boxed()
    } else {
        fmt::layer()
            .compact()
            .with_target(false)
            .with_filter(filter)
            .boxed()
    };
    let provider = match traces.then(traces_endpoint).flatten() {
        None => None,
        Some(endpoint) => match tracer_provider(endpoint) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("OpenTelemetry export is off: {e}");
                None
            }
        },
    };
    let exported = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("ward"))
            .with_filter(tracing_subscriber::filter::filter_fn(|m| {
                m.is_span() && m.target() == ward_core::spans::TARGET
            }))
    });
    let installed = tracing_subscriber::registry()
        .with(logs)
        .with(exported)
        .try_init()
        .is_ok();
    Telemetry {
        traces: provider.filter(|_| installed),
    }
}
