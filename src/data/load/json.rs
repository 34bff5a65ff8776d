//! JSON events through serde visitors, without a `serde_json::Value` tree per
//! row: each object's keys and scalar values are staged as borrowed text and
//! numbers, then pushed into the column builders. Only nested objects/arrays
//! become `Value`s. Containers (`records`, `Results`, a top-level array) are
//! walked element by element, each element kept as a raw slice so its line is
//! known for the report.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::api_schema::declare_schema;
use super::convert::Raw;
use super::flat::FlatScanner;
use super::parallel::route_in_parallel;
use super::router::{Router, StagedRow};

/// A JSON text being parsed: the router its rows go to, and what is needed
/// to give each row its line.
pub(crate) struct JsonText<'r, 'de> {
    /// Where rows go.
    pub router: &'r mut Router,
    /// The whole text (rows are slices of it).
    pub text: &'de str,
    /// The line of the text's first byte.
    pub base_line: u64,
    /// Offsets in `text` where invalid UTF-8 was replaced (ascending).
    pub bad_utf8: &'r [usize],
    /// Container elements to pass over, routed already (by the fast split
    /// of [`super::doc_split`], before it stopped).
    pub skip_elements: usize,
    lines: Lines,
}

/// Counts lines up to offsets of a text asked in ascending order.
struct Lines {
    counted_to: usize,
    line: u64,
}

impl Lines {
    /// The line of byte `offset` of `text`, whose first line is `base_line`.
    fn at(&mut self, text: &str, base_line: u64, offset: usize) -> u64 {
        let offset = offset.min(text.len());
        if offset < self.counted_to {
            self.counted_to = 0;
            self.line = base_line;
        }
        let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[self.counted_to..offset]).count();
        self.line += newlines as u64;
        self.counted_to = offset;
        self.line
    }
}

impl<'r, 'de> JsonText<'r, 'de> {
    /// A text whose first byte is at line `base_line`.
    pub(crate) fn new(router: &'r mut Router, text: &'de str, base_line: u64, bad_utf8: &'r [usize]) -> Self {
        let lines = Lines { counted_to: 0, line: base_line };
        JsonText { router, text, base_line, bad_utf8, skip_elements: 0, lines }
    }

    /// The line of byte `offset` (offsets are asked in ascending order).
    pub(crate) fn line_at(&mut self, offset: usize) -> u64 {
        self.lines.at(self.text, self.base_line, offset)
    }

    /// Parses one top-level JSON value. An event is returned for the caller
    /// to route once the value is known to be well-formed; the events of a
    /// container (`records`, `Results`, an array) are routed as they are read,
    /// so those before an error stay loaded.
    pub(crate) fn parse_value(
        &mut self,
        de: &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> serde_json::Result<Option<StagedRow<'de>>> {
        match (ValueSeed { mode: Mode::Top(self) }).deserialize(de)? {
            Parsed::Row(row) => Ok(Some(row)),
            Parsed::Routed => Ok(None),
            Parsed::Raw(_) | Parsed::Fields(_) => Err(serde_json::Error::custom("expected a JSON object")),
        }
    }

    /// Routes an event that starts at byte `start` of the text.
    pub(crate) fn route_at(&mut self, start: usize, row: StagedRow<'de>) {
        let line = self.line_at(start);
        self.router.route(line, row);
    }

    /// Routes the elements of a container (`records`, `Results`, an array)
    /// on the parser threads, in order; an error splitting them ends the
    /// container after every element before it is routed.
    fn route_elements<A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        let JsonText { router, text, base_line, bad_utf8, skip_elements, lines } = self;
        let (text, base_line, bad_utf8): (&'de str, u64, &[usize]) = (text, *base_line, bad_utf8);
        let mut failure = None;
        let route = |router: &mut Router, flat: &mut FlatScanner<'de>, e: &Element<'de>| match e.bad_utf8 {
            true => router.skip_row(e.line, "invalid UTF-8".to_string()),
            false => _ = route_element(router, flat, e.line, e.text, true),
        };
        route_in_parallel(router, &FlatScanner::default, &route, |push| {
            loop {
                let raw = match seq.next_element::<&'de RawValue>() {
                    Ok(Some(raw)) => raw.get(),
                    Ok(None) => return,
                    Err(e) => return failure = Some(e),
                };
                if *skip_elements > 0 {
                    *skip_elements -= 1;
                    continue;
                }
                let start = (raw.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize).min(text.len());
                let line = lines.at(text, base_line, start);
                let end = start + raw.len();
                let bad_utf8 = bad_utf8.iter().any(|&b| b >= start && b < end);
                if !push(Element { line, text: raw, bad_utf8 }, raw.len()) {
                    return;
                }
            }
        });
        failure.map_or(Ok(()), Err)
    }
}

/// One element of a container, split off by the reading thread.
struct Element<'de> {
    line: u64,
    text: &'de str,
    /// The element holds a replaced invalid UTF-8 sequence.
    bad_utf8: bool,
}

/// Routes one element of a container, on `line`: most events are flat
/// objects (API rows) or records with flat properties, scanned by hand;
/// anything else is serde's. `checked`: the text is known to be one JSON
/// value; else false when it is not (nothing is routed: the document is
/// broken there). The hand scan accepts only valid JSON.
pub(crate) fn route_element<'de>(
    router: &mut Router,
    flat: &mut FlatScanner<'de>,
    line: u64,
    text: &'de str,
    checked: bool,
) -> bool {
    if flat.scan(text) {
        router.route_flat(line, flat.may_name_table(), flat.fields());
        return true;
    }
    if flat.scan_record(text) {
        let (category, named) = (flat.category(), flat.may_name_table());
        router.route_record(line, category, named, flat.fields());
        return true;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = (ValueSeed { mode: Mode::Row }).deserialize(&mut de);
    match parsed {
        Ok(Parsed::Row(row)) if checked || de.end().is_ok() => router.route(line, row),
        // A value that is not an event, or an error: a problem of the row
        // only when the element is JSON (as serde's split of it said).
        _ if !checked && !is_json(text) => return false,
        Ok(_) => router.skip_row(line, "expected a JSON object".to_string()),
        Err(e) => router.skip_row(line, describe_error(&e)),
    }
    true
}

/// True when `text` is one JSON value, by the check serde's split of a
/// document makes (`RawValue`: syntax only, any depth).
pub(crate) fn is_json(text: &str) -> bool {
    serde_json::from_str::<&RawValue>(text).is_ok()
}

/// A serde error's message without its position.
pub(crate) fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A serde error for a report line (the line itself is given by the report).
pub(crate) fn describe_error(e: &serde_json::Error) -> String {
    let message = bare_message(e);
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof if e.line() <= 1 => {
            format!("invalid JSON at column {}: {message}", e.column())
        }
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => format!("invalid JSON: {message}"),
        _ => message,
    }
}

type StagedFields<'de> = Vec<(Cow<'de, str>, Raw<'de>)>;

/// Fields staged per event before the vector grows.
const ROW_FIELDS: usize = 96;

/// What a value turned into.
enum Parsed<'de> {
    Raw(Raw<'de>),
    Fields(StagedFields<'de>),
    Row(StagedRow<'de>),
    /// A container whose elements went to the router.
    Routed,
}

/// How to read a value.
enum Mode<'c, 'r, 'de> {
    /// A field value.
    Raw,
    /// `properties`: an object's fields staged, anything else a field value.
    Fields,
    /// An event object (an element of a container).
    Row,
    /// A top-level value: an event, a document object, or an array of events.
    Top(&'c mut JsonText<'r, 'de>),
    /// `records`/`Results`: an array of events, anything else a field value.
    Container(&'c mut JsonText<'r, 'de>),
}

struct ValueSeed<'c, 'r, 'de> {
    mode: Mode<'c, 'r, 'de>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, 'de> {
    type Value = Parsed<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Parsed<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Raw<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        match (ValueSeed { mode: Mode::Raw }).deserialize(d)? {
            Parsed::Raw(raw) => Ok(raw),
            _ => Err(D::Error::custom("unexpected value")),
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> ValueSeed<'_, '_, 'de> {
    fn scalar<E: serde::de::Error>(self, raw: Raw<'de>) -> Result<Parsed<'de>, E> {
        match self.mode {
            Mode::Row | Mode::Top(_) => Err(E::custom(format!("expected a JSON object, got {}", raw.describe()))),
            _ => Ok(Parsed::Raw(raw)),
        }
    }

    fn stage_row<A: MapAccess<'de>>(
        mut top: Option<&mut JsonText<'_, 'de>>,
        mut map: A,
    ) -> Result<Parsed<'de>, A::Error> {
        // One allocation for a whole event's fields (Defender rows have ~50–80).
        let mut row = StagedRow { fields: Vec::with_capacity(ROW_FIELDS), ..StagedRow::default() };
        let mut container = false;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match (key.as_ref(), top.as_deref_mut()) {
                ("records" | "Results" | "results", Some(text)) => {
                    if key == "records" {
                        text.router.shapes.records = true;
                    } else {
                        text.router.shapes.api = true;
                    }
                    match map.next_value_seed(ValueSeed { mode: Mode::Container(text) })? {
                        Parsed::Raw(raw) => row.fields.push((key, raw)),
                        _ => container = true,
                    }
                }
                ("Schema" | "schema", Some(text)) => {
                    let schema: serde_json::Value = map.next_value()?;
                    if !declare_schema(text.router, &schema) {
                        row.fields.push((key, Raw::Json(schema)));
                    }
                }
                ("properties", _) if row.properties.is_none() => {
                    match map.next_value_seed(ValueSeed { mode: Mode::Fields })? {
                        Parsed::Fields(fields) => row.properties = Some(fields),
                        Parsed::Raw(raw) => row.fields.push((key, raw)),
                        _ => {}
                    }
                }
                _ => {
                    let raw = map.next_value_seed(RawSeed)?;
                    if key == "category"
                        && let Raw::Str(s) = &raw
                    {
                        row.category = Some(s.to_string());
                    }
                    row.fields.push((key, raw));
                }
            }
        }
        // A document's own fields (`Stats`...) are not an event.
        Ok(if container { Parsed::Routed } else { Parsed::Row(row) })
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, 'de> {
    type Value = Parsed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(Raw::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(Raw::I64(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(i64::try_from(v).map(Raw::I64).unwrap_or(Raw::U64(v)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.scalar(Raw::F64(v))
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        self.scalar(Raw::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(Raw::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.scalar(Raw::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Raw::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Raw::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match self.mode {
            Mode::Raw | Mode::Container(_) => {
                let value = serde::Deserialize::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Parsed::Raw(Raw::Json(value)))
            }
            Mode::Fields => {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    fields.push((key, map.next_value_seed(RawSeed)?));
                }
                Ok(Parsed::Fields(fields))
            }
            Mode::Row => Self::stage_row(None, map),
            Mode::Top(text) => Self::stage_row(Some(text), map),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let text = match self.mode {
            Mode::Top(text) => {
                text.router.shapes.array = true;
                text
            }
            Mode::Container(text) => text,
            Mode::Row => return Err(A::Error::custom("expected a JSON object, got an array")),
            Mode::Raw | Mode::Fields => {
                let value = serde::Deserialize::deserialize(SeqAccessDeserializer::new(seq))?;
                return Ok(Parsed::Raw(Raw::Json(value)));
            }
        };
        text.route_elements(seq)?;
        Ok(Parsed::Routed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_lose_their_position() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": tru").unwrap_err();
        assert_eq!(describe_error(&e), "invalid JSON at column 9: EOF while parsing a value");
    }
}
