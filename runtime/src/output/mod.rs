//! Output: one walk over a dissected frame (frame metadata, layers with their
//! schema fields, computed analysis fields, trailers, raw data) feeding a
//! [`Sink`]; the formats (tshark-style fields, trees, summaries, JSON,
//! hexdumps) are sinks.

pub mod fields;
pub mod hexdump;
pub mod json;
pub mod synth;
pub(crate) mod template;
pub mod text;

use crate::analysis::{flags_str, icmp_data_time, DataTime, FrameInfo, LayerInfo, TcpShown};
use crate::dissect::Dissection;
use crate::field::{FieldDesc, Value, Visitor};
use crate::pcap::Timestamp;
use crate::protocols::{AnyLayer, LayerKind};

/// Per-frame metadata from the capture file.
#[derive(Clone, Copy, Debug)]
pub struct FrameMeta {
    /// 1-based frame number.
    pub number: u64,
    /// Capture time.
    pub ts: Timestamp,
    /// Nanoseconds since the first frame.
    pub rel: i128,
    /// Nanoseconds since the previous frame.
    pub delta: i128,
    /// Length on the wire.
    pub orig_len: u32,
    /// Captured length.
    pub cap_len: u32,
    /// Interface, for pcapng files.
    pub interface_id: Option<u32>,
    /// Link type.
    pub linktype: u32,
}

/// Receives a frame's protocols and fields in order.
pub trait Sink {
    /// Should this layer be walked at all? (Lets field extraction skip layers.)
    fn wants(&self, _kind: Option<LayerKind>, _filter: &str) -> bool {
        true
    }
    /// Whether `begin_layer` titles are used (they cost a string each).
    fn wants_titles(&self) -> bool {
        true
    }
    /// The only fields of a layer of this kind the sink uses, as indices in
    /// its field table (`kind.fields()`), when it can say: the layer then
    /// reports just those. `None`: report every field.
    fn only_fields(&self, _kind: LayerKind) -> Option<&[u16]> {
        None
    }
    /// A protocol starts: its description, a one-line title, and its bytes.
    fn begin_layer(&mut self, desc: &'static FieldDesc, title: &str, offset: u32, len: u32);
    /// One field.
    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, offset: u32, len: u32);
    /// The children of the last field follow.
    fn push(&mut self) {}
    /// Children done.
    fn pop(&mut self) {}
    /// The protocol ends.
    fn end_layer(&mut self) {}
}

/// Adapts a [`Sink`] to the generated code's [`Visitor`].
struct Adapt<'s> {
    sink: &'s mut dyn Sink,
    /// Inside an ICMP error quote (Wireshark prints some fields differently there).
    quoted: bool,
}

impl<'a> Visitor<'a> for Adapt<'_> {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, offset: u32, len: u32) {
        if self.quoted && desc.path == "tcp.seq_raw" {
            // A quoted TCP header shows its raw sequence number as `tcp.seq`.
            self.sink.field(&synth::TCP_SEQ_QUOTED, &value, offset, len);
            return;
        }
        self.sink.field(desc, &value, offset, len);
    }
    fn push(&mut self) {
        self.sink.push();
    }
    fn pop(&mut self) {
        self.sink.pop();
    }
}

/// The one-line title of layer `i` in trees (`Internet Protocol Version 4,
/// Src: a, Dst: b`): the schema's `title` template over the fields the layer
/// emits (analysis included), or its addresses.
pub fn layer_title(meta: &FrameMeta, d: &Dissection<'_>, i: usize, info: &FrameInfo) -> String {
    let Some(l) = d.layers.get(i) else {
        return String::new();
    };
    let kind = l.kind();
    let mut vals = template::Values::default();
    if kind.title_parts().is_some() {
        emit_layer_fields(meta, d, i, info, &mut vals);
    }
    let addresses = l.view.addresses().and_then(|(a, b)| {
        let desc = kind.fields().first()?;
        let (mut x, mut y) = (String::new(), String::new());
        a.display(desc, &mut x);
        b.display(desc, &mut y);
        Some((x, y))
    });
    template::title(kind, &vals, addresses)
}

/// The summary-line info of layer `i`: its `info` template over the fields it
/// emits (analysis included); `None` when the layer has no template.
pub fn layer_info(
    meta: &FrameMeta,
    d: &Dissection<'_>,
    i: usize,
    info: &FrameInfo,
) -> Option<String> {
    let parts = d.layers.get(i)?.kind().info_parts()?;
    let mut vals = template::Values::default();
    emit_layer_fields(meta, d, i, info, &mut vals);
    emit_summary_fields(d, i, info, &mut vals);
    // The enclosing layers' fields, nearest first: a template can name them
    // by path (`ip.ttl` in ICMP); the layer's own fields come first.
    for j in (0..i).rev() {
        let quoted = is_quoted(d, j);
        d.visit_layer(
            j,
            &mut Adapt {
                sink: &mut vals,
                quoted,
            },
        );
        if let AnyLayer::Ethernet(e) = &d.layers[j].view {
            emit_eth_names(&e.dst().0, &e.src().0, &mut vals);
        }
    }
    let mut s = String::new();
    vals.render(parts, true, &mut s);
    Some(s)
}

/// Values only summaries show (not fields of any output): Wireshark's
/// summary of the TCP options (`strata.tcp.options`).
fn emit_summary_fields(d: &Dissection<'_>, i: usize, info: &FrameInfo, sink: &mut dyn Sink) {
    let Some(l) = d.layers.get(i) else { return };
    if let AnyLayer::Tcp(_) = &l.view {
        let sack = match info.iter().find(|(j, _)| *j == i) {
            Some((_, LayerInfo::Tcp(t))) if !t.quoted => &t.sack[..],
            _ => &[],
        };
        let bytes = l.view.as_bytes();
        let opts = bytes
            .get(20..l.view.header_len().min(bytes.len()))
            .unwrap_or(&[]);
        let s = tcp_options_summary(opts, sack);
        sink.field(&synth::STRATA_TCP_OPTIONS, &Value::Str(&s), 0, 0);
    }
}

/// The TCP options as Wireshark appends them to the summary:
/// ` MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128`, SACK blocks as relative
/// ` SLE=… SRE=…`. Options with a wrong length are left out.
fn tcp_options_summary(mut opts: &[u8], sack: &[(u32, u32)]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let mut sack = sack.iter();
    let be = |b: &[u8]| b.iter().fold(0u64, |a, &x| a << 8 | x as u64);
    while let Some(&kind) = opts.first() {
        if kind == 0 {
            break;
        }
        if kind == 1 {
            opts = &opts[1..];
            continue;
        }
        let Some(&len) = opts.get(1) else { break };
        let len = len as usize;
        if len < 2 || len > opts.len() {
            break;
        }
        let body = &opts[2..len];
        match (kind, len) {
            (2, 4) => _ = write!(s, " MSS={}", be(body)),
            (3, 3) => _ = write!(s, " WS={}", 1u32 << body[0].min(14)),
            (4, 2) => s.push_str(" SACK_PERM"),
            (5, _) => {
                for _ in 0..(len - 2) / 8 {
                    if let Some((l, r)) = sack.next() {
                        _ = write!(s, " SLE={l} SRE={r}");
                    }
                }
            }
            (6 | 7, 6) => _ = write!(s, " ECHO={}", be(body)),
            (8, 10) => _ = write!(s, " TSval={} TSecr={}", be(&body[..4]), be(&body[4..])),
            (11..=13, 6) => _ = write!(s, " CC={}", be(body)),
            (19, 18) => s.push_str(" MD5"),
            (28, 4) => _ = write!(s, " USER_TO={}", be(body) & 0x7fff),
            (34, 2) => s.push_str(" TFO=R"),
            (34, _) => s.push_str(" TFO=C"),
            _ => {}
        }
        opts = &opts[len..];
    }
    s
}

/// Everything layer `i` reports: its schema fields, then what the runtime
/// adds (resolved Ethernet names, conversation analysis, echo timestamps).
fn emit_layer_fields(
    meta: &FrameMeta,
    d: &Dissection<'_>,
    i: usize,
    info: &FrameInfo,
    sink: &mut dyn Sink,
) {
    let Some(l) = d.layers.get(i) else { return };
    let quoted = is_quoted(d, i);
    match sink.only_fields(l.kind()) {
        Some(wanted) if !quoted => {
            let wanted: smallvec::SmallVec<[u16; 8]> = wanted.iter().copied().collect();
            if !wanted.is_empty() {
                let under = crate::protocols::Stack(&d.layers[..i]);
                let verify = d.options.verify_checksums;
                l.view.visit_fields(
                    &wanted,
                    l.offset,
                    &under,
                    verify,
                    &mut Adapt { sink, quoted },
                );
            }
        }
        _ => d.visit_layer(i, &mut Adapt { sink, quoted }),
    }
    // A length claiming more than the frame carried (not a snap-length cut).
    if let Some(desc) = l.kind().bad_length().first() {
        let cut = d.wire_len as usize > d.data.len() && l.end() as usize >= d.data.len();
        if l.view.is_truncated() && !cut && !in_error_quote(d, i) {
            sink.field(desc, &Value::None, l.offset, 0);
        }
    }
    if let AnyLayer::Ethernet(e) = &l.view {
        emit_eth_names(&e.dst().0, &e.src().0, sink);
    }
    if let Some((_, a)) = info.iter().find(|(j, _)| *j == i) {
        let start = l.offset + l.view.header_len() as u32;
        emit_analysis(a, start, l.view.payload(), sink);
    }
    if let Some(t) = echo_data_time(l, meta.ts) {
        let start = l.offset + l.view.header_len() as u32;
        emit_data_time(&t, meta.ts, start, sink);
    }
}

/// One piece of a trailer: owner layer, field, byte range in the frame.
type TrailerPart = (usize, &'static FieldDesc, (u32, u32));

/// Where the bytes after a layer's child go (Wireshark's Ethernet rules).
struct TrailerSplit {
    parts: smallvec::SmallVec<[TrailerPart; 2]>,
}

fn split_trailers(d: &Dissection<'_>, frame_len: u32) -> TrailerSplit {
    let mut parts = smallvec::SmallVec::new();
    let eth_first = matches!(
        d.layers.first().map(|l| l.kind()),
        Some(LayerKind::Ethernet)
    );
    for i in 0..d.layers.len() {
        let t = d.trailer_of(i);
        if t.is_empty() {
            continue;
        }
        let owner = d.layers[i].kind();
        let start = d.layers[i + 1].end();
        let end = start + t.len() as u32;
        let mut a = start;
        // All-zero bytes below offset 60 are Ethernet padding; a frame
        // shorter than 60 bytes was not padded (Wireshark's rule).
        if eth_first && frame_len >= 60 {
            let pad_end = end.min(60);
            if pad_end > a {
                let pad = &d.data[a as usize..pad_end as usize];
                if pad.iter().all(|&b| b == 0) {
                    parts.push((0, &synth::ETH_PADDING, (a, pad_end)));
                    a = pad_end;
                }
            }
        }
        if a >= end {
            continue;
        }
        match owner {
            LayerKind::Ethernet => {
                if frame_len >= 64 && end - a >= 4 {
                    if end - 4 > a {
                        parts.push((i, &synth::ETH_TRAILER, (a, end - 4)));
                    }
                    parts.push((i, &synth::ETH_FCS, (end - 4, end)));
                } else {
                    parts.push((i, &synth::ETH_TRAILER, (a, end)));
                }
            }
            LayerKind::Vlan => parts.push((i, &synth::VLAN_TRAILER, (a, end))),
            _ => {}
        }
    }
    TrailerSplit { parts }
}

/// `tcp.connection.*` markers (Wireshark's expert items on the flags).
fn emit_connection(t: &crate::analysis::TcpInfo, sink: &mut dyn Sink) {
    if t.quoted {
        return;
    }
    let (syn, ack, fin, rst) = (
        t.flags & 2 != 0,
        t.flags & 0x10 != 0,
        t.flags & 1 != 0,
        t.flags & 4 != 0,
    );
    if syn {
        sink.field(
            if ack {
                &synth::TCP_CONN_SYNACK
            } else {
                &synth::TCP_CONN_SYN
            },
            &Value::None,
            0,
            0,
        );
    }
    if fin {
        sink.field(&synth::TCP_CONN_FIN, &Value::None, 0, 0);
        match t.fin_active {
            Some(true) => sink.field(&synth::TCP_CONN_FIN_ACTIVE, &Value::None, 0, 0),
            Some(false) => sink.field(&synth::TCP_CONN_FIN_PASSIVE, &Value::None, 0, 0),
            None => {}
        }
    }
    if rst {
        sink.field(&synth::TCP_CONN_RST, &Value::None, 0, 0);
    }
}

/// The computed fields of a segment shorter than its header length: raw
/// numbers, flags, window, connection markers and times.
fn emit_short_segment(t: &crate::analysis::TcpInfo, sink: &mut dyn Sink) {
    sink.field(&synth::TCP_SEQ, &Value::UInt(t.seq as u64), 0, 0);
    sink.field(&synth::TCP_ACK, &Value::UInt(t.ack as u64), 0, 0);
    let mut fs = String::with_capacity(24);
    flags_str(t.flags, &mut fs);
    sink.field(&synth::TCP_FLAGS_STR, &Value::Str(&fs), 0, 0);
    sink.field(
        &synth::TCP_WINDOW_SIZE,
        &Value::UInt(t.window_size as u64),
        0,
        0,
    );
    emit_connection(t, sink);
    sink.field(
        &synth::TCP_TIME_RELATIVE,
        &Value::Nanos(t.time_relative),
        0,
        0,
    );
    sink.field(&synth::TCP_TIME_DELTA, &Value::Nanos(t.time_delta), 0, 0);
}

/// `tcp.analysis.*`, in Wireshark's tree order.
fn emit_seq_analysis(a: &crate::analysis::SeqAnalysis, sink: &mut dyn Sink) {
    use crate::analysis::flags::*;
    if !a.present {
        return;
    }
    sink.field(&synth::TCP_ANALYSIS, &Value::None, 0, 0);
    if let Some(f) = a.acks_frame {
        sink.field(&synth::TCP_ACKS_FRAME, &Value::UInt(f), 0, 0);
        if a.ack_rtt != 0 {
            sink.field(&synth::TCP_ACK_RTT, &Value::Nanos(a.ack_rtt), 0, 0);
        }
    }
    if a.initial_rtt != 0 {
        sink.field(&synth::TCP_INITIAL_RTT, &Value::Nanos(a.initial_rtt), 0, 0);
    }
    if a.bytes_in_flight != 0 {
        sink.field(
            &synth::TCP_BIF,
            &Value::UInt(a.bytes_in_flight as u64),
            0,
            0,
        );
        sink.field(
            &synth::TCP_PUSH_BYTES,
            &Value::UInt(a.push_bytes_sent as u64),
            0,
            0,
        );
    }
    if a.flags == 0 {
        return;
    }
    sink.field(&synth::TCP_AFLAGS, &Value::None, 0, 0);
    let marks: [(u32, &'static crate::field::FieldDesc); 14] = [
        (REUSED_PORTS, &synth::TCP_REUSED_PORTS),
        (RETRANSMISSION, &synth::TCP_RETRANSMISSION),
        (FAST_RETRANSMISSION, &synth::TCP_FAST_RETRANSMISSION),
        (SPURIOUS_RETRANSMISSION, &synth::TCP_SPURIOUS_RETRANSMISSION),
        (OUT_OF_ORDER, &synth::TCP_OUT_OF_ORDER),
        (LOST_PACKET, &synth::TCP_LOST_SEGMENT),
        (ACK_LOST_PACKET, &synth::TCP_ACK_LOST_SEGMENT),
        (WINDOW_UPDATE, &synth::TCP_WINDOW_UPDATE),
        (WINDOW_FULL, &synth::TCP_WINDOW_FULL),
        (KEEP_ALIVE, &synth::TCP_KEEP_ALIVE),
        (KEEP_ALIVE_ACK, &synth::TCP_KEEP_ALIVE_ACK),
        (ZERO_WINDOW_PROBE, &synth::TCP_ZERO_WINDOW_PROBE),
        (ZERO_WINDOW, &synth::TCP_ZERO_WINDOW),
        (ZERO_WINDOW_PROBE_ACK, &synth::TCP_ZERO_WINDOW_PROBE_ACK),
    ];
    for (bit, desc) in marks {
        if a.flags & bit == 0 {
            continue;
        }
        sink.field(desc, &Value::None, 0, 0);
        // Wireshark also files fast and spurious retransmissions as retransmissions.
        if bit & (FAST_RETRANSMISSION | SPURIOUS_RETRANSMISSION) != 0 {
            sink.field(&synth::TCP_RETRANSMISSION, &Value::None, 0, 0);
        }
        if bit == RETRANSMISSION {
            if let Some((t, f)) = a.rto {
                sink.field(&synth::TCP_RTO, &Value::Nanos(t), 0, 0);
                sink.field(&synth::TCP_RTO_FRAME, &Value::UInt(f), 0, 0);
            }
        }
    }
    if let Some((n, f)) = a.dupack {
        if a.flags & DUPLICATE_ACK != 0 {
            // The tree item and the expert item share the name.
            sink.field(&synth::TCP_DUPLICATE_ACK, &Value::None, 0, 0);
            sink.field(&synth::TCP_DUPLICATE_ACK, &Value::None, 0, 0);
        }
        sink.field(&synth::TCP_DUPLICATE_ACK_NUM, &Value::UInt(n as u64), 0, 0);
        sink.field(&synth::TCP_DUPLICATE_ACK_FRAME, &Value::UInt(f), 0, 0);
    }
}

fn emit_analysis(info: &LayerInfo, data_start: u32, payload: &[u8], sink: &mut dyn Sink) {
    match info {
        LayerInfo::Tcp(t) => {
            sink.field(&synth::TCP_STREAM, &Value::UInt(t.stream as u64), 0, 0);
            sink.field(
                &synth::TCP_COMPLETENESS,
                &Value::UInt(t.completeness as u64),
                0,
                0,
            );
            match t.shown {
                TcpShown::Complete | TcpShown::Cut => {}
                TcpShown::Bogus => {
                    // Wireshark gives up after the sequence number.
                    sink.field(&synth::TCP_LEN, &Value::UInt(t.len as u64), 0, 0);
                    sink.field(&synth::TCP_SEQ, &Value::UInt(t.seq as u64), 0, 0);
                    return;
                }
                TcpShown::Short => {
                    emit_short_segment(t, sink);
                    return;
                }
            }
            if !t.quoted {
                sink.field(&synth::TCP_LEN, &Value::UInt(t.len as u64), 0, 0);
            }
            if !t.quoted || t.quoted_icmpv6 {
                sink.field(&synth::TCP_SEQ, &Value::UInt(t.seq as u64), 0, 0);
            }
            if !t.quoted {
                sink.field(&synth::TCP_NXTSEQ, &Value::UInt(t.nxtseq as u64), 0, 0);
            }
            sink.field(&synth::TCP_ACK, &Value::UInt(t.ack as u64), 0, 0);
            let mut fs = String::with_capacity(24);
            flags_str(t.flags, &mut fs);
            sink.field(&synth::TCP_FLAGS_STR, &Value::Str(&fs), 0, 0);
            sink.field(
                &synth::TCP_WINDOW_SIZE,
                &Value::UInt(t.window_size as u64),
                0,
                0,
            );
            if let Some(f) = t.scalefactor {
                sink.field(&synth::TCP_WINDOW_SCALEFACTOR, &Value::Int(f as i64), 0, 0);
            }
            emit_connection(t, sink);
            for _ in 0..t.tfo_syn {
                sink.field(&synth::TCP_TFO_SYN, &Value::None, 0, 0);
            }
            for (l, r) in &t.sack {
                sink.field(&synth::TCP_SACK_LE, &Value::UInt(*l as u64), 0, 0);
                sink.field(&synth::TCP_SACK_RE, &Value::UInt(*r as u64), 0, 0);
            }
            if t.shown != TcpShown::Cut {
                emit_seq_analysis(&t.analysis, sink);
            }
            sink.field(
                &synth::TCP_TIME_RELATIVE,
                &Value::Nanos(t.time_relative),
                0,
                0,
            );
            sink.field(&synth::TCP_TIME_DELTA, &Value::Nanos(t.time_delta), 0, 0);
            if !payload.is_empty() {
                sink.field(
                    &synth::TCP_PAYLOAD,
                    &Value::Bytes(payload),
                    data_start,
                    payload.len() as u32,
                );
            }
        }
        LayerInfo::Echo(e) => {
            let (to, time) = if e.v6 {
                (&synth::ICMPV6_RESP_TO, &synth::ICMPV6_RESPTIME)
            } else {
                (&synth::ICMP_RESP_TO, &synth::ICMP_RESPTIME)
            };
            sink.field(to, &Value::UInt(e.request), 0, 0);
            // An FT_DOUBLE: tshark prints it with `%.15g`.
            let mut ms = String::with_capacity(24);
            push_g15(&mut ms, e.rtt_ms());
            sink.field(time, &Value::Str(&ms), 0, 0);
        }
        LayerInfo::Udp(u) => {
            sink.field(&synth::UDP_STREAM, &Value::UInt(u.stream as u64), 0, 0);
            // Wireshark adds the times only to datagrams it hands a payload to.
            if !payload.is_empty() && !u.quoted {
                sink.field(
                    &synth::UDP_TIME_RELATIVE,
                    &Value::Nanos(u.time_relative),
                    0,
                    0,
                );
                sink.field(&synth::UDP_TIME_DELTA, &Value::Nanos(u.time_delta), 0, 0);
            }
            if !payload.is_empty() {
                sink.field(
                    &synth::UDP_PAYLOAD,
                    &Value::Bytes(payload),
                    data_start,
                    payload.len() as u32,
                );
            }
        }
    }
}

/// Resolved Ethernet names (Wireshark's `manuf`/`wka` tables), dst then src.
fn emit_eth_names(dst: &[u8; 6], src: &[u8; 6], sink: &mut dyn Sink) {
    let names = crate::resolve::eth_names();
    let mut buf = String::new();
    for (m, one, oui) in [
        (dst, &synth::ETH_DST_RESOLVED, &synth::ETH_DST_OUI_RESOLVED),
        (src, &synth::ETH_SRC_RESOLVED, &synth::ETH_SRC_OUI_RESOLVED),
    ] {
        buf.clear();
        names.resolve(m, &mut buf);
        sink.field(one, &Value::Str(&buf), 0, 6);
        sink.field(&synth::ETH_ADDR_RESOLVED, &Value::Str(&buf), 0, 6);
        if let Some(o) = names.oui_name(m) {
            sink.field(oui, &Value::Str(o), 0, 3);
            sink.field(&synth::ETH_ADDR_OUI_RESOLVED, &Value::Str(o), 0, 3);
        }
    }
}

/// The timestamp in the data of ICMP echo layer `l` (see
/// [`crate::analysis::icmp_data_time`]); `None` for other layers.
fn echo_data_time(l: &crate::dissect::Layer<'_>, ts: Timestamp) -> Option<DataTime> {
    let AnyLayer::Icmp(_) = &l.view else {
        return None;
    };
    let ty = *l.view.as_bytes().first()?;
    if ty != 0 && ty != 8 || l.view.header_len() != 8 {
        return None;
    }
    icmp_data_time(l.view.payload(), ts)
}

/// `icmp.data_time` and `icmp.data_time_relative`.
fn emit_data_time(t: &DataTime, frame: Timestamp, offset: u32, sink: &mut dyn Sink) {
    let mut s = String::with_capacity(40);
    abs_time::push_local(&mut s, i64::from(t.secs), t.nsecs);
    sink.field(&synth::ICMP_DATA_TIME, &Value::Str(&s), offset, 8);
    let (secs, nsecs) = t.relative_to(frame);
    s.clear();
    push_rel_time(&mut s, secs, nsecs);
    // Normalised deltas print like every other relative time; the odd ones
    // (negative microseconds in the data) keep Wireshark's exact text.
    let n = i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
    let mut plain = String::with_capacity(24);
    crate::field::write_nanos(&mut plain, n);
    let v = if plain == s {
        Value::Nanos(n)
    } else {
        Value::Str(&s)
    };
    sink.field(&synth::ICMP_DATA_TIME_RELATIVE, &v, offset, 8);
}

/// tshark's text of an FT_RELATIVE_TIME (`display_signed_time`): the seconds
/// (as a 32-bit int), a `-` in front when only the nanoseconds are negative,
/// and the nanoseconds' magnitude in at least 9 digits.
fn push_rel_time(out: &mut String, secs: i64, nsecs: i32) {
    use std::fmt::Write;
    let secs = secs as i32;
    if nsecs < 0 && secs >= 0 {
        out.push('-');
    }
    let _ = write!(out, "{secs}.{:09}", nsecs.unsigned_abs());
}

/// C's `%.15g` (`DBL_DIG` significant digits, trailing zeros dropped,
/// exponent form below 1e-4 or from 1e15), as tshark prints an FT_DOUBLE.
fn push_g15(out: &mut String, v: f64) {
    use std::fmt::Write;
    const P: i32 = 15;
    if v.is_nan() {
        out.push_str(if v.is_sign_negative() { "-nan" } else { "nan" });
        return;
    }
    if v.is_infinite() {
        out.push_str(if v < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    let e = format!("{:.*e}", (P - 1) as usize, v);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    let trim = |t: &str| -> String {
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t.to_string()
        }
    };
    if !(-4..P).contains(&x) {
        let _ = write!(
            out,
            "{}e{}{:02}",
            trim(mant),
            if x < 0 { '-' } else { '+' },
            x.unsigned_abs()
        );
    } else {
        let decimals = (P - 1 - x) as usize;
        out.push_str(&trim(&format!("{v:.decimals$}")));
    }
}

/// True when layer `i` sits inside the quote of an ICMP error (Wireshark's
/// ICMPv6 dissector does not mark its quotes the same way).
/// Layer `i` sits inside an ICMP or ICMPv6 error's quote.
fn in_error_quote(d: &Dissection<'_>, i: usize) -> bool {
    d.layers[..i.min(d.layers.len())]
        .iter()
        .any(|l| matches!(l.kind(), LayerKind::Icmp | LayerKind::Icmpv6))
}

fn is_quoted(d: &Dissection<'_>, i: usize) -> bool {
    d.layers[..i.min(d.layers.len())]
        .iter()
        .any(|l| l.kind() == LayerKind::Icmp)
}

/// Walks a frame: `frame` metadata, every layer, the partial layer, raw data.
pub fn walk(meta: &FrameMeta, d: &Dissection<'_>, info: &FrameInfo, sink: &mut dyn Sink) {
    let data = d.data;
    // Wireshark hands the data after a timestamp found in ICMP echo data to
    // the data dissector: the raw bytes start 8 bytes later (and vanish when
    // the timestamp was all there was).
    let raw_skip = match (&d.raw, d.layers.last()) {
        (Some(r), Some(l))
            if r.offset == l.offset + l.view.header_len() as u32
                && echo_data_time(l, meta.ts).is_some() =>
        {
            8.min(r.bytes.len())
        }
        _ => 0,
    };
    let raw = d
        .raw
        .as_ref()
        .map(|r| (r.offset + raw_skip as u32, &r.bytes[raw_skip..]))
        .filter(|(_, b)| raw_skip == 0 || !b.is_empty());
    if sink.wants(None, "frame") {
        let title = if !sink.wants_titles() {
            String::new()
        } else {
            format!(
                "Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)",
                meta.number,
                meta.orig_len,
                meta.orig_len as u64 * 8,
                meta.cap_len,
                meta.cap_len as u64 * 8
            )
        };
        sink.begin_layer(&synth::FRAME, &title, 0, meta.cap_len);
        if let Some(i) = meta.interface_id {
            sink.field(&synth::FRAME_INTERFACE_ID, &Value::UInt(i as u64), 0, 0);
        }
        sink.field(
            &synth::FRAME_ENCAP,
            &Value::UInt(meta.linktype as u64),
            0,
            0,
        );
        sink.field(
            &synth::FRAME_TIME_EPOCH,
            &Value::Nanos(meta.ts.as_nanos()),
            0,
            0,
        );
        sink.field(&synth::FRAME_TIME_DELTA, &Value::Nanos(meta.delta), 0, 0);
        sink.field(
            &synth::FRAME_TIME_DELTA_DISPLAYED,
            &Value::Nanos(meta.delta),
            0,
            0,
        );
        sink.field(&synth::FRAME_TIME_RELATIVE, &Value::Nanos(meta.rel), 0, 0);
        sink.field(&synth::FRAME_NUMBER, &Value::UInt(meta.number), 0, 0);
        sink.field(&synth::FRAME_LEN, &Value::UInt(meta.orig_len as u64), 0, 0);
        sink.field(
            &synth::FRAME_CAP_LEN,
            &Value::UInt(meta.cap_len as u64),
            0,
            0,
        );
        let mut protos = d.protocols_string();
        if raw_skip > 0 && raw.is_none() {
            if let Some(p) = protos.strip_suffix(":data") {
                protos.truncate(p.len());
            }
        }
        sink.field(&synth::FRAME_PROTOCOLS, &Value::Str(&protos), 0, 0);
        sink.end_layer();
    }
    let trailers = split_trailers(d, meta.orig_len);
    for (i, l) in d.layers.iter().enumerate() {
        let kind = l.kind();
        let wanted = sink.wants(Some(kind), kind.filter());
        let extra_eth = trailers.parts.iter().any(|p| p.0 == i);
        if !wanted && !extra_eth {
            continue;
        }
        let title = if sink.wants_titles() {
            layer_title(meta, d, i, info)
        } else {
            String::new()
        };
        sink.begin_layer(kind.desc(), &title, l.offset, l.view.layer_len() as u32);
        if wanted {
            emit_layer_fields(meta, d, i, info, sink);
        }
        for (_, desc, (a, b)) in trailers.parts.iter().filter(|p| p.0 == i) {
            let bytes = &data[*a as usize..*b as usize];
            if std::ptr::eq(*desc, &synth::ETH_FCS) {
                let v = crate::__private::dec_be(bytes);
                sink.field(desc, &Value::UInt(v), *a, 4);
                sink.field(&synth::ETH_FCS_STATUS, &Value::UInt(2), *a, 4);
            } else {
                sink.field(desc, &Value::Bytes(bytes), *a, *b - *a);
            }
        }
        sink.end_layer();
    }
    if let Some(p) = &d.partial {
        if sink.wants(Some(p.kind), p.kind.filter()) {
            sink.begin_layer(
                p.kind.desc(),
                p.kind.long_name(),
                p.offset,
                p.bytes.len() as u32,
            );
            let quoted = is_quoted(d, d.layers.len());
            d.visit_partial(quoted, &mut Adapt { sink, quoted });
            // A length field too small for the header, or larger than the
            // frame: the schema's `@bad_length` expert.
            if let Some(e) = d.error.filter(|e| {
                e.layer == p.kind.name()
                    && matches!(
                        e.kind,
                        crate::error::ErrorKind::LengthTooSmall { .. }
                            | crate::error::ErrorKind::LengthTooLarge { .. }
                    )
            }) {
                if let Some(desc) = p.kind.bad_length().iter().find(|b| b.name == e.field) {
                    sink.field(desc, &Value::None, e.offset, 0);
                }
            }
            // What the analysis made of a header it could partly read.
            if let Some((_, a)) = info.iter().find(|(j, _)| *j == d.layers.len()) {
                emit_analysis(a, p.offset + p.bytes.len() as u32, &[], sink);
            }
            sink.end_layer();
        }
    }
    if let Some((offset, bytes)) = raw {
        if sink.wants(None, "data") {
            let title = if sink.wants_titles() {
                format!("Data ({} bytes)", bytes.len())
            } else {
                String::new()
            };
            sink.begin_layer(&synth::DATA, &title, offset, bytes.len() as u32);
            sink.field(
                &synth::DATA_DATA,
                &Value::Bytes(bytes),
                offset,
                bytes.len() as u32,
            );
            sink.field(&synth::DATA_LEN, &Value::Int(bytes.len() as i64), offset, 0);
            sink.end_layer();
        }
    }
    if let Some(e) = &d.error {
        let short = e.is_truncation() && meta.cap_len < meta.orig_len;
        let desc = if short {
            &synth::SHORT
        } else {
            &synth::MALFORMED
        };
        if sink.wants(None, "_ws") {
            // `[Malformed Packet: IPv4]`, `[Packet size limited during
            // capture: TCP truncated]`, as tshark titles them.
            let title = if sink.wants_titles() {
                let proto = match &d.partial {
                    Some(p) => p.kind.short_name(),
                    None => LayerKind::ALL
                        .iter()
                        .find(|k| k.name() == e.layer)
                        .map_or(e.layer, |k| k.short_name()),
                };
                format!(
                    "[{}: {proto}{}]",
                    desc.label,
                    if short { " truncated" } else { "" }
                )
            } else {
                String::new()
            };
            sink.begin_layer(desc, &title, e.offset, 0);
            sink.field(desc, &Value::None, e.offset, 0);
            let msg = e.to_string();
            sink.field(&synth::STRATA_ERROR, &Value::Str(&msg), e.offset, 0);
            sink.end_layer();
        }
    }
}

/// Absolute times as tshark prints an `ABSOLUTE_TIME_LOCAL` field
/// (`abs_time_to_str`): `Nov 14, 2023 22:13:20.001000000 UTC`, in the local
/// time zone with its abbreviation, as the C library's `localtime` sees it
/// (`TZ`, else `/etc/localtime`; TZif files and POSIX `TZ` strings).
mod abs_time {
    use std::sync::OnceLock;

    /// One local time type: offset east of UTC, abbreviation.
    #[derive(Clone, Debug, PartialEq)]
    struct LocalType {
        utoff: i64,
        name: String,
    }

    /// A POSIX `TZ` rule date: `Jn` (1..=365, no February 29), `n`
    /// (0..=365) or `Mm.w.d` (weekday `d` of week `w`, 5 meaning the last).
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum RuleDate {
        Julian1(u16),
        Julian0(u16),
        Month(u8, u8, u8),
    }

    /// A rule date and the time of day (seconds, local) it takes effect.
    type Change = (RuleDate, i64);

    #[derive(Clone, Debug, PartialEq)]
    struct Posix {
        std: LocalType,
        /// Daylight-saving type, its start and its end.
        dst: Option<(LocalType, Change, Change)>,
    }

    #[derive(Clone, Debug, PartialEq)]
    struct Zone {
        /// Transition instants and the type index in force from each.
        transitions: Vec<(i64, usize)>,
        types: Vec<LocalType>,
        /// Rule for times after the last transition (or for all times).
        footer: Option<Posix>,
        /// Leap seconds (`right/` zones): instant and total correction.
        leaps: Vec<(i64, i64)>,
    }

    fn utc() -> Zone {
        Zone {
            transitions: Vec::new(),
            types: vec![LocalType {
                utoff: 0,
                name: "UTC".into(),
            }],
            footer: None,
            leaps: Vec::new(),
        }
    }

    fn zone() -> &'static Zone {
        static ZONE: OnceLock<Zone> = OnceLock::new();
        ZONE.get_or_init(|| load(std::env::var("TZ").ok().as_deref()))
    }

    fn load(tz: Option<&str>) -> Zone {
        let dir = std::env::var("TZDIR").unwrap_or_else(|_| "/usr/share/zoneinfo".into());
        let file = |name: &str| -> Option<Zone> {
            if name.is_empty() || name.contains("..") {
                return None;
            }
            let path = if name.starts_with('/') {
                std::path::PathBuf::from(name)
            } else {
                std::path::Path::new(&dir).join(name)
            };
            parse_tzif(&std::fs::read(path).ok()?)
        };
        match tz {
            None => {
                parse_tzif(&std::fs::read("/etc/localtime").unwrap_or_default()).unwrap_or_else(utc)
            }
            Some("") => utc(),
            Some(t) => {
                let name = t.strip_prefix(':').unwrap_or(t);
                file(name)
                    .or_else(|| {
                        parse_posix(name).map(|p| Zone {
                            transitions: Vec::new(),
                            types: vec![p.std.clone()],
                            footer: Some(p),
                            leaps: Vec::new(),
                        })
                    })
                    .unwrap_or_else(utc)
            }
        }
    }

    /// RFC 8536 (TZif): the version 2+ 64-bit block when there is one, its
    /// footer rule and its leap seconds.
    fn parse_tzif(b: &[u8]) -> Option<Zone> {
        fn be32(b: &[u8], o: usize) -> Option<u32> {
            Some(u32::from_be_bytes(b.get(o..o + 4)?.try_into().ok()?))
        }
        fn header(b: &[u8], o: usize) -> Option<(u8, [usize; 6])> {
            if b.get(o..o + 4)? != b"TZif" {
                return None;
            }
            let v = *b.get(o + 4)?;
            let mut c = [0usize; 6];
            for (i, x) in c.iter_mut().enumerate() {
                *x = be32(b, o + 20 + 4 * i)? as usize;
            }
            Some((v, c))
        }
        let block_len = |c: [usize; 6], tsize: usize| {
            let [isut, isstd, leap, time, typ, chars] = c;
            time * tsize + time + typ * 6 + chars + leap * (tsize + 4) + isstd + isut
        };
        let (v, c1) = header(b, 0)?;
        let (mut o, c, tsize) = if v >= b'2' {
            let o2 = 44 + block_len(c1, 4);
            let (_, c2) = header(b, o2)?;
            (o2 + 44, c2, 8)
        } else {
            (44, c1, 4)
        };
        let [_, _, _, timecnt, typecnt, charcnt] = c;
        let end = o + block_len(c, tsize);
        if b.len() < end || typecnt == 0 {
            return None;
        }
        let mut times = Vec::with_capacity(timecnt);
        for i in 0..timecnt {
            let p = o + i * tsize;
            times.push(if tsize == 8 {
                i64::from_be_bytes(b[p..p + 8].try_into().ok()?)
            } else {
                i64::from(be32(b, p)? as i32)
            });
        }
        o += timecnt * tsize;
        let idx = &b[o..o + timecnt];
        o += timecnt;
        let chars = &b[o + typecnt * 6..o + typecnt * 6 + charcnt];
        let mut types = Vec::with_capacity(typecnt);
        for i in 0..typecnt {
            let p = o + i * 6;
            let utoff = i64::from(be32(b, p)? as i32);
            let start = (b[p + 5] as usize).min(chars.len());
            let len = chars[start..].iter().position(|&x| x == 0).unwrap_or(0);
            types.push(LocalType {
                utoff,
                name: String::from_utf8_lossy(&chars[start..start + len]).into_owned(),
            });
        }
        o += typecnt * 6 + charcnt;
        let leapcnt = c[2];
        let mut leaps = Vec::with_capacity(leapcnt);
        for i in 0..leapcnt {
            let p = o + i * (tsize + 4);
            let at = if tsize == 8 {
                i64::from_be_bytes(b[p..p + 8].try_into().ok()?)
            } else {
                i64::from(be32(b, p)? as i32)
            };
            leaps.push((at, i64::from(be32(b, p + tsize)? as i32)));
        }
        let transitions = times
            .into_iter()
            .zip(idx.iter().map(|&i| (i as usize).min(typecnt - 1)))
            .collect();
        let footer = if tsize == 8 {
            let rest = &b[end..];
            let text = rest.strip_prefix(b"\n").unwrap_or(&[]);
            let line = &text[..text.iter().position(|&x| x == b'\n').unwrap_or(0)];
            std::str::from_utf8(line).ok().and_then(parse_posix)
        } else {
            None
        };
        Some(Zone {
            transitions,
            types,
            footer,
            leaps,
        })
    }

    /// A POSIX `TZ` string: `std offset [dst [offset] [,start[/time],end[/time]]]`.
    /// A missing offset means UTC under the given name, as glibc reads it.
    fn parse_posix(s: &str) -> Option<Posix> {
        let mut p = s.as_bytes();
        let name = |p: &mut &[u8]| -> Option<String> {
            if let Some(rest) = p.strip_prefix(b"<") {
                let e = rest.iter().position(|&c| c == b'>')?;
                let n = String::from_utf8_lossy(&rest[..e]).into_owned();
                *p = &rest[e + 1..];
                return Some(n);
            }
            let e = p
                .iter()
                .position(|c| !c.is_ascii_alphabetic())
                .unwrap_or(p.len());
            if e < 3 {
                return None;
            }
            let n = String::from_utf8_lossy(&p[..e]).into_owned();
            *p = &p[e..];
            Some(n)
        };
        // `[+-]hh[:mm[:ss]]` in seconds.
        let hms = |p: &mut &[u8]| -> Option<i64> {
            let mut sign = 1;
            if let Some((&c, rest)) = p.split_first() {
                if c == b'+' || c == b'-' {
                    sign = if c == b'-' { -1 } else { 1 };
                    *p = rest;
                }
            }
            let mut total = 0i64;
            for (i, mult) in [3600i64, 60, 1].into_iter().enumerate() {
                if i > 0 {
                    match p.split_first() {
                        Some((b':', rest)) => *p = rest,
                        _ => break,
                    }
                }
                let e = p
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(p.len());
                if e == 0 || e > 3 {
                    return None;
                }
                let v: i64 = std::str::from_utf8(&p[..e]).ok()?.parse().ok()?;
                total += v * mult;
                *p = &p[e..];
            }
            Some(sign * total)
        };
        let date = |p: &mut &[u8]| -> Option<(RuleDate, i64)> {
            let num = |p: &mut &[u8]| -> Option<u16> {
                let e = p
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(p.len());
                let v = std::str::from_utf8(&p[..e]).ok()?.parse().ok()?;
                *p = &p[e..];
                Some(v)
            };
            let d = match p.first()? {
                b'J' => {
                    *p = &p[1..];
                    RuleDate::Julian1(num(p)?.clamp(1, 365))
                }
                b'M' => {
                    *p = &p[1..];
                    let m = num(p)?;
                    *p = p.strip_prefix(b".")?;
                    let w = num(p)?;
                    *p = p.strip_prefix(b".")?;
                    let wd = num(p)?;
                    if !(1..=12).contains(&m) || !(1..=5).contains(&w) || wd > 6 {
                        return None;
                    }
                    RuleDate::Month(m as u8, w as u8, wd as u8)
                }
                _ => RuleDate::Julian0(num(p)?.min(365)),
            };
            let t = match p.strip_prefix(b"/") {
                Some(rest) => {
                    *p = rest;
                    hms(p)?
                }
                None => 7200,
            };
            Some((d, t))
        };
        let std_name = name(&mut p)?;
        let Some(std_off) = hms(&mut p) else {
            return Some(Posix {
                std: LocalType {
                    utoff: 0,
                    name: std_name,
                },
                dst: None,
            });
        };
        let std = LocalType {
            utoff: -std_off,
            name: std_name,
        };
        if p.is_empty() {
            return Some(Posix { std, dst: None });
        }
        let dst_name = name(&mut p)?;
        let dst_utoff = if p.first().is_some_and(|&c| c != b',') {
            -hms(&mut p)?
        } else {
            std.utoff + 3600
        };
        let (start, end) = if p.is_empty() {
            // glibc's default rule: the US one.
            (
                (RuleDate::Month(3, 2, 0), 7200),
                (RuleDate::Month(11, 1, 0), 7200),
            )
        } else {
            p = p.strip_prefix(b",")?;
            let a = date(&mut p)?;
            p = p.strip_prefix(b",")?;
            (a, date(&mut p)?)
        };
        Some(Posix {
            std,
            dst: Some((
                LocalType {
                    utoff: dst_utoff,
                    name: dst_name,
                },
                start,
                end,
            )),
        })
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// (year, month 1..=12, day) of a day count since 1970-01-01.
    fn civil_from_days(z: i64) -> (i64, i64, i64) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    fn is_leap(y: i64) -> bool {
        y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
    }

    /// Day (since the epoch) a rule date falls on in year `y`.
    fn rule_day(r: RuleDate, y: i64) -> i64 {
        let jan1 = days_from_civil(y, 1, 1);
        match r {
            RuleDate::Julian1(n) => {
                let n = i64::from(n);
                jan1 + n - 1 + i64::from(is_leap(y) && n >= 60)
            }
            RuleDate::Julian0(n) => jan1 + i64::from(n),
            RuleDate::Month(m, w, wd) => {
                let first = days_from_civil(y, i64::from(m), 1);
                // 1970-01-01 was a Thursday (4).
                let dow = (first + 4).rem_euclid(7);
                let mut day = first + (i64::from(wd) - dow).rem_euclid(7) + 7 * (i64::from(w) - 1);
                let next = if m == 12 {
                    days_from_civil(y + 1, 1, 1)
                } else {
                    days_from_civil(y, i64::from(m) + 1, 1)
                };
                while day >= next {
                    day -= 7;
                }
                day
            }
        }
    }

    impl Posix {
        fn at(&self, t: i64) -> &LocalType {
            let Some((dst, (sd, st), (ed, et))) = &self.dst else {
                return &self.std;
            };
            let (y, _, _) = civil_from_days((t + self.std.utoff).div_euclid(86_400));
            let start = rule_day(*sd, y) * 86_400 + st - self.std.utoff;
            let end = rule_day(*ed, y) * 86_400 + et - dst.utoff;
            let in_dst = if start < end {
                start <= t && t < end
            } else {
                !(end <= t && t < start)
            };
            if in_dst {
                dst
            } else {
                &self.std
            }
        }
    }

    impl Zone {
        fn at(&self, t: i64) -> &LocalType {
            match self.transitions.partition_point(|(x, _)| *x <= t) {
                0 => match (&self.footer, self.transitions.is_empty()) {
                    (Some(p), true) => p.at(t),
                    _ => &self.types[0],
                },
                n if n == self.transitions.len() && self.footer.is_some() => {
                    self.footer.as_ref().map_or(&self.types[0], |p| p.at(t))
                }
                n => &self.types[self.transitions[n - 1].1],
            }
        }
    }

    /// Appends `Mon dd, yyyy hh:mm:ss.nnnnnnnnn ZONE` (day padded with a
    /// space, nanoseconds printed as a C `%09ld`, so possibly negative).
    pub(super) fn push_local(out: &mut String, secs: i64, nsecs: i32) {
        push_in(out, zone(), secs, nsecs);
    }

    fn push_in(out: &mut String, z: &Zone, secs: i64, nsecs: i32) {
        use std::fmt::Write;
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let lt = z.at(secs);
        // glibc: the correction of the last leap second at or before `secs`,
        // and a :60 when `secs` is exactly a positive one.
        let (corr, hit) = match z.leaps.partition_point(|(t, _)| *t <= secs) {
            0 => (0, 0),
            n => {
                let (t, c) = z.leaps[n - 1];
                let prev = if n >= 2 { z.leaps[n - 2].1 } else { 0 };
                (c, i64::from(t == secs && c > prev))
            }
        };
        let local = secs + lt.utoff - corr;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        let sod = local.rem_euclid(86_400);
        let _ = write!(
            out,
            "{} {:2}, {} {:02}:{:02}:{:02}.{:09} {}",
            MONTHS[(m - 1) as usize],
            d,
            y,
            sod / 3600,
            sod / 60 % 60,
            sod % 60 + hit,
            nsecs,
            lt.name
        );
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn fmt(z: &Zone, secs: i64) -> String {
            let mut s = String::new();
            push_in(&mut s, z, secs, 5000);
            s
        }

        #[test]
        fn utc_and_posix_rules() {
            assert_eq!(
                fmt(&utc(), 1_660_534_249),
                "Aug 15, 2022 03:30:49.000005000 UTC"
            );
            assert_eq!(
                fmt(&utc(), 1_699_153_200),
                "Nov  5, 2023 03:00:00.000005000 UTC"
            );
            let posix = |s: &str| {
                let p = parse_posix(s).expect("posix");
                Zone {
                    transitions: Vec::new(),
                    types: vec![p.std.clone()],
                    footer: Some(p),
                    leaps: Vec::new(),
                }
            };
            let ny = posix("EST5EDT,M3.2.0,M11.1.0");
            assert_eq!(
                fmt(&ny, 1_660_534_249),
                "Aug 14, 2022 23:30:49.000005000 EDT"
            );
            assert_eq!(
                fmt(&ny, 1_700_000_000),
                "Nov 14, 2023 17:13:20.000005000 EST"
            );
            // 2023-03-12 07:00 UTC is 02:00 EST: DST starts.
            assert_eq!(
                fmt(&ny, 1_678_604_399),
                "Mar 12, 2023 01:59:59.000005000 EST"
            );
            assert_eq!(
                fmt(&ny, 1_678_604_400),
                "Mar 12, 2023 03:00:00.000005000 EDT"
            );
            let nz = posix("NZST-12NZDT,M9.5.0,M4.1.0/3");
            assert_eq!(
                fmt(&nz, 1_660_534_249),
                "Aug 15, 2022 15:30:49.000005000 NZST"
            );
            assert_eq!(
                fmt(&nz, 1_700_000_000),
                "Nov 15, 2023 11:13:20.000005000 NZDT"
            );
            let ist = posix("<+0530>-5:30");
            assert_eq!(
                fmt(&ist, 1_660_534_249),
                "Aug 15, 2022 09:00:49.000005000 +0530"
            );
            assert_eq!(fmt(&posix("Foo"), 0), "Jan  1, 1970 00:00:00.000005000 Foo");
            let mut s = String::new();
            push_in(&mut s, &utc(), 1_700_000_000, -16_000);
            assert_eq!(s, "Nov 14, 2023 22:13:20.-00016000 UTC");
        }

        #[test]
        fn tzif_files_when_present() {
            // Exercised only where the system has the zone database.
            if let Ok(b) = std::fs::read("/usr/share/zoneinfo/Europe/Paris") {
                let z = parse_tzif(&b).expect("tzif");
                assert_eq!(
                    fmt(&z, 1_660_534_249),
                    "Aug 15, 2022 05:30:49.000005000 CEST"
                );
                assert_eq!(
                    fmt(&z, 1_700_000_000),
                    "Nov 14, 2023 23:13:20.000005000 CET"
                );
                // Beyond the table: the footer rule.
                assert_eq!(
                    fmt(&z, 4_102_444_800 + 180 * 86_400),
                    "Jun 30, 2100 02:00:00.000005000 CEST"
                );
            }
            assert!(parse_tzif(b"TZif2 garbage").is_none());
            assert!(parse_tzif(&[]).is_none());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_c_g15() {
        let g = |v: f64| {
            let mut s = String::new();
            push_g15(&mut s, v);
            s
        };
        assert_eq!(g(0.029), "0.029");
        assert_eq!(g(1.25), "1.25");
        assert_eq!(g(100.0), "100");
        assert_eq!(g(1e-6), "1e-06");
        assert_eq!(g(5e-6), "5e-06");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(1e9), "1000000000");
        assert_eq!(g(1e15), "1e+15");
        assert_eq!(g(123456789012345.0), "123456789012345");
        // 15 significant digits, not the shortest round trip (…283999999).
        assert_eq!(g(12.0 * 1000.0 + 528_470_284.0 / 1e6), "12528.470284");
        assert_eq!(g(1.0 / 3.0), "0.333333333333333");
        assert_eq!(g(-1.25), "-1.25");
        assert_eq!(g(0.0), "0");
    }

    #[test]
    fn relative_times_print_like_display_signed_time() {
        let r = |s: i64, n: i32| {
            let mut out = String::new();
            push_rel_time(&mut out, s, n);
            out
        };
        assert_eq!(r(0, 872_259_000), "0.872259000");
        assert_eq!(r(-99, -500_005_000), "-99.500005000");
        assert_eq!(r(0, -5), "-0.000000005");
        assert_eq!(r(1, 1_000_010_000), "1.1000010000");
    }
}
