#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| strata_tests::fuzz_bodies::dissect_ethernet(data));
