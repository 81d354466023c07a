//! Replays the fuzz corpora (`tests/fuzz/corpus/<target>/`) through the fuzz
//! bodies on the stable toolchain, so every seed and every crash input found
//! by fuzzing (minimized and added to the corpus) stays covered in CI.
//!
//! Each file runs under `catch_unwind`; all failures of a target are
//! reported together, by file name.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use strata_tests::fuzz_bodies;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus")
        .join(target)
}

fn replay(target: &str, body: fn(&[u8])) {
    let dir = corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("corpus file");
        if let Err(e) = panic::catch_unwind(AssertUnwindSafe(|| body(&data))) {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(non-string panic)");
            failures.push(format!("{}: {msg}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {target} corpus files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn dissect_ethernet_corpus() {
    replay("dissect_ethernet", fuzz_bodies::dissect_ethernet);
}

#[test]
fn dissect_linktypes_corpus() {
    replay("dissect_linktypes", fuzz_bodies::dissect_linktype);
}

#[test]
fn pcap_read_corpus() {
    replay("pcap_read", fuzz_bodies::pcap_read);
}

#[test]
fn pdl_compile_corpus() {
    replay("pdl_compile", fuzz_bodies::pdl_compile);
}

#[test]
fn linktype_prefix() {
    assert_eq!(fuzz_bodies::linktype_for([0x00, 0x01]), 1);
    assert_eq!(fuzz_bodies::linktype_for([0x01, 0x14]), 276);
    assert_eq!(fuzz_bodies::linktype_for([0x00, 0xe4]), 228);
    // Anything else still picks a supported link type.
    for v in [2u16, 1000, u16::MAX] {
        let lt = fuzz_bodies::linktype_for(v.to_be_bytes());
        assert!(fuzz_bodies::LINKTYPES.contains(&lt));
    }
}

#[test]
fn pdl_split() {
    let files = fuzz_bodies::split_sources("pdl 1;\n");
    assert_eq!(files, [("m0_fuzz.pdl".into(), "pdl 1;\n".into())]);
    let files = fuzz_bodies::split_sources("//@file eth\npdl 1;\n//@file IP v4!\npdl 1;\n");
    assert_eq!(
        files,
        [
            ("m0_eth.pdl".into(), "pdl 1;\n".into()),
            ("m1_ipv4.pdl".into(), "pdl 1;\n".into()),
        ]
    );
}
