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

#[derive(Clone, Copy, Debug, Default)]
struct Dir {
    base: Option<u32>,
    syn_seen: bool,
    /// Window scale shift from this direction's SYN (`None`: SYN without option).
    wscale: Option<u8>,
    fin: bool,
}

#[derive(Clone, Debug)]
struct TcpConv {
    stream: u32,
    dirs: [Dir; 2],
    first: Timestamp,
    last: Timestamp,
    rst: bool,
}

#[derive(Clone, Debug)]
struct UdpConv {
    stream: u32,
    first: Timestamp,
    last: Timestamp,
}

/// Computed TCP values for one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpInfo {
    /// Conversation index.
    pub stream: u32,
    /// The segment is quoted inside an ICMP error (raw numbers).
    pub quoted: bool,
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
    /// The flags as Wireshark's 12-character string.
    pub flags: u16,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerInfo {
    /// A TCP layer.
    Tcp(TcpInfo),
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

    /// Analyzes one frame; call for every frame in capture order.
    pub fn frame(&mut self, d: &Dissection<'_>, ts: Timestamp, orig_len: u32) -> FrameInfo {
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
                    let info = self.tcp_segment(t, src, dst, ts, len, quoted);
                    out.push((i, LayerInfo::Tcp(info)));
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

    fn tcp_segment(
        &mut self,
        t: &crate::protocols::tcp::Tcp<'_>,
        src: [u8; 16],
        dst: [u8; 16],
        ts: Timestamp,
        len: u32,
        quoted: bool,
    ) -> TcpInfo {
        let flags = t.flags();
        let syn = flags & 0x002 != 0;
        let ackf = flags & 0x010 != 0;
        let fin = flags & 0x001 != 0;
        let rst = flags & 0x004 != 0;
        let seq_raw = t.seq();
        let ack_raw = t.ack();
        let (k, fwd) = key(src, dst, t.srcport(), t.dstport());
        let d = if fwd { 0 } else { 1 };
        // A new SYN on a finished conversation starts a new stream.
        let restart = match self.tcp.get(&k) {
            Some(c) if syn && !ackf && !quoted => {
                let dir = &c.dirs[d];
                c.rst
                    || (dir.fin && c.dirs[1 - d].fin)
                    || (dir.syn_seen && dir.base != Some(seq_raw))
            }
            _ => false,
        };
        if restart {
            self.tcp.remove(&k);
        }
        let next = &mut self.next_tcp;
        let c = self.tcp.entry(k).or_insert_with(|| {
            let s = *next;
            *next += 1;
            TcpConv {
                stream: s,
                dirs: [Dir::default(); 2],
                first: ts,
                last: ts,
                rst: false,
            }
        });
        let time_relative = (ts - c.first).as_nanos();
        let time_delta = (ts - c.last).as_nanos();
        c.last = ts;
        if quoted {
            return TcpInfo {
                stream: c.stream,
                quoted: true,
                seq: seq_raw,
                ack: ack_raw,
                len,
                nxtseq: seq_raw,
                window_size: t.window_size_value() as u32,
                scalefactor: if syn { None } else { Some(-1) },
                time_relative,
                time_delta,
                flags,
            };
        }
        // Sequence bases.
        if syn {
            c.dirs[d].base = Some(seq_raw);
            c.dirs[d].syn_seen = true;
            c.dirs[d].wscale = wscale_of(t);
        } else if c.dirs[d].base.is_none() {
            c.dirs[d].base = Some(seq_raw.wrapping_sub(1));
        }
        let seq = seq_raw.wrapping_sub(c.dirs[d].base.unwrap_or(0));
        let ack = if ackf {
            let o = &mut c.dirs[1 - d];
            if o.base.is_none() {
                o.base = Some(ack_raw.wrapping_sub(1));
            }
            ack_raw.wrapping_sub(o.base.unwrap_or(0))
        } else {
            ack_raw
        };
        let nxtseq = seq
            .wrapping_add(len)
            .wrapping_add(syn as u32)
            .wrapping_add(fin as u32);
        // Window scaling (Wireshark's table; never applied to SYN segments).
        let scalefactor = if syn {
            None
        } else {
            let (me, other) = (c.dirs[d], c.dirs[1 - d]);
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
        let raw_win = t.window_size_value() as u32;
        let window_size = match scalefactor {
            Some(f) if f > 0 => raw_win.saturating_mul(f as u32),
            _ => raw_win,
        };
        if fin {
            c.dirs[d].fin = true;
        }
        if rst {
            c.rst = true;
        }
        TcpInfo {
            stream: c.stream,
            quoted: false,
            seq,
            ack,
            len,
            nxtseq,
            window_size,
            scalefactor,
            time_relative,
            time_delta,
            flags,
        }
    }
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
