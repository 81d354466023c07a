//! Writes a large, realistic Ethernet capture for the `dissect` benchmark.
//! Every frame is made by strata's own layer builders (`Ethernet / Vlan /
//! Ipv4 / Tcp / Raw`), so writing the capture also exercises them.
//!
//! ```text
//! cargo run --release -p strata --example make_bench_capture -- OUT.pcap [N] [--fix-checksums]
//! ```
//!
//! Each frame is also dissected by strata as a self-check (and its
//! checksums verified by strata), and the TCP, UDP and ICMP(v6) checksums
//! are recomputed independently: any the builders got wrong is counted and
//! reported as a builder bug, and patched with `--fix-checksums` (see
//! [`Checksums`]).
//!
//! `N` (default 200 000) frames, classic pcap, microsecond timestamps,
//! LINKTYPE_ETHERNET. The traffic is deterministic (a fixed-seed xorshift),
//! so every run writes the same bytes:
//!
//! * Ethernet II between client hosts and a gateway; 10 % of the flows carry
//!   one 802.1Q tag, 2 % are QinQ (802.1ad S-tag + 802.1Q C-tag);
//! * about 70 % IPv4 / 30 % IPv6; 1 % of the IPv4 packets carry options
//!   (Router Alert, or NOP + Record Route);
//! * about 65 % TCP: a few hundred connections on 443 (one TLS record per
//!   segment) and 80 (HTTP/1.1), each with a handshake (MSS / SACK-permitted
//!   / timestamps / window scale, Linux or Windows option layouts),
//!   request/response rounds with MSS-sized segments and delayed ACKs,
//!   timestamps on every segment of Linux-style flows, occasional losses
//!   answered by duplicate ACKs with SACK blocks and a retransmission, then
//!   FIN or RST; sequence numbers, acknowledgements and TS values are
//!   consistent per connection;
//! * about 30 % UDP: DNS queries and answers (real messages), QUIC-sized
//!   datagrams on 443, NTP;
//! * about 5 % ICMP / ICMPv6: echo request/reply, and errors that quote the
//!   offending packet (port unreachable, time exceeded, fragmentation
//!   needed / packet too big; the last two quote a truncated segment, as
//!   routers do);
//! * frames of 60 to 1514 bytes (short frames padded to 60 with the Ethernet
//!   builder's trailer), timestamps increasing by 1 to 120 µs.
//!
//! The `dissect` benchmark includes this file as a module (`#[path]`) and
//! calls [`write_capture`].

use std::collections::VecDeque;
use std::error::Error;
use std::path::Path;

use strata::dissect::{dissect, Options};
use strata::field::{FieldKind, Value, Visitor};
use strata::packet::{Packet, Raw};
use strata::pcap::{CaptureWriter, FileFormat, Frame, Interface, Timestamp};
use strata::protocols::ethernet::EthernetBuilder;
use strata::protocols::icmp::IcmpBuilder;
use strata::protocols::icmpv6::Icmpv6Builder;
use strata::protocols::ipv4::{Ipv4Builder, Ipv4OptionBuilder};
use strata::protocols::ipv6::Ipv6Builder;
use strata::protocols::tcp::{TcpBuilder, TcpOptionBuilder, TcpSackBlockBuilder};
use strata::protocols::udp::UdpBuilder;
use strata::protocols::vlan::{Ieee8021adBuilder, VlanBuilder};
use strata::protocols::LayerKind;
use strata::FieldDesc;

/// Frames written when no count is given.
pub const DEFAULT_FRAMES: usize = 200_000;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const SEED: u64 = 0x5157_7a7a_d15e_c7ed;
/// 2024-03-01T12:00:00Z.
const START_SECS: i64 = 1_709_294_400;
const MIN_FRAME: usize = 60;
const MAX_FRAME: usize = 1514;

const FIN: u16 = 0x001;
const SYN: u16 = 0x002;
const RST: u16 = 0x004;
const PSH: u16 = 0x008;
const ACK: u16 = 0x010;

/// xorshift64* — tiny, deterministic, good enough for traffic shapes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub fn fill(&mut self, out: &mut [u8]) {
        for c in out.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            c.copy_from_slice(&v[..c.len()]);
        }
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        self.fill(&mut v);
        v
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// What went into a capture.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub frames: u64,
    pub bytes: u64,
    pub min_len: usize,
    pub max_len: usize,
    pub dot1q: u64,
    pub qinq: u64,
    pub ipv4: u64,
    pub ipv6: u64,
    pub ipv4_options: u64,
    pub tcp: u64,
    pub tcp_syn: u64,
    pub tcp_sack: u64,
    pub tcp_retrans: u64,
    pub udp: u64,
    pub dns: u64,
    pub icmp: u64,
    pub icmp_errors: u64,
    pub padded: u64,
    /// Frames strata did not dissect cleanly (only counted when checking).
    pub strata_invalid: u64,
    /// A few of them: (frame number, what, hex).
    pub strata_invalid_examples: Vec<(u64, String, String)>,
    /// Frames per size bucket: <128, <256, <512, <1024, <=1514.
    pub size_buckets: [u64; 5],
    /// Checksums the builders got wrong (patched with [`Checksums::Patch`]),
    /// per layer: TCP, UDP, ICMP and ICMPv6.
    pub builder_bad: [u64; 3],
    /// ICMP checksums recomputed because a quoted packet was patched.
    pub icmp_recomputed: u64,
    /// Checksums strata reports as bad once the capture is written (only
    /// counted when checking).
    pub strata_bad_checksums: u64,
}

/// What to do about wrong TCP / UDP / ICMP(v6) checksums from the builders.
///
/// Every checksum is recomputed independently and each one the builders got
/// wrong is counted in [`Summary::builder_bad`] (a builder bug: builders
/// once computed the pseudo-header with an upper-layer length of 0, because
/// `sizeof(self)` in `under.pseudo(6, sizeof(self))` compiled to `0u64` in
/// builder code). [`Patch`](Checksums::Patch) also writes the right value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checksums {
    /// Write the builders' bytes unchanged.
    AsBuilt,
    /// Recompute wrong checksums (and count them).
    Patch,
}

/// Writes `n` frames to `path` (classic pcap, µs, Ethernet). With `check`,
/// every frame is also dissected by strata and the frames that do not
/// dissect cleanly are counted (expected only for ICMP errors quoting a
/// truncated packet).
pub fn write_capture(path: &Path, n: usize, check: bool, checksums: Checksums) -> Result<Summary> {
    let mut w = CaptureWriter::create(
        path,
        FileFormat::Pcap {
            nanos: false,
            big_endian: false,
        },
        &[Interface::new(1, 262_144)],
    )?;
    let mut g = Generator::new(SEED, checksums);
    for _ in 0..n {
        let (timestamp, data) = g.next_frame()?;
        if check {
            let d = dissect(
                1,
                &data,
                Options {
                    deep: true,
                    verify_checksums: true,
                },
            );
            let mut bad = BadChecksums(0);
            for i in 0..d.layers.len() {
                d.visit_layer(i, &mut bad);
            }
            g.summary.strata_bad_checksums += u64::from(bad.0 > 0);
            if !d.is_valid() && !g.last_quotes_truncated {
                g.summary.strata_invalid += 1;
                if g.summary.strata_invalid_examples.len() < 5 {
                    let what = format!(
                        "{} / error {:?}",
                        d.protocols_string(),
                        d.error.map(|e| e.to_string())
                    );
                    let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
                    g.summary
                        .strata_invalid_examples
                        .push((g.summary.frames, what, hex));
                }
            }
        }
        w.write_frame(&Frame {
            interface_id: 0,
            linktype: 1,
            timestamp,
            orig_len: data.len() as u32,
            data: &data,
        })?;
    }
    w.finish()?;
    Ok(g.summary)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encap {
    Untagged,
    Dot1q { pcp: u8, vid: u16 },
    QinQ { svid: u16, cvid: u16 },
}

impl Encap {
    fn overhead(self) -> usize {
        match self {
            Encap::Untagged => 0,
            Encap::Dot1q { .. } => 4,
            Encap::QinQ { .. } => 8,
        }
    }
}

/// Addresses of the two ends of a flow, and per-direction IP state.
/// Index 0 is the client (on the capture's LAN side), 1 the server.
struct Ends {
    v6: bool,
    encap: Encap,
    mac: [[u8; 6]; 2],
    ip4: [[u8; 4]; 2],
    ip6: [[u8; 16]; 2],
    /// TTL / hop limit as seen at the capture point.
    ttl: [u8; 2],
    ip_id: [u16; 2],
    flow_label: [u32; 2],
}

const GATEWAY_MAC: [u8; 6] = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10];
const OUIS: [[u8; 3]; 6] = [
    [0x3c, 0x22, 0xfb],
    [0xf0, 0x18, 0x98],
    [0xa4, 0x83, 0xe7],
    [0x00, 0x50, 0x56],
    [0xdc, 0xa6, 0x32],
    [0x8c, 0x85, 0x90],
];
const PUBLIC_V4_FIRST: [u8; 12] = [13, 23, 34, 52, 93, 104, 140, 142, 151, 157, 185, 199];
const PUBLIC_V6_PREFIX: [[u8; 6]; 5] = [
    [0x26, 0x06, 0x47, 0x00, 0x00, 0x00],
    [0x2a, 0x00, 0x14, 0x50, 0x40, 0x01],
    [0x26, 0x20, 0x01, 0xec, 0x00, 0x0c],
    [0x2a, 0x04, 0x4e, 0x42, 0x02, 0x00],
    [0x24, 0x04, 0x68, 0x00, 0x40, 0x03],
];
const CLIENT_V6_PREFIX: [u8; 6] = [0x2a, 0x02, 0x80, 0x70, 0xc2, 0x8f];

impl Ends {
    fn new(rng: &mut Rng, idx: usize, v6: bool, server: Option<([u8; 4], [u8; 16])>) -> Ends {
        // Exact proportions of tagged flows in every class of flows.
        let encap = match idx % 50 {
            7 => Encap::QinQ {
                svid: 100 + (idx % 3) as u16,
                cvid: 10 + (idx % 7) as u16,
            },
            3 | 13 | 23 | 33 | 43 => Encap::Dot1q {
                pcp: if idx.is_multiple_of(4) { 5 } else { 0 },
                vid: 20 + (idx % 5) as u16,
            },
            _ => Encap::Untagged,
        };
        let oui = rng.pick(&OUIS);
        let mut cmac = [0u8; 6];
        cmac[..3].copy_from_slice(oui);
        rng.fill(&mut cmac[3..]);
        let subnet = match encap {
            Encap::Untagged => 1,
            Encap::Dot1q { vid, .. } => vid as u8,
            Encap::QinQ { cvid, .. } => 200 + cvid as u8,
        };
        let c4 = [10, 20, subnet, 10 + (idx % 240) as u8];
        let mut s4 = [*rng.pick(&PUBLIC_V4_FIRST), 0, 0, 0];
        rng.fill(&mut s4[1..]);
        s4[3] = s4[3].clamp(1, 254);
        let mut c6 = [0u8; 16];
        c6[..6].copy_from_slice(&CLIENT_V6_PREFIX);
        c6[7] = subnet;
        rng.fill(&mut c6[8..]);
        let mut s6 = [0u8; 16];
        let prefix = *rng.pick(&PUBLIC_V6_PREFIX);
        s6[..6].copy_from_slice(&prefix);
        rng.fill(&mut s6[10..]);
        if let Some((a, b)) = server {
            s4 = a;
            s6 = b;
        }
        let ttl = [64, *rng.pick(&[44u8, 52, 55, 57, 58, 116, 118, 121])];
        Ends {
            v6,
            encap,
            mac: [cmac, GATEWAY_MAC],
            ip4: [c4, s4],
            ip6: [c6, s6],
            ttl,
            ip_id: [rng.next_u32() as u16, rng.next_u32() as u16],
            flow_label: [
                rng.next_u32() & 0xf_ffff | 1,
                if rng.chance(0.5) {
                    0
                } else {
                    rng.next_u32() & 0xf_ffff | 1
                },
            ],
        }
    }

    /// Ethernet (+ tags) for a frame sent by side `from` (0 client, 1 server).
    fn link(&self, from: usize) -> Packet {
        let eth = EthernetBuilder::new()
            .dst(self.mac[1 - from])
            .src(self.mac[from]);
        match self.encap {
            Encap::Untagged => Packet::new().push(eth),
            Encap::Dot1q { pcp, vid } => eth / VlanBuilder::new().priority(pcp).id(vid),
            Encap::QinQ { svid, cvid } => {
                eth / Ieee8021adBuilder::new().id(svid) / VlanBuilder::new().id(cvid)
            }
        }
    }

    /// Link + IP header from side `from`; `df` for IPv4. `payload` is the
    /// size of what follows (IPv4 options only go where they fit).
    fn ip(
        &mut self,
        rng: &mut Rng,
        from: usize,
        df: bool,
        payload: usize,
        summary: &mut Summary,
    ) -> Packet {
        let p = self.link(from);
        let to = 1 - from;
        if self.v6 {
            summary.ipv6 += 1;
            p / Ipv6Builder::new()
                .flow(self.flow_label[from])
                .hlim(self.ttl[from])
                .src(self.ip6[from])
                .dst(self.ip6[to])
        } else {
            summary.ipv4 += 1;
            self.ip_id[from] = self.ip_id[from].wrapping_add(1);
            let mut ip = Ipv4Builder::new()
                .id(self.ip_id[from])
                .flags_df(df)
                .ttl(self.ttl[from])
                .src(self.ip4[from])
                .dst(self.ip4[to]);
            // 1.6 % of the packets that have room for 12 more bytes: about
            // 1 % of all IPv4 packets.
            if rng.chance(0.016) && payload + 12 <= MAX_FRAME - 14 - 20 - self.encap.overhead() {
                summary.ipv4_options += 1;
                ip = ip.options(ipv4_options(rng, self.ip4[from]));
            }
            p / ip
        }
    }
}

/// Router Alert (4 bytes), or NOP + Record Route with room for two hops
/// and the first one filled (12 bytes).
fn ipv4_options(rng: &mut Rng, hop: [u8; 4]) -> Vec<Ipv4OptionBuilder> {
    if rng.chance(0.5) {
        vec![Ipv4OptionBuilder::new().type_(148u8).ra(0u16)]
    } else {
        vec![
            Ipv4OptionBuilder::new().type_(1u8),
            Ipv4OptionBuilder::new()
                .type_(7u8)
                .rr_ptr(8u8)
                .rr_route(vec![hop.into(), [0, 0, 0, 0].into()]),
        ]
    }
}

// ---------------------------------------------------------------------------
// Application payloads

const NAMES: [&str; 20] = [
    "www.google.com",
    "fonts.gstatic.com",
    "api.github.com",
    "registry.npmjs.org",
    "static.crates.io",
    "index.crates.io",
    "en.wikipedia.org",
    "update.microsoft.com",
    "cdn.jsdelivr.net",
    "time.cloudflare.com",
    "imap.fastmail.com",
    "edge-7.cdn.example.net",
    "s3.eu-west-1.amazonaws.com",
    "outlook.office365.com",
    "gateway.push.apple.com",
    "i.ytimg.com",
    "connectivity-check.ubuntu.com",
    "deb.debian.org",
    "telemetry.example.org",
    "login.microsoftonline.com",
];

fn dns_name(out: &mut Vec<u8>, name: &str) {
    for label in name.split('.') {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
}

/// A DNS query (`answers == None`) or its answer with `answers` A/AAAA records.
fn dns_message(
    rng: &mut Rng,
    id: u16,
    name: &str,
    aaaa: bool,
    edns: bool,
    answers: Option<u16>,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(512);
    m.extend_from_slice(&id.to_be_bytes());
    let flags: u16 = if answers.is_some() { 0x8180 } else { 0x0100 };
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    m.extend_from_slice(&answers.unwrap_or(0).to_be_bytes());
    m.extend_from_slice(&0u16.to_be_bytes());
    m.extend_from_slice(&u16::from(edns).to_be_bytes());
    dns_name(&mut m, name);
    let qtype: u16 = if aaaa { 28 } else { 1 };
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    for _ in 0..answers.unwrap_or(0) {
        m.extend_from_slice(&[0xc0, 0x0c]);
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        m.extend_from_slice(&(rng.range(30, 3600) as u32).to_be_bytes());
        let rdlen: u16 = if aaaa { 16 } else { 4 };
        m.extend_from_slice(&rdlen.to_be_bytes());
        m.extend_from_slice(&rng.bytes(rdlen as usize));
    }
    if edns {
        // OPT: root name, type 41, UDP size 1232, no extended flags.
        m.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    }
    m
}

fn ntp_message(rng: &mut Rng, server: bool, origin: u64) -> Vec<u8> {
    let mut m = vec![0u8; 48];
    if server {
        m[0] = 0x24; // v4, server
        m[1] = 2;
        m[2] = 6;
        m[3] = 0xe7;
        m[4..8].copy_from_slice(&[0, 0, 0x02, 0x1f]);
        m[8..12].copy_from_slice(&[0, 0, 0x03, 0x4a]);
        m[12..16].copy_from_slice(&[0xc0, 0xa8, 0x01, 0x01]);
        let now = ((START_SECS as u64 + 2_208_988_800) << 32) | u64::from(rng.next_u32());
        m[16..24].copy_from_slice(&(now - (64 << 32)).to_be_bytes());
        m[24..32].copy_from_slice(&origin.to_be_bytes());
        m[32..40].copy_from_slice(&now.to_be_bytes());
        m[40..48].copy_from_slice(&(now + 0x10000).to_be_bytes());
    } else {
        m[0] = 0x23; // v4, client
        m[2] = 6;
        m[3] = 0xe9;
        m[40..48].copy_from_slice(&origin.to_be_bytes());
    }
    m
}

/// A connection ID for [`quic_short`]. Its first byte is kept in
/// `0x90..=0xbf`: random bytes there make Wireshark's CLTP heuristic (an
/// OSI "UD" TPDU is `LI, 0x4?`) claim the datagram and call it malformed.
fn quic_cid(rng: &mut Rng) -> [u8; 8] {
    let mut cid = [0u8; 8];
    rng.fill(&mut cid);
    cid[0] = 0x90 + cid[0] % 0x30;
    cid
}

/// A QUIC short-header packet (`len` >= 9 bytes): fixed bit set, the
/// connection ID, then protected bytes.
fn quic_short(rng: &mut Rng, cid: &[u8; 8], len: usize) -> Vec<u8> {
    let mut d = rng.bytes(len.max(9));
    d[0] = 0x40 | (d[0] & 0x3f);
    d[1..9].copy_from_slice(cid);
    d
}

/// One TLS 1.2/1.3 application-data record filling `len` bytes.
fn tls_record(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut r = rng.bytes(len.max(6));
    let body = (r.len() - 5) as u16;
    r[..3].copy_from_slice(&[0x17, 0x03, 0x03]);
    r[3..5].copy_from_slice(&body.to_be_bytes());
    r
}

fn text_body(rng: &mut Rng, len: usize) -> Vec<u8> {
    const WORDS: [&str; 12] = [
        "lorem ", "ipsum ", "dolor ", "sit ", "amet ", "packet ", "strata ", "layer ", "field ",
        "bench\n", "tcp ", "frame ",
    ];
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        out.extend_from_slice(rng.pick(&WORDS).as_bytes());
    }
    out.truncate(len);
    out
}

// ---------------------------------------------------------------------------
// Flows

struct Seg {
    flags: u16,
    seq: u32,
    ack: u32,
    payload: Vec<u8>,
    sack: Option<(u32, u32)>,
    retrans: bool,
}

enum Body {
    Tcp(Seg),
    Udp(Vec<u8>),
    Echo { ident: u16, seq: u16, data: Vec<u8> },
    PortUnreachable,
    TimeExceeded,
    TooBig,
}

struct Item {
    from: usize,
    body: Body,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum App {
    Tls,
    Http,
    Dns,
    Quic,
    Ntp,
    Ping,
}

struct Flow {
    ends: Ends,
    app: App,
    port: [u16; 2],
    queue: VecDeque<Item>,
    // TCP
    linux: bool,
    established: bool,
    rounds_left: u32,
    snd: [u32; 2],
    mss: [u16; 2],
    ts_base: [u32; 2],
    ts_last: [u32; 2],
    // ICMP echo / DNS ids
    counter: u16,
    ident: u16,
}

fn ephemeral(rng: &mut Rng, linux: bool) -> u16 {
    if linux {
        rng.range(32_768, 60_999) as u16
    } else {
        rng.range(49_152, 65_535) as u16
    }
}

impl Flow {
    fn new(rng: &mut Rng, idx: usize, v6: bool, app: App) -> Flow {
        let resolver = match rng.below(3) {
            0 => (
                [8, 8, 8, 8],
                [
                    0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88,
                ],
            ),
            1 => (
                [1, 1, 1, 1],
                [
                    0x26, 0x06, 0x47, 0x00, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x11,
                ],
            ),
            _ => (
                [9, 9, 9, 9],
                [
                    0x26, 0x20, 0x00, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe,
                ],
            ),
        };
        let ends = Ends::new(
            rng,
            idx,
            v6,
            if app == App::Dns {
                Some(resolver)
            } else {
                None
            },
        );
        let linux = rng.chance(0.7);
        let server_port = match app {
            App::Tls | App::Quic => 443,
            App::Http => 80,
            App::Dns => 53,
            App::Ntp => 123,
            App::Ping => 0,
        };
        // Largest TCP payload so that frames stay within 1514 bytes.
        let l3 = if v6 { 40 } else { 20 };
        let mss = (1500 - l3 - 20 - ends.encap.overhead()) as u16;
        Flow {
            ends,
            app,
            port: [ephemeral(rng, linux), server_port],
            queue: VecDeque::new(),
            linux,
            established: false,
            rounds_left: 0,
            snd: [0, 0],
            mss: [mss, mss],
            ts_base: [rng.next_u32(), rng.next_u32()],
            ts_last: [0, 0],
            counter: rng.next_u32() as u16,
            ident: rng.next_u32() as u16,
        }
    }

    fn push(&mut self, from: usize, body: Body) {
        self.queue.push_back(Item { from, body });
    }

    fn push_seg(&mut self, from: usize, flags: u16, payload: Vec<u8>) {
        let seq = self.snd[from];
        let ack = if flags & ACK != 0 {
            self.snd[1 - from]
        } else {
            0
        };
        let len = payload.len() as u32 + u32::from(flags & (SYN | FIN) != 0);
        self.snd[from] = seq.wrapping_add(len);
        self.push(
            from,
            Body::Tcp(Seg {
                flags,
                seq,
                ack,
                payload,
                sack: None,
                retrans: false,
            }),
        );
    }

    /// TCP payload bytes per segment from `from` (options taken off the MSS).
    fn seg_size(&self, from: usize) -> usize {
        self.mss[from] as usize - if self.linux { 12 } else { 0 }
    }

    fn refill(&mut self, rng: &mut Rng) {
        match self.app {
            App::Tls | App::Http => self.refill_tcp(rng),
            App::Dns => {
                let id = rng.next_u32() as u16;
                let name = *rng.pick(&NAMES);
                let aaaa = self.ends.v6 || rng.chance(0.3);
                let edns = rng.chance(0.6);
                let q = dns_message(rng, id, name, aaaa, edns, None);
                let n = rng.range(1, 12) as u16;
                let a = dns_message(rng, id, name, aaaa, edns, Some(n));
                self.push(0, Body::Udp(q));
                self.push(1, Body::Udp(a));
            }
            App::Quic => {
                let cid = quic_cid(rng);
                let short = |rng: &mut Rng, len: usize| quic_short(rng, &cid, len);
                let max = if self.ends.v6 { 1232 } else { 1252 };
                let req = rng.range(30, 90) as usize;
                let d = short(rng, req);
                self.push(0, Body::Udp(d));
                for _ in 0..rng.range(1, 12) {
                    let len = if rng.chance(0.85) {
                        max - self.ends.encap.overhead()
                    } else {
                        rng.range(40, 900) as usize
                    };
                    let d = short(rng, len);
                    self.push(1, Body::Udp(d));
                }
            }
            App::Ntp => {
                let origin = ((START_SECS as u64 + 2_208_988_800) << 32) | rng.next_u64() >> 32;
                let q = ntp_message(rng, false, origin);
                let a = ntp_message(rng, true, origin);
                self.push(0, Body::Udp(q));
                self.push(1, Body::Udp(a));
            }
            App::Ping => {
                if rng.chance(0.8) {
                    self.counter = self.counter.wrapping_add(1);
                    let data = if self.linux {
                        let mut d = rng.bytes(8);
                        d.extend(0x10u8..0x38);
                        d
                    } else {
                        b"abcdefghijklmnopqrstuvwabcdefghi".to_vec()
                    };
                    for from in [0, 1] {
                        let (ident, seq) = (self.ident, self.counter);
                        self.push(
                            from,
                            Body::Echo {
                                ident,
                                seq,
                                data: data.clone(),
                            },
                        );
                    }
                } else {
                    let body = match rng.below(3) {
                        0 => Body::PortUnreachable,
                        1 => Body::TimeExceeded,
                        _ => Body::TooBig,
                    };
                    self.push(1, body);
                }
            }
        }
    }

    fn refill_tcp(&mut self, rng: &mut Rng) {
        if !self.established {
            self.established = true;
            self.rounds_left = rng.range(1, 6) as u32;
            self.port[0] = ephemeral(rng, self.linux);
            self.snd = [rng.next_u32(), rng.next_u32()];
            self.push_seg(0, SYN, Vec::new());
            self.push_seg(1, SYN | ACK, Vec::new());
            self.push_seg(0, ACK, Vec::new());
            return;
        }
        if self.rounds_left == 0 {
            self.established = false;
            if rng.chance(0.1) {
                self.push_seg(1, RST | ACK, Vec::new());
            } else {
                self.push_seg(0, FIN | ACK, Vec::new());
                self.push_seg(1, FIN | ACK, Vec::new());
                self.push_seg(0, ACK, Vec::new());
            }
            return;
        }
        self.rounds_left -= 1;
        let resp_len = match rng.below(10) {
            0..=3 => rng.range(60, 1400),
            4..=7 => rng.range(1500, 24_000),
            _ => rng.range(24_000, 90_000),
        } as usize;
        let (request, response) = match self.app {
            App::Http => {
                let req = format!(
                    "GET /assets/{:08x}.js HTTP/1.1\r\nHost: {}\r\nUser-Agent: Mozilla/5.0 \
                     (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0\r\nAccept: \
                     */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
                    rng.next_u32(),
                    rng.pick(&NAMES)
                );
                let body = text_body(rng, resp_len);
                let mut resp = format!(
                    "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: \
                     text/plain\r\nContent-Length: {}\r\nCache-Control: max-age=3600\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                resp.extend_from_slice(&body);
                (vec![req.into_bytes()], resp_chunks(resp, self.seg_size(1)))
            }
            _ => {
                let req = rng.range(40, 1900) as usize;
                let reqs = split_len(req, self.seg_size(0))
                    .into_iter()
                    .map(|l| tls_record(rng, l))
                    .collect();
                let resps = split_len(resp_len, self.seg_size(1))
                    .into_iter()
                    .map(|l| tls_record(rng, l))
                    .collect();
                (reqs, resps)
            }
        };
        let nreq = request.len();
        for (i, r) in request.into_iter().enumerate() {
            let flags = if i + 1 == nreq { PSH | ACK } else { ACK };
            self.push_seg(0, flags, r);
        }
        // The server's segments, a loss now and then (SACKed, then repaired).
        let n = response.len();
        let lost = (n >= 4 && rng.chance(0.2)).then(|| rng.below(n - 2));
        let mut segs = Vec::with_capacity(n);
        for (i, r) in response.into_iter().enumerate() {
            let flags = if i + 1 == n { PSH | ACK } else { ACK };
            let seq = self.snd[1];
            self.snd[1] = seq.wrapping_add(r.len() as u32);
            segs.push((flags, seq, r));
        }
        let ack_c = self.snd[0];
        let end_of = |s: &(u16, u32, Vec<u8>)| s.1.wrapping_add(s.2.len() as u32);
        let mut hole = lost;
        let mut unacked = 0;
        for i in 0..n {
            let last = i + 1 == n;
            if Some(i) != lost {
                let (flags, seq, ref p) = segs[i];
                self.push(
                    1,
                    Body::Tcp(Seg {
                        flags,
                        seq,
                        ack: ack_c,
                        payload: p.clone(),
                        sack: None,
                        retrans: false,
                    }),
                );
                unacked += 1;
                let end = end_of(&segs[i]);
                if unacked >= 2 || last {
                    unacked = 0;
                    let (ack, sack) = match hole {
                        Some(h) if i > h => (segs[h].1, Some((end_of(&segs[h]), end))),
                        _ => (end, None),
                    };
                    self.push(
                        0,
                        Body::Tcp(Seg {
                            flags: ACK,
                            seq: ack_c,
                            ack,
                            payload: Vec::new(),
                            sack,
                            retrans: false,
                        }),
                    );
                }
                if let Some(h) = hole {
                    if i >= h + 3 || last {
                        let (flags, seq, ref p) = segs[h];
                        self.push(
                            1,
                            Body::Tcp(Seg {
                                flags,
                                seq,
                                ack: ack_c,
                                payload: p.clone(),
                                sack: None,
                                retrans: true,
                            }),
                        );
                        self.push(
                            0,
                            Body::Tcp(Seg {
                                flags: ACK,
                                seq: ack_c,
                                ack: end,
                                payload: Vec::new(),
                                sack: None,
                                retrans: false,
                            }),
                        );
                        hole = None;
                        unacked = 0;
                    }
                }
            }
        }
    }

    fn tcp_options(&mut self, from: usize, seg: &Seg, now_ms: u32) -> Vec<TcpOptionBuilder> {
        let nop = || TcpOptionBuilder::new().kind(1u8);
        let mut o = Vec::new();
        if seg.flags & RST != 0 {
            return o;
        }
        let tsval = self.ts_base[from].wrapping_add(now_ms);
        let tsecr = if seg.flags == SYN {
            0
        } else {
            self.ts_last[1 - from]
        };
        if self.linux {
            self.ts_last[from] = tsval;
        }
        let ts = || TcpOptionBuilder::new().kind(8u8).tsval(tsval).tsecr(tsecr);
        if seg.flags & SYN != 0 {
            let mss = TcpOptionBuilder::new().kind(2u8).mss_val(self.mss[from]);
            let ws = TcpOptionBuilder::new()
                .kind(3u8)
                .shift(if self.linux { 7u8 } else { 8u8 });
            let sack_perm = TcpOptionBuilder::new().kind(4u8);
            if self.linux {
                o.extend([mss, sack_perm, ts(), nop(), ws]);
            } else {
                o.extend([mss, nop(), ws, nop(), nop(), sack_perm]);
            }
            return o;
        }
        if self.linux {
            o.extend([nop(), nop(), ts()]);
        }
        if let Some((left, right)) = seg.sack {
            o.extend([
                nop(),
                nop(),
                TcpOptionBuilder::new()
                    .kind(5u8)
                    .blocks(vec![TcpSackBlockBuilder::new().left(left).right(right)]),
            ]);
        }
        o
    }
}

fn split_len(total: usize, chunk: usize) -> Vec<usize> {
    let mut v = Vec::new();
    let mut left = total;
    while left > 0 {
        let n = left.min(chunk);
        v.push(n);
        left -= n;
    }
    v
}

fn resp_chunks(data: Vec<u8>, chunk: usize) -> Vec<Vec<u8>> {
    data.chunks(chunk).map(<[u8]>::to_vec).collect()
}

// ---------------------------------------------------------------------------
// The generator

struct Generator {
    rng: Rng,
    now_ns: i64,
    /// Flows per (IPv6?, TCP/UDP/ICMP) class.
    classes: Vec<Vec<Flow>>,
    summary: Summary,
    last_quotes_truncated: bool,
    checksums: Checksums,
}

impl Generator {
    fn new(seed: u64, checksums: Checksums) -> Generator {
        let mut rng = Rng::new(seed);
        // (IPv6, class, flows, apps)
        let plan: [(bool, usize, &[App]); 6] = [
            (false, 180, &[App::Tls, App::Tls, App::Tls, App::Http]),
            (false, 80, &[App::Dns, App::Dns, App::Quic, App::Ntp]),
            (false, 12, &[App::Ping]),
            (true, 80, &[App::Tls, App::Tls, App::Tls, App::Http]),
            (true, 36, &[App::Dns, App::Dns, App::Quic, App::Ntp]),
            (true, 12, &[App::Ping]),
        ];
        let classes = plan
            .iter()
            .map(|&(v6, n, apps)| {
                (0..n)
                    .map(|i| Flow::new(&mut rng, i, v6, apps[(i + i / 50) % apps.len()]))
                    .collect()
            })
            .collect();
        Generator {
            rng,
            now_ns: START_SECS * 1_000_000_000,
            classes,
            summary: Summary {
                min_len: usize::MAX,
                ..Summary::default()
            },
            last_quotes_truncated: false,
            checksums,
        }
    }

    fn next_frame(&mut self) -> Result<(Timestamp, Vec<u8>)> {
        self.now_ns += self.rng.range(1, 120) as i64 * 1000;
        let v6 = self.rng.chance(0.3);
        let r = self.rng.range(0, 99);
        let class = match r {
            0..=64 => 0,
            65..=94 => 1,
            _ => 2,
        } + if v6 { 3 } else { 0 };
        let i = self.rng.below(self.classes[class].len());
        let flow = &mut self.classes[class][i];
        if flow.queue.is_empty() {
            flow.refill(&mut self.rng);
        }
        let item = flow.queue.pop_front().expect("refill queues an item");
        let now_ms = (self.now_ns / 1_000_000) as u32;
        self.last_quotes_truncated = false;
        let packet = emit(
            flow,
            item,
            &mut self.rng,
            now_ms,
            &mut self.summary,
            &mut self.last_quotes_truncated,
            self.checksums,
        )?;
        let mut data = finish(packet, &mut self.summary)?;
        let apply = self.checksums == Checksums::Patch;
        patch_checksums(1, &mut data, &mut self.summary, apply);
        let s = &mut self.summary;
        s.frames += 1;
        s.bytes += data.len() as u64;
        s.min_len = s.min_len.min(data.len());
        s.max_len = s.max_len.max(data.len());
        s.size_buckets[match data.len() {
            0..=127 => 0,
            128..=255 => 1,
            256..=511 => 2,
            512..=1023 => 3,
            _ => 4,
        }] += 1;
        match flow.ends.encap {
            Encap::Untagged => {}
            Encap::Dot1q { .. } => s.dot1q += 1,
            Encap::QinQ { .. } => s.qinq += 1,
        }
        if data.len() > MAX_FRAME {
            return Err(format!("frame {} is {} bytes", s.frames, data.len()).into());
        }
        let ts = Timestamp::from_nanos(i128::from(self.now_ns)).expect("in range");
        Ok((ts, data))
    }
}

/// Builds one item of a flow as a stacked packet.
fn emit(
    flow: &mut Flow,
    item: Item,
    rng: &mut Rng,
    now_ms: u32,
    s: &mut Summary,
    truncated_quote: &mut bool,
    checksums: Checksums,
) -> Result<Packet> {
    let from = item.from;
    let (sport, dport) = (flow.port[from], flow.port[1 - from]);
    Ok(match item.body {
        Body::Tcp(seg) => {
            s.tcp += 1;
            s.tcp_syn += u64::from(seg.flags & SYN != 0);
            s.tcp_sack += u64::from(seg.sack.is_some());
            s.tcp_retrans += u64::from(seg.retrans);
            let options = flow.tcp_options(from, &seg, now_ms);
            let window: u16 = if seg.flags & SYN != 0 {
                [64_240, 65_160][from]
            } else if flow.linux {
                rng.range(501, 2_100) as u16
            } else {
                rng.range(1_020, 1_026) as u16
            };
            let tcp = TcpBuilder::new()
                .srcport(sport)
                .dstport(dport)
                .seq(seg.seq)
                .ack(seg.ack)
                .flags(seg.flags)
                .window_size_value(window)
                .options(options);
            let l4 = 20 + 12 + 12 + seg.payload.len();
            let ip = flow.ends.ip(rng, from, true, l4, s);
            if seg.payload.is_empty() {
                ip / tcp
            } else {
                ip / tcp / Raw(seg.payload)
            }
        }
        Body::Udp(payload) => {
            s.udp += 1;
            s.dns += u64::from(flow.app == App::Dns);
            let df = flow.app == App::Quic;
            flow.ends.ip(rng, from, df, 8 + payload.len(), s)
                / UdpBuilder::new().srcport(sport).dstport(dport)
                / Raw(payload)
        }
        Body::Echo { ident, seq, data } => {
            s.icmp += 1;
            let ip = flow.ends.ip(rng, from, true, 8 + data.len(), s);
            if flow.ends.v6 {
                ip / Icmpv6Builder::new()
                    .type_(128 + from as u8)
                    .echo_identifier(ident)
                    .echo_sequence_number(seq)
                    / Raw(data)
            } else {
                ip / IcmpBuilder::new()
                    .type_(if from == 0 { 8u8 } else { 0u8 })
                    .ident(ident)
                    .seq(seq)
                    / Raw(data)
            }
        }
        body @ (Body::PortUnreachable | Body::TimeExceeded | Body::TooBig) => {
            s.icmp += 1;
            s.icmp_errors += 1;
            icmp_error(flow, body, rng, s, truncated_quote, checksums)?
        }
    })
}

/// An ICMP(v6) error sent to the client, quoting a packet the client sent.
fn icmp_error(
    flow: &mut Flow,
    body: Body,
    rng: &mut Rng,
    s: &mut Summary,
    truncated_quote: &mut bool,
    checksums: Checksums,
) -> Result<Packet> {
    let e = &mut flow.ends;
    let v6 = e.v6;
    // Errors come from the server (port unreachable) or from a router on
    // the way (the others): swap the sender address for a moment.
    let server = (e.ip4[1], e.ip6[1]);
    if !matches!(body, Body::PortUnreachable) {
        e.ip4[1] = [e.ip4[1][0], 0x4e, 0x10, 0x01];
        e.ip6[1] = [
            0x2a, 0x02, 0x80, 0x70, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ];
    }
    let outer = e.ip(rng, 1, false, 1280, s);
    let (c4, s4, c6, s6) = (e.ip4[0], server.0, e.ip6[0], server.1);
    e.ip4[1] = server.0;
    e.ip6[1] = server.1;
    let probe_ttl = if matches!(body, Body::TimeExceeded) {
        1
    } else {
        e.ttl[0]
    };
    let cport = flow.port[0];
    // A traceroute-style UDP probe, quoted in full.
    let probe_udp = UdpBuilder::new()
        .srcport(cport)
        .dstport(33_434 + rng.range(0, 90) as u16);
    let probe_data = Raw(vec![0u8; 32]);
    let quoted_v4 = Ipv4Builder::new()
        .id(rng.next_u32() as u16)
        .ttl(probe_ttl)
        .src(c4)
        .dst(s4);
    let quoted_v6 = Ipv6Builder::new().hlim(probe_ttl).src(c6).dst(s6);
    Ok(match body {
        Body::PortUnreachable | Body::TimeExceeded => {
            let te = matches!(body, Body::TimeExceeded);
            if v6 {
                outer
                    / Icmpv6Builder::new()
                        .type_(if te { 3u8 } else { 1u8 })
                        .code(if te { 0u8 } else { 4u8 })
                        .reserved_err(vec![0u8; 4])
                    / quoted_v6
                    / probe_udp
                    / probe_data
            } else if te {
                outer
                    / IcmpBuilder::new()
                        .type_(11u8)
                        .code(0u8)
                        .unused_q(vec![0u8; 4])
                    / quoted_v4
                    / probe_udp
                    / probe_data
            } else {
                outer
                    / IcmpBuilder::new().type_(3u8).code(3u8).unused(vec![0u8; 4])
                    / quoted_v4
                    / probe_udp
                    / probe_data
            }
        }
        _ => {
            // A packet that did not fit the next hop, quoted as routers do:
            // IPv4 routers often quote only the IP header and 8 bytes
            // (RFC 792), which cuts the TCP header short; IPv6 quotes as much
            // as fits in 1280 bytes (RFC 4443), here of a QUIC-sized datagram.
            *truncated_quote = true;
            let apply = checksums == Checksums::Patch;
            if v6 {
                let udp = UdpBuilder::new().srcport(cport).dstport(443u16);
                let cid = quic_cid(rng);
                let datagram = quic_short(rng, &cid, 1350);
                let mut q = (quoted_v6 / udp / Raw(datagram)).build()?;
                patch_checksums(101, &mut q, s, apply);
                q.truncate(1280 - 40 - 8);
                outer / Icmpv6Builder::new().type_(2u8).code(0u8).mtu(1280u32) / Raw(q)
            } else {
                let tcp = TcpBuilder::new()
                    .srcport(cport)
                    .dstport(443u16)
                    .seq(rng.next_u32())
                    .ack(rng.next_u32())
                    .flags(ACK | PSH)
                    .window_size_value(501u16);
                let payload = Raw(tls_record(rng, 1400));
                let mut q = (quoted_v4.flags_df(true) / tcp / payload).build()?;
                patch_checksums(101, &mut q, s, apply);
                q.truncate(20 + 8);
                outer
                    / IcmpBuilder::new()
                        .type_(3u8)
                        .code(4u8)
                        .unused_mtu(vec![0u8; 2])
                        .mtu(1400u16)
                    / Raw(q)
            }
        }
    })
}

/// Internet checksum of `parts` taken as one byte stream.
fn internet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for part in parts {
        for &b in *part {
            match odd.take() {
                Some(hi) => sum += u64::from(u16::from_be_bytes([hi, b])),
                None => odd = Some(b),
            }
        }
    }
    if let Some(hi) = odd {
        sum += u64::from(u16::from_be_bytes([hi, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Recomputes the TCP, UDP, ICMPv6 (pseudo-header) and ICMP checksums of a
/// frame, innermost first (a quoted packet is covered by the ICMP checksum
/// around it), and counts the ones the builders got wrong. Without `apply`
/// only counts.
fn patch_checksums(linktype: u32, data: &mut [u8], s: &mut Summary, apply: bool) {
    let layers: Vec<(LayerKind, usize, usize)> = {
        let d = dissect(linktype, data, Options::default());
        d.layers
            .iter()
            .map(|l| (l.kind(), l.offset as usize, l.view.layer_len()))
            .collect()
    };
    let mut inner_patched = false;
    for i in (0..layers.len()).rev() {
        let (kind, off, len) = layers[i];
        let (at, proto, slot) = match kind {
            LayerKind::Tcp => (16, 6u8, Some(0)),
            LayerKind::Udp => (6, 17, Some(1)),
            LayerKind::Icmpv6 => (2, 58, Some(2)),
            LayerKind::Icmp => (2, 0, None),
            _ => continue,
        };
        if off + len > data.len() || len < at + 2 {
            continue;
        }
        // Leave alone what the IP header says is longer than what is there
        // (a quote cut short in an ICMP error): its checksum covers bytes
        // that are not in the frame.
        let ip = layers[..i]
            .iter()
            .rev()
            .find(|l| matches!(l.0, LayerKind::Ipv4 | LayerKind::Ipv6));
        let cut = match ip {
            Some(&(LayerKind::Ipv4, o, ip_len)) => {
                usize::from(u16::from_be_bytes([data[o + 2], data[o + 3]])) > ip_len
            }
            Some(&(_, o, ip_len)) => {
                40 + usize::from(u16::from_be_bytes([data[o + 4], data[o + 5]])) > ip_len
            }
            None => false,
        };
        if cut {
            continue;
        }
        let mut pseudo = Vec::with_capacity(40);
        if proto != 0 {
            match ip {
                Some(&(LayerKind::Ipv4, o, _)) => {
                    pseudo.extend_from_slice(&data[o + 12..o + 20]);
                    pseudo.extend_from_slice(&[0, proto]);
                    pseudo.extend_from_slice(&(len as u16).to_be_bytes());
                }
                Some(&(_, o, _)) => {
                    pseudo.extend_from_slice(&data[o + 8..o + 40]);
                    pseudo.extend_from_slice(&(len as u32).to_be_bytes());
                    pseudo.extend_from_slice(&[0, 0, 0, proto]);
                }
                None => continue,
            }
        }
        let seg = &mut data[off..off + len];
        let stored = u16::from_be_bytes([seg[at], seg[at + 1]]);
        seg[at..at + 2].copy_from_slice(&[0, 0]);
        let mut c = internet_checksum(&[&pseudo, seg]);
        if proto == 17 && c == 0 {
            c = 0xffff;
        }
        let write = if apply { c } else { stored };
        seg[at..at + 2].copy_from_slice(&write.to_be_bytes());
        if c != stored {
            match slot {
                _ if inner_patched && proto != 6 && proto != 17 => s.icmp_recomputed += 1,
                Some(k) => s.builder_bad[k] += 1,
                // An ICMP checksum wrong on its own: a builder bug too.
                None => s.builder_bad[2] += 1,
            }
            inner_patched = apply;
        }
    }
}

/// Counts checksum status fields that say "bad".
struct BadChecksums(u32);

impl<'a> Visitor<'a> for BadChecksums {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, _offset: u32, _len: u32) {
        if desc.kind == FieldKind::Status && value == Value::UInt(0) {
            self.0 += 1;
        }
    }
}

/// Serializes, padding short frames to 60 bytes with the Ethernet
/// builder's trailer.
fn finish(mut p: Packet, s: &mut Summary) -> Result<Vec<u8>> {
    let bytes = p.build()?;
    if bytes.len() >= MIN_FRAME {
        return Ok(bytes);
    }
    s.padded += 1;
    p.layers[0].trailer_mut().resize(MIN_FRAME - bytes.len(), 0);
    let padded = p.build()?;
    if padded.len() != MIN_FRAME || !padded.starts_with(&bytes) {
        return Err(format!(
            "builder bug: padding a {}-byte frame with a {}-byte Ethernet trailer gave {} bytes",
            bytes.len(),
            MIN_FRAME - bytes.len(),
            padded.len()
        )
        .into());
    }
    Ok(padded)
}

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: make_bench_capture OUT.pcap [N] [--fix-checksums]");
        std::process::exit(2);
    };
    let mut n = DEFAULT_FRAMES;
    let mut checksums = Checksums::AsBuilt;
    for a in args {
        match a.to_str() {
            Some("--fix-checksums") => checksums = Checksums::Patch,
            Some(x) => n = x.parse().map_err(|_| format!("bad argument {x:?}"))?,
            None => return Err("bad argument".into()),
        }
    }
    let t = std::time::Instant::now();
    let s = write_capture(Path::new(&out), n, true, checksums)?;
    let el = t.elapsed();
    let pct = |x: u64| 100.0 * x as f64 / s.frames.max(1) as f64;
    println!(
        "wrote {} frames, {} bytes ({:.1} MB) to {} in {:.2?} ({:.0} ns/frame)",
        s.frames,
        s.bytes,
        s.bytes as f64 / 1e6,
        Path::new(&out).display(),
        el,
        el.as_nanos() as f64 / s.frames.max(1) as f64
    );
    println!(
        "frame sizes: {}..={} (mean {:.0}); <128: {:.1}%, <256: {:.1}%, <512: {:.1}%, <1024: {:.1}%, >=1024: {:.1}%; padded to 60: {:.2}%",
        s.min_len,
        s.max_len,
        s.bytes as f64 / s.frames.max(1) as f64,
        pct(s.size_buckets[0]),
        pct(s.size_buckets[1]),
        pct(s.size_buckets[2]),
        pct(s.size_buckets[3]),
        pct(s.size_buckets[4]),
        pct(s.padded)
    );
    println!(
        "802.1Q: {:.1}%  QinQ: {:.1}%  IPv4: {:.1}% (options: {})  IPv6: {:.1}%",
        pct(s.dot1q),
        pct(s.qinq),
        pct(s.ipv4),
        s.ipv4_options,
        pct(s.ipv6)
    );
    println!(
        "TCP: {:.1}% (SYN: {}, SACK: {}, retransmissions: {})  UDP: {:.1}% (DNS: {})  ICMP/ICMPv6: {:.1}% (errors: {})",
        pct(s.tcp),
        s.tcp_syn,
        s.tcp_sack,
        s.tcp_retrans,
        pct(s.udp),
        s.dns,
        pct(s.icmp),
        s.icmp_errors
    );
    println!(
        "strata self-check: {} frames did not dissect cleanly (ICMP errors quoting a truncated packet excluded)",
        s.strata_invalid
    );
    for (n, what, hex) in &s.strata_invalid_examples {
        println!("  frame {n}: {what}\n    {hex}");
    }
    println!(
        "strata checksum check (verify_checksums): {} frames with a bad checksum status",
        s.strata_bad_checksums
    );
    let [tcp, udp, icmpv6] = s.builder_bad;
    if tcp + udp + icmpv6 > 0 {
        let what = match checksums {
            Checksums::Patch => "recomputed them",
            Checksums::AsBuilt => "left them as built (--fix-checksums recomputes them)",
        };
        eprintln!(
            "WARNING: BUILDER BUG: the builders wrote wrong checksums: {tcp} TCP, {udp} UDP, \
             {icmpv6} ICMP(v6) (pseudo-header built with an upper-layer length of 0); \
             {what}{}",
            if s.icmp_recomputed > 0 {
                format!(
                    " (+{} ICMP checksums covering a patched quote)",
                    s.icmp_recomputed
                )
            } else {
                String::new()
            }
        );
    }
    Ok(())
}
