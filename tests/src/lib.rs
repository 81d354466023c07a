//! Shared helpers for the Strata integration tests.
