//! Stateful per-conversation analysis for the computed fields Wireshark shows
//! next to the wire values: `tcp.stream`, relative sequence and
//! acknowledgement numbers, `tcp.len`, `tcp.nxtseq`, window scaling,
//! per-stream times, `udp.stream`. Not a layout: a runtime service fed with
//! dissected frames in capture order (single pass, like tshark's default).

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

/// Computed TCP values for one segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpInfo {
    /// Conversation index.
    pub stream: u32,
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

/// What the analysis computed for one layer of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerInfo {
    /// A TCP layer.
    Tcp(Box<TcpInfo>),
    /// A UDP layer.
    Udp(UdpInfo),
}

/// Per-frame results: `(layer index, info)`.
pub type FrameInfo = smallvec::SmallVec<[(usize, LayerInfo); 2]>;

/// The conversation tables.
#[derive(Debug, Default)]
pub struct Analyzer {
    tcp: HashMap<ConvKey, TcpConv>,
    udp: HashMap<ConvKey, UdpConv>,
    next_tcp: u32,
    next_udp: u32,
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
                    let mut info = self.tcp_segment(t, src, dst, number, ts, len, quoted);
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
                _ => {}
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn tcp_segment(
        &mut self,
        t: &crate::protocols::tcp::Tcp<'_>,
        src: [u8; 16],
        dst: [u8; 16],
        number: u64,
        ts: Timestamp,
        len: u32,
        quoted: bool,
    ) -> TcpInfo {
        const SYN: u16 = 0x002;
        const ACK: u16 = 0x010;
        const FIN: u16 = 0x001;
        const RST: u16 = 0x004;
        let fl = t.flags();
        let syn = fl & SYN != 0;
        let ackf = fl & ACK != 0;
        let fin = fl & FIN != 0;
        let rst = fl & RST != 0;
        let seq_raw = t.seq();
        let ack_raw = t.ack();
        let window = t.window_size_value() as u32;
        let (k, fwd) = key(src, dst, t.srcport(), t.dstport());
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
        if quoted {
            return TcpInfo {
                stream: c.stream,
                quoted: true,
                quoted_icmpv6: false,
                seq: seq_raw,
                ack: ack_raw,
                len,
                nxtseq: seq_raw,
                window_size: window,
                scalefactor: if syn { None } else { Some(-1) },
                time_relative,
                time_delta,
                flags: fl,
                completeness,
                analysis: SeqAnalysis::default(),
                fin_active: None,
                sack: Default::default(),
            };
        }
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
                c.dirs[d].wscale = wscale_of(t);
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
        let raw_sack: smallvec::SmallVec<[(u32, u32); 4]> = t
            .options()
            .filter_map(|o| o.blocks())
            .flat_map(|b| b.map(|x| (x.left(), x.right())))
            .collect();
        let obase = c.dirs[1 - d].base.unwrap_or(0);
        let sack = raw_sack
            .iter()
            .map(|(l, r)| (l.wrapping_sub(obase), r.wrapping_sub(obase)))
            .collect();
        c.dirs[d].sack = raw_sack;
        TcpInfo {
            stream: c.stream,
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
    if r.maxseqtobeacked != 0 && gt_seq(ack, r.maxseqtobeacked) && fl & ACK != 0 {
        a.flags |= ACK_LOST_PACKET;
        r.maxseqtobeacked = r.nextseq;
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
            && r.dupacknum >= 2
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

fn wscale_of(t: &crate::protocols::tcp::Tcp<'_>) -> Option<u8> {
    t.options().find_map(|o| o.shift())
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
