//! Strata runtime: dissection, building, capture files and the `strata` CLI.
//!
//! Protocol layouts come from `.pdl` schemas compiled at build time into
//! [`protocols`]; this crate chains those layers.

pub mod analysis;
pub mod checksum;
pub mod dissect;
pub mod error;
pub mod field;
pub mod output;
pub mod packet;
pub mod pcap;
pub mod protocols;
pub mod resolve;

#[doc(hidden)]
pub mod __private;

pub use __private::{ScalarIter, SetValue, StructIter};
pub use error::{BuildError, Error, ErrorKind};
pub use field::{ChecksumStatus, FieldDesc, MacAddr, TemplatePart, Value, Visitor};
/// `#[derive(Layer)]`: a layer written in Rust, compiled like a `.pdl` schema (`docs/derive.md`).
#[cfg(feature = "derive")]
pub use strata_derive::Layer;
