//! The `data` layer: typed columnar tables, the MDE schemas, and the loaders
//! for every Defender export format. Knows nothing of KQL or rules.

pub mod bitmap;
pub mod column;
pub mod decimal;
pub mod http;
pub mod lazy;
pub mod load;
pub mod remote;
pub mod schema;
pub mod str_builder;
pub mod strings;
pub mod table;
pub mod text;
pub mod time;
pub mod value;

pub use bitmap::Bitmap;
pub use column::{Column, ColumnBuilder, Dictionary, PrimColumn, StrBuilder, StrColumn, StrHint};
pub use lazy::{LazyColumn, LazyError, TableColumn};
pub use table::{Database, Field, Table, TableError, latest_timestamp};
pub use value::{DataType, Decimal, TICKS_PER_DAY, TICKS_PER_SECOND, Value};
