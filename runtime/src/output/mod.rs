//! Output: one walk over a dissected frame (frame metadata, layers with their
//! schema fields, computed analysis fields, trailers, raw data) feeding a
//! [`Sink`]; the formats (tshark-style fields, trees, summaries, JSON,
//! hexdumps) are sinks.

pub mod fields;
pub mod hexdump;
pub mod json;
pub mod synth;
pub mod text;

use crate::analysis::{flags_str, FrameInfo, LayerInfo};
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

/// The one-line title of a layer (`Internet Protocol Version 4, Src: a, Dst: b`;
/// `Routing Header for IPv6 (Source Route)` for a layer without addresses whose
/// `type` field is an enum).
pub fn layer_title(l: &AnyLayer<'_>) -> String {
    let kind = l.kind();
    let mut s = kind.long_name().to_string();
    if l.addresses().is_none() {
        struct TypeLabel(Option<&'static str>);
        impl<'a> Visitor<'a> for TypeLabel {
            fn field(&mut self, d: &'static FieldDesc, v: Value<'a>, _: u32, _: u32) {
                if self.0.is_none() && d.name == "type" {
                    if let (Some(f), Some(x)) = (d.enum_label, v.as_u64()) {
                        self.0 = f(x);
                    }
                }
            }
        }
        let mut t = TypeLabel(None);
        l.visit(0, &crate::protocols::NoUnder, false, &mut t);
        if let Some(label) = t.0 {
            s.push_str(&format!(" ({label})"));
        }
    }
    if let Some((a, b)) = l.addresses() {
        let d = kind.fields().first();
        if let Some(d) = d {
            let (mut x, mut y) = (String::new(), String::new());
            a.display(d, &mut x);
            b.display(d, &mut y);
            s.push_str(&format!(", Src: {x}, Dst: {y}"));
        }
    }
    s
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
        if eth_first {
            // All-zero bytes below offset 60 are Ethernet padding.
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
            for (l, r) in &t.sack {
                sink.field(&synth::TCP_SACK_LE, &Value::UInt(*l as u64), 0, 0);
                sink.field(&synth::TCP_SACK_RE, &Value::UInt(*r as u64), 0, 0);
            }
            emit_seq_analysis(&t.analysis, sink);
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

/// True when layer `i` sits inside the quote of an ICMP error (Wireshark's
/// ICMPv6 dissector does not mark its quotes the same way).
fn is_quoted(d: &Dissection<'_>, i: usize) -> bool {
    d.layers[..i.min(d.layers.len())]
        .iter()
        .any(|l| l.kind() == LayerKind::Icmp)
}

/// Walks a frame: `frame` metadata, every layer, the partial layer, raw data.
pub fn walk(meta: &FrameMeta, d: &Dissection<'_>, info: &FrameInfo, sink: &mut dyn Sink) {
    let data = d.data;
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
        let protos = d.protocols_string();
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
            layer_title(&l.view)
        } else {
            String::new()
        };
        sink.begin_layer(kind.desc(), &title, l.offset, l.view.layer_len() as u32);
        if wanted {
            let quoted = is_quoted(d, i);
            d.visit_layer(i, &mut Adapt { sink, quoted });
            if let AnyLayer::Ethernet(e) = &l.view {
                emit_eth_names(&e.dst().0, &e.src().0, sink);
            }
            if let Some((_, a)) = info.iter().find(|(j, _)| *j == i) {
                let start = l.offset + l.view.header_len() as u32;
                emit_analysis(a, start, l.view.payload(), sink);
            }
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
            d.visit_partial(&mut Adapt { sink, quoted });
            sink.end_layer();
        }
    }
    if let Some(r) = &d.raw {
        if sink.wants(None, "data") {
            sink.begin_layer(&synth::DATA, "Data", r.offset, r.bytes.len() as u32);
            sink.field(
                &synth::DATA_DATA,
                &Value::Bytes(r.bytes),
                r.offset,
                r.bytes.len() as u32,
            );
            sink.field(
                &synth::DATA_LEN,
                &Value::Int(r.bytes.len() as i64),
                r.offset,
                0,
            );
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
            sink.begin_layer(desc, desc.label, e.offset, 0);
            sink.field(desc, &Value::None, e.offset, 0);
            sink.end_layer();
        }
    }
}
