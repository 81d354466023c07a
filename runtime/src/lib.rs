//! Strata runtime.
pub mod pcap;
