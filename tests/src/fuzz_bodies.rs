//! Bodies of the cargo-fuzz targets in `tests/fuzz/`.
//!
//! They live here, in an ordinary crate, so that they build and run on the
//! stable toolchain: `tests/tests/fuzz_corpus.rs` replays every file of
//! `tests/fuzz/corpus/<target>/` through them in normal CI, and the fuzz
//! targets are three-line wrappers around them.
//!
//! Each body does what a command-line tool would do with the input (dissect,
//! print every field, rebuild) and panics only on a bug:
//!
//! * any panic inside the library;
//! * a `Visitor` whose `push`/`pop` calls do not balance;
//! * a frame that dissects cleanly but cannot be rebuilt, or whose rebuild
//!   is not byte-for-byte the input (the round-trip oracle);
//! * a schema that compiles but whose generated Rust does not parse.

use std::fmt::Write as _;

use strata::dissect::{self, Dissection, Options};
use strata::field::{FieldDesc, Value, Visitor};
use strata::packet::Packet;
use strata::pcap::CaptureReader;

/// The link types `dissect_linktype` chooses from: EN10MB, NULL, LOOP, RAW
/// (101, 12 and 14), LINUX_SLL, LINUX_SLL2, IPV4, IPV6.
pub const LINKTYPES: &[u32] = &[1, 0, 108, 101, 12, 14, 113, 276, 228, 229];

/// Options used by every body: deep validation and all checksums, so that
/// every code path of the generated views runs.
pub const OPTIONS: Options = Options {
    deep: true,
    verify_checksums: true,
};

/// The link type selected by a 2-byte prefix (big-endian): the value itself
/// when it is in [`LINKTYPES`], otherwise `LINKTYPES[value % len]`. So a
/// corpus file can start with the real link type (`00 01` for Ethernet,
/// `01 14` for SLL2) and any other prefix still picks a supported one.
pub fn linktype_for(prefix: [u8; 2]) -> u32 {
    let v = u16::from_be_bytes(prefix);
    if LINKTYPES.contains(&u32::from(v)) {
        u32::from(v)
    } else {
        LINKTYPES[usize::from(v) % LINKTYPES.len()]
    }
}

/// First two bytes choose the link type (see [`linktype_for`]), the rest is
/// the frame.
pub fn dissect_linktype(data: &[u8]) {
    let Some((prefix, frame)) = data.split_first_chunk::<2>() else {
        return;
    };
    exercise(linktype_for(*prefix), frame);
}

/// The whole input is an Ethernet frame.
pub fn dissect_ethernet(data: &[u8]) {
    exercise(1, data);
}

/// The input is a pcap or pcapng file: every frame is dissected with its
/// interface's link type (unsupported ones included).
pub fn pcap_read(data: &[u8]) {
    let Ok(mut reader) = CaptureReader::new(std::io::Cursor::new(data)) else {
        return;
    };
    let mut out = String::new();
    let _ = write!(out, "{:?}", reader.format());
    for iface in reader.interfaces() {
        let _ = write!(out, "{iface:?} {}", iface.ts_resolution);
    }
    let mut previous = None;
    while let Some(next) = reader.next_frame_with_interfaces() {
        let (frame, interfaces) = match next {
            Ok(f) => f,
            Err(e) => {
                let _ = write!(out, "{e}");
                break;
            }
        };
        // What a frame summary line shows.
        let _ = write!(
            out,
            "{} {} {} {} {}",
            frame.interface_id,
            frame.linktype,
            frame.timestamp,
            frame.orig_len,
            frame.data.len()
        );
        if let Some(prev) = previous {
            let _ = write!(out, " {:.6}", frame.timestamp - prev);
        }
        previous = Some(frame.timestamp);
        assert!(
            interfaces.iter().any(|i| i.id == frame.interface_id),
            "frame names interface {} which is not in the interface list",
            frame.interface_id
        );
        exercise(frame.linktype, frame.data);
        out.clear();
    }
}

/// The input is `.pdl` source text (lossy UTF-8). Lines of the form
/// `//@file NAME` split it into several files compiled as one set (so a
/// corpus entry can hold a whole protocol suite); each file is named
/// `m<index>_<NAME>.pdl` with NAME reduced to `[a-z0-9_]`, which keeps module
/// names valid Rust identifiers whatever the input.
///
/// When the set compiles, the Rust backend runs too and its output must
/// parse as a Rust file.
pub fn pdl_compile(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sources = split_sources(&text);
    let comp = strata_compiler::compile_sources(&sources);
    let schema = match &comp.result {
        Ok(schema) => schema,
        Err(_) => {
            // Diagnostics must render (the CLI prints them).
            let _ = comp.render();
            return;
        }
    };
    let code = strata_compiler::rust::generate(schema, &Default::default());
    if let Err(e) = syn::parse_file(&code) {
        let path = std::env::temp_dir().join("strata-fuzz-generated.rs");
        let _ = std::fs::write(&path, &code);
        panic!(
            "generated Rust does not parse: {e} (code written to {})",
            path.display()
        );
    }
}

/// Splits `//@file NAME` sections (see [`pdl_compile`]).
pub fn split_sources(text: &str) -> Vec<(String, String)> {
    const MARK: &str = "//@file ";
    let mut files: Vec<(String, String)> = Vec::new();
    let mut name = String::from("fuzz");
    let mut body = String::new();
    let mut started = false;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(MARK) {
            if started || !body.is_empty() {
                files.push((file_name(files.len(), &name), std::mem::take(&mut body)));
            }
            started = true;
            name = rest.trim().trim_end_matches(".pdl").to_string();
        } else {
            body.push_str(line);
        }
    }
    files.push((file_name(files.len(), &name), body));
    files
}

fn file_name(index: usize, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .take(32)
        .collect();
    format!("m{index}_{clean}.pdl")
}

/// Dissects `frame`, shows everything a CLI shows, and checks the rebuild
/// round trip.
pub fn exercise(linktype: u32, frame: &[u8]) {
    let d = dissect::dissect(linktype, frame, OPTIONS);
    show(&d);
    if let Some(packet) = Packet::from_dissection(&d) {
        let rebuilt = match packet.build() {
            Ok(bytes) => bytes,
            Err(e) => panic!(
                "frame dissected cleanly ({}) but rebuilding it failed: {e}\n\
                 linktype {linktype}, frame {}",
                d.protocols_string(),
                hex(frame)
            ),
        };
        let again = dissect::dissect(linktype, &rebuilt, OPTIONS);
        show(&again);
        if d.is_valid() {
            assert!(
                rebuilt == frame,
                "rebuild is not byte-exact ({})\nlinktype {linktype}\ninput   {}\nrebuilt {}\n\
                 first difference at byte {}",
                d.protocols_string(),
                hex(frame),
                hex(&rebuilt),
                first_difference(frame, &rebuilt)
            );
        }
    }
}

/// Everything an output format reads from a dissection.
fn show(d: &Dissection<'_>) {
    let mut v = Printer::default();
    for i in 0..d.layers.len() {
        let l = &d.layers[i];
        let _ = write!(
            v.out,
            "{} {} {} {} {:?}",
            l.kind().name(),
            l.kind().filter(),
            l.offset,
            l.end(),
            l.via
        );
        d.visit_layer(i, &mut v);
        v.end_of_layer();
        let _ = d.trailer_of(i);
    }
    if let Some(p) = &d.partial {
        let _ = write!(v.out, "{} {} {}", p.kind.name(), p.offset, p.bytes.len());
    }
    d.visit_partial(false, &mut v);
    v.end_of_layer();
    if let Some(e) = &d.error {
        let _ = write!(v.out, "{e} {}", e.is_truncation());
    }
    if let Some(r) = &d.raw {
        let _ = write!(v.out, "{} {}", r.offset, r.bytes.len());
    }
    let _ = d.protocols_string();
    let _ = d.is_valid();
}

/// A visitor that formats every value both ways and checks that `push` and
/// `pop` balance.
#[derive(Default)]
struct Printer {
    out: String,
    depth: usize,
}

impl Printer {
    fn end_of_layer(&mut self) {
        assert_eq!(self.depth, 0, "Visitor::push without a matching pop");
        self.out.clear();
    }
}

impl<'a> Visitor<'a> for Printer {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, offset: u32, len: u32) {
        let _ = write!(
            self.out,
            "{} {} {} {} {:?} {:?}",
            desc.path, desc.label, offset, len, desc.kind, desc.base
        );
        value.tshark(desc, &mut self.out);
        self.out.push(' ');
        value.display(desc, &mut self.out);
        let _ = value.as_u64();
        if self.out.len() > 1 << 16 {
            self.out.clear();
        }
    }
    fn push(&mut self) {
        self.depth += 1;
    }
    fn pop(&mut self) {
        assert!(self.depth > 0, "Visitor::pop without a matching push");
        self.depth -= 1;
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}
