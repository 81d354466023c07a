//! Stateful per-conversation analysis for the computed fields Wireshark shows
//! next to the wire values: `tcp.stream`, relative sequence and
//! acknowledgement numbers, `tcp.len`, `tcp.nxtseq`, window scaling,
//! per-stream times, `udp.stream`, ICMP/ICMPv6 echo request/reply matching
//! (`icmp.resp_to`, `icmpv6.resptime`, ...). Not a layout: a runtime service
//! fed with dissected frames in capture order (single pass, like tshark's
//! default).

use crate::dissect::Dissection;
use crate::pcap::Timestamp;
use crate::protocols::AnyLayer;
use std::collections::HashMap;

/// Canonical (direction-independent) conversation key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ConvKey {
    a: [u8; 16],
    b: [u8; 16],
    pa: u16,
    pb: u16,
}

fn key(src: [u8; 16], dst: [u8; 16], sp: u16, dp: u16) -> (ConvKey, bool) {
    if (src, sp) <= (dst, dp) {
        (
            ConvKey {
                a: src,
                b: dst,
                pa: sp,
                pb: dp,
            },
            true,
        )
    } else {
        (
            ConvKey {
                a: dst,
                b: src,
                pa: dp,
                pb: sp,
            },
            false,
        )
    }
}

/// Flags of Wireshark's sequence analysis (`tcp.analysis.*`).
pub mod flags {
    /// `tcp.analysis.retransmission`
    pub const RETRANSMISSION: u32 = 1 << 0;
    /// `tcp.analysis.lost_segment`
    pub const LOST_PACKET: u32 = 1 << 1;
    /// `tcp.analysis.ack_lost_segment`
    pub const ACK_LOST_PACKET: u32 = 1 << 2;
    /// `tcp.analysis.keep_alive`
    pub const KEEP_ALIVE: u32 = 1 << 3;
    /// `tcp.analysis.duplicate_ack`
    pub const DUPLICATE_ACK: u32 = 1 << 4;
    /// `tcp.analysis.zero_window`
    pub const ZERO_WINDOW: u32 = 1 << 5;
    /// `tcp.analysis.zero_window_probe`
    pub const ZERO_WINDOW_PROBE: u32 = 1 << 6;
    /// `tcp.analysis.zero_window_probe_ack`
    pub const ZERO_WINDOW_PROBE_ACK: u32 = 1 << 7;
    /// `tcp.analysis.keep_alive_ack`
    pub const KEEP_ALIVE_ACK: u32 = 1 << 8;
    /// `tcp.analysis.out_of_order`
    pub const OUT_OF_ORDER: u32 = 1 << 9;
    /// `tcp.analysis.fast_retransmission`
    pub const FAST_RETRANSMISSION: u32 = 1 << 10;
    /// `tcp.analysis.window_update`
    pub const WINDOW_UPDATE: u32 = 1 << 11;
    /// `tcp.analysis.window_full`
    pub const WINDOW_FULL: u32 = 1 << 12;
    /// `tcp.analysis.reused_ports`
    pub const REUSED_PORTS: u32 = 1 << 13;
    /// `tcp.analysis.spurious_retransmission`
    pub const SPURIOUS_RETRANSMISSION: u32 = 1 << 14;
}

fn gt_seq(x: u32, y: u32) -> bool {
    (y.wrapping_sub(x) as i32) < 0
}
fn lt_seq(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) < 0
}
fn le_seq(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) <= 0
}

#[derive(Clone, Copy, Debug)]
struct Unacked {
    frame: u64,
    seq: u32,
    nextseq: u32,
    ts: Timestamp,
}

/// One direction of a TCP conversation.
#[derive(Clone, Debug)]
struct Dir {
    base: Option<u32>,
    syn_seen: bool,
    /// Window scale shift from this direction's SYN (`None`: SYN without option).
    wscale: Option<u8>,
    nextseq: u32,
    nextseqframe: u64,
    nextseqtime: Timestamp,
    maxseqtobeacked: u32,
    lastack: u32,
    lastacktime: Timestamp,
    lastnondupack: u64,
    dupacknum: i32,
    window: u32,
    lastsegmentflags: u32,
    /// Unacknowledged segments, newest first.
    segments: std::collections::VecDeque<Unacked>,
    valid_bif: bool,
    push_bytes_sent: u32,
    push_set_last: bool,
    closing_initiator: bool,
    is_first_ack: bool,
    /// SACK blocks of the last segment of this direction (raw edges).
    sack: smallvec::SmallVec<[(u32, u32); 4]>,
}

impl Default for Dir {
    fn default() -> Self {
        Dir {
            base: None,
            syn_seen: false,
            wscale: None,
            nextseq: 0,
            nextseqframe: 0,
            nextseqtime: Timestamp::default(),
            maxseqtobeacked: 0,
            lastack: 0,
            lastacktime: Timestamp::default(),
            lastnondupack: 0,
            dupacknum: 0,
            window: 0,
            lastsegmentflags: 0,
            segments: Default::default(),
            valid_bif: true,
            push_bytes_sent: 0,
            push_set_last: false,
            closing_initiator: false,
            is_first_ack: false,
            sack: Default::default(),
        }
    }
}

/// Unacknowledged segments kept per direction before giving up (Wireshark's limit).
const MAX_UNACKED: usize = 10_000;

#[derive(Clone, Debug)]
struct TcpConv {
    stream: u32,
    dirs: [Dir; 2],
    first: Timestamp,
    last: Timestamp,
    rst: bool,
    fin_seen: bool,
    mru_syn: Option<Timestamp>,
    first_rtt: i128,
    completeness: u8,
}

#[derive(Clone, Debug)]
struct UdpConv {
    stream: u32,
    first: Timestamp,
    last: Timestamp,
}

/// Wireshark's per-segment sequence analysis (`tcp.analysis.*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeqAnalysis {
    /// The analysis tree exists (`tcp.analysis`).
    pub present: bool,
    /// Bits of [`flags`].
    pub flags: u32,
    /// Frame whose data, SYN or FIN this segment acknowledges.
    pub acks_frame: Option<u64>,
    /// Time since that frame.
    pub ack_rtt: i128,
    /// SYN to handshake-completing ACK, once known.
    pub initial_rtt: i128,
    /// Unacknowledged bytes after this segment (0: not shown).
    pub bytes_in_flight: u32,
    /// Bytes sent since the last PSH.
    pub push_bytes_sent: u32,
    /// Duplicate ACK number and the frame it duplicates.
    pub dupack: Option<(u32, u64)>,
    /// Retransmission timeout and the frame retransmitted.
    pub rto: Option<(i128, u64)>,
}

/// How far Wireshark gets through a TCP header, which decides the computed
/// fields it shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TcpShown {
    /// A header whose length fits the segment: every computed field (the
    /// capture may still have cut it; the values come from the IP lengths).
    #[default]
    Complete,
    /// A header the capture cut (its options run past the captured bytes):
    /// analysed as a complete one, but Wireshark stops before it shows the
    /// sequence analysis tree (`tcp.analysis`).
    Cut,
    /// A header length below 20 bytes: Wireshark analyses the segment but
    /// stops after the sequence number (stream, completeness, length and
    /// relative sequence number only).
    Bogus,
    /// A segment shorter than its header length (Wireshark's "Short
    /// segment"): no length, no sequence analysis, raw numbers; the stream,
    /// flags, window and times are still shown.
    Short,
}

/// Computed TCP values for one segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpInfo {
    /// Conversation index.
    pub stream: u32,
    /// Which computed fields apply (see [`TcpShown`]).
    pub shown: TcpShown,
    /// The segment is quoted inside an ICMP error (raw numbers).
    pub quoted: bool,
    /// The quote is an ICMPv6 one: Wireshark then shows the raw sequence
    /// number as `tcp.seq` next to `tcp.seq_raw` (ICMPv4 quotes show only the former).
    pub quoted_icmpv6: bool,
    /// Relative sequence number (raw when quoted).
    pub seq: u32,
    /// Relative ack when the ACK flag is set, else the raw field.
    pub ack: u32,
    /// Payload length (from the IP length, capped by the frame's wire length).
    pub len: u32,
    /// Next sequence number.
    pub nxtseq: u32,
    /// Window size after scaling.
    pub window_size: u32,
    /// Scale factor: `None` on SYN segments, -1 unknown, -2 not used, else 2^shift.
    pub scalefactor: Option<i32>,
    /// Time since the first frame of the stream.
    pub time_relative: i128,
    /// Time since the previous frame of the stream.
    pub time_delta: i128,
    /// The flags (12 bits).
    pub flags: u16,
    /// Conversation completeness before this segment (`tcp.completeness`).
    pub completeness: u8,
    /// Sequence analysis.
    pub analysis: SeqAnalysis,
    /// `tcp.connection.fin_active` (true) / `fin_passive` (false) on FIN segments.
    pub fin_active: Option<bool>,
    /// SACK blocks relative to the acknowledged direction's base.
    pub sack: smallvec::SmallVec<[(u32, u32); 4]>,
    /// TCP Fast Open cookies in the options of a SYN (`tcp.analysis.tfo_syn`
    /// once each).
    pub tfo_syn: u8,
}

/// Computed UDP values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpInfo {
    /// Conversation index.
    pub stream: u32,
    /// The datagram is quoted inside an ICMP error.
    pub quoted: bool,
    /// Time since the first frame of the stream.
    pub time_relative: i128,
    /// Time since the previous frame of the stream.
    pub time_delta: i128,
}

/// An ICMP or ICMPv6 echo reply matched to its request (Wireshark's
/// `icmp.resp_to`/`icmp.resptime`, `icmpv6.resp_to`/`icmpv6.resptime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EchoInfo {
    /// An ICMPv6 reply (else ICMP).
    pub v6: bool,
    /// Frame number of the request.
    pub request: u64,
    /// Time from the request to this reply, in nanoseconds (negative when the
    /// capture's clock went backwards).
    pub rtt: i128,
}

impl EchoInfo {
    /// The response time in milliseconds, computed as Wireshark's
    /// `nstime_to_msec` does (seconds and nanoseconds of the delta, each
    /// carrying the sign, converted separately).
    pub fn rtt_ms(&self) -> f64 {
        let secs = self.rtt / 1_000_000_000;
        let nsecs = self.rtt % 1_000_000_000;
        secs as f64 * 1000.0 + nsecs as f64 / 1_000_000.0
    }
}

/// What the analysis computed for one layer of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerInfo {
    /// A TCP layer.
    Tcp(Box<TcpInfo>),
    /// A UDP layer.
    Udp(UdpInfo),
    /// An ICMP/ICMPv6 echo reply that answers an earlier request.
    Echo(EchoInfo),
}

/// Per-frame results: `(layer index, info)`.
pub type FrameInfo = smallvec::SmallVec<[(usize, LayerInfo); 2]>;

/// Echo requests remembered per address pair before the oldest are dropped
/// (Wireshark keeps them all; this bounds memory on floods of distinct pings).
const MAX_ECHO_PENDING: usize = 10_000;

/// Matching key of an echo transaction: the checksum the reply carries (so
/// request and reply must quote the same data) and identifier << 16 | sequence.
type EchoKey = (u16, u32);

#[derive(Clone, Copy, Debug)]
struct EchoTrans {
    request: u64,
    ts: Timestamp,
    answered: bool,
}

/// Echo transactions of one address pair (Wireshark's per-conversation
/// `unmatched_pdus` tree, kept in one pass).
#[derive(Debug, Default)]
struct EchoConv {
    pending: HashMap<EchoKey, EchoTrans>,
    /// Insertion order, for dropping the oldest; entries whose request was
    /// since replaced are stale and skipped.
    order: std::collections::VecDeque<(EchoKey, u64)>,
}

impl EchoConv {
    fn insert(&mut self, key: EchoKey, t: EchoTrans) {
        // A request with the same key replaces the earlier one, as Wireshark's
        // tree insert does: the last duplicate is the one a reply matches.
        self.pending.insert(key, t);
        self.order.push_back((key, t.request));
        while self.pending.len() > MAX_ECHO_PENDING {
            let Some((k, f)) = self.order.pop_front() else {
                break;
            };
            if self.pending.get(&k).is_some_and(|x| x.request == f) {
                self.pending.remove(&k);
            }
        }
        // Stale entries pile up when one key is re-requested over and over.
        if self.order.len() > 2 * MAX_ECHO_PENDING {
            let pending = &self.pending;
            self.order
                .retain(|(k, f)| pending.get(k).is_some_and(|x| x.request == *f));
        }
    }
}

/// Address pair of an echo conversation: family (true for IPv4) and the
/// canonical pair (Wireshark finds the conversation in either direction).
type EchoConvKey = (bool, [u8; 16], [u8; 16]);

/// The conversation tables.
#[derive(Debug, Default)]
pub struct Analyzer {
    tcp: HashMap<ConvKey, TcpConv>,
    udp: HashMap<ConvKey, UdpConv>,
    next_tcp: u32,
    next_udp: u32,
    /// ICMP echo transactions.
    icmp_echo: HashMap<EchoConvKey, EchoConv>,
    /// ICMPv6 echo transactions (Wireshark keeps them apart from ICMP's).
    icmpv6_echo: HashMap<EchoConvKey, EchoConv>,
}

fn addr16(l: &AnyLayer) -> Option<([u8; 16], [u8; 16])> {
    match l {
        AnyLayer::Ipv4(ip) => {
            let mut a = [0u8; 16];
            let mut b = [0u8; 16];
            a[12..].copy_from_slice(&ip.src().octets());
            b[12..].copy_from_slice(&ip.dst().octets());
            Some((a, b))
        }
        AnyLayer::Ipv6(ip) => Some((ip.src().octets(), ip.dst().octets())),
        _ => None,
    }
}

fn is_icmp(l: &AnyLayer) -> bool {
    matches!(l, AnyLayer::Icmp(_) | AnyLayer::Icmpv6(_))
}

/// The fixed TCP header fields the analysis reads.
#[derive(Clone, Copy, Debug)]
struct TcpHdr {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    /// The 12 flag bits.
    flags: u16,
    window: u16,
}

impl TcpHdr {
    fn of(t: &crate::protocols::tcp::Tcp<'_>) -> Self {
        TcpHdr {
            sport: t.srcport(),
            dport: t.dstport(),
            seq: t.seq(),
            ack: t.ack(),
            flags: t.flags(),
            window: t.window_size_value(),
        }
    }

    /// The header of a TCP layer that did not parse, from the bytes that were
    /// captured, by the schema's fixed field positions; `None` unless
    /// everything up to the window was captured (Wireshark reads it all
    /// before it shows anything past the ports). Also the header length.
    fn from_partial(bytes: &[u8]) -> Option<(Self, u32)> {
        let get = |name: &str| static_uint(crate::protocols::LayerKind::Tcp, name, bytes);
        let h = TcpHdr {
            sport: get("srcport")? as u16,
            dport: get("dstport")? as u16,
            seq: get("seq")? as u32,
            ack: get("ack")? as u32,
            flags: get("flags")? as u16,
            window: get("window_size_value")? as u16,
        };
        Some((h, get("doff")? as u32 * 4))
    }
}

/// The value of layer field `name` at its fixed position in `bytes`; `None`
/// when the field moves or was not captured.
fn static_uint(kind: crate::protocols::LayerKind, name: &str, bytes: &[u8]) -> Option<u64> {
    let f = kind.fields().iter().find(|f| f.name == name)?;
    let l = f.static_loc?;
    let b = bytes.get(l.offset as usize..l.offset as usize + l.bytes as usize)?;
    let raw = if l.little {
        crate::__private::dec_le(b)
    } else {
        crate::__private::dec_be(b)
    };
    Some((raw >> l.shift) & crate::__private::mask(f.bits))
}

/// The whole options in `opts` as `(kind, body)`: the walk stops at the end
/// of the option list or at the first option that was cut or is invalid.
fn option_tlvs(mut o: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    std::iter::from_fn(move || loop {
        let &kind = o.first()?;
        match kind {
            0 => return None,
            1 => {
                o = &o[1..];
                continue;
            }
            _ => {}
        }
        let len = *o.get(1)? as usize;
        if len < 2 || len > o.len() {
            return None;
        }
        let body = &o[2..len];
        o = &o[len..];
        return Some((kind, body));
    })
}

/// Window scale shift and SACK blocks of the options captured whole in `opts`.
fn captured_options(opts: &[u8]) -> (Option<u8>, smallvec::SmallVec<[(u32, u32); 4]>) {
    let mut wscale = None;
    let mut sack = smallvec::SmallVec::new();
    for (kind, body) in option_tlvs(opts) {
        match kind {
            3 if body.len() == 1 && wscale.is_none() => wscale = Some(body[0]),
            5 => {
                for b in body.chunks_exact(8) {
                    let l = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                    let r = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
                    sack.push((l, r));
                }
            }
            _ => {}
        }
    }
    (wscale, sack)
}

/// TCP Fast Open cookies (not cookie requests) among the options captured
/// whole in `opts`: option 34, or the experimental option 254 with the
/// identifier 0xf989 (Wireshark's `tcp.analysis.tfo_syn` on a SYN).
fn tfo_cookies(opts: &[u8]) -> u8 {
    option_tlvs(opts)
        .filter(|(kind, body)| match kind {
            34 => !body.is_empty(),
            254 => body.len() > 2 && body[..2] == [0xf9, 0x89],
            _ => false,
        })
        .count()
        .min(u8::MAX as usize) as u8
}

impl Analyzer {
    /// A fresh analyzer (no conversations).
    pub fn new() -> Self {
        Self::default()
    }

    /// Analyzes frame number `number`; call for every frame in capture order.
    pub fn frame(
        &mut self,
        d: &Dissection<'_>,
        number: u64,
        ts: Timestamp,
        orig_len: u32,
    ) -> FrameInfo {
        let mut out = FrameInfo::new();
        for (i, l) in d.layers.iter().enumerate() {
            match &l.view {
                AnyLayer::Tcp(t) => {
                    let Some((ip_i, (src, dst))) = d.layers[..i]
                        .iter()
                        .enumerate()
                        .rev()
                        .find_map(|(j, x)| addr16(&x.view).map(|a| (j, a)))
                    else {
                        continue;
                    };
                    let quoted = d.layers[..ip_i].iter().any(|x| is_icmp(&x.view));
                    // Payload length as the IP header declares it, capped by the wire length.
                    let ip = &d.layers[ip_i];
                    let declared_end = ip.offset as u64
                        + match &ip.view {
                            AnyLayer::Ipv4(v) => v.len() as u64,
                            AnyLayer::Ipv6(v) => 40 + v.plen() as u64,
                            _ => 0,
                        };
                    let end = declared_end.min(orig_len as u64);
                    let data_start = l.offset as u64 + t.header_len() as u64;
                    let len = end.saturating_sub(data_start) as u32;
                    let h = TcpHdr::of(t);
                    let wscale = if h.flags & 0x002 != 0 {
                        wscale_of(t)
                    } else {
                        None
                    };
                    let opts = (
                        wscale,
                        if quoted {
                            Default::default()
                        } else {
                            sack_of(t)
                        },
                    );
                    let mut info = self.tcp_segment(
                        &h,
                        opts,
                        src,
                        dst,
                        number,
                        ts,
                        Some(len),
                        quoted,
                        TcpShown::Complete,
                    );
                    if !quoted && h.flags & 0x012 == 0x002 {
                        let opts = d.data.get(l.offset as usize + 20..data_start as usize);
                        info.tfo_syn = tfo_cookies(opts.unwrap_or(&[]));
                    }
                    info.quoted_icmpv6 = d.layers[..ip_i]
                        .iter()
                        .rev()
                        .find(|x| is_icmp(&x.view))
                        .is_some_and(|x| matches!(x.view, AnyLayer::Icmpv6(_)));
                    out.push((i, LayerInfo::Tcp(Box::new(info))));
                }
                AnyLayer::Udp(u) => {
                    let Some((ip_i, (src, dst))) = d.layers[..i]
                        .iter()
                        .enumerate()
                        .rev()
                        .find_map(|(j, x)| addr16(&x.view).map(|a| (j, a)))
                    else {
                        continue;
                    };
                    let quoted = d.layers[..ip_i].iter().any(|x| is_icmp(&x.view));
                    let (k, _) = key(src, dst, u.srcport(), u.dstport());
                    let next = &mut self.next_udp;
                    let c = self.udp.entry(k).or_insert_with(|| {
                        let s = *next;
                        *next += 1;
                        UdpConv {
                            stream: s,
                            first: ts,
                            last: ts,
                        }
                    });
                    let info = UdpInfo {
                        stream: c.stream,
                        quoted,
                        time_relative: (ts - c.first).as_nanos(),
                        time_delta: (ts - c.last).as_nanos(),
                    };
                    if !quoted {
                        c.last = ts;
                    }
                    out.push((i, LayerInfo::Udp(info)));
                }
                AnyLayer::Icmp(_) | AnyLayer::Icmpv6(_) => {
                    if let Some(e) = self.echo(d, i, number, ts) {
                        out.push((i, LayerInfo::Echo(e)));
                    }
                }
                _ => {}
            }
        }
        if let Some(info) = self.partial_tcp(d, number, ts, orig_len) {
            out.push((d.layers.len(), LayerInfo::Tcp(Box::new(info))));
        }
        out
    }

    /// Wireshark's echo request/reply matching (`transaction_start` and
    /// `transaction_end` of packet-icmp.c and packet-icmpv6.c), single pass:
    /// a request is remembered under its address pair and key, a reply finds
    /// the request it answers. Requests get nothing in one pass (`resp_in` and
    /// `no_resp` need a second one).
    fn echo(
        &mut self,
        d: &Dissection<'_>,
        i: usize,
        number: u64,
        ts: Timestamp,
    ) -> Option<EchoInfo> {
        let l = &d.layers[i];
        let v6 = matches!(l.view, AnyLayer::Icmpv6(_));
        let b = l.view.as_bytes();
        if b.len() < 8 {
            return None;
        }
        let ty = b[0];
        let (request, reply) = if v6 { (128, 129) } else { (8, 0) };
        if ty != request && ty != reply {
            return None;
        }
        let (ip_i, (v4, src, dst)) =
            d.layers[..i].iter().enumerate().rev().find_map(|(j, x)| {
                let fam = matches!(x.view, AnyLayer::Ipv4(_));
                addr16(&x.view).map(|(a, b)| (j, (fam, a, b)))
            })?;
        // Echoes quoted inside an ICMP error take no part.
        if d.layers[..ip_i].iter().any(|x| is_icmp(&x.view)) {
            return None;
        }
        // An ICMPv6 echo request to the Teredo port is a connectivity test
        // whose body is a nonce: not tracked.
        if v6
            && ty == request
            && d.layers[..i]
                .iter()
                .any(|x| matches!(&x.view, AnyLayer::Udp(u) if u.dstport() == 3544))
        {
            return None;
        }
        let cksum = u16::from_be_bytes([b[2], b[3]]);
        let id_seq = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
        let key: EchoKey = (echo_key(v6, ty == request, cksum), id_seq);
        let conv: EchoConvKey = if src <= dst {
            (v4, src, dst)
        } else {
            (v4, dst, src)
        };
        let table = if v6 {
            &mut self.icmpv6_echo
        } else {
            &mut self.icmp_echo
        };
        if ty == request {
            table.entry(conv).or_default().insert(
                key,
                EchoTrans {
                    request: number,
                    ts,
                    answered: false,
                },
            );
            return None;
        }
        let t = table.get_mut(&conv)?.pending.get_mut(&key)?;
        // Already answered: a duplicate reply matches nothing.
        if t.answered {
            return None;
        }
        t.answered = true;
        Some(EchoInfo {
            v6,
            request: t.request,
            rtt: (ts - t.ts).as_nanos(),
        })
    }

    /// A TCP layer that did not parse (`d.partial`): Wireshark still
    /// analyses the fixed header it could read (see [`TcpShown`]).
    fn partial_tcp(
        &mut self,
        d: &Dissection<'_>,
        number: u64,
        ts: Timestamp,
        orig_len: u32,
    ) -> Option<TcpInfo> {
        let p = d.partial.as_ref()?;
        if p.kind != crate::protocols::LayerKind::Tcp {
            return None;
        }
        let (ip_i, (src, dst)) = d
            .layers
            .iter()
            .enumerate()
            .rev()
            .find_map(|(j, x)| addr16(&x.view).map(|a| (j, a)))?;
        // Quoted headers: Wireshark computes no length for them; left alone.
        if d.layers[..ip_i].iter().any(|x| is_icmp(&x.view)) {
            return None;
        }
        let (h, hlen) = TcpHdr::from_partial(p.bytes)?;
        // The segment's length as the IP header declares it, capped by the wire length.
        let ip = &d.layers[ip_i];
        let declared_end = ip.offset as u64
            + match &ip.view {
                AnyLayer::Ipv4(v) => v.len() as u64,
                AnyLayer::Ipv6(v) => 40 + v.plen() as u64,
                _ => 0,
            };
        let reported = declared_end
            .min(orig_len as u64)
            .saturating_sub(p.offset as u64)
            .max(p.bytes.len() as u64) as u32;
        let (shown, len) = if reported < hlen {
            (TcpShown::Short, None)
        } else if hlen < 20 {
            (TcpShown::Bogus, Some(reported - hlen))
        } else if (hlen as usize) > p.bytes.len() {
            (TcpShown::Cut, Some(reported - hlen))
        } else {
            (TcpShown::Complete, Some(reported - hlen))
        };
        let end = (hlen as usize).min(p.bytes.len());
        let raw_opts = match shown {
            TcpShown::Complete | TcpShown::Cut => p.bytes.get(20..end).unwrap_or(&[]),
            _ => &[],
        };
        let opts = captured_options(raw_opts);
        let mut info = self.tcp_segment(&h, opts, src, dst, number, ts, len, false, shown);
        if h.flags & 0x012 == 0x002 {
            info.tfo_syn = tfo_cookies(raw_opts);
        }
        Some(info)
    }

    /// One segment with header `h`, options `(window scale, raw SACK blocks)`
    /// and payload length `len` (`None`: unknown, a short segment).
    #[allow(clippy::too_many_arguments)]
    fn tcp_segment(
        &mut self,
        h: &TcpHdr,
        opts: (Option<u8>, smallvec::SmallVec<[(u32, u32); 4]>),
        src: [u8; 16],
        dst: [u8; 16],
        number: u64,
        ts: Timestamp,
        len: Option<u32>,
        quoted: bool,
        shown: TcpShown,
    ) -> TcpInfo {
        const SYN: u16 = 0x002;
        const ACK: u16 = 0x010;
        const FIN: u16 = 0x001;
        const RST: u16 = 0x004;
        let fl = h.flags;
        let syn = fl & SYN != 0;
        let ackf = fl & ACK != 0;
        let fin = fl & FIN != 0;
        let rst = fl & RST != 0;
        let seq_raw = h.seq;
        let ack_raw = h.ack;
        let window = h.window as u32;
        let (k, fwd) = key(src, dst, h.sport, h.dport);
        let d = if fwd { 0 } else { 1 };
        // A new SYN on a finished conversation, or with a new ISN, starts a new stream.
        let mut reused = false;
        if let Some(c) = self.tcp.get(&k) {
            if syn && !ackf && !quoted {
                let dir = &c.dirs[d];
                if c.rst || c.fin_seen || (dir.syn_seen && dir.base != Some(seq_raw)) {
                    reused = true;
                }
            }
        }
        if reused {
            self.tcp.remove(&k);
        }
        let is_new = !self.tcp.contains_key(&k);
        let next = &mut self.next_tcp;
        let c = self.tcp.entry(k).or_insert_with(|| {
            let s = *next;
            *next += 1;
            TcpConv {
                stream: s,
                dirs: [Dir::default(), Dir::default()],
                first: ts,
                last: ts,
                rst: false,
                fin_seen: false,
                mru_syn: None,
                first_rtt: 0,
                completeness: 0,
            }
        });
        let time_relative = (ts - c.first).as_nanos();
        let time_delta = (ts - c.last).as_nanos();
        c.last = ts;
        let completeness = c.completeness;
        // Without a payload length Wireshark runs no sequence analysis: raw
        // numbers, the unscaled window.
        let Some(len) = len.filter(|_| !quoted) else {
            return TcpInfo {
                stream: c.stream,
                shown,
                quoted,
                quoted_icmpv6: false,
                seq: seq_raw,
                ack: ack_raw,
                len: len.unwrap_or(0),
                nxtseq: seq_raw,
                window_size: window,
                scalefactor: if syn || !quoted { None } else { Some(-1) },
                time_relative,
                time_delta,
                flags: fl,
                completeness,
                analysis: SeqAnalysis::default(),
                fin_active: None,
                sack: Default::default(),
                tfo_syn: 0,
            };
        };
        // Sequence bases (Wireshark: the ISN from a SYN, else seq - 1; the
        // other direction's from the first ACK).
        if c.dirs[d].base.is_none() {
            c.dirs[d].base = Some(if syn {
                seq_raw
            } else {
                seq_raw.wrapping_sub(1)
            });
        }
        if syn {
            if !c.dirs[d].syn_seen {
                c.dirs[d].wscale = opts.0;
            }
            c.dirs[d].syn_seen = true;
        }
        if ackf && c.dirs[1 - d].base.is_none() {
            c.dirs[1 - d].base = Some(ack_raw.wrapping_sub(1));
        }
        let mut a = seq_analysis(c, d, number, ts, seq_raw, ack_raw, len, fl, window);
        if reused {
            a.flags |= flags::REUSED_PORTS;
            a.present = true;
        }
        let seq = seq_raw.wrapping_sub(c.dirs[d].base.unwrap_or(0));
        let ack = if ackf {
            ack_raw.wrapping_sub(c.dirs[1 - d].base.unwrap_or(0))
        } else {
            ack_raw
        };
        let nxtseq = seq
            .wrapping_add(len)
            .wrapping_add((fl & (SYN | FIN) != 0) as u32);
        // Window scaling (never applied to SYN segments).
        let scalefactor = if syn {
            None
        } else {
            let (me, other) = (&c.dirs[d], &c.dirs[1 - d]);
            Some(match (me.syn_seen, other.syn_seen) {
                (true, true) => match (me.wscale, other.wscale) {
                    (Some(s), Some(_)) => 1i32 << s.min(14),
                    _ => -2,
                },
                (true, false) => match me.wscale {
                    Some(s) => 1i32 << s.min(14),
                    None => -2,
                },
                (false, true) => match other.wscale {
                    None => -2,
                    Some(_) => -1,
                },
                (false, false) => -1,
            })
        };
        let window_size = match scalefactor {
            Some(f) if f > 0 => window.saturating_mul(f as u32),
            _ => window,
        };
        // Completeness, as Wireshark accumulates it (shown before the update).
        let mut comp = c.completeness;
        if is_new {
            if fl & (SYN | ACK) == SYN {
                comp |= 1;
                if len > 0 {
                    comp |= 8;
                }
            }
        } else {
            if fl & (SYN | ACK) == SYN | ACK {
                comp |= 2;
            }
            if fl & (SYN | ACK) == ACK {
                comp |= if len > 0 { 8 } else { 4 };
            }
            if fl & (FIN | ACK) == FIN | ACK {
                comp |= 16;
            }
            if rst {
                comp |= 32;
            }
        }
        c.completeness = comp;
        // Connection markers and the initial RTT.
        let mut fin_active = None;
        if syn && !ackf {
            c.mru_syn = Some(ts);
        }
        if fin {
            c.fin_seen = true;
            if !c.dirs[1 - d].closing_initiator {
                c.dirs[d].closing_initiator = true;
                fin_active = Some(true);
            } else {
                fin_active = Some(false);
            }
        }
        if rst {
            c.rst = true;
        }
        if fl & (SYN | ACK) == ACK && c.first_rtt == 0 {
            if let Some(m) = c.mru_syn {
                c.first_rtt = (ts - m).as_nanos();
            }
        }
        if syn {
            c.dirs[d].is_first_ack = true;
        } else if fl & (SYN | ACK) == ACK {
            c.dirs[d].is_first_ack = false;
        }
        if a.present {
            a.initial_rtt = c.first_rtt;
        }
        // SACK blocks: relative to the acknowledged direction, remembered for
        // bytes-in-flight of the other direction.
        let raw_sack = opts.1;
        let obase = c.dirs[1 - d].base.unwrap_or(0);
        let sack = raw_sack
            .iter()
            .map(|(l, r)| (l.wrapping_sub(obase), r.wrapping_sub(obase)))
            .collect();
        c.dirs[d].sack = raw_sack;
        TcpInfo {
            stream: c.stream,
            shown,
            quoted: false,
            quoted_icmpv6: false,
            seq,
            ack,
            len,
            nxtseq,
            window_size,
            scalefactor,
            time_relative,
            time_delta,
            flags: fl,
            completeness,
            analysis: a,
            fin_active,
            sack,
            tfo_syn: 0,
        }
    }
}

/// Wireshark's `tcp_analyze_sequence_number` for segment `seq..seq+len` in
/// direction `d` of conversation `c` (raw sequence numbers).
#[allow(clippy::too_many_arguments)]
fn seq_analysis(
    c: &mut TcpConv,
    d: usize,
    frame: u64,
    ts: Timestamp,
    seq: u32,
    ack: u32,
    seglen: u32,
    fl: u16,
    window: u32,
) -> SeqAnalysis {
    use flags::*;
    const SYN: u16 = 0x002;
    const ACK: u16 = 0x010;
    const FIN: u16 = 0x001;
    const RST: u16 = 0x004;
    const PSH: u16 = 0x008;
    let mut a = SeqAnalysis::default();
    let first_rtt = c.first_rtt;
    let (f, r) = if d == 0 {
        let (x, y) = c.dirs.split_at_mut(1);
        (&mut x[0], &mut y[0])
    } else {
        let (x, y) = c.dirs.split_at_mut(1);
        (&mut y[0], &mut x[0])
    };
    if fl & ACK != 0 {
        r.valid_bif = true;
    }
    let no_sfr = fl & (SYN | FIN | RST) == 0;
    let mut skip_to_finished_fwd = false;
    // Zero window probe.
    if seglen == 1 && seq == f.nextseq && r.window == 0 {
        a.flags |= ZERO_WINDOW_PROBE;
        skip_to_finished_fwd = true;
    }
    if !skip_to_finished_fwd {
        if window == 0 && no_sfr {
            a.flags |= ZERO_WINDOW;
        }
        if f.nextseq != 0 && gt_seq(seq, f.nextseq) && fl & RST == 0 {
            a.flags |= LOST_PACKET;
            f.valid_bif = false;
        }
        if (seglen == 0 || seglen == 1) && seq == f.nextseq.wrapping_sub(1) && no_sfr {
            a.flags |= KEEP_ALIVE;
        }
        if seglen == 0
            && window != 0
            && window != f.window
            && seq == f.nextseq
            && ack == f.lastack
            && no_sfr
        {
            a.flags |= WINDOW_UPDATE;
        }
        if seglen > 0 && no_sfr {
            let shift = match r.wscale {
                Some(s) if r.syn_seen && !r.is_first_ack => s.min(14) as u32,
                _ => 0,
            };
            let known = r.syn_seen || f.syn_seen;
            if known && seq.wrapping_add(seglen) == r.lastack.wrapping_add(r.window << shift) {
                a.flags |= WINDOW_FULL;
            }
        }
        let dup_shape = seglen == 0 && seq == f.nextseq && ack == f.lastack && no_sfr;
        if dup_shape && window != 0 && window == f.window && r.lastsegmentflags & KEEP_ALIVE != 0 {
            a.flags |= KEEP_ALIVE_ACK;
        } else if dup_shape
            && window == 0
            && window == f.window
            && r.lastsegmentflags & ZERO_WINDOW_PROBE != 0
        {
            a.flags |= ZERO_WINDOW_PROBE_ACK;
        } else if dup_shape && window != 0 && window == f.window {
            f.dupacknum = if f.dupacknum == -1 {
                1
            } else {
                f.dupacknum + 1
            };
            a.flags |= DUPLICATE_ACK;
            a.dupack = Some((f.dupacknum.max(0) as u32, f.lastnondupack));
        }
    }
    // finished_fwd:
    if ack != f.lastack {
        f.lastnondupack = frame;
        f.dupacknum = 0;
    }
    // Acknowledges beyond what was seen: a segment was not captured.
    // Wireshark 4.0 reports it once per gap: when the other direction has
    // moved on since, the mark jumps to its next sequence number; when it has
    // not (it only sends pure ACKs), only if its duplicate-ACK counter is
    // clear, which it then sets to -1 (the next duplicate ACK counts as #1).
    if r.maxseqtobeacked != 0 && gt_seq(ack, r.maxseqtobeacked) && fl & ACK != 0 {
        a.present = true;
        if lt_seq(r.maxseqtobeacked, r.nextseq) {
            r.maxseqtobeacked = r.nextseq;
            a.flags |= ACK_LOST_PACKET;
        } else {
            if r.dupacknum == 0 {
                a.flags |= ACK_LOST_PACKET;
            }
            r.dupacknum = -1;
        }
    }
    // Retransmission, fast retransmission, spurious retransmission, out-of-order.
    if (seglen > 0 || fl & (SYN | FIN) != 0) && a.flags & KEEP_ALIVE == 0 {
        let mut not_advanced = f.nextseq != 0 && lt_seq(seq, f.nextseq);
        if seglen > 1 && f.nextseq.wrapping_sub(1) == seq {
            not_advanced = false;
        }
        let since = |t: Timestamp| (ts - t).as_nanos();
        if seglen > 0 && r.lastack != 0 && le_seq(seq.wrapping_add(seglen), r.lastack) {
            a.flags |= SPURIOUS_RETRANSMISSION;
        } else if not_advanced
            // Wireshark's counter is unsigned: the -1 mark counts as many.
            && (r.dupacknum >= 2 || r.dupacknum < 0)
            && r.lastack == seq
            && since(r.lastacktime) < 20_000_000
        {
            a.flags |= FAST_RETRANSMISSION;
        } else {
            let thres: i128 = if first_rtt == 0 { 3_000_000 } else { first_rtt };
            let synfin = (fl & (SYN | FIN) != 0) as u32;
            if not_advanced
                && since(f.nextseqtime) < thres
                && f.nextseq != seq.wrapping_add(seglen).wrapping_add(synfin)
            {
                a.flags |= OUT_OF_ORDER;
            } else if not_advanced {
                a.flags |= RETRANSMISSION;
                let mut rto = (since(f.nextseqtime), f.nextseqframe);
                if let Some(oldest) = f.segments.back() {
                    rto = (since(oldest.ts), oldest.frame);
                }
                if rto.0 != 0 {
                    a.rto = Some(rto);
                }
            }
        }
    }
    // finished_checking_retransmission_type:
    let mut nextseq = seq.wrapping_add(seglen);
    if (seglen > 0 || fl & (SYN | FIN) != 0) && f.segments.len() < MAX_UNACKED {
        if fl & (SYN | FIN) != 0 {
            nextseq = nextseq.wrapping_add(1);
        }
        f.segments.push_front(Unacked {
            frame,
            seq,
            nextseq,
            ts,
        });
    }
    if (gt_seq(nextseq, f.nextseq) || f.nextseq == 0) && a.flags & ZERO_WINDOW_PROBE == 0 {
        f.nextseq = nextseq;
        f.nextseqframe = frame;
        f.nextseqtime = ts;
    }
    if (seq == f.maxseqtobeacked || f.maxseqtobeacked == 0) && a.flags & ZERO_WINDOW_PROBE == 0 {
        f.maxseqtobeacked = f.nextseq;
    }
    f.window = window;
    f.lastack = ack;
    f.lastacktime = ts;
    f.lastsegmentflags = a.flags;
    // Segments of the other direction this acknowledges.
    let mut i = 0;
    while i < r.segments.len() {
        let u = r.segments[i];
        if ack == u.nextseq {
            a.present = true;
            a.acks_frame = Some(u.frame);
            a.ack_rtt = (ts - u.ts).as_nanos();
        } else if gt_seq(ack, u.seq) && le_seq(ack, u.nextseq) {
            r.segments[i].seq = ack;
            continue;
        } else if gt_seq(u.nextseq, ack) {
            i += 1;
            continue;
        }
        r.segments.remove(i);
    }
    // Bytes in flight (from the unacknowledged segments) and push bytes.
    if seglen != 0 && !f.segments.is_empty() && f.valid_bif {
        let base = f.base.unwrap_or(0);
        let mut first = f.segments[0].seq.wrapping_sub(base);
        let mut last = f.segments[0].nextseq.wrapping_sub(base);
        for u in &f.segments {
            last = last.max(u.nextseq.wrapping_sub(base));
            first = first.min(u.seq.wrapping_sub(base));
        }
        let mut in_flight = last.wrapping_sub(first);
        let delivered: u32 = r
            .sack
            .iter()
            .map(|(l, rr)| rr.wrapping_sub(*l))
            .fold(0u32, |x, y| x.wrapping_add(y));
        in_flight = in_flight.wrapping_sub(delivered);
        if in_flight > 0 && in_flight < 2_000_000_000 {
            a.bytes_in_flight = in_flight - (fl & (SYN | FIN) != 0) as u32;
        }
        let psh = fl & PSH != 0;
        if psh && !f.push_set_last {
            f.push_bytes_sent = f.push_bytes_sent.wrapping_add(seglen);
            f.push_set_last = true;
        } else if psh {
            f.push_bytes_sent = seglen;
        } else if f.push_set_last {
            f.push_bytes_sent = seglen;
            f.push_set_last = false;
        } else {
            f.push_bytes_sent = f.push_bytes_sent.wrapping_add(seglen);
        }
        a.push_bytes_sent = f.push_bytes_sent;
        a.present = true;
    }
    if a.flags != 0 {
        a.present = true;
    }
    a
}

/// The first half of an echo transaction's key: the checksum of the reply.
/// ICMP keys a reply by its own checksum and a request by the checksum its
/// reply will carry (the type byte drops by 8: one's-complement plus 0x0800);
/// ICMPv6 does it the other way round, keying a request by its checksum and a
/// reply by its request's (type 129 to 128: minus 0x0100). 0xffff and 0 are
/// the same one's-complement number and key as 0.
fn echo_key(v6: bool, is_request: bool, cksum: u16) -> u16 {
    // `in_cksum` of the two words `!cksum` and `!delta`.
    let adjusted = |delta: u16| {
        let mut sum = u32::from(!cksum) + u32::from(!delta);
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        !(sum as u16)
    };
    match (v6, is_request) {
        (false, true) => adjusted(0x0800),
        (true, false) => adjusted(0x0100),
        _ if cksum == 0xffff => 0,
        _ => cksum,
    }
}

/// The timestamp a ping program left in the first 8 bytes of ICMP echo data
/// (`icmp.data_time`), as Wireshark 4.0 finds it in `dissect_icmp`: a
/// `struct timeval` of two 32-bit words, read big-endian and, when that does
/// not look right, little-endian. It looks right when the seconds are within
/// a day of the frame's (difference taken as a 32-bit int) and the
/// microseconds (a 32-bit int, so negative values pass) are below 10^6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataTime {
    /// Seconds since the epoch.
    pub secs: u32,
    /// Nanoseconds: the microseconds times 1000, in 32-bit arithmetic like
    /// Wireshark's (so possibly negative).
    pub nsecs: i32,
}

impl DataTime {
    /// Frame time minus this timestamp as Wireshark's `nstime_delta` leaves
    /// it: seconds and nanoseconds carrying the same sign when both inputs
    /// are normalised (they need not be here).
    pub fn relative_to(&self, frame: Timestamp) -> (i64, i32) {
        let (bs, bn) = (frame.secs, frame.nanos as i32);
        let (a_s, an) = (i64::from(self.secs), self.nsecs);
        let mut secs = bs.wrapping_sub(a_s);
        let mut nsecs = bn.wrapping_sub(an);
        if bs == a_s {
            secs = 0;
        } else if bs < a_s {
            if nsecs > 0 {
                nsecs = nsecs.wrapping_sub(1_000_000_000);
                secs = secs.wrapping_add(1);
            }
        } else if nsecs < 0 {
            nsecs = nsecs.wrapping_add(1_000_000_000);
            secs = secs.wrapping_sub(1);
        }
        (secs, nsecs)
    }
}

/// Finds the [`DataTime`] in `data` (the echo data after the 8-byte ICMP
/// header) of a frame captured at `frame`. Needs 8 captured bytes.
pub fn icmp_data_time(data: &[u8], frame: Timestamp) -> Option<DataTime> {
    let w = |o: usize, le: bool| {
        let x = [data[o], data[o + 1], data[o + 2], data[o + 3]];
        if le {
            u32::from_le_bytes(x)
        } else {
            u32::from_be_bytes(x)
        }
    };
    if data.len() < 8 {
        return None;
    }
    let plausible = |secs: u32, usecs: i32| {
        // `abs((int)(ts.secs - pinfo->abs_ts.secs)) < 86400`: the difference
        // truncated to 32 bits; INT_MIN (whose abs overflows) does not pass.
        let diff = i64::from(secs).wrapping_sub(frame.secs) as i32;
        i64::from(diff).abs() < 86_400 && usecs < 1_000_000
    };
    for le in [false, true] {
        let (secs, usecs) = (w(0, le), w(4, le) as i32);
        if plausible(secs, usecs) {
            return Some(DataTime {
                secs,
                nsecs: usecs.wrapping_mul(1000),
            });
        }
    }
    None
}

fn wscale_of(t: &crate::protocols::tcp::Tcp<'_>) -> Option<u8> {
    t.options().find_map(|o| o.shift())
}

/// The raw SACK blocks of a parsed TCP header.
fn sack_of(t: &crate::protocols::tcp::Tcp<'_>) -> smallvec::SmallVec<[(u32, u32); 4]> {
    t.options()
        .filter_map(|o| o.blocks())
        .flat_map(|b| b.map(|x| (x.left(), x.right())))
        .collect()
}

/// Wireshark's `tcp.flags.str`: 12 characters from `RRRACEUAPRSF`, `·` when clear.
pub fn flags_str(flags: u16, out: &mut String) {
    const L: &[u8; 12] = b"RRRACEUAPRSF";
    for (i, c) in L.iter().enumerate() {
        if flags & (0x800 >> i) != 0 {
            out.push(*c as char);
        } else {
            out.push('\u{b7}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::{dissect, Options};

    fn csum(b: &[u8]) -> u16 {
        let mut s: u32 = b
            .chunks(2)
            .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
            .sum();
        while s > 0xffff {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    }

    /// Ethernet / IPv4 / ICMP with correct checksums; `ck` overrides the ICMP one.
    fn icmp4(
        src: [u8; 4],
        dst: [u8; 4],
        ty: u8,
        id: u16,
        seq: u16,
        data: &[u8],
        ck: Option<u16>,
    ) -> Vec<u8> {
        let mut icmp = vec![ty, 0, 0, 0];
        icmp.extend_from_slice(&id.to_be_bytes());
        icmp.extend_from_slice(&seq.to_be_bytes());
        icmp.extend_from_slice(data);
        let c = ck.unwrap_or_else(|| csum(&icmp));
        icmp[2..4].copy_from_slice(&c.to_be_bytes());
        let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0];
        ip[2..4].copy_from_slice(&((20 + icmp.len()) as u16).to_be_bytes());
        ip.extend_from_slice(&src);
        ip.extend_from_slice(&dst);
        let c = csum(&ip);
        ip[10..12].copy_from_slice(&c.to_be_bytes());
        let mut f = vec![
            2, 0, 0x5e, 0x10, 0, 0x14, 2, 0, 0x5e, 0x10, 0, 0x0a, 0x08, 0x00,
        ];
        f.extend_from_slice(&ip);
        f.extend_from_slice(&icmp);
        f
    }

    /// Ethernet / IPv6 / ICMPv6 with a correct checksum.
    fn icmp6(src: [u8; 16], dst: [u8; 16], ty: u8, id: u16, seq: u16, data: &[u8]) -> Vec<u8> {
        let mut icmp = vec![ty, 0, 0, 0];
        icmp.extend_from_slice(&id.to_be_bytes());
        icmp.extend_from_slice(&seq.to_be_bytes());
        icmp.extend_from_slice(data);
        let mut pseudo = Vec::new();
        pseudo.extend_from_slice(&src);
        pseudo.extend_from_slice(&dst);
        pseudo.extend_from_slice(&(icmp.len() as u32).to_be_bytes());
        pseudo.extend_from_slice(&[0, 0, 0, 58]);
        pseudo.extend_from_slice(&icmp);
        let c = csum(&pseudo);
        icmp[2..4].copy_from_slice(&c.to_be_bytes());
        let mut f = vec![
            2, 0, 0x5e, 0x10, 0, 0x14, 2, 0, 0x5e, 0x10, 0, 0x0a, 0x86, 0xdd,
        ];
        f.extend_from_slice(&[0x60, 0, 0, 0]);
        f.extend_from_slice(&(icmp.len() as u16).to_be_bytes());
        f.extend_from_slice(&[58, 64]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&icmp);
        f
    }

    const A: [u8; 4] = [192, 0, 2, 10];
    const B: [u8; 4] = [198, 51, 100, 20];
    const C: [u8; 4] = [203, 0, 113, 30];

    struct Run {
        a: Analyzer,
        n: u64,
    }

    impl Run {
        fn new() -> Self {
            Run {
                a: Analyzer::new(),
                n: 0,
            }
        }
        /// Feeds a frame at `ms` milliseconds; returns (request frame, rtt ns) of a match.
        fn feed(&mut self, frame: &[u8], ms: i64) -> Option<(u64, i128)> {
            self.n += 1;
            let d = dissect(1, frame, Options::default());
            let ts = Timestamp::from_nanos(1_700_000_000_000_000_000 + i128::from(ms) * 1_000_000)
                .unwrap();
            self.a
                .frame(&d, self.n, ts, frame.len() as u32)
                .iter()
                .find_map(|(_, i)| match i {
                    LayerInfo::Echo(e) => Some((e.request, e.rtt)),
                    _ => None,
                })
        }
    }

    #[test]
    fn echo_keys_pair_request_and_reply_checksums() {
        // A reply's checksum is its request's plus 0x0800 (one's complement).
        for req in [0x0000u16, 0x1234, 0xf7ff, 0xf800, 0xfffe, 0xffff] {
            let mut sum = u32::from(req) + 0x0800;
            while sum > 0xffff {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            let reply = sum as u16;
            assert_eq!(
                echo_key(false, true, req),
                echo_key(false, false, reply),
                "{req:04x}"
            );
        }
        // One's-complement zero, either way it is written.
        assert_eq!(echo_key(false, false, 0xffff), 0);
        assert_eq!(echo_key(false, true, 0xf7ff), 0);
        // ICMPv6: the reply is keyed by its request's checksum (type 129 vs 128).
        assert_eq!(echo_key(true, false, 0x3797), 0x3897);
        assert_eq!(echo_key(true, true, 0xffff), 0);
        assert_eq!(echo_key(true, false, 0xfeff), 0);
    }

    #[test]
    fn echo_matching_follows_wireshark() {
        let mut r = Run::new();
        let d = b"abcdefgh-data";
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 1, d, None), 0), None);
        assert_eq!(
            r.feed(&icmp4(B, A, 0, 7, 1, d, None), 2),
            Some((1, 2_000_000))
        );
        // A second reply finds the transaction answered.
        assert_eq!(r.feed(&icmp4(B, A, 0, 7, 1, d, None), 3), None);
        // Different data: the checksums do not pair up.
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 2, d, None), 4), None);
        assert_eq!(r.feed(&icmp4(B, A, 0, 7, 2, b"other", None), 5), None);
        // Duplicate requests: the last one is matched.
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 3, d, None), 6), None);
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 3, d, None), 7), None);
        assert_eq!(
            r.feed(&icmp4(B, A, 0, 7, 3, d, None), 9),
            Some((7, 2_000_000))
        );
        // Same id/seq/data between other addresses is another conversation.
        assert_eq!(r.feed(&icmp4(C, B, 8, 7, 4, d, None), 10), None);
        assert_eq!(r.feed(&icmp4(B, A, 0, 7, 4, d, None), 11), None);
        assert_eq!(
            r.feed(&icmp4(B, C, 0, 7, 4, d, None), 12),
            Some((9, 2_000_000))
        );
        // The address pair is unordered: a reply in the request's direction matches.
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 5, d, None), 13), None);
        assert_eq!(
            r.feed(&icmp4(A, B, 0, 7, 5, d, None), 14),
            Some((12, 1_000_000))
        );
        // A reply before its request, and timestamp messages, match nothing.
        assert_eq!(r.feed(&icmp4(B, A, 0, 7, 6, d, None), 15), None);
        assert_eq!(r.feed(&icmp4(A, B, 8, 7, 6, d, None), 16), None);
        assert_eq!(r.feed(&icmp4(A, B, 13, 7, 7, &[0; 12], None), 17), None);
        assert_eq!(r.feed(&icmp4(B, A, 14, 7, 7, &[0; 12], None), 18), None);
        // Reply checksum 0 written as 0xffff.
        let mut z = vec![0, 0, b'z', b'e', b'r', b'o'];
        let probe = icmp4(B, A, 0, 9, 1, &z, None);
        z[..2].copy_from_slice(&probe[36..38]);
        let reply = icmp4(B, A, 0, 9, 1, &z, None);
        assert_eq!(&reply[36..38], &[0, 0]);
        assert_eq!(r.feed(&icmp4(A, B, 8, 9, 1, &z, None), 19), None);
        assert_eq!(
            r.feed(&icmp4(B, A, 0, 9, 1, &z, Some(0xffff)), 20),
            Some((18, 1_000_000))
        );
    }

    #[test]
    fn quoted_echoes_are_not_tracked() {
        let mut r = Run::new();
        let d = b"quoted-echo";
        let req = icmp4(A, B, 8, 3, 1, d, None);
        // Destination unreachable from C quoting the request (IP header onwards).
        let mut err = vec![3, 1, 0, 0, 0, 0, 0, 0];
        err.extend_from_slice(&req[14..]);
        let c = csum(&err);
        err[2..4].copy_from_slice(&c.to_be_bytes());
        let mut ip = vec![0x45, 0, 0, 0, 0, 2, 0, 0, 64, 1, 0, 0];
        ip[2..4].copy_from_slice(&((20 + err.len()) as u16).to_be_bytes());
        ip.extend_from_slice(&C);
        ip.extend_from_slice(&A);
        let c = csum(&ip);
        ip[10..12].copy_from_slice(&c.to_be_bytes());
        let mut f = req[..14].to_vec();
        f.extend_from_slice(&ip);
        f.extend_from_slice(&err);
        let icmps = dissect(1, &f, Options::default())
            .layers
            .iter()
            .filter(|l| matches!(l.view, AnyLayer::Icmp(_)))
            .count();
        assert_eq!(icmps, 2, "the quote is dissected down to its ICMP header");
        assert_eq!(r.feed(&f, 0), None);
        // The quote registered no request.
        assert_eq!(r.feed(&icmp4(B, A, 0, 3, 1, d, None), 1), None);
    }

    #[test]
    fn icmpv6_echo_matching() {
        let x = [0x20, 1, 0xd, 0xb8, 0, 0xa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10];
        let y = [0x20, 1, 0xd, 0xb8, 0, 0xb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20];
        let mut r = Run::new();
        assert_eq!(r.feed(&icmp6(x, y, 128, 1, 1, b"six"), 0), None);
        assert_eq!(
            r.feed(&icmp6(y, x, 129, 1, 1, b"six"), 1),
            Some((1, 1_000_000))
        );
        assert_eq!(r.feed(&icmp6(y, x, 129, 1, 1, b"six"), 2), None);
        // ICMP and ICMPv6 keep separate tables.
        assert_eq!(r.feed(&icmp6(x, y, 128, 2, 1, b"v6"), 3), None);
        assert_eq!(r.feed(&icmp4(B, A, 0, 2, 1, b"v6", None), 4), None);
    }

    #[test]
    fn pending_requests_are_bounded() {
        let mut c = EchoConv::default();
        let t = |request| EchoTrans {
            request,
            ts: Timestamp::default(),
            answered: false,
        };
        for i in 0..(MAX_ECHO_PENDING as u64 + 50) {
            c.insert((1, i as u32), t(i));
        }
        assert_eq!(c.pending.len(), MAX_ECHO_PENDING);
        assert!(!c.pending.contains_key(&(1, 0)));
        assert!(c.pending.contains_key(&(1, MAX_ECHO_PENDING as u32 + 49)));
        // Re-requesting one key forever keeps the order queue bounded too.
        for i in 0..(3 * MAX_ECHO_PENDING as u64) {
            c.insert((2, 0), t(1_000_000 + i));
        }
        assert!(c.order.len() <= 2 * MAX_ECHO_PENDING + 1);
        assert_eq!(c.pending.len(), MAX_ECHO_PENDING);
    }

    #[test]
    fn data_time_heuristic() {
        let frame = Timestamp::new(1_700_000_000, 500_000_000).unwrap();
        let be = |s: u32, us: u32| [s.to_be_bytes(), us.to_be_bytes()].concat();
        let le = |s: u32, us: u32| [s.to_le_bytes(), us.to_le_bytes()].concat();
        let t = 1_700_000_000u32;
        let got = |b: &[u8]| icmp_data_time(b, frame).map(|x| (x.secs, x.nsecs));
        assert_eq!(got(&be(t - 1, 5)), Some((t - 1, 5000)));
        assert_eq!(got(&le(t - 2, 999_999)), Some((t - 2, 999_999_000)));
        // Within a day either side; a day or more is not a timestamp.
        assert_eq!(got(&be(t + 86_399, 0)), Some((t + 86_399, 0)));
        assert_eq!(got(&be(t - 86_399, 0)), Some((t - 86_399, 0)));
        assert_eq!(got(&be(t - 86_400, 0)), None);
        assert_eq!(got(&be(t + 86_400, 0)), None);
        assert_eq!(got(&be(t, 1_000_000)), None);
        // The difference wraps to INT_MIN: rejected.
        assert_eq!(got(&be(t.wrapping_add(1 << 31), 0)), None);
        // Negative microseconds pass and are scaled in 32 bits.
        assert_eq!(got(&be(t - 1, 0xffff_fff0)), Some((t - 1, -16_000)));
        assert_eq!(got(&be(t - 1, 0x8000_0000)), Some((t - 1, 0)));
        assert_eq!(got(&be(t, 0)[..7]), None);
        // Relative time: frame minus data, Wireshark's nstime_delta.
        let dt = |s: u32, n: i32| DataTime { secs: s, nsecs: n }.relative_to(frame);
        assert_eq!(dt(t - 1, 5000), (1, 499_995_000));
        assert_eq!(dt(t + 100, 5000), (-99, -500_005_000));
        assert_eq!(dt(t, 600_000_000), (0, -100_000_000));
        assert_eq!(dt(t - 1, -16_000), (1, 500_016_000));
    }

    /// Ethernet / IPv4 / TCP: header of `doff` words (options `opts`, zero
    /// padded), `plen` payload bytes, IP lengths declaring all of it.
    #[allow(clippy::too_many_arguments)]
    fn tcp4(
        src: [u8; 4],
        dst: [u8; 4],
        ports: (u16, u16),
        seq: u32,
        ack: u32,
        flags: u16,
        doff: u8,
        opts: &[u8],
        plen: usize,
    ) -> Vec<u8> {
        let mut tcp = Vec::new();
        tcp.extend_from_slice(&ports.0.to_be_bytes());
        tcp.extend_from_slice(&ports.1.to_be_bytes());
        tcp.extend_from_slice(&seq.to_be_bytes());
        tcp.extend_from_slice(&ack.to_be_bytes());
        tcp.extend_from_slice(&((u16::from(doff) << 12) | flags).to_be_bytes());
        tcp.extend_from_slice(&[0x20, 0x00, 0, 0, 0, 0]);
        tcp.extend_from_slice(opts);
        let hlen = (doff as usize * 4).max(20);
        tcp.resize(hlen, 0);
        tcp.resize(hlen + plen, 0x61);
        let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, 6, 0, 0];
        ip[2..4].copy_from_slice(&((20 + tcp.len()) as u16).to_be_bytes());
        ip.extend_from_slice(&src);
        ip.extend_from_slice(&dst);
        let c = csum(&ip);
        ip[10..12].copy_from_slice(&c.to_be_bytes());
        let mut f = vec![
            2, 0, 0x5e, 0x10, 0, 0x14, 2, 0, 0x5e, 0x10, 0, 0x0a, 0x08, 0x00,
        ];
        f.extend_from_slice(&ip);
        f.extend_from_slice(&tcp);
        f
    }

    /// Feeds `frame` (of which the capture kept `cap` bytes) at `ms`; the TCP info.
    fn feed_tcp(a: &mut Analyzer, n: u64, frame: &[u8], cap: usize, ms: i64) -> Option<TcpInfo> {
        let d =
            crate::dissect::dissect_frame(1, &frame[..cap], frame.len() as u32, Options::default());
        let ts =
            Timestamp::from_nanos(1_700_000_000_000_000_000 + i128::from(ms) * 1_000_000).unwrap();
        a.frame(&d, n, ts, frame.len() as u32)
            .into_iter()
            .find_map(|(_, i)| match i {
                LayerInfo::Tcp(t) => Some(*t),
                _ => None,
            })
    }

    #[test]
    fn acked_unseen_segments_and_fast_retransmission_follow_wireshark_4_0() {
        use flags::*;
        const SYN: u16 = 0x002;
        const ACK: u16 = 0x010;
        const FIN: u16 = 0x001;
        let p = (40000, 80);
        let q = (80, 40000);
        let frames = [
            (tcp4(A, B, p, 1000, 0, SYN, 5, &[], 0), 0),
            (tcp4(B, A, q, 5000, 1001, SYN | ACK, 5, &[], 0), 1),
            (tcp4(A, B, p, 1001, 5001, ACK, 5, &[], 0), 2),
            (tcp4(A, B, p, 1001, 5001, ACK, 5, &[], 10), 3),
            // Acknowledges 10 bytes never seen: reported.
            (tcp4(B, A, q, 5001, 1021, FIN | ACK, 5, &[], 0), 4),
            // The same gap again: not reported a second time; the FIN is
            // resent within 20 ms of the other side's last ACK, whose
            // duplicate-ACK counter the gap marked (-1, unsigned in
            // Wireshark): a fast retransmission.
            (tcp4(B, A, q, 5001, 1031, FIN | ACK, 5, &[], 0), 9),
            // New data past a hole, then an ACK past it: a new gap, reported.
            (tcp4(A, B, p, 1031, 5002, ACK, 5, &[], 10), 100),
            (tcp4(B, A, q, 5002, 1051, ACK, 5, &[], 0), 101),
        ];
        let mut a = Analyzer::new();
        let got: Vec<(u32, bool)> = frames
            .iter()
            .enumerate()
            .map(|(i, (f, ms))| {
                let t = feed_tcp(&mut a, i as u64 + 1, f, f.len(), *ms).unwrap();
                (t.analysis.flags, t.analysis.present)
            })
            .collect();
        assert_eq!(got[4], (ACK_LOST_PACKET, true));
        assert_eq!(got[5], (FAST_RETRANSMISSION, true));
        assert_eq!(got[6].0, LOST_PACKET);
        assert_eq!(got[7].0, ACK_LOST_PACKET);
    }

    #[test]
    fn partial_headers_are_analysed_as_wireshark_reads_them() {
        const SYN: u16 = 0x002;
        let p = (55001, 40501);
        // MSS, SACK permitted, a timestamp the capture cuts.
        let opts = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0];
        let syn = tcp4(A, B, p, 1, 0, SYN, 13, &opts, 100);
        let mut a = Analyzer::new();
        // Cut inside the options: every computed value, from the IP lengths.
        let t = feed_tcp(&mut a, 1, &syn, 14 + 20 + 34, 0).unwrap();
        assert_eq!(t.shown, TcpShown::Cut);
        assert_eq!((t.stream, t.seq, t.len, t.nxtseq), (0, 0, 100, 101));
        assert_eq!((t.window_size, t.flags), (0x2000, SYN));
        // Cut before the window: nothing (Wireshark gives up at the ports).
        let p2 = (55002, 40502);
        let f = tcp4(A, B, p2, 1, 0, SYN, 5, &[], 10);
        assert_eq!(feed_tcp(&mut a, 2, &f, 14 + 20 + 15, 1), None);
        // A header length below 20: stream, length and relative sequence.
        let f = tcp4(A, B, (54010, 40410), 1, 0, SYN, 3, &[], 4);
        let t = feed_tcp(&mut a, 3, &f, f.len(), 2).unwrap();
        assert_eq!(t.shown, TcpShown::Bogus);
        assert_eq!((t.stream, t.seq, t.len), (1, 0, 12));
        // Shorter than its header length: raw numbers, no length.
        let mut f = tcp4(A, B, (54011, 40411), 7, 0, SYN, 5, &[], 0);
        f[14 + 20 + 12] = 0xf0;
        let t = feed_tcp(&mut a, 4, &f, f.len(), 3).unwrap();
        assert_eq!(t.shown, TcpShown::Short);
        assert_eq!((t.stream, t.seq, t.ack, t.window_size), (2, 7, 0, 0x2000));
        assert!(!t.analysis.present);
    }

    #[test]
    fn options_captured_whole() {
        // MSS, NOP, window scale 7, a SACK block, then a cut timestamp.
        let o = [
            2, 4, 5, 0xb4, 1, 3, 3, 7, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9, 8, 10, 0,
        ];
        let (ws, sack) = captured_options(&o);
        assert_eq!(ws, Some(7));
        assert_eq!(&sack[..], &[(1, 9)]);
        // Fast Open: a cookie counts, a cookie request does not.
        assert_eq!(tfo_cookies(&[34, 2, 254, 4, 0xf9, 0x89]), 0);
        assert_eq!(
            tfo_cookies(&[34, 6, 1, 2, 3, 4, 254, 6, 0xf9, 0x89, 1, 2]),
            2
        );
        // Cut inside the cookie: not shown.
        assert_eq!(tfo_cookies(&[34, 10, 1, 2]), 0);
    }
}
