//! Why a remote query failed: one variant per kind of failure, each with a
//! stable code, so faces and the session classify by type, never by text.
//! No variant ever holds the bearer token.

/// A remote query that did not return a complete (or flagged-capped) result.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// `--source` is not `defender`, `sentinel:WORKSPACE_ID` or `adx:CLUSTER_URL/DATABASE`.
    #[error("--source {0}: use defender, sentinel:WORKSPACE_ID or adx:CLUSTER_URL/DATABASE")]
    BadSource(String),
    /// No token: `KQLHUNT_TOKEN` is unset and the Azure CLI gave none.
    #[error("no access token for {resource}: {why}; set KQLHUNT_TOKEN, or install the Azure CLI and run `az login`")]
    NoToken {
        /// The resource (audience) the token is for.
        resource: String,
        /// What was tried.
        why: String,
    },
    /// HTTP 401: the token was refused.
    #[error(
        "{service}: 401 Unauthorized: the token was refused (expired, or issued for another resource); get a token for {resource} (az account get-access-token --resource {resource})"
    )]
    Unauthorized {
        /// The service's name.
        service: &'static str,
        /// The resource the token must be for.
        resource: String,
    },
    /// HTTP 403: the token lacks the permission the API needs.
    #[error("{service}: 403 Forbidden: the caller lacks the permission this API needs: {permission}")]
    Forbidden {
        /// The service's name.
        service: &'static str,
        /// The permission or role needed.
        permission: &'static str,
    },
    /// HTTP 429 (or 503 with `Retry-After`) on every try.
    #[error(
        "{service}: still throttled (HTTP 429) after {tries} tries{}; wait for the quota to renew, or run fewer rules (--rule)",
        detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default()
    )]
    Throttled {
        /// The service's name.
        service: &'static str,
        /// Requests made.
        tries: u32,
        /// The service's own words, when it gave any.
        detail: Option<String>,
    },
    /// A service limit: result size, execution time, resources.
    #[error("{service}: a service limit was reached: {message}; narrow the rule's time window or its filters")]
    Limit {
        /// The service's name.
        service: &'static str,
        /// The service's message.
        message: String,
    },
    /// The service rejected or failed the query (HTTP 400, or an error in the result).
    #[error("{service}: the query failed: {message}")]
    Query {
        /// The service's name.
        service: &'static str,
        /// The service's message.
        message: String,
    },
    /// Any other HTTP error status.
    #[error("{service}: HTTP {status}{}", message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    Http {
        /// The service's name.
        service: &'static str,
        /// The status code.
        status: u16,
        /// The service's message, when the body had one.
        message: Option<String>,
    },
    /// The service could not be reached, or the connection broke.
    #[error("{service}: {endpoint}: {reason}")]
    Network {
        /// The service's name.
        service: &'static str,
        /// The address tried.
        endpoint: String,
        /// What went wrong.
        reason: String,
    },
    /// A 200 response whose body is not the documented shape.
    #[error("{service}: unexpected response: {reason}")]
    BadResponse {
        /// The service's name.
        service: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// The result could not be written to the cache folder.
    #[error("writing the result: {0}")]
    Write(#[source] std::io::Error),
    /// Esc or Ctrl-C stopped the request.
    #[error("cancelled")]
    Cancelled,
}

impl RemoteError {
    /// A stable kebab-case code, for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            RemoteError::BadSource(_) => "bad-source",
            RemoteError::NoToken { .. } => "no-token",
            RemoteError::Unauthorized { .. } => "unauthorized",
            RemoteError::Forbidden { .. } => "forbidden",
            RemoteError::Throttled { .. } => "throttled",
            RemoteError::Limit { .. } => "service-limit",
            RemoteError::Query { .. } => "query-failed",
            RemoteError::Http { .. } => "http",
            RemoteError::Network { .. } => "network",
            RemoteError::BadResponse { .. } => "bad-response",
            RemoteError::Write(_) => "write",
            RemoteError::Cancelled => "cancelled",
        }
    }

    /// True when the failure is the rule's own (its query, its result size)
    /// and the other rules can still be fetched; false when every later
    /// request would fail the same way (auth, network, throttling, cancel).
    pub fn is_per_query(&self) -> bool {
        matches!(self, RemoteError::Limit { .. } | RemoteError::Query { .. } | RemoteError::BadResponse { .. })
    }
}
