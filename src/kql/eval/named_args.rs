//! Named arguments to built-in functions: `f(x, name=value)` (issue #18).
//!
//! Microsoft's analyzer (Kusto.Language) does not bind a built-in's
//! arguments by name: it sees through `name=` and binds by position
//! (`NamedArgumentsAllowed` is false for built-ins). So kqlhunt takes a
//! named argument where it stands, after checking the name against the
//! parameter at that position on the function's documentation page
//! ([`functions::params`]): in order, the call means what Kusto makes of it;
//! an out-of-order or unknown name is an error rather than a different
//! answer. A function without documented parameter names (the variadic
//! ones) takes the value by position, as the analyzer does. User functions
//! bind their own parameters by name ([`super::calls::by_position`]).

use std::borrow::Cow;

use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::suggest::did_you_mean;

use super::Result;
use super::functions::{self, params::param_names};

/// Stands for a variadic run of positional arguments in a parameter list.
const VARIADIC: &str = "...";

/// The arguments of a call to built-in `name` by position, each named one
/// checked against its position. Calls without named arguments come back as they are.
pub(super) fn builtin_by_position<'a>(name: &Ident, args: &'a [Expr]) -> Result<Cow<'a, [Expr]>> {
    if !args.iter().any(|a| matches!(a.kind, ExprKind::NamedArg { .. })) {
        return Ok(Cow::Borrowed(args));
    }
    let f = &name.name;
    let canonical = functions::lookup(f).map_or(f.as_str(), |s| s.name);
    let params = param_names(canonical);
    let mut out = Vec::with_capacity(args.len());
    for (pos, a) in args.iter().enumerate() {
        let ExprKind::NamedArg { name: p, value } = &a.kind else {
            out.push(a.clone());
            continue;
        };
        if let Some(params) = params {
            check_position(f, params, &p.name, pos, args.len()).map_err(|(msg, help)| {
                let err = KqlError::arguments(p.span, msg);
                match help {
                    Some(h) => err.with_help(h),
                    None => err,
                }
            })?;
        }
        out.push((**value).clone());
    }
    Ok(Cow::Owned(out))
}

/// Checks that parameter `given` of `f` is the one at argument position
/// `pos` of `count`; the error message and an optional help line otherwise.
fn check_position(
    f: &str,
    params: &[&str],
    given: &str,
    pos: usize,
    count: usize,
) -> std::result::Result<(), (String, Option<String>)> {
    let names = || params.iter().copied().filter(|p| *p != VARIADIC);
    let Some(index) = params.iter().position(|p| *p == given && *p != VARIADIC) else {
        let help = did_you_mean(given, names())
            .unwrap_or_else(|| format!("{f}() takes: {}", names().collect::<Vec<_>>().join(", ")));
        return Err((format!("{f}() has no parameter '{given}'"), Some(help)));
    };
    // After a variadic run the named parameters are the last arguments.
    let expected = match params.iter().position(|p| *p == VARIADIC) {
        Some(v) if index > v => count - (params.len() - index),
        _ => index,
    };
    if pos == expected {
        return Ok(());
    }
    Err((
        format!(
            "'{given}' is parameter {} of {f}(), given as argument {}: Kusto binds a built-in function's arguments by position, not by name",
            index + 1,
            pos + 1
        ),
        Some(format!("write the arguments in the order {f}({})", names().collect::<Vec<_>>().join(", "))),
    ))
}
