//! Named arguments to built-in functions: `f(x, name=value)` (issue #18).
//! A built-in's parameters are named as on its documentation page
//! ([`functions::params`]); a call with named arguments is rewritten into
//! the positional call the function table evaluates. User functions bind
//! their own parameters ([`super::calls::by_position`]).

use std::borrow::Cow;

use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::suggest::did_you_mean;

use super::Result;
use super::functions::{self, params::param_names};

/// Stands for a variadic run of positional arguments in a parameter list.
const VARIADIC: &str = "...";

/// The arguments of a call to built-in `name` in positional order: each
/// named argument moves to its parameter's place. Calls without named
/// arguments come back as they are.
pub(super) fn builtin_by_position<'a>(name: &Ident, args: &'a [Expr]) -> Result<Cow<'a, [Expr]>> {
    let Some(first_named) = args.iter().find(|a| matches!(a.kind, ExprKind::NamedArg { .. })) else {
        return Ok(Cow::Borrowed(args));
    };
    let f = &name.name;
    let canonical = functions::lookup(f).map_or(f.as_str(), |s| s.name);
    let Some(params) = param_names(canonical) else {
        return Err(KqlError::arguments(
            first_named.span,
            format!("{f}() takes its arguments by position only; it has no named parameters"),
        ));
    };
    let named_params = || params.iter().copied().filter(|p| *p != VARIADIC);
    let mut positional = Vec::new();
    let mut named: Vec<(usize, Expr)> = Vec::new();
    for a in args {
        match &a.kind {
            ExprKind::NamedArg { name: p, value } => {
                let Some(i) = params.iter().position(|q| *q == p.name && *q != VARIADIC) else {
                    let help = did_you_mean(&p.name, named_params())
                        .unwrap_or_else(|| format!("{f}() takes: {}", named_params().collect::<Vec<_>>().join(", ")));
                    return Err(
                        KqlError::arguments(p.span, format!("{f}() has no parameter '{}'", p.name)).with_help(help)
                    );
                };
                if named.iter().any(|(j, _)| *j == i) {
                    return Err(KqlError::arguments(p.span, format!("parameter '{}' is given twice", p.name)));
                }
                named.push((i, (**value).clone()));
            }
            _ if !named.is_empty() => {
                return Err(KqlError::arguments(a.span, "a positional argument cannot follow a named one"));
            }
            _ => positional.push(a.clone()),
        }
    }
    named.sort_by_key(|(i, _)| *i);
    // Parameters up to the variadic run (or all of them) fill by position
    // first; after a variadic run the positional arguments are all its own.
    let (fixed, mut out) = match params.iter().position(|p| *p == VARIADIC) {
        Some(v) => (v + 1, positional),
        None => (0, positional),
    };
    let first_slot = if fixed > 0 { fixed } else { out.len() };
    let mut next = first_slot;
    for (i, value) in named {
        if fixed == 0 && i < out.len() {
            return Err(KqlError::arguments(
                value.span,
                format!("parameter '{}' is given both by position and by name", params[i]),
            ));
        }
        if i > next {
            let skipped = params[next];
            return Err(KqlError::arguments(
                value.span,
                format!(
                    "give '{skipped}' too (by position or by name): kqlhunt cannot leave out a parameter before a named one"
                ),
            ));
        }
        out.push(value);
        next = i + 1;
    }
    Ok(Cow::Owned(out))
}
