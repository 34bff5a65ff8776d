//! `set OptionName [= OptionValue]` (set-statement.md): a client request
//! property for the statements after it. Request properties are not part of
//! the language (same page); most tune how the service runs a query (memory,
//! fan-out, caches, consistency, reporting) and cannot change what a local
//! run returns, so they are checked here and dropped. A property that would
//! change the result, or that kqlhunt does not know, is an `unsupported`
//! error over the statement; the three the request-properties page says a
//! `set` cannot change are an error too.

use super::{PResult, Parser};
use crate::kql::ast::{Expr, ExprKind, Literal};
use crate::kql::error::KqlError;
use crate::kql::span::Span;
use crate::kql::suggest::did_you_mean;

/// Properties with no effect on a local run's result (request-properties.md;
/// `querytrace` is set-statement.md's own example).
const IGNORED: &[&str] = &[
    "querytrace",
    "notruncation",
    "client_max_redirect_count",
    "deferpartialqueryfailures",
    "materialized_view_shuffle_query",
    "max_memory_consumption_per_query_per_node",
    "maxmemoryconsumptionperiterator",
    "maxoutputcolumns",
    "push_selection_through_aggregation",
    "query_distribution_nodes_span",
    "query_fanout_nodes_percent",
    "query_fanout_threads_percent",
    "query_force_row_level_security",
    "query_log_query_parameters",
    "query_max_entities_in_union",
    "query_python_debug",
    "query_results_cache_max_age",
    "query_results_cache_per_shard",
    "query_results_progressive_row_count",
    "query_results_progressive_update_period",
    "query_weakconsistency_session_id",
    "queryconsistency",
    "request_app_name",
    "request_block_row_level_security",
    "request_description",
    "request_impersonation_disabled",
    "request_readonly",
    "request_remote_entities_disabled",
    "request_sandboxed_execution_disabled",
    "request_user",
    "results_progressive_enabled",
];

/// Properties that disable something kqlhunt does run (`externaldata`):
/// ignored when set to `false`, an error otherwise.
const DISABLING: &[&str] =
    &["request_callout_disabled", "request_external_data_disabled", "request_external_table_disabled"];

/// Properties that change what a query returns, with what they do.
const CHANGES_RESULT: &[(&str, &str)] = &[
    ("query_now", "overrides now()"),
    ("query_take_max_records", "limits the result's rows"),
    ("truncation_max_records", "truncates the result's rows"),
    ("truncationmaxrecords", "truncates the result's rows"),
    ("truncation_max_size", "truncates the result's size"),
    ("truncationmaxsize", "truncates the result's size"),
    ("query_bin_auto_at", "sets bin_auto()'s start"),
    ("query_bin_auto_size", "sets bin_auto()'s bin size"),
    ("query_cursor_after_default", "sets cursor_after()'s default"),
    ("query_cursor_before_or_at_default", "sets cursor_before_or_at()'s default"),
    ("query_cursor_current", "overrides cursor_current()"),
    ("query_cursor_disabled", "disables the cursor functions"),
    ("query_cursor_scoped_tables", "scopes tables to a cursor range"),
    ("query_datascope", "limits the data the query reads"),
    ("query_datetimescope_column", "filters the tables by time"),
    ("query_datetimescope_from", "filters the tables by time"),
    ("query_datetimescope_to", "filters the tables by time"),
    ("query_language", "changes how the query text is read"),
    ("query_results_apply_getschema", "returns each result's schema instead of its rows"),
    ("validatepermissions", "checks permissions instead of running the query"),
];

/// Properties request-properties.md says a `set` statement cannot change.
const NOT_BY_SET: &[&str] = &["norequesttimeout", "servertimeout", "query_results_cache_force_refresh"];

impl Parser<'_> {
    /// `set name [= value]`, with the cursor at `set`: checked and dropped.
    pub(super) fn set_statement(&mut self) -> PResult<()> {
        let start = self.bump().span.start;
        let name_tok = self.bump();
        let name = name_tok.span.text(self.src).to_string();
        let value = match self.eat_sym(crate::kql::lexer::Sym::Eq) {
            Some(_) => Some(self.expr()?),
            None => None,
        };
        check_property(&name, value.as_ref(), self.since(start))
    }
}

/// Ok when `name` may be ignored with `value`; else the error to report over `span`.
fn check_property(name: &str, value: Option<&Expr>, span: Span) -> PResult<()> {
    if IGNORED.contains(&name) {
        return Ok(());
    }
    if DISABLING.contains(&name) {
        let off = value.is_some_and(|v| matches!(v.kind, ExprKind::Literal(Literal::Bool(false))));
        if off {
            return Ok(());
        }
        return Err(KqlError::unsupported(
            span,
            format!("'set {name}' is not supported: kqlhunt does not honour it, and it would stop externaldata"),
        ));
    }
    if let Some((_, what)) = CHANGES_RESULT.iter().find(|(n, _)| *n == name) {
        return Err(KqlError::unsupported(
            span,
            format!("'set {name}' is not supported: it {what}, and kqlhunt would ignore it"),
        ));
    }
    if NOT_BY_SET.contains(&name) {
        return Err(KqlError::unsupported(
            span,
            format!("'{name}' cannot be changed by a set statement (request-properties.md)"),
        ));
    }
    let known =
        IGNORED.iter().chain(DISABLING).chain(NOT_BY_SET).copied().chain(CHANGES_RESULT.iter().map(|(n, _)| *n));
    let mut err =
        KqlError::unsupported(span, format!("'set {name}': kqlhunt does not know the request property '{name}'"));
    if let Some(h) = did_you_mean(name, known) {
        err = err.with_help(h);
    }
    Err(err)
}
