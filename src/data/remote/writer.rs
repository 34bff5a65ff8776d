//! The writer of the one document every response becomes: an Advanced
//! Hunting API `{"Schema":[..],"Results":[..]}`, written row by row as the
//! response is read, so nothing but the current row is held.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::value::RawValue;

/// What a response held besides its rows.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Rows written.
    pub rows: usize,
    /// An error the service reported inside a 200 response (Log Analytics'
    /// top-level `error`, ADX's `OneApiErrors`): its code and message.
    pub service_error: Option<(String, String)>,
    /// ADX's `DataSetCompletion` said `Cancelled`.
    pub cancelled_by_service: bool,
}

/// Why a stream stopped.
#[derive(Debug)]
pub enum StreamError {
    /// The body is not the documented shape (or not JSON).
    Shape(String),
    /// Writing the rows failed.
    Write(std::io::Error),
    /// Reading the body failed (the connection broke or timed out).
    Read(String),
    /// The cancel flag was set.
    Cancelled,
}

/// One column of any schema.
#[derive(Clone, Debug, Serialize)]
pub(super) struct Column {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Type")]
    pub ty: String,
}

pub(super) struct Writer<'w> {
    pub out: &'w mut dyn Write,
    pub cancel: Arc<AtomicBool>,
    pub found: Streamed,
    pub schema_written: bool,
    pub results_open: bool,
    pub results_closed: bool,
    /// Why the visitor stopped on purpose (serde's error then only says "stopped").
    pub stopped: Option<StreamError>,
    /// Members written so far in the top-level object.
    pub members: usize,
}

impl<'w> Writer<'w> {
    pub fn new(out: &'w mut dyn Write, cancel: Arc<AtomicBool>) -> Writer<'w> {
        Writer {
            out,
            cancel,
            found: Streamed::default(),
            schema_written: false,
            results_open: false,
            results_closed: false,
            stopped: None,
            members: 0,
        }
    }

    pub fn raw(&mut self, s: &str) -> Result<(), StreamError> {
        self.out.write_all(s.as_bytes()).map_err(StreamError::Write)
    }

    pub fn member(&mut self, head: &str) -> Result<(), StreamError> {
        if self.members > 0 {
            self.raw(",")?;
        }
        self.members += 1;
        self.raw(head)
    }

    pub fn schema(&mut self, cols: &[Column]) -> Result<(), StreamError> {
        if self.schema_written || self.results_open {
            return Ok(());
        }
        let text = serde_json::to_string(cols).map_err(|e| StreamError::Shape(e.to_string()))?;
        self.member("\"Schema\":")?;
        self.raw(&text)?;
        self.schema_written = true;
        Ok(())
    }

    pub fn open_results(&mut self) -> Result<(), StreamError> {
        if !self.results_open {
            self.member("\"Results\":[")?;
            self.results_open = true;
        }
        Ok(())
    }

    pub fn close_results(&mut self) -> Result<(), StreamError> {
        if self.results_open {
            self.raw("\n]")?;
            self.results_open = false;
            self.results_closed = true;
        }
        Ok(())
    }

    pub fn next_row(&mut self) -> Result<(), StreamError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(StreamError::Cancelled);
        }
        self.raw(if self.found.rows == 0 { "\n" } else { ",\n" })?;
        self.found.rows += 1;
        Ok(())
    }

    /// A row that already is an object (the AH API's own rows).
    pub fn row_object(&mut self, row: &RawValue) -> Result<(), StreamError> {
        self.next_row()?;
        self.raw(row.get())
    }

    /// A row of values in column order.
    pub fn row_array(&mut self, names: &[String], values: &[&RawValue]) -> Result<(), StreamError> {
        self.next_row()?;
        self.raw("{")?;
        for (i, (name, v)) in names.iter().zip(values).enumerate() {
            let key = serde_json::to_string(name).map_err(|e| StreamError::Shape(e.to_string()))?;
            self.raw(if i == 0 { "" } else { "," })?;
            self.raw(&key)?;
            self.raw(":")?;
            self.raw(v.get())?;
        }
        self.raw("}")
    }

    /// Keeps why the stream stopped and gives serde an error to unwind with.
    pub fn stop<E: serde::de::Error>(&mut self, e: StreamError) -> E {
        self.stopped = Some(e);
        E::custom("stopped")
    }
}
