//! The `.pdl` compiler.
