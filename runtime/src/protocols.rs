//! Protocols generated from the `.pdl` schemas in `protocols/` at build time.
//!
//! One module per schema file (`ipv4`, `tcp`, …), each with views (`Ipv4<'a>`),
//! builders (`Ipv4Builder`), mutable views (`Ipv4Mut`), open enums and field
//! metadata; plus [`LayerKind`], [`AnyLayer`], [`AnyBuilder`], [`TableId`] and
//! the static dispatch [`lookup`].

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_parens,
    unreachable_code,
    dead_code
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/protocols.rs"));
}

pub use generated::*;
