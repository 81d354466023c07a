//! Human-readable output: the one-line summary and the `-V` tree.

use super::{synth, Sink};
use crate::field::{Base, FieldDesc, FieldKind, Value};
use std::fmt::Write;

/// Where a sub-byte field's bits sit, for tshark's `0100 .... = ` prefix:
/// the pattern's width and the field's first bit, counted from the left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BitPos {
    width: u8,
    start: u8,
}

/// The children of a bit container: the pattern they share and the next
/// child's first bit.
#[derive(Clone, Copy, Debug)]
struct BitCursor {
    width: u8,
    next: u8,
}

/// One open `push`.
#[derive(Clone, Debug)]
struct Level {
    /// Did not indent (hidden container).
    transparent: bool,
    /// Children are the bits of an integer container.
    bits: Option<BitCursor>,
    /// Where the container's line ends: the names of the flags set among
    /// its children are appended there (`Flags: 0x2, Don't fragment`).
    append_at: Option<usize>,
    /// Those names, each after `, `.
    set_names: String,
}

/// The last line printed, kept so that later items can amend it.
#[derive(Clone, Copy)]
struct Last {
    desc: &'static FieldDesc,
    /// The bit-pattern prefix, as a byte range of the output.
    prefix: Option<(usize, usize)>,
    /// Where the line's text ends (before the newline).
    end: usize,
}

/// A hidden raw field whose value the next (computed) field shows
/// (`ihl` under `Header Length: 20 bytes (5)`).
#[derive(Clone, Copy)]
struct RawSource {
    pos: BitPos,
    bits: u8,
    value: u64,
}

/// Prints the layer tree (`-V`), tshark style: a title line per protocol,
/// indented `Label: value` lines for fields and their children. Sub-byte
/// fields show their bit pattern (`0100 .... = Version: 4`), enums their
/// label first (`Protocol: TCP (6)`), checksums their verdict and the
/// fields the runtime computes are bracketed (`[Stream index: 0]`).
pub struct TreePrinter<'o> {
    out: &'o mut String,
    depth: usize,
    /// Also print fields marked hidden.
    pub show_hidden: bool,
    /// The last field was hidden: its children (if any) are shown in its
    /// place (Wireshark has no container item for, e.g., ND options).
    transparent_next: bool,
    /// Per open `push`.
    levels: Vec<Level>,
    /// The last printed field.
    last: Option<Last>,
    /// The hidden field just before, when the next field may show it.
    raw: Option<RawSource>,
    /// The last field reported (printed or not) and its bit position, for `push`.
    prev: Option<(&'static FieldDesc, Option<BitPos>)>,
    /// The TCP ACK flag of the layer (relative numbers are noted when set).
    tcp_ack: bool,
}

impl<'o> TreePrinter<'o> {
    /// Appends to `out`.
    pub fn new(out: &'o mut String) -> Self {
        TreePrinter {
            out,
            depth: 0,
            show_hidden: false,
            transparent_next: false,
            levels: Vec::new(),
            last: None,
            raw: None,
            prev: None,
            tcp_ack: false,
        }
    }
}

/// Enums Wireshark prints value first (`Type: 8 (Echo (ping) request)`):
/// its ICMP dissector formats the type itself.
const VALUE_FIRST: &[&str] = &["icmp.type"];

/// Integer-valued kinds (the ones with bit positions).
fn is_int(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::UInt | FieldKind::Int | FieldKind::Bool | FieldKind::Enum
    )
}

/// A field's bit position from its fixed location, when it does not fill
/// its bytes. A field in the first byte of a longer run shows that byte only
/// (`010. .... = Flags`), as Wireshark's 8-bit header fields do.
fn static_pos(desc: &FieldDesc) -> Option<BitPos> {
    let sl = desc.static_loc?;
    if !is_int(desc.kind) || desc.bits == 0 || sl.little || sl.bytes == 0 || sl.bytes > 8 {
        return None;
    }
    let total = u32::from(sl.bytes) * 8;
    let (bits, shift) = (u32::from(desc.bits), u32::from(sl.shift));
    if bits >= total || bits + shift > total {
        return None;
    }
    let start = total - shift - bits;
    // In the first byte of a longer run: that byte only (`010. .... =
    // Flags`), as Wireshark's 8-bit header fields show; at the end of a
    // 32-bit run, clear of its first byte: 24 bits (IPv6's flow label).
    let (width, start) = if total > 8 && start + bits <= 8 {
        (8, start)
    } else if total == 32 && shift == 0 && start >= 8 {
        (24, start - 8)
    } else {
        (total, start)
    };
    Some(BitPos {
        width: width as u8,
        start: start as u8,
    })
}

/// `0100 .... = `: the field's bits in a pattern of its container's width.
fn push_pattern(out: &mut String, pos: BitPos, bits: u8, v: u64) {
    for i in 0..pos.width {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        if i >= pos.start && i < pos.start + bits {
            let b = bits - 1 - (i - pos.start);
            out.push(if (v >> b) & 1 == 1 { '1' } else { '0' });
        } else {
            out.push('.');
        }
    }
    out.push_str(" = ");
}

/// Hex as trees print it: as many digits as the field's bits need.
fn push_hex(out: &mut String, v: u64, bits: u8) {
    let w = usize::from(bits).div_ceil(4).max(1);
    let _ = write!(out, "0x{v:0w$x}");
}

/// Digits of `v` in decimal.
fn itoa_len(v: u64) -> usize {
    v.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// True for the fields the runtime adds (not read from a schema).
fn is_synth(desc: &'static FieldDesc) -> bool {
    synth::ALL.iter().any(|d| std::ptr::eq(*d, desc))
}

/// Fields tshark brackets: computed ones (analysis, checksum statuses,
/// frame times), as opposed to those read from the packet or the capture.
fn is_generated(desc: &'static FieldDesc) -> bool {
    if desc.kind == FieldKind::Status {
        return true;
    }
    if !is_synth(desc) || std::ptr::eq(desc, &synth::TCP_SEQ_QUOTED) {
        return false;
    }
    !matches!(
        desc.path,
        "tcp.seq"
            | "tcp.ack"
            | "tcp.payload"
            | "udp.payload"
            | "frame"
            | "frame.number"
            | "frame.len"
            | "frame.cap_len"
            | "frame.linktype"
            | "frame.time_epoch"
            | "frame.interface_id"
            | "eth.padding"
            | "eth.trailer"
            | "eth.fcs"
            | "vlan.trailer"
            | "data"
            | "data.data"
            | "_ws.malformed"
            | "_ws.short"
            | "strata.error"
    )
}

/// A checksum status's label as Wireshark words it: `Checksum Status`,
/// `Header checksum status`.
fn push_label(out: &mut String, desc: &FieldDesc) {
    let label = desc.label;
    if desc.kind != FieldKind::Status {
        out.push_str(label);
        return;
    }
    match label.strip_suffix(" status") {
        Some(base) if !base.contains(' ') => {
            out.push_str(base);
            out.push_str(" Status");
        }
        Some(base) => {
            let (first, rest) = base.split_once(' ').unwrap_or((base, ""));
            out.push_str(first);
            out.push(' ');
            out.push_str(&rest.to_lowercase());
            out.push_str(" status");
        }
        None => out.push_str(label),
    }
}

/// What a checksum line ends with, by its status.
fn checksum_verdict(checksum: &FieldDesc, status: u64) -> &'static str {
    match status {
        0 => " [incorrect]",
        1 => " [correct]",
        3 => " [zero-value ignored]",
        // Wireshark's IPv4 header checksum is off by default and says so.
        _ if checksum.path == "ip.checksum" => " [validation disabled]",
        _ => " [unverified]",
    }
}

impl TreePrinter<'_> {
    /// The bit position of the field about to be printed: from its
    /// container's pattern, else from its fixed location.
    fn position(&mut self, desc: &'static FieldDesc) -> Option<BitPos> {
        if !is_int(desc.kind) || desc.bits == 0 {
            return None;
        }
        if let Some(c) = self.levels.last_mut().and_then(|l| l.bits.as_mut()) {
            if u32::from(c.next) + u32::from(desc.bits) <= u32::from(c.width) {
                let p = BitPos {
                    width: c.width,
                    start: c.next,
                };
                c.next += desc.bits;
                return Some(p);
            }
        }
        static_pos(desc)
    }

    /// `Label (value)` for enums, the base's format otherwise, then unit and raw value.
    fn push_uint(&mut self, desc: &FieldDesc, v: u64, raw: Option<u64>) {
        let out = &mut *self.out;
        let num = |out: &mut String| match desc.base {
            Base::Hex | Base::HexDec => push_hex(out, v, desc.bits),
            Base::Oct => {
                let _ = write!(out, "0{v:o}");
            }
            _ => {
                let _ = write!(out, "{v}");
            }
        };
        if let (Some(f), true) = (desc.enum_label, VALUE_FIRST.contains(&desc.path)) {
            num(out);
            if let Some(l) = f(v) {
                let _ = write!(out, " ({l})");
            }
        } else if let Some(f) = desc.enum_label {
            out.push_str(f(v).unwrap_or("Unknown"));
            out.push_str(" (");
            num(out);
            out.push(')');
        } else {
            match desc.base {
                Base::HexDec => {
                    push_hex(out, v, desc.bits);
                    let _ = write!(out, " ({v})");
                }
                Base::DecHex => {
                    let _ = write!(out, "{v} (");
                    push_hex(out, v, desc.bits);
                    out.push(')');
                }
                _ => num(out),
            }
        }
        if let Some(u) = desc.unit {
            out.push(' ');
            out.push_str(u);
        }
        if let Some(r) = raw {
            let _ = write!(out, " ({r})");
        }
    }

    /// What tshark adds after some computed values.
    fn push_note(&mut self, desc: &'static FieldDesc, value: &Value<'_>) {
        let note = if std::ptr::eq(desc, &synth::TCP_SEQ) || std::ptr::eq(desc, &synth::TCP_NXTSEQ)
        {
            "    (relative sequence number)"
        } else if std::ptr::eq(desc, &synth::TCP_ACK) && self.tcp_ack {
            "    (relative ack number)"
        } else if std::ptr::eq(desc, &synth::TCP_WINDOW_SCALEFACTOR) {
            match value {
                Value::Int(-1) => " (unknown)",
                Value::Int(-2) => " (no window scaling used)",
                _ => "",
            }
        } else if std::ptr::eq(desc, &synth::TCP_COMPLETENESS) {
            // Replaces the plain number.
            let v = value.as_u64().unwrap_or(0);
            let text = match v {
                1 => "Incomplete, SYN_SENT",
                3 => "Incomplete, CLIENT_ESTABLISHED",
                7 => "Incomplete, ESTABLISHED",
                15 => "Incomplete, DATA",
                31 | 47 | 63 => "Complete, WITH_DATA",
                23 | 39 | 55 => "Complete, NO_DATA",
                _ => "Incomplete",
            };
            let at = self.out.len() - itoa_len(v);
            self.out.truncate(at);
            let _ = write!(self.out, "{text} ({v})");
            ""
        } else if std::ptr::eq(desc, &synth::FRAME_LEN) || std::ptr::eq(desc, &synth::FRAME_CAP_LEN)
        {
            let v = value.as_u64().unwrap_or(0);
            let _ = write!(self.out, " bytes ({} bits)", v * 8);
            ""
        } else {
            ""
        };
        self.out.push_str(note);
    }
}

impl Sink for TreePrinter<'_> {
    fn begin_layer(&mut self, _desc: &'static FieldDesc, title: &str, _offset: u32, _len: u32) {
        self.out.push_str(title);
        self.out.push('\n');
        self.depth = 1;
        self.transparent_next = false;
        self.levels.clear();
        self.last = None;
        self.raw = None;
        self.prev = None;
        self.tcp_ack = false;
    }

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _offset: u32, _len: u32) {
        self.transparent_next = false;
        let pos = self.position(desc);
        let raw = self.raw.take();
        self.prev = Some((desc, pos));
        if desc.path == "tcp.flags.ack" {
            self.tcp_ack = *value == Value::Bool(true);
        }
        if desc.hidden && !self.show_hidden {
            self.transparent_next = true;
            if let (Some(p), Some(v)) = (pos, value.as_u64()) {
                self.raw = Some(RawSource {
                    pos: p,
                    bits: desc.bits,
                    value: v,
                });
            }
            return;
        }
        // A checksum's verdict goes on the checksum's line.
        if desc.kind == FieldKind::Status {
            if let Some(last) = &mut self.last {
                if desc.path.strip_suffix(".status") == Some(last.desc.path) {
                    let s = checksum_verdict(last.desc, value.as_u64().unwrap_or(2));
                    self.out.insert_str(last.end, s);
                }
            }
        }
        // A computed field right after the hidden raw one shows its bits
        // and value (`.... 0101 = Header Length: 20 bytes (5)`).
        let (pattern, raw_value) = match (pos, raw) {
            (None, Some(r))
                if desc.kind == FieldKind::UInt && desc.static_loc.is_none() && !is_synth(desc) =>
            {
                (Some((r.pos, r.bits, r.value)), Some(r.value))
            }
            _ => (
                pos.and_then(|p| Some((p, desc.bits, value.as_u64()?))),
                None,
            ),
        };
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        let generated = is_generated(desc);
        if generated {
            self.out.push('[');
        }
        let prefix = pattern.map(|(p, bits, v)| {
            let s = self.out.len();
            push_pattern(self.out, p, bits, v);
            (s, self.out.len())
        });
        push_label(self.out, desc);
        match (desc.kind, value) {
            (FieldKind::Struct, _) => {}
            (FieldKind::Marker, _) => {}
            (_, Value::None) => {}
            (FieldKind::Status, _) => {
                self.out.push_str(": ");
                let v = value.as_u64().unwrap_or(2);
                self.out
                    .push_str(crate::__private::status_label(v).unwrap_or("?"));
            }
            (_, Value::UInt(v)) => {
                self.out.push_str(": ");
                self.push_uint(desc, *v, raw_value);
            }
            (_, Value::Bool(b)) if pattern.is_some() => {
                self.out.push_str(": ");
                self.out.push_str(if *b { "Set" } else { "Not set" });
                if let Some(l) = self.levels.last_mut().filter(|l| *b && l.bits.is_some()) {
                    l.set_names.push_str(", ");
                    l.set_names.push_str(desc.label);
                }
            }
            (FieldKind::Mac, Value::Mac(m)) => {
                // Resolved name first, as Wireshark shows addresses.
                self.out.push_str(": ");
                crate::resolve::eth_names().resolve(m, self.out);
                self.out.push_str(" (");
                value.display(desc, self.out);
                self.out.push(')');
            }
            _ => {
                self.out.push_str(": ");
                value.display(desc, self.out);
            }
        }
        self.push_note(desc, value);
        if generated {
            self.out.push(']');
        }
        let end = self.out.len();
        self.out.push('\n');
        self.last = Some(Last { desc, prefix, end });
    }

    fn push(&mut self) {
        let transparent = std::mem::take(&mut self.transparent_next);
        // The children of an integer container are its bits.
        // Its set flags are named on its line, unless it has no pattern.
        let mut named = true;
        let bits = match self.prev.take() {
            Some((d, Some(p))) => {
                let shift = d.static_loc.map_or(0, |s| s.shift);
                if d.bits >= 8 && shift == 0 && p.start > 0 {
                    // A container ending its run (TCP's 12 flag bits) shows
                    // no pattern; its bits are patterned on its own width.
                    if let Some(l) = self.last.as_mut().filter(|l| std::ptr::eq(l.desc, d)) {
                        if let Some((s, e)) = l.prefix.take() {
                            self.out.replace_range(s..e, "");
                            l.end -= e - s;
                        }
                    }
                    named = false;
                    Some(BitCursor {
                        width: d.bits,
                        next: 0,
                    })
                } else {
                    Some(BitCursor {
                        width: p.width,
                        next: p.start,
                    })
                }
            }
            Some((d, None))
                if matches!(d.kind, FieldKind::UInt | FieldKind::Enum) && d.bits > 0 =>
            {
                Some(BitCursor {
                    width: d.bits,
                    next: 0,
                })
            }
            _ => None,
        };
        let append_at = match (bits, self.last) {
            (Some(_), Some(l)) if !transparent && named => Some(l.end),
            _ => None,
        };
        self.levels.push(Level {
            transparent,
            bits,
            append_at,
            set_names: String::new(),
        });
        self.last = None;
        if !transparent {
            self.depth += 1;
        }
    }

    fn pop(&mut self) {
        self.transparent_next = false;
        self.last = None;
        self.prev = None;
        self.raw = None;
        let level = self.levels.pop();
        if let Some(Level {
            append_at: Some(at),
            set_names,
            ..
        }) = &level
        {
            self.out.insert_str(*at, set_names);
        }
        if level.map(|l| l.transparent) != Some(true) {
            self.depth = self.depth.saturating_sub(1).max(1);
        }
    }
}

/// Collects what a summary line needs.
#[derive(Default)]
pub struct SummaryCollector {
    /// Source and destination of the innermost layer that has addresses.
    pub src: String,
    /// Destination.
    pub dst: String,
    /// Protocol of the last layer.
    pub protocol: String,
    /// Info text.
    pub info: String,
}
