//! The one door to the YAML crate. Only this module names `serde_yaml`, so the
//! YAML implementation can be swapped in one place: everything else sees
//! documents as `serde_json::Value` (key order kept, `preserve_order`) and
//! errors as [`YamlError`] with a 1-based line and column.

use serde_json::{Map, Number, Value as Json};
use serde_yaml::Value as Yaml;

/// A YAML syntax or structure error at a 1-based line and column of the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct YamlError {
    /// Line, 1-based.
    pub line: usize,
    /// Column, 1-based.
    pub column: usize,
    /// What the YAML parser said.
    pub message: String,
}

/// Parses one YAML document into a JSON value. Mapping keys that are not
/// strings (numbers, booleans) become their text, as Sentinel ids sometimes
/// look like numbers; tags are dropped and their value kept.
pub fn parse(text: &str) -> Result<Json, YamlError> {
    let doc: Yaml = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        YamlError { line, column, message: strip_location(&e.to_string()) }
    })?;
    Ok(to_json(doc))
}

/// True when `s` written as a plain (unquoted) YAML scalar reads back as the
/// same string — not as a number, boolean, null or something else.
pub fn plain_round_trips(s: &str) -> bool {
    matches!(serde_yaml::from_str::<Yaml>(s), Ok(Yaml::String(back)) if back == s)
}

fn to_json(v: Yaml) -> Json {
    match v {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(b),
        Yaml::Number(n) => number(&n),
        Yaml::String(s) => Json::String(s),
        Yaml::Sequence(items) => Json::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(key_text(k), to_json(v));
            }
            Json::Object(out)
        }
        Yaml::Tagged(t) => to_json(t.value),
    }
}

fn number(n: &serde_yaml::Number) -> Json {
    if let Some(i) = n.as_i64() {
        Json::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Json::Number(u.into())
    } else {
        // NaN and infinities have no JSON number; keep their YAML spelling.
        n.as_f64().and_then(Number::from_f64).map(Json::Number).unwrap_or_else(|| Json::String(n.to_string()))
    }
}

fn key_text(k: Yaml) -> String {
    match k {
        Yaml::String(s) => s,
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Null => "null".to_string(),
        Yaml::Tagged(t) => key_text(t.value),
        // Complex keys do not occur in rule files; keep something readable.
        other => to_json(other).to_string(),
    }
}

/// serde_yaml appends " at line L column C" to its messages; the location is
/// reported separately, so drop the first copy to avoid saying it twice.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => {
            let rest = &msg[i + " at line ".len()..];
            let after = rest.find(" column ").map(|j| &rest[j + " column ".len()..]).unwrap_or("");
            let tail = after.trim_start_matches(|c: char| c.is_ascii_digit());
            format!("{}{}", &msg[..i], tail)
        }
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_has_line_and_column() {
        let e = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 2), "{e:?}");
        // The error's own location is reported once, in the fields; the
        // context ("while parsing ... at line 2") stays in the message.
        assert!(e.message.starts_with("did not find expected ',' or ']', while parsing"), "{e:?}");
        assert!(!e.message.contains("line 3"), "{e:?}");
    }

    #[test]
    fn numeric_keys_become_text() {
        let v = parse("12: x\ntrue: y\n").unwrap();
        assert_eq!(v["12"], "x");
        assert_eq!(v["true"], "y");
    }

    #[test]
    fn plain_scalars() {
        assert!(plain_round_trips("Scheduled Job Execution"));
        assert!(!plain_round_trips("true"));
        assert!(!plain_round_trips("1.5"));
        assert!(!plain_round_trips("a: b"));
        assert!(!plain_round_trips("x #y"));
    }
}
