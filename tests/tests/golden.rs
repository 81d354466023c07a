//! Golden outputs: the `-V` tree of the first frames and the `-T fields`
//! lines of a few small captures, as insta snapshots
//! (`tests/tests/snapshots/golden__*.snap`), so that any change to titles,
//! labels, value formats or field extraction shows up in review.
//!
//! The output is produced through the library, the same calls the CLI's
//! `strata dissect` makes (`runtime/src/cli/dissect.rs`), so no process is
//! spawned. Snapshots were checked against `tshark -V` / `tshark -T fields`.

use std::path::{Path, PathBuf};
use strata::analysis::Analyzer;
use strata::dissect::{dissect_frame, Options};
use strata::output::fields::FieldsPrinter;
use strata::output::text::TreePrinter;
use strata::output::{walk, FrameMeta};
use strata::pcap::{CaptureReader, FileFormat};

/// Frames printed as trees.
const TREE_FRAMES: u64 = 2;

/// Common fields printed for every frame (tab-separated, tshark's formats).
const FIELDS: &[&str] = &[
    "frame.number",
    "frame.len",
    "frame.protocols",
    "eth.src",
    "eth.dst",
    "eth.type",
    "vlan.id",
    "arp.opcode",
    "ip.src",
    "ip.dst",
    "ip.proto",
    "ip.ttl",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.nxt",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq",
    "tcp.flags",
    "udp.srcport",
    "udp.dstport",
    "icmp.type",
    "icmpv6.type",
];

fn capture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

/// Drives one capture through the dissector and the analyzer, handing every
/// frame (with its metadata and analysis) to `f`, as `strata dissect` does.
fn for_each_frame(
    path: &Path,
    options: Options,
    mut f: impl FnMut(&FrameMeta, &strata::dissect::Dissection<'_>, &strata::analysis::FrameInfo),
) {
    let mut reader = CaptureReader::open(path).expect("open capture");
    let is_ng = matches!(reader.format(), FileFormat::PcapNg);
    let mut analyzer = Analyzer::new();
    let (mut first, mut prev) = (None, None);
    let mut n = 0;
    while let Some(frame) = reader.next_frame() {
        let frame = frame.expect("read frame");
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
        let d = dissect_frame(frame.linktype, frame.data, frame.orig_len, options);
        let info = analyzer.frame(&d, n, ts, frame.orig_len);
        f(&meta, &d, &info);
    }
}

/// `strata dissect -V -c 2 FILE`.
fn tree(path: &Path) -> String {
    let mut out = String::new();
    let options = Options {
        deep: true,
        verify_checksums: false,
    };
    for_each_frame(path, options, |meta, d, info| {
        if meta.number <= TREE_FRAMES {
            let mut t = TreePrinter::new(&mut out);
            walk(meta, d, info, &mut t);
            out.push('\n');
        }
    });
    out
}

/// `strata dissect -T fields -E header=y -e … FILE`.
fn fields(path: &Path) -> String {
    let columns: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
    let mut printer = FieldsPrinter::new(columns.clone());
    assert!(printer.unknown_columns().is_empty());
    // As the CLI: deep validation only when an option field is requested.
    let options = Options {
        deep: false,
        verify_checksums: false,
    };
    let mut out = columns.join("\t");
    out.push('\n');
    for_each_frame(path, options, |meta, d, info| {
        printer.reset();
        walk(meta, d, info, &mut printer);
        printer.line(&mut out);
        out.push('\n');
    });
    out
}

fn golden(rel: &str) {
    let path = capture(rel);
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file name")
        .to_string();
    insta::with_settings!({
        description => format!("strata dissect -V -c {TREE_FRAMES} {rel}"),
        omit_expression => true,
        prepend_module_to_snapshot => true,
    }, {
        insta::assert_snapshot!(format!("{name}__tree"), tree(&path));
    });
    insta::with_settings!({
        description => format!("strata dissect -T fields -E header=y -e … {rel}"),
        omit_expression => true,
        prepend_module_to_snapshot => true,
    }, {
        insta::assert_snapshot!(format!("{name}__fields"), fields(&path));
    });
}

#[test]
fn golden_eth_ipv4_tcp() {
    golden("crafted/eth_ipv4_tcp.pcap");
}

#[test]
fn golden_ipv6() {
    golden("crafted/ipv6.pcap");
}

#[test]
fn golden_vlan_arp() {
    golden("crafted/vlan_arp.pcap");
}

#[test]
fn golden_linktypes_null() {
    golden("crafted/linktypes_null.pcap");
}

#[test]
fn golden_malformed() {
    golden("crafted/malformed.pcap");
}

#[test]
fn golden_zeek_linux_dlt_sll2() {
    golden("real/zeek__linux_dlt_sll2.pcap");
}

#[test]
fn golden_tcpdump_icmpv6() {
    golden("real/tcpdump__icmpv6.pcap");
}
