//! One remote query over HTTP: the documented request of each service, the
//! status classified into a typed error, `429` retried after `Retry-After`
//! (reported to the caller while it waits), and the body streamed into an
//! Advanced Hunting API document. The request runs on a worker thread so a
//! cancel flag stops the wait at once.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::data::http::{self, CancelReader};

use super::Service;
use super::auth::Token;
use super::error::RemoteError;
use super::stream::{Shape, StreamError, stream};

/// Tries of one request while it is throttled.
const MAX_TRIES: u32 = 5;
/// Longest single wait for `Retry-After`.
const MAX_RETRY_AFTER: u64 = 300;
/// Longest wait to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait for the response head: the services' own limits are lower
/// (Defender stops a query after 200 s; ADX and Log Analytics after 10 min
/// by default), so this only catches a server that never answers.
const HEAD_TIMEOUT: Duration = Duration::from_secs(11 * 60);
/// Most bytes of an error body read for its message.
const ERROR_BODY_CAP: u64 = 64 << 10;
/// Error codes the services use for their limits (result size, run time, resources).
const LIMIT_CODES: &[&str] = &[
    "LimitsExceeded",
    "QueryLimitsExceeded",
    "ResultSetTooLarge",
    "QueryTimeout",
    "E_QUERY_RESULT_SET_TOO_LARGE",
    "E_RUNAWAY_QUERY",
];

/// What to send.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The KQL.
    pub query: String,
    /// Log Analytics' `timespan` (ISO-8601 duration or interval).
    pub timespan: Option<String>,
    /// ADX's `query_now` request property (ISO-8601), pinning `now()`.
    pub query_now: Option<String>,
}

/// What came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// Rows received.
    pub rows: usize,
    /// The service stopped at a limit: at most this many rows came back.
    pub capped: Option<usize>,
    /// The service's words about the cap, when it gave any.
    pub note: Option<String>,
}

/// A message while a request waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Throttled: waiting this many seconds before try `attempt`.
    Throttled {
        /// Seconds to wait.
        seconds: u64,
        /// The try about to be made (2 for the first retry).
        attempt: u32,
    },
}

/// A client of one service.
#[derive(Clone, Debug)]
pub struct Client {
    /// The service.
    pub service: Service,
    /// Its address (`--endpoint`, or the service's own).
    pub endpoint: String,
    token: Token,
    /// Set to stop the request.
    pub cancel: Arc<AtomicBool>,
}

impl Client {
    /// A client of `service` at `endpoint` (its public address when `None`).
    pub fn new(service: Service, endpoint: Option<String>, token: Token, cancel: Arc<AtomicBool>) -> Client {
        let endpoint = endpoint.unwrap_or_else(|| service.default_endpoint()).trim_end_matches('/').to_string();
        Client { service, endpoint, token, cancel }
    }

    /// The URL the query is posted to.
    pub fn url(&self) -> String {
        match &self.service {
            Service::Defender => format!("{}/api/advancedhunting/run", self.endpoint),
            Service::LogAnalytics { workspace } => format!("{}/v1/workspaces/{workspace}/query", self.endpoint),
            Service::Adx { .. } => format!("{}/v2/rest/query", self.endpoint),
        }
    }

    /// The request body, as documented for the service.
    pub fn body(&self, req: &Request) -> String {
        let body = match &self.service {
            Service::Defender => serde_json::json!({ "Query": req.query }),
            Service::LogAnalytics { .. } => match &req.timespan {
                Some(t) => serde_json::json!({ "query": req.query, "timespan": t }),
                None => serde_json::json!({ "query": req.query }),
            },
            Service::Adx { database, .. } => {
                let mut options = serde_json::Map::new();
                if let Some(now) = &req.query_now {
                    options.insert("query_now".into(), now.clone().into());
                }
                serde_json::json!({ "db": database, "csl": req.query, "properties": { "Options": options } })
            }
        };
        body.to_string()
    }

    /// Runs `req`, writing the result rows to `out` as an AH API document.
    /// `on_wait` hears of each throttling wait.
    pub fn run(
        &self,
        req: &Request,
        out: Box<dyn Write + Send>,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Result<Fetched, RemoteError> {
        let me = self.clone();
        let body = self.body(req);
        match http::run_cancellable(&self.cancel, on_wait, move |tx| me.tries(&body, out, &tx)) {
            Ok(result) => result,
            Err(http::Cancelled) => Err(RemoteError::Cancelled),
        }
    }

    fn tries(&self, body: &str, mut out: Box<dyn Write + Send>, tx: &Sender<Wait>) -> Result<Fetched, RemoteError> {
        let agent = http::agent(CONNECT_TIMEOUT, None, Some(HEAD_TIMEOUT));
        let service = self.service.name();
        let url = self.url();
        for attempt in 1..=MAX_TRIES {
            let mut post = agent
                .post(&url)
                .header("Authorization", self.token.header())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json");
            if let Service::Adx { .. } = self.service {
                post = post
                    .header("x-ms-app", "kqlhunt")
                    .header("x-ms-client-version", concat!("kqlhunt/", env!("CARGO_PKG_VERSION")));
            }
            let response = post.send(body).map_err(|e| self.network(&e))?;
            let status = response.status().as_u16();
            let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
            let mut body_reader = response.into_body().into_reader();
            if status == 200 {
                return self.read_result(CancelReader::new(body_reader, self.cancel.clone()), &mut *out);
            }
            let (code, message) = error_of(&mut body_reader);
            let throttled = status == 429 || (status == 503 && retry_after.is_some());
            if throttled && attempt < MAX_TRIES {
                let seconds = retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(1 << attempt);
                let seconds = seconds.min(MAX_RETRY_AFTER);
                let _ = tx.send(Wait::Throttled { seconds, attempt: attempt + 1 });
                self.sleep(Duration::from_secs(seconds))?;
                continue;
            }
            return Err(match status {
                _ if throttled => RemoteError::Throttled { service, tries: attempt, detail: message },
                401 => RemoteError::Unauthorized { service, resource: self.service.resource() },
                403 => RemoteError::Forbidden { service, permission: self.service.permission() },
                408 | 504 => RemoteError::Limit {
                    service,
                    message: message.unwrap_or_else(|| "the query ran past the service's time limit".into()),
                },
                400 if code.as_deref().is_some_and(is_limit) => {
                    RemoteError::Limit { service, message: message.unwrap_or_default() }
                }
                400 => RemoteError::Query { service, message: message.unwrap_or_else(|| "400 Bad Request".into()) },
                _ => RemoteError::Http { service, status, message },
            });
        }
        Err(RemoteError::Throttled { service, tries: MAX_TRIES, detail: None })
    }

    /// Streams a 200 body, then applies what the service said beside the rows.
    fn read_result(&self, body: impl Read, out: &mut dyn Write) -> Result<Fetched, RemoteError> {
        let service = self.service.name();
        let shape = match self.service {
            Service::Defender => Shape::AdvancedHunting,
            Service::LogAnalytics { .. } => Shape::LogAnalytics,
            Service::Adx { .. } => Shape::AdxV2,
        };
        let got = stream(shape, body, out, &self.cancel).map_err(|e| match e {
            StreamError::Cancelled => RemoteError::Cancelled,
            StreamError::Write(e) => RemoteError::Write(e),
            StreamError::Read(reason) => RemoteError::Network { service, endpoint: self.endpoint.clone(), reason },
            StreamError::Shape(reason) => RemoteError::BadResponse { service, reason },
        })?;
        if got.cancelled_by_service {
            return Err(RemoteError::Query { service, message: "the service cancelled the query".into() });
        }
        let mut fetched = Fetched { rows: got.rows, capped: None, note: None };
        match got.service_error {
            // Log Analytics returns what fit with a PartialError; ADX appends LimitsExceeded to the rows.
            Some((code, message)) if code == "PartialError" || is_limit(&code) => {
                fetched.capped = Some(got.rows);
                fetched.note = Some(message);
            }
            Some((_, message)) => return Err(RemoteError::Query { service, message }),
            None => {}
        }
        if let Some(cap) = self.service.row_cap()
            && got.rows >= cap
        {
            fetched.capped = Some(cap);
        }
        Ok(fetched)
    }

    fn network(&self, e: &ureq::Error) -> RemoteError {
        if self.cancel.load(Ordering::Relaxed) {
            return RemoteError::Cancelled;
        }
        RemoteError::Network {
            service: self.service.name(),
            endpoint: self.endpoint.clone(),
            reason: http::describe(e),
        }
    }

    /// Sleeps, waking every 50 ms to honour the cancel flag.
    fn sleep(&self, d: Duration) -> Result<(), RemoteError> {
        let until = std::time::Instant::now() + d;
        while std::time::Instant::now() < until {
            if self.cancel.load(Ordering::Relaxed) {
                return Err(RemoteError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

fn is_limit(code: &str) -> bool {
    LIMIT_CODES.iter().any(|c| c.eq_ignore_ascii_case(code))
}

/// The code and message of an error body: `{"error":{"code","message"}}`
/// (ADX adds `@message`; Log Analytics nests `innererror`).
fn error_of(body: &mut dyn Read) -> (Option<String>, Option<String>) {
    let mut bytes = Vec::new();
    let _ = body.take(ERROR_BODY_CAP).read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        let t = text.trim();
        return (
            None,
            (!t.is_empty()).then(|| crate::data::text::inert(&t.chars().take(300).collect::<String>()).into_owned()),
        );
    };
    let err = v.get("error").unwrap_or(&v);
    let s = |e: &serde_json::Value, k: &str| e.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let mut code = s(err, "code");
    let mut message = s(err, "@message").or_else(|| s(err, "message"));
    // The innermost error names the limit best.
    let mut inner = err.get("innererror");
    while let Some(e) = inner {
        if let Some(c) = s(e, "code").filter(|c| is_limit(c)) {
            code = Some(c);
            message = s(e, "message").or(message);
        }
        inner = e.get("innererror");
    }
    (code, message.map(|m| crate::data::text::inert(&m).into_owned()))
}
