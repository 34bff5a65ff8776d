//! Printing scalar expressions, literals and names, with the fewest
//! parentheses that keep KQL's precedence.

use std::fmt::Write;

use crate::data::DataType;
use crate::data::time::format_datetime;
use crate::kql::ast::{BinOp, Expr, ExprKind, Ident, JoinSide, ListOp, Literal, UnaryOp};
use crate::kql::parser::is_reserved_word;
use crate::kql::quote;
use crate::kql::vocab::string_operator_name;

/// Precedence levels, loosest first (as in the parser).
const PREC_TOP: u8 = 0;
const PREC_OR: u8 = 1;
const PREC_CMP: u8 = 3;
const PREC_UNARY: u8 = 6;
const PREC_POSTFIX: u8 = 7;

/// Appends `name`, quoted as `['...']` unless it is a plain non-keyword word.
pub(super) fn ident(out: &mut String, name: &str) {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_reserved_word(name);
    if plain {
        out.push_str(name);
    } else {
        out.push_str("['");
        quote::push_escaped(out, name, '\'');
        out.push_str("']");
    }
}

/// Appends a quoted string literal.
pub(super) fn string(out: &mut String, s: &str) {
    quote::push_string(out, s);
}

/// Appends `e` at the top level (a statement, argument or list item: no parentheses needed).
pub(super) fn expr(out: &mut String, e: &Expr) {
    expr_at(out, e, PREC_TOP);
}

/// The precedence level of a binary operator.
fn op_precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Or => PREC_OR,
        BinOp::And => 2,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mul | BinOp::Div | BinOp::Mod => 5,
        _ => PREC_CMP,
    }
}

fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => op_precedence(*op),
        ExprKind::Chain { rest, .. } => rest.first().map_or(PREC_CMP, |(op, _)| op_precedence(*op)),
        ExprKind::List { .. } | ExprKind::Between { .. } => PREC_CMP,
        ExprKind::Unary { .. } => PREC_UNARY,
        // A negative number reads as a unary minus.
        ExprKind::Literal(Literal::Long(v)) if *v < 0 => PREC_UNARY,
        ExprKind::Literal(Literal::Real(v)) if v.is_sign_negative() && v.is_finite() => PREC_UNARY,
        ExprKind::Literal(Literal::Timespan(v)) if *v < 0 => PREC_UNARY,
        _ => PREC_POSTFIX,
    }
}

/// Appends `e` where a tabular expression needs parentheses (an operator's argument).
pub(super) fn operand(out: &mut String, e: &Expr) {
    expr_at(out, e, PREC_OR);
}

/// Appends `e` as a postfix operand (a `make-series` axis).
pub(super) fn postfix_operand(out: &mut String, e: &Expr) {
    expr_at(out, e, PREC_POSTFIX);
}

/// Appends `e`, parenthesised when it binds looser than `min`.
fn expr_at(out: &mut String, e: &Expr, min: u8) {
    let tabular = matches!(e.kind, ExprKind::Tabular(_));
    if (tabular && min > PREC_TOP) || precedence(e) < min {
        out.push('(');
        expr_at(out, e, PREC_TOP);
        out.push(')');
        return;
    }
    match &e.kind {
        ExprKind::Literal(lit) => literal(out, lit),
        ExprKind::Name(name) => ident(out, &name.name),
        ExprKind::Unary { op, expr: operand } => {
            out.push(if *op == UnaryOp::Neg { '-' } else { '+' });
            // `-(5)` stays a unary minus; `-5` would read back as a negative literal.
            // Kusto reads no unary operator directly after another: `-(-x)`.
            expr_at(out, operand, if starts_with_number(operand) { PREC_POSTFIX + 1 } else { PREC_POSTFIX });
        }
        ExprKind::Binary { op, left, right } => {
            let prec = precedence(e);
            expr_at(out, left, prec);
            out.push(' ');
            out.push_str(bin_op(*op));
            out.push(' ');
            expr_at(out, right, prec + 1);
        }
        ExprKind::Chain { first, rest } => {
            // Flat, as parsed: the same text reads back as the same chain.
            let prec = precedence(e);
            expr_at(out, first, prec);
            for (op, operand) in rest {
                out.push(' ');
                out.push_str(bin_op(*op));
                out.push(' ');
                expr_at(out, operand, prec + 1);
            }
        }
        ExprKind::List { op, expr: left, items } => {
            expr_at(out, left, PREC_CMP);
            out.push_str(match op {
                ListOp::In { case_insensitive, negated } => match (negated, case_insensitive) {
                    (false, false) => " in (",
                    (false, true) => " in~ (",
                    (true, false) => " !in (",
                    (true, true) => " !in~ (",
                },
                ListOp::HasAny => " has_any (",
                ListOp::HasAll => " has_all (",
            });
            list(out, items);
            out.push(')');
        }
        ExprKind::Between { expr: left, low, high, negated } => {
            expr_at(out, left, PREC_CMP);
            out.push_str(if *negated { " !between (" } else { " between (" });
            expr_at(out, low, PREC_OR);
            out.push_str(" .. ");
            expr_at(out, high, PREC_OR);
            out.push(')');
        }
        ExprKind::Call { name, args } => call(out, name, args),
        ExprKind::Member { expr: object, name } => {
            expr_at(out, object, PREC_POSTFIX);
            out.push('.');
            ident(out, &name.name);
        }
        ExprKind::Index { expr: object, index } => {
            expr_at(out, object, PREC_POSTFIX);
            out.push('[');
            expr_at(out, index, PREC_OR);
            out.push(']');
        }
        ExprKind::Star => out.push('*'),
        ExprKind::JoinSide(side) => out.push_str(if *side == JoinSide::Left { "$left" } else { "$right" }),
        ExprKind::Tabular(tab) => super::tabular(out, tab),
        ExprKind::NamedArg { name, value } => {
            ident(out, &name.name);
            out.push('=');
            expr_at(out, value, PREC_OR);
        }
    }
}

/// True when `e` prints starting with a number (`5`, `5d.x`, `1.5[0]`), which
/// after a `-` would read back as one negative literal.
fn starts_with_number(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(Literal::Long(_) | Literal::Real(_) | Literal::Timespan(_)) => true,
        ExprKind::Member { expr, .. } | ExprKind::Index { expr, .. } => starts_with_number(expr),
        _ => false,
    }
}

/// Appends `name(args)`.
pub(super) fn call(out: &mut String, name: &Ident, args: &[Expr]) {
    ident(out, &name.name);
    out.push('(');
    list(out, args);
    out.push(')');
}

/// Appends top-level expressions separated by `, `.
pub(super) fn list(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr(out, item);
    }
}

fn bin_op(op: BinOp) -> &'static str {
    match op {
        BinOp::And => "and",
        BinOp::Or => "or",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::EqCi => "=~",
        BinOp::NeCi => "!~",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Str(cmp) => string_operator_name(cmp.op, cmp.case_sensitive, cmp.negated).unwrap_or("matches regex"),
    }
}

/// Appends a literal in a form the parser reads back to the same value.
pub(super) fn literal(out: &mut String, lit: &Literal) {
    match lit {
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Int(v) => {
            let _ = write!(out, "int({v})");
        }
        Literal::Long(v) => {
            let _ = write!(out, "{v}");
        }
        Literal::Real(v) if v.is_nan() => out.push_str("real(nan)"),
        Literal::Real(v) if v.is_infinite() => out.push_str(if *v > 0.0 { "real(inf)" } else { "real(-inf)" }),
        Literal::Real(v) => {
            let _ = write!(out, "{v:?}");
        }
        Literal::Decimal(d) => {
            let _ = write!(out, "decimal({d})");
        }
        Literal::String(s) => string(out, s),
        Literal::DateTime(t) => {
            let _ = write!(out, "datetime({})", format_datetime(*t));
        }
        Literal::Timespan(t) => timespan(out, *t),
        Literal::Guid(g) => {
            let _ = write!(out, "guid({g})");
        }
        Literal::Dynamic(v) => {
            let _ = write!(out, "dynamic({v})");
        }
        Literal::Null(DataType::Dynamic) => out.push_str("dynamic(null)"),
        Literal::Null(t) => {
            let _ = write!(out, "{}(null)", t.name());
        }
    }
}

/// `90m`, `1d`, `-5s`, `15tick`: the largest unit that divides the value exactly.
fn timespan(out: &mut String, ticks: i64) {
    const UNITS: [(u64, &str); 7] = [
        (864_000_000_000, "d"),
        (36_000_000_000, "h"),
        (600_000_000, "m"),
        (10_000_000, "s"),
        (10_000, "ms"),
        (10, "microsecond"),
        (1, "tick"),
    ];
    if ticks < 0 {
        out.push('-');
    }
    let abs = ticks.unsigned_abs();
    let (size, unit) = UNITS.iter().copied().find(|(size, _)| abs.is_multiple_of(*size)).unwrap_or((1, "tick"));
    let _ = write!(out, "{}{unit}", abs / size);
}
