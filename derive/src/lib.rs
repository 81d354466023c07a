//! `#[derive(Layer)]`: Strata layers written in Rust.
//!
//! This crate is only the proc-macro entry point; the logic (attribute
//! parsing, lowering to `.pdl`, compiling with the built-in schemas, the Rust
//! backend, error spans) is [`strata_compiler::derive`]. Use it through the
//! runtime's re-export, `strata::Layer`. The attributes are documented in
//! `docs/derive.md`.

/// Derives a Strata layer from a struct: generates the module named after the
/// struct (`struct Demo` → `mod demo` with the view `Demo<'a>`, the builder
/// `DemoBuilder`, the mutable view `DemoMut<'a>`, enums and field metadata),
/// exactly as a `.pdl` schema would. See `docs/derive.md`.
#[proc_macro_derive(Layer, attributes(layer, pdl))]
pub fn derive_layer(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    strata_compiler::derive::expand(proc_macro2::TokenStream::from(input)).into()
}
