//! The tshark oracle: `-T fields` output of Strata against tshark's over every
//! L2–L4 field in `tests/data/oracle_fields.txt`, on every capture in
//! `tests/data/crafted` and `tests/data/real`.
//!
//! A cell is one field of one frame; cells empty in both outputs are not
//! counted. The test asserts the agreement and snapshots the list of
//! disagreements, so every change (better or worse) shows up in review.
//! tshark missing: skipped, unless `STRATA_REQUIRE_TSHARK=1` (set by `.ci/run`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use strata::analysis::Analyzer;
use strata::dissect::{dissect_frame, Options};
use strata::output::fields::FieldsPrinter;
use strata::output::{walk, FrameMeta};
use strata::pcap::{CaptureReader, FileFormat};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn captures() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["crafted", "real"] {
        for e in std::fs::read_dir(data_dir().join(sub)).expect("data dir") {
            let p = e.expect("entry").path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext == "pcap" || ext == "pcapng" {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

fn oracle_fields() -> Vec<String> {
    std::fs::read_to_string(data_dir().join("oracle_fields.txt"))
        .expect("field list")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tshark_fields(path: &Path, fields: &[String]) -> Vec<String> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(path)
        .args(["-T", "fields", "-E", "occurrence=a"]);
    for f in fields {
        cmd.arg("-e").arg(f);
    }
    let out = cmd.output().expect("run tshark");
    assert!(
        out.status.success(),
        "tshark failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

/// Strata's `-T fields` lines, through the same library calls as the CLI.
pub fn strata_fields(path: &Path, fields: &[String]) -> Vec<String> {
    strata_fields_with(path, fields, true)
}

/// [`strata_fields`], letting layers report only the requested fields or
/// walking every field.
fn strata_fields_with(path: &Path, fields: &[String], only_requested: bool) -> Vec<String> {
    let mut reader = CaptureReader::open(path).expect("open capture");
    let is_ng = matches!(reader.format(), FileFormat::PcapNg);
    let mut printer = FieldsPrinter::new(fields.to_vec());
    printer.only_requested = only_requested;
    let mut analyzer = Analyzer::new();
    let mut lines = Vec::new();
    let (mut first, mut prev) = (None, None);
    let mut n = 0;
    while let Some(Ok(frame)) = reader.next_frame() {
        n += 1;
        let ts = frame.timestamp;
        let f0 = *first.get_or_insert(ts);
        let meta = FrameMeta {
            number: n,
            ts,
            rel: (ts - f0).as_nanos(),
            delta: prev.map(|p| (ts - p).as_nanos()).unwrap_or(0),
            orig_len: frame.orig_len,
            cap_len: frame.data.len() as u32,
            interface_id: is_ng.then_some(frame.interface_id),
            linktype: frame.linktype,
        };
        prev = Some(ts);
        let d = dissect_frame(
            frame.linktype,
            frame.data,
            frame.orig_len,
            Options {
                deep: true,
                verify_checksums: false,
            },
        );
        let info = analyzer.frame(&d, n, ts, frame.orig_len);
        printer.reset();
        walk(&meta, &d, &info, &mut printer);
        let mut line = String::new();
        printer.line(&mut line);
        lines.push(line);
    }
    lines
}

#[test]
fn oracle_agreement_with_tshark() {
    if !tshark_available() {
        if std::env::var("STRATA_REQUIRE_TSHARK").is_ok_and(|v| v == "1") {
            panic!("tshark is required (STRATA_REQUIRE_TSHARK=1) but not installed");
        }
        eprintln!("skipping the tshark oracle: tshark is not installed");
        return;
    }
    let fields = oracle_fields();
    assert!(fields.len() > 300, "field list too short");
    // (file, field) -> (mismatched, total)
    let mut per: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    let mut per_group: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut examples = Vec::new();
    for path in captures() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let group = if path.parent().is_some_and(|p| p.ends_with("real")) {
            "real"
        } else {
            "crafted"
        };
        let theirs = tshark_fields(&path, &fields);
        let ours = strata_fields(&path, &fields);
        assert_eq!(theirs.len(), ours.len(), "{name}: frame count differs");
        for (ln, (t, s)) in theirs.iter().zip(&ours).enumerate() {
            let tc: Vec<&str> = t.split('\t').collect();
            let sc: Vec<&str> = s.split('\t').collect();
            for (j, f) in fields.iter().enumerate() {
                let a = tc.get(j).copied().unwrap_or("");
                let b = sc.get(j).copied().unwrap_or("");
                if a.is_empty() && b.is_empty() {
                    continue;
                }
                let e = per.entry((name.clone(), f.clone())).or_default();
                e.1 += 1;
                let g = per_group.entry(group).or_default();
                g.1 += 1;
                if a != b {
                    e.0 += 1;
                    g.0 += 1;
                    if examples.len() < 40 {
                        examples.push(format!(
                            "{name} frame {} {f}: tshark `{a}` strata `{b}`",
                            ln + 1
                        ));
                    }
                }
            }
        }
    }
    let mut report = String::new();
    for ((file, field), (bad, total)) in &per {
        if *bad > 0 {
            report.push_str(&format!("{file}\t{field}\t{bad}/{total}\n"));
        }
    }
    let pct = |(bad, total): (u64, u64)| 100.0 * (1.0 - bad as f64 / total.max(1) as f64);
    let real = per_group.get("real").copied().unwrap_or_default();
    let crafted = per_group.get("crafted").copied().unwrap_or_default();
    eprintln!(
        "agreement: real captures {:.2}% ({} cells), crafted {:.2}% ({} cells)\nfirst differences:\n{}",
        pct(real),
        real.1,
        pct(crafted),
        crafted.1,
        examples.join("\n")
    );
    insta::assert_snapshot!("oracle_disagreements", report);
    assert!(
        pct(real) >= 94.5,
        "agreement on real captures fell to {:.2}%",
        pct(real)
    );
    assert!(
        pct(crafted) >= 94.5,
        "agreement on crafted captures fell to {:.2}%",
        pct(crafted)
    );
}

/// Asking a layer for just the requested fields prints exactly what walking
/// every field prints, on every capture, for every field of every layer that
/// no nested struct shares a name with.
#[test]
fn requested_fields_only_match_the_full_walk() {
    use strata::protocols::{LayerKind, FIELD_TABLES, STRUCT_DESCS};
    let layer_tables: Vec<*const strata::FieldDesc> =
        LayerKind::ALL.iter().map(|k| k.fields().as_ptr()).collect();
    let nested: Vec<&strata::FieldDesc> = FIELD_TABLES
        .iter()
        .filter(|t| !layer_tables.contains(&t.as_ptr()))
        .flat_map(|t| t.iter())
        .chain(STRUCT_DESCS.iter().copied())
        .chain(LayerKind::ALL.iter().flat_map(|k| k.status_fields()))
        .collect();
    let mut fields: Vec<String> = LayerKind::ALL
        .iter()
        .flat_map(|k| k.fields())
        .map(|d| d.path.to_string())
        .filter(|p| !nested.iter().any(|d| d.matches(p)))
        .collect();
    fields.sort();
    fields.dedup();
    assert!(fields.len() > 100, "{} fields", fields.len());
    assert!(FieldsPrinter::new(fields.clone()).reports_only_requested());
    for path in captures() {
        let fast = strata_fields_with(&path, &fields, true);
        let full = strata_fields_with(&path, &fields, false);
        for (i, (a, b)) in fast.iter().zip(&full).enumerate() {
            assert_eq!(a, b, "{} frame {}", path.display(), i + 1);
        }
        assert_eq!(fast.len(), full.len());
    }
}
