//! Shared helpers for the Strata integration tests.

pub mod fuzz_bodies;
