//! `strata dissect`: summaries, trees, hexdumps, JSON and tshark-style fields.

use super::CliError;
use std::io::{self, Write};
use std::path::PathBuf;
use strata::analysis::Analyzer;
use strata::dissect::{dissect_frame, Options};
use strata::output::fields::{FieldsPrinter, Occurrence};
use strata::output::hexdump::hexdump;
use strata::output::json::JsonBuilder;
use strata::output::text::TreePrinter;
use strata::output::{walk, FrameMeta};
use strata::pcap::{CaptureReader, FileFormat, Timestamp};

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Summary lines (or trees with -V).
    Text,
    /// One JSON array of frames.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// `-T` output types (tshark compatible).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputType {
    /// Tab-separated values of the `-e` fields.
    Fields,
    /// Summary lines.
    Text,
    /// JSON.
    Json,
    /// JSON lines.
    Ek,
}

/// Arguments of `strata dissect`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Capture file (pcap or pcapng, detected from its content).
    #[arg(short = 'r', long = "read", value_name = "FILE")]
    read: Option<PathBuf>,
    /// Capture file (same as -r).
    #[arg(value_name = "FILE", conflicts_with = "read")]
    file: Option<PathBuf>,
    /// Full layer tree for every packet.
    #[arg(short = 'V', long)]
    verbose: bool,
    /// Hex and ASCII dump of every packet.
    #[arg(short = 'x', long)]
    hex: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Output type, as tshark's -T (`fields` prints the -e fields).
    #[arg(short = 'T', value_enum)]
    output_type: Option<OutputType>,
    /// A field to print with -T fields (Wireshark display-filter names); repeatable.
    #[arg(short = 'e', value_name = "FIELD")]
    fields: Vec<String>,
    /// Field options, as tshark's -E: occurrence=a|f|l, separator=C, aggregator=C, header=y|n.
    #[arg(short = 'E', value_name = "KEY=VALUE")]
    field_opts: Vec<String>,
    /// Stop after N packets.
    #[arg(short = 'c', value_name = "N")]
    count: Option<u64>,
    /// Verify every checksum (by default, like Wireshark, only some are).
    #[arg(long)]
    verify_checksums: bool,
    /// Show fields marked hidden in trees.
    #[arg(long)]
    show_hidden: bool,
}

pub fn run(a: Args) -> Result<i32, CliError> {
    let path = a
        .read
        .clone()
        .or(a.file.clone())
        .ok_or_else(|| CliError::Other("no capture file given (strata dissect FILE)".into()))?;
    let mut reader = CaptureReader::open(&path)
        .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
    let is_ng = matches!(reader.format(), FileFormat::PcapNg);
    // tshark shows nanosecond pcap times with nine digits, others with six.
    let nanos = matches!(reader.format(), FileFormat::Pcap { nanos: true, .. });
    let ty = a.output_type.unwrap_or(match a.format {
        Format::Text => OutputType::Text,
        Format::Json => OutputType::Json,
        Format::Ndjson => OutputType::Ek,
    });
    let mut printer = if ty == OutputType::Fields {
        if a.fields.is_empty() {
            return Err(CliError::Other(
                "-T fields needs at least one -e FIELD".into(),
            ));
        }
        let mut p = FieldsPrinter::new(a.fields.clone());
        let unknown = p.unknown_columns();
        if !unknown.is_empty() {
            return Err(CliError::Other(format!(
                "unknown field(s): {} (see `strata protocols --fields`)",
                unknown.join(", ")
            )));
        }
        for o in &a.field_opts {
            let (k, v) = o
                .split_once('=')
                .ok_or_else(|| CliError::Other(format!("-E {o}: expected KEY=VALUE")))?;
            let unescape = |v: &str| match v {
                "/t" | "\\t" => "\t".to_string(),
                "/s" => " ".to_string(),
                other => other.to_string(),
            };
            match k {
                "occurrence" => {
                    p.occurrence = match v {
                        "a" => Occurrence::All,
                        "f" => Occurrence::First,
                        "l" => Occurrence::Last,
                        _ => {
                            return Err(CliError::Other(format!(
                                "-E occurrence={v}: expected a, f or l"
                            )))
                        }
                    }
                }
                "separator" => p.separator = unescape(v),
                "aggregator" => p.aggregator = unescape(v),
                "header" => {}
                _ => return Err(CliError::Other(format!("-E {k}: unknown option"))),
            }
        }
        Some(p)
    } else {
        None
    };
    let header = a.field_opts.iter().any(|o| o == "header=y");
    let options = Options {
        deep: ty != OutputType::Fields
            || a.fields
                .iter()
                .any(|f| f.contains(".opt") || f.starts_with("_ws")),
        verify_checksums: a.verify_checksums,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if header {
        if let Some(p) = &printer {
            let _ = p;
            writeln!(out, "{}", a.fields.join("\t"))?;
        }
    }
    let mut analyzer = Analyzer::new();
    // Conversation analysis is stateful and costs: skip it when no requested
    // field needs it.
    let analyze = printer.as_ref().is_none_or(|p| p.needs_analysis());
    let mut json = JsonBuilder::default();
    let mut first: Option<Timestamp> = None;
    let mut prev: Option<Timestamp> = None;
    let mut n: u64 = 0;
    let mut line = String::with_capacity(256);
    let mut json_first = true;
    if ty == OutputType::Json {
        out.write_all(b"[\n")?;
    }
    let mut read_error = None;
    loop {
        if a.count.is_some_and(|c| n >= c) {
            break;
        }
        let frame = match reader.next_frame() {
            None => break,
            Some(Err(e)) => {
                read_error = Some(e.to_string());
                break;
            }
            Some(Ok(f)) => f,
        };
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
            interface_id: if is_ng {
                Some(frame.interface_id)
            } else {
                None
            },
            linktype: frame.linktype,
        };
        prev = Some(ts);
        let d = dissect_frame(frame.linktype, frame.data, frame.orig_len, options);
        let info = if analyze {
            analyzer.frame(&d, n, ts, frame.orig_len)
        } else {
            Default::default()
        };
        line.clear();
        match ty {
            OutputType::Fields => {
                let p = printer.as_mut().expect("printer");
                p.reset();
                walk(&meta, &d, &info, p);
                p.line(&mut line);
                line.push('\n');
            }
            OutputType::Json | OutputType::Ek => {
                json.reset();
                walk(&meta, &d, &info, &mut json);
                let v = json.finish(d.error.map(|e| e.to_string()));
                if ty == OutputType::Json {
                    if !json_first {
                        line.push_str(",\n");
                    }
                    json_first = false;
                    line.push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
                } else {
                    line.push_str(&serde_json::to_string(&v).unwrap_or_default());
                    line.push('\n');
                }
            }
            OutputType::Text => {
                if a.verbose {
                    let mut t = TreePrinter::new(&mut line);
                    t.show_hidden = a.show_hidden;
                    walk(&meta, &d, &info, &mut t);
                } else {
                    summary(&meta, &d, &info, nanos, &mut line);
                }
                if a.hex {
                    if a.verbose {
                        line.push('\n');
                    }
                    hexdump(d.data, &mut line);
                }
                if a.verbose || a.hex {
                    line.push('\n');
                }
            }
        }
        out.write_all(line.as_bytes())?;
    }
    if ty == OutputType::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    if let Some(e) = read_error {
        eprintln!("strata: {}: {e} (after {n} frames)", path.display());
        return Ok(2);
    }
    Ok(0)
}

/// One summary line: number, time, source → destination, protocol, length,
/// info, as tshark prints it. Layers inside an ICMP error quote do not count
/// (Wireshark's columns ignore them); addresses come from the topmost layer
/// that declares some (Ethernet ones by their resolved names); the info is
/// the topmost layer's `info` template, then a note when dissection stopped
/// early.
fn summary(
    meta: &FrameMeta,
    d: &strata::dissect::Dissection<'_>,
    frame_info: &strata::analysis::FrameInfo,
    nanos: bool,
    out: &mut String,
) {
    use std::fmt::Write;
    use strata::protocols::{AnyLayer, LayerKind};
    // Layers after the first ICMP one are its quote.
    let quote_at = d
        .layers
        .iter()
        .position(|l| matches!(l.kind(), LayerKind::Icmp | LayerKind::Icmpv6));
    let shown = quote_at.map_or(d.layers.len(), |k| k + 1);
    let in_quote = quote_at.is_some_and(|k| k + 1 < d.layers.len() || d.partial.is_some());
    let mut src = String::new();
    let mut dst = String::new();
    for l in d.layers[..shown].iter().rev() {
        if let AnyLayer::Ethernet(e) = &l.view {
            let names = strata::resolve::eth_names();
            names.resolve(&e.src().0, &mut src);
            names.resolve(&e.dst().0, &mut dst);
            break;
        }
        if let Some((a, b)) = l.view.addresses() {
            let desc = l.kind().fields().first();
            if let Some(desc) = desc {
                a.display(desc, &mut src);
                b.display(desc, &mut dst);
            }
            break;
        }
    }
    let proto = match (&d.partial, d.layers[..shown].last()) {
        (Some(p), _) if !in_quote => p.kind.short_name(),
        (_, Some(l)) => l.kind().short_name(),
        _ => "data",
    };
    let mut info = String::new();
    if let Some(i) = (0..shown)
        .rev()
        .find(|&i| d.layers[i].kind().info_parts().is_some())
    {
        info = strata::output::layer_info(meta, d, i, frame_info).unwrap_or_default();
    } else if let (Some(l), None) = (d.layers[..shown].last(), &d.partial) {
        // Nothing summarises the frame: the top layer's name (a layer cut
        // short leaves the info empty, as Wireshark's does).
        info.push_str(l.kind().long_name());
    }
    let info = info.trim_end();
    let mut note = "";
    if let Some(e) = &d.error {
        if !in_quote {
            // Wireshark: bytes cut by the snap length make a short frame, other
            // missing or bad bytes a malformed one.
            let short = matches!(e.kind, strata::ErrorKind::Truncated { .. })
                && meta.cap_len < meta.orig_len;
            note = if short {
                "[Packet size limited during capture]"
            } else {
                "[Malformed Packet]"
            };
        }
    }
    let mut t = String::new();
    strata::field::write_nanos(&mut t, meta.rel);
    let t = if nanos {
        &t[..]
    } else {
        &t[..t.len().saturating_sub(3)]
    };
    let _ = writeln!(
        out,
        "{:>5} {:>12} {} → {} {} {} {}{}",
        meta.number,
        t,
        if src.is_empty() { "?" } else { &src },
        if dst.is_empty() { "?" } else { &dst },
        proto,
        meta.orig_len,
        info.trim_start(),
        note
    );
}
