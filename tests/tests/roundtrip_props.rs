//! Property tests of the generated builders against the dissector.
//!
//! Random field values (random TCP option lists, IPv4 options, IPv6
//! hop-by-hop options, ICMP/ICMPv6 messages with quoted packets, VLAN stacks,
//! ARP with any address sizes) are set on builders stacked with `/`; the
//! bytes they build are dissected and the test asserts that
//!
//! * (a) the dissection is valid: no error, the expected layers in order;
//! * (b) every value that was set reads back equal through the views, and the
//!   option lists come out byte for byte as encoded independently here;
//! * (c) derived lengths are right and every checksum verifies: through the
//!   generated `checksum_status` functions (`Good`) and through an internet
//!   checksum computed independently in this file;
//! * (d) `Packet::from_dissection(&d).build()` gives the same bytes;
//! * (e) next-layer keys left unset (EtherType, IPv4 protocol, IPv6 next
//!   header, VLAN type) were filled by reverse binding.

use proptest::collection::vec;
use proptest::prelude::*;
use std::net::{Ipv4Addr, Ipv6Addr};
use strata::dissect::{dissect, Dissection, Options};
use strata::packet::{Packet, Raw};
use strata::protocols::arp::ArpBuilder;
use strata::protocols::ethernet::EthernetBuilder;
use strata::protocols::icmp::IcmpBuilder;
use strata::protocols::icmpv6::{Icmpv6Builder, NdOptionBuilder};
use strata::protocols::ipv4::{Ipv4Builder, Ipv4OptionBuilder, Ipv4TsEntryBuilder};
use strata::protocols::ipv6::{Ipv6Builder, Ipv6HopOptsBuilder, Ipv6OptionBuilder};
use strata::protocols::tcp::{TcpBuilder, TcpOptionBuilder, TcpSackBlockBuilder};
use strata::protocols::udp::UdpBuilder;
use strata::protocols::vlan::VlanBuilder;
use strata::protocols::{AnyLayer, LayerKind, NoUnder, Stack};
use strata::ChecksumStatus;

const CASES: u32 = 256;

// ---------------------------------------------------------------- checks

/// Builds, dissects and runs the checks every stack shares: (a) valid with
/// the expected layers, (c) every checksum `Good` through the views, (d) the
/// rebuild round trip. Returns the bytes.
fn build_and_dissect(p: Packet, kinds: &[LayerKind]) -> Vec<u8> {
    let bytes = p.build().expect("build");
    check_dissection(&bytes, kinds);
    bytes
}

fn check_dissection(bytes: &[u8], kinds: &[LayerKind]) {
    let d = dissect_eth(bytes);
    assert!(
        d.is_valid(),
        "invalid dissection: {:?}\nbytes: {}",
        d.error,
        hex(bytes)
    );
    let got: Vec<LayerKind> = d.layers.iter().map(|l| l.kind()).collect();
    assert_eq!(got, kinds, "layers of {}", hex(bytes));
    assert!(d.layers.iter().all(|l| !l.malformed));
    for (i, l) in d.layers.iter().enumerate() {
        let under = Stack(&d.layers[..i]);
        let status = match &l.view {
            AnyLayer::Ipv4(v) => Some(v.checksum_status(&NoUnder)),
            AnyLayer::Tcp(v) => Some(v.checksum_status(&under)),
            AnyLayer::Udp(v) => Some(v.checksum_status(&under)),
            AnyLayer::Icmp(v) => Some(v.checksum_status(&under)),
            AnyLayer::Icmpv6(v) => Some(v.checksum_status(&under)),
            _ => None,
        };
        if let Some(s) = status {
            assert_eq!(s, ChecksumStatus::Good, "{:?} checksum", l.kind());
        }
    }
    let rebuilt = Packet::from_dissection(&d)
        .expect("representable")
        .build()
        .expect("rebuild");
    assert_eq!(hex(&rebuilt), hex(bytes), "rebuild round trip");
}

fn dissect_eth(bytes: &[u8]) -> Dissection<'_> {
    dissect(
        1,
        bytes,
        Options {
            deep: true,
            verify_checksums: true,
        },
    )
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Ones' complement sum of 16-bit words over the concatenation of `parts`,
/// folded; a region holding its own correct checksum sums to 0xffff.
fn inet_sum(parts: &[&[u8]]) -> u16 {
    let all: Vec<u8> = parts.concat();
    let mut s: u32 = 0;
    for c in all.chunks(2) {
        let w = if c.len() == 2 {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], 0])
        };
        s += w as u32;
    }
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

fn pseudo4(ip: &[u8], proto: u8, len: usize) -> Vec<u8> {
    let mut p = ip[12..20].to_vec();
    p.extend_from_slice(&[0, proto]);
    p.extend_from_slice(&(len as u16).to_be_bytes());
    p
}

fn pseudo6(ip: &[u8], proto: u8, len: usize) -> Vec<u8> {
    let mut p = ip[8..40].to_vec();
    p.extend_from_slice(&(len as u32).to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, proto]);
    p
}

/// The layer at `i`, as a given view type.
macro_rules! view {
    ($d:expr, $i:expr, $kind:ident) => {
        match &$d.layers[$i].view {
            AnyLayer::$kind(v) => *v,
            other => panic!(
                "layer {} is {:?}, not {}",
                $i,
                other.kind(),
                stringify!($kind)
            ),
        }
    };
}

// ---------------------------------------------------------------- Ethernet

#[derive(Clone, Debug)]
struct Eth {
    dst: [u8; 6],
    src: [u8; 6],
    /// Bytes after the packet inside the frame (padding, trailers).
    trailer: Vec<u8>,
}

fn eth() -> impl Strategy<Value = Eth> {
    (
        any::<[u8; 6]>(),
        any::<[u8; 6]>(),
        prop_oneof![Just(Vec::new()), vec(any::<u8>(), 1..17)],
    )
        .prop_map(|(dst, src, trailer)| Eth { dst, src, trailer })
}

impl Eth {
    fn builder(&self) -> EthernetBuilder {
        EthernetBuilder {
            trailer: self.trailer.clone(),
            ..EthernetBuilder::new().dst(self.dst).src(self.src)
        }
    }

    /// The frame without the trailer.
    fn packet<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        let (packet, trailer) = bytes.split_at(bytes.len() - self.trailer.len());
        assert_eq!(trailer, &self.trailer[..]);
        packet
    }

    /// (b) and (e): addresses read back, type filled for the next layer.
    fn check(&self, d: &Dissection<'_>, next_type: u16) {
        let v = view!(d, 0, Ethernet);
        assert_eq!(v.dst().0, self.dst);
        assert_eq!(v.src().0, self.src);
        assert_eq!(v.dst_ig(), self.dst[0] & 1 == 1);
        assert_eq!(v.src_lg(), self.src[0] & 2 == 2);
        assert_eq!(u16::from(v.type_()), next_type, "eth.type from the bind");
        assert_eq!(&d.data[12..14], &next_type.to_be_bytes());
    }
}

// ---------------------------------------------------------------- IPv4

#[derive(Clone, Debug)]
enum V4Opt {
    Eol,
    Nop,
    /// Record route (7), loose (131) or strict (137) source route.
    Route {
        typ: u8,
        ptr: u8,
        route: Vec<[u8; 4]>,
    },
    /// Timestamp, flag 0: stamps only.
    Stamps {
        ptr: u8,
        overflow: u8,
        stamps: Vec<u32>,
    },
    /// Timestamp, flag 1 or 3: address and stamp pairs.
    Entries {
        ptr: u8,
        overflow: u8,
        flag: u8,
        entries: Vec<([u8; 4], u32)>,
    },
    RouterAlert(u16),
    StreamId(u16),
    Other {
        typ: u8,
        data: Vec<u8>,
    },
}

impl V4Opt {
    /// The option's bytes, encoded here independently of the builders.
    fn encode(&self) -> Vec<u8> {
        match self {
            V4Opt::Eol => vec![0],
            V4Opt::Nop => vec![1],
            V4Opt::Route { typ, ptr, route } => {
                let mut b = vec![*typ, (3 + 4 * route.len()) as u8, *ptr];
                route.iter().for_each(|a| b.extend_from_slice(a));
                b
            }
            V4Opt::Stamps {
                ptr,
                overflow,
                stamps,
            } => {
                let mut b = vec![68, (4 + 4 * stamps.len()) as u8, *ptr, overflow << 4];
                stamps
                    .iter()
                    .for_each(|s| b.extend_from_slice(&s.to_be_bytes()));
                b
            }
            V4Opt::Entries {
                ptr,
                overflow,
                flag,
                entries,
            } => {
                let mut b = vec![
                    68,
                    (4 + 8 * entries.len()) as u8,
                    *ptr,
                    overflow << 4 | flag,
                ];
                for (a, s) in entries {
                    b.extend_from_slice(a);
                    b.extend_from_slice(&s.to_be_bytes());
                }
                b
            }
            V4Opt::RouterAlert(v) => [&[148, 4][..], &v.to_be_bytes()].concat(),
            V4Opt::StreamId(v) => [&[136, 4][..], &v.to_be_bytes()].concat(),
            V4Opt::Other { typ, data } => [&[*typ, 2 + data.len() as u8][..], data].concat(),
        }
    }

    fn builder(&self) -> Ipv4OptionBuilder {
        let b = Ipv4OptionBuilder::default();
        match self.clone() {
            V4Opt::Eol => Ipv4OptionBuilder {
                type_: Some(0),
                ..b
            },
            V4Opt::Nop => Ipv4OptionBuilder {
                type_: Some(1),
                ..b
            },
            V4Opt::Route { typ, ptr, route } => {
                let route: Vec<Ipv4Addr> = route.into_iter().map(Ipv4Addr::from).collect();
                match typ {
                    7 => Ipv4OptionBuilder {
                        type_: Some(7),
                        rr_ptr: Some(ptr),
                        rr_route: route,
                        ..b
                    },
                    131 => Ipv4OptionBuilder {
                        type_: Some(131),
                        lsrr_ptr: Some(ptr),
                        lsrr_route: route,
                        ..b
                    },
                    _ => Ipv4OptionBuilder {
                        type_: Some(137),
                        ssrr_ptr: Some(ptr),
                        ssrr_route: route,
                        ..b
                    },
                }
            }
            V4Opt::Stamps {
                ptr,
                overflow,
                stamps,
            } => Ipv4OptionBuilder {
                type_: Some(68),
                ts_ptr: Some(ptr),
                overflow: Some(overflow),
                flag: Some(0),
                stamps: stamps.into_iter().map(u64::from).collect(),
                ..b
            },
            V4Opt::Entries {
                ptr,
                overflow,
                flag,
                entries,
            } => Ipv4OptionBuilder {
                type_: Some(68),
                ts_ptr: Some(ptr),
                overflow: Some(overflow),
                flag: Some(flag),
                entries: entries
                    .into_iter()
                    .map(|(a, s)| Ipv4TsEntryBuilder {
                        addr: Some(Ipv4Addr::from(a)),
                        stamp: Some(s),
                    })
                    .collect(),
                ..b
            },
            V4Opt::RouterAlert(v) => Ipv4OptionBuilder {
                type_: Some(148),
                ra: Some(v),
                ..b
            },
            V4Opt::StreamId(v) => Ipv4OptionBuilder {
                type_: Some(136),
                sid: Some(v),
                ..b
            },
            V4Opt::Other { typ, data } => Ipv4OptionBuilder {
                type_: Some(typ),
                data: Some(data),
                ..b
            },
        }
    }

    /// (b): the parsed option holds the values.
    fn check(&self, o: &strata::protocols::ipv4::Ipv4Option<'_>) {
        assert_eq!(o.as_bytes(), &self.encode()[..], "{self:?}");
        let ty = self.encode()[0];
        assert_eq!(o.type_(), ty);
        assert_eq!(o.type_copy(), ty >> 7 == 1);
        assert_eq!(o.type_class(), (ty >> 5) & 3);
        assert_eq!(o.type_number(), ty & 31);
        match self {
            V4Opt::Eol => assert!(o.eol().is_some() && o.len().is_none()),
            V4Opt::Nop => assert!(o.nop().is_some() && o.len().is_none()),
            V4Opt::Route { typ, ptr, route } => {
                let (p, r) = match typ {
                    7 => (o.rr_ptr(), o.rr_route()),
                    131 => (o.lsrr_ptr(), o.lsrr_route()),
                    _ => (o.ssrr_ptr(), o.ssrr_route()),
                };
                assert_eq!(p, Some(*ptr));
                let r: Vec<[u8; 4]> = r.expect("route").map(|a| a.octets()).collect();
                assert_eq!(&r, route);
            }
            V4Opt::Stamps {
                ptr,
                overflow,
                stamps,
            } => {
                assert_eq!(o.ts_ptr(), Some(*ptr));
                assert_eq!(o.overflow(), Some(*overflow));
                assert_eq!(o.flag(), Some(0));
                let s: Vec<u64> = o.stamps().expect("stamps").collect();
                let want: Vec<u64> = stamps.iter().map(|&x| x as u64).collect();
                assert_eq!(s, want);
            }
            V4Opt::Entries {
                ptr,
                overflow,
                flag,
                entries,
            } => {
                assert_eq!(o.ts_ptr(), Some(*ptr));
                assert_eq!(o.overflow(), Some(*overflow));
                assert_eq!(o.flag(), Some(*flag));
                let got: Vec<([u8; 4], u32)> = o
                    .entries()
                    .expect("entries")
                    .map(|e| (e.addr().octets(), e.stamp()))
                    .collect();
                assert_eq!(&got, entries);
            }
            V4Opt::RouterAlert(v) => assert_eq!(o.ra(), Some(*v)),
            V4Opt::StreamId(v) => assert_eq!(o.sid(), Some(*v)),
            V4Opt::Other { data, .. } => assert_eq!(o.data(), Some(&data[..])),
        }
    }
}

fn v4_opt() -> impl Strategy<Value = V4Opt> {
    let addr = any::<[u8; 4]>();
    prop_oneof![
        Just(V4Opt::Nop),
        (
            prop::sample::select(vec![7u8, 131, 137]),
            any::<u8>(),
            vec(addr, 0..5)
        )
            .prop_map(|(typ, ptr, route)| V4Opt::Route { typ, ptr, route }),
        (any::<u8>(), 0u8..16, vec(any::<u32>(), 0..5)).prop_map(|(ptr, overflow, stamps)| {
            V4Opt::Stamps {
                ptr,
                overflow,
                stamps,
            }
        }),
        (
            any::<u8>(),
            0u8..16,
            prop::sample::select(vec![1u8, 3]),
            vec((addr, any::<u32>()), 0..3)
        )
            .prop_map(|(ptr, overflow, flag, entries)| V4Opt::Entries {
                ptr,
                overflow,
                flag,
                entries
            }),
        any::<u16>().prop_map(V4Opt::RouterAlert),
        any::<u16>().prop_map(V4Opt::StreamId),
        (
            any::<u8>().prop_filter("a type with its own layout", |t| {
                ![0u8, 1, 7, 131, 137, 68, 148, 136].contains(t)
            }),
            vec(any::<u8>(), 0..8)
        )
            .prop_map(|(typ, data)| V4Opt::Other { typ, data }),
    ]
}

/// Options that fit in 40 bytes, padded to a multiple of 4 with EOL or NOP.
fn v4_opts() -> impl Strategy<Value = Vec<V4Opt>> {
    (vec(v4_opt(), 0..6), any::<bool>()).prop_map(|(opts, eol_pad)| {
        let mut out = Vec::new();
        let mut size = 0;
        for o in opts {
            let n = o.encode().len();
            if size + n <= 40 {
                size += n;
                out.push(o);
            }
        }
        while size % 4 != 0 {
            out.push(if eol_pad { V4Opt::Eol } else { V4Opt::Nop });
            size += 1;
        }
        out
    })
}

#[derive(Clone, Debug)]
struct V4 {
    dscp: u8,
    ecn: u8,
    id: u16,
    rb: bool,
    df: bool,
    ttl: u8,
    src: [u8; 4],
    dst: [u8; 4],
    opts: Vec<V4Opt>,
}

fn ipv4() -> impl Strategy<Value = V4> {
    (
        0u8..64,
        0u8..4,
        any::<u16>(),
        any::<bool>(),
        any::<bool>(),
        any::<u8>(),
        any::<[u8; 4]>(),
        any::<[u8; 4]>(),
        v4_opts(),
    )
        .prop_map(|(dscp, ecn, id, rb, df, ttl, src, dst, opts)| V4 {
            dscp,
            ecn,
            id,
            rb,
            df,
            ttl,
            src,
            dst,
            opts,
        })
}

impl V4 {
    fn builder(&self) -> Ipv4Builder {
        Ipv4Builder::new()
            .dsfield_dscp(self.dscp)
            .dsfield_ecn(self.ecn)
            .id(self.id)
            .flags_rb(self.rb)
            .flags_df(self.df)
            .ttl(self.ttl)
            .src(self.src)
            .dst(self.dst)
            .options(self.opts.iter().map(V4Opt::builder).collect())
    }

    fn opt_bytes(&self) -> Vec<u8> {
        self.opts.iter().flat_map(V4Opt::encode).collect()
    }

    /// (b), (c), (e) for the IPv4 layer at `i`, bytes `off..end`, with
    /// `proto` filled by the bind; returns the header length.
    fn check(&self, d: &Dissection<'_>, i: usize, off: usize, end: usize, proto: u8) -> usize {
        let v = view!(d, i, Ipv4);
        let opt = self.opt_bytes();
        let hl = 20 + opt.len();
        let raw = &d.data[off..end];
        assert_eq!(v.version(), 4);
        assert_eq!(v.hdr_len() as usize, hl, "ihl derived");
        assert_eq!(v.ihl() as usize * 4, hl);
        assert_eq!(v.dsfield_dscp(), self.dscp);
        assert_eq!(v.dsfield_ecn(), self.ecn);
        assert_eq!(v.dsfield(), self.dscp << 2 | self.ecn);
        assert_eq!(v.id(), self.id);
        assert_eq!(v.flags_rb(), self.rb);
        assert_eq!(v.flags_df(), self.df);
        assert!(!v.flags_mf());
        assert_eq!(v.frag_offset(), 0);
        assert_eq!(v.ttl(), self.ttl);
        assert_eq!(u8::from(v.proto()), proto, "ip.proto from the bind");
        assert_eq!(v.src().octets(), self.src);
        assert_eq!(v.dst().octets(), self.dst);
        // Total length: everything from the IPv4 header to the trailer.
        assert_eq!(v.len() as usize, raw.len(), "ip.len derived");
        assert_eq!(&raw[20..hl], &opt[..], "options bytes");
        let parsed: Vec<_> = v.options().collect();
        assert_eq!(parsed.len(), self.opts.len());
        for (o, want) in parsed.iter().zip(&self.opts) {
            want.check(o);
        }
        assert_eq!(inet_sum(&[&raw[..hl]]), 0xffff, "header checksum");
        hl
    }
}

// ---------------------------------------------------------------- TCP

#[derive(Clone, Debug)]
enum TcpOpt {
    Eol,
    Nop,
    Mss(u16),
    Wscale(u8),
    SackPerm,
    Sack(Vec<(u32, u32)>),
    Timestamps(u32, u32),
    UserTimeout(bool, u16),
    FastOpenCookie(Vec<u8>),
    Experimental(u8, u16, Vec<u8>),
    Unknown(u8, Vec<u8>),
}

impl TcpOpt {
    fn encode(&self) -> Vec<u8> {
        match self {
            TcpOpt::Eol => vec![0],
            TcpOpt::Nop => vec![1],
            TcpOpt::Mss(v) => [&[2, 4][..], &v.to_be_bytes()].concat(),
            TcpOpt::Wscale(s) => vec![3, 3, *s],
            TcpOpt::SackPerm => vec![4, 2],
            TcpOpt::Sack(blocks) => {
                let mut b = vec![5, (2 + 8 * blocks.len()) as u8];
                for (l, r) in blocks {
                    b.extend_from_slice(&l.to_be_bytes());
                    b.extend_from_slice(&r.to_be_bytes());
                }
                b
            }
            TcpOpt::Timestamps(a, e) => [&[8, 10][..], &a.to_be_bytes(), &e.to_be_bytes()].concat(),
            TcpOpt::UserTimeout(g, v) => {
                let w = (*g as u16) << 15 | v;
                [&[28, 4][..], &w.to_be_bytes()].concat()
            }
            TcpOpt::FastOpenCookie(c) => [&[34, 2 + c.len() as u8][..], c].concat(),
            TcpOpt::Experimental(k, exid, data) => {
                [&[*k, 4 + data.len() as u8][..], &exid.to_be_bytes(), data].concat()
            }
            TcpOpt::Unknown(k, data) => [&[*k, 2 + data.len() as u8][..], data].concat(),
        }
    }

    fn builder(&self) -> TcpOptionBuilder {
        let b = TcpOptionBuilder::new();
        match self {
            TcpOpt::Eol => b.kind(0u8),
            TcpOpt::Nop => b.kind(1u8),
            TcpOpt::Mss(v) => b.kind(2u8).mss_val(*v),
            TcpOpt::Wscale(s) => b.kind(3u8).shift(*s),
            TcpOpt::SackPerm => b.kind(4u8),
            TcpOpt::Sack(blocks) => b.kind(5u8).blocks(
                blocks
                    .iter()
                    .map(|&(l, r)| TcpSackBlockBuilder::new().left(l).right(r))
                    .collect(),
            ),
            TcpOpt::Timestamps(a, e) => b.kind(8u8).tsval(*a).tsecr(*e),
            TcpOpt::UserTimeout(g, v) => b.kind(28u8).user_to_granularity(*g).user_to_val(*v),
            TcpOpt::FastOpenCookie(c) => b.kind(34u8).tfo_cookie(c.clone()),
            TcpOpt::Experimental(k, exid, data) => {
                b.kind(*k).exp_exid(*exid).exp_data(data.clone())
            }
            TcpOpt::Unknown(k, data) => b.kind(*k).unknown_payload(data.clone()),
        }
    }

    fn check(&self, o: &strata::protocols::tcp::TcpOption<'_>) {
        let enc = self.encode();
        assert_eq!(o.as_bytes(), &enc[..], "{self:?}");
        assert_eq!(o.kind(), enc[0]);
        assert_eq!(o.len(), (enc[0] > 1).then_some(enc.len() as u8));
        match self {
            TcpOpt::Eol => assert!(o.eol().is_some()),
            TcpOpt::Nop => assert!(o.nop().is_some()),
            TcpOpt::Mss(v) => assert_eq!(o.mss_val(), Some(*v)),
            TcpOpt::Wscale(s) => {
                assert_eq!(o.shift(), Some(*s));
                assert_eq!(o.multiplier(), (*s <= 14).then(|| 1u16 << s));
            }
            TcpOpt::SackPerm => assert!(o.sack_perm().is_some()),
            TcpOpt::Sack(blocks) => {
                let got: Vec<(u32, u32)> = o
                    .blocks()
                    .expect("blocks")
                    .map(|b| (b.left(), b.right()))
                    .collect();
                assert_eq!(&got, blocks);
                assert_eq!(o.sack_count(), Some(blocks.len() as u8));
            }
            TcpOpt::Timestamps(a, e) => {
                assert_eq!(o.tsval(), Some(*a));
                assert_eq!(o.tsecr(), Some(*e));
            }
            TcpOpt::UserTimeout(g, v) => {
                assert_eq!(o.user_to_granularity(), Some(*g));
                assert_eq!(o.user_to_val(), Some(*v));
            }
            TcpOpt::FastOpenCookie(c) => {
                assert_eq!(o.tfo_cookie().unwrap_or(&[]), &c[..]);
                assert_eq!(o.tfo_request().is_some(), c.is_empty());
            }
            TcpOpt::Experimental(_, exid, data) => {
                assert_eq!(o.exp_exid(), Some(*exid));
                assert_eq!(o.exp_data().unwrap_or(&[]), &data[..]);
            }
            TcpOpt::Unknown(_, data) => {
                assert!(o.unknown().is_some());
                assert_eq!(o.unknown_payload().unwrap_or(&[]), &data[..]);
            }
        }
    }
}

fn tcp_opt() -> impl Strategy<Value = TcpOpt> {
    prop_oneof![
        Just(TcpOpt::Nop),
        any::<u16>().prop_map(TcpOpt::Mss),
        any::<u8>().prop_map(TcpOpt::Wscale),
        Just(TcpOpt::SackPerm),
        vec((any::<u32>(), any::<u32>()), 1..5).prop_map(TcpOpt::Sack),
        (any::<u32>(), any::<u32>()).prop_map(|(a, e)| TcpOpt::Timestamps(a, e)),
        (any::<bool>(), 0u16..0x8000).prop_map(|(g, v)| TcpOpt::UserTimeout(g, v)),
        vec(any::<u8>(), 0..17).prop_map(TcpOpt::FastOpenCookie),
        // 0xf989 (Fast Open) and 0x00ac (ACK rate request) have layouts of
        // their own.
        (
            253u8..=254,
            any::<u16>().prop_filter("generic ExID", |x| *x != 0xf989 && *x != 0x00ac),
            vec(any::<u8>(), 0..8)
        )
            .prop_map(|(k, exid, data)| TcpOpt::Experimental(k, exid, data)),
        (
            // Kinds without a layout (6, 7, 27, 30, 76 have one).
            prop::sample::select(vec![9u8, 14, 15, 16, 69, 99, 200]),
            vec(any::<u8>(), 0..8)
        )
            .prop_map(|(k, data)| TcpOpt::Unknown(k, data)),
    ]
}

/// Options that fit in 40 bytes, padded to a multiple of 4 with NOP or EOL.
fn tcp_opts() -> impl Strategy<Value = Vec<TcpOpt>> {
    (vec(tcp_opt(), 0..8), any::<bool>()).prop_map(|(opts, eol_pad)| {
        let mut out = Vec::new();
        let mut size = 0;
        for o in opts {
            let n = o.encode().len();
            if size + n <= 40 {
                size += n;
                out.push(o);
            }
        }
        while size % 4 != 0 {
            out.push(if eol_pad { TcpOpt::Eol } else { TcpOpt::Nop });
            size += 1;
        }
        out
    })
}

#[derive(Clone, Debug)]
struct Tcp {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: u16,
    window: u16,
    urg: u16,
    opts: Vec<TcpOpt>,
}

fn tcp() -> impl Strategy<Value = Tcp> {
    (
        any::<u16>(),
        any::<u16>(),
        any::<u32>(),
        any::<u32>(),
        0u16..0x1000,
        any::<u16>(),
        any::<u16>(),
        tcp_opts(),
    )
        .prop_map(|(sport, dport, seq, ack, flags, window, urg, opts)| Tcp {
            sport,
            dport,
            seq,
            ack,
            flags,
            window,
            urg,
            opts,
        })
}

impl Tcp {
    fn builder(&self) -> TcpBuilder {
        let f = |bit: u16| self.flags & (1 << bit) != 0;
        TcpBuilder::new()
            .srcport(self.sport)
            .dstport(self.dport)
            .seq(self.seq)
            .ack(self.ack)
            // The flags one by one, as a user would set them.
            .flags_res((self.flags >> 9) as u8)
            .flags_ae(f(8))
            .flags_cwr(f(7))
            .flags_ece(f(6))
            .flags_urg(f(5))
            .flags_ack(f(4))
            .flags_push(f(3))
            .flags_reset(f(2))
            .flags_syn(f(1))
            .flags_fin(f(0))
            .window_size_value(self.window)
            .urgent_pointer(self.urg)
            .options(self.opts.iter().map(TcpOpt::builder).collect())
    }

    /// `pseudo`: the pseudo-header of the IP layer below, for the
    /// independent checksum; `raw`: the TCP segment's bytes.
    fn check(&self, d: &Dissection<'_>, i: usize, raw: &[u8], pseudo: &[u8], payload: &[u8]) {
        let v = view!(d, i, Tcp);
        let opt: Vec<u8> = self.opts.iter().flat_map(TcpOpt::encode).collect();
        let hl = 20 + opt.len();
        assert_eq!(v.srcport(), self.sport);
        assert_eq!(v.dstport(), self.dport);
        assert_eq!(v.seq(), self.seq);
        assert_eq!(v.ack(), self.ack);
        assert_eq!(v.flags(), self.flags);
        assert_eq!(v.flags_res() as u16, self.flags >> 9);
        assert_eq!(v.flags_syn(), self.flags & 2 != 0);
        assert_eq!(v.flags_ae(), self.flags & 0x100 != 0);
        assert_eq!(v.window_size_value(), self.window);
        assert_eq!(v.urgent_pointer(), self.urg);
        assert_eq!(v.hdr_len() as usize, hl, "doff derived");
        assert_eq!(v.doff() as usize * 4, hl);
        assert_eq!(&raw[20..hl], &opt[..], "options bytes");
        assert_eq!(v.payload(), payload);
        let parsed: Vec<_> = v.options().collect();
        assert_eq!(parsed.len(), self.opts.len());
        for (o, want) in parsed.iter().zip(&self.opts) {
            want.check(o);
        }
        assert_eq!(inet_sum(&[pseudo, raw]), 0xffff, "tcp checksum");
    }
}

// ---------------------------------------------------------------- UDP

#[derive(Clone, Debug)]
struct Udp {
    sport: u16,
    dport: u16,
}

fn udp() -> impl Strategy<Value = Udp> {
    (any::<u16>(), any::<u16>()).prop_map(|(sport, dport)| Udp { sport, dport })
}

impl Udp {
    fn builder(&self) -> UdpBuilder {
        UdpBuilder::new().srcport(self.sport).dstport(self.dport)
    }

    fn check(&self, d: &Dissection<'_>, i: usize, raw: &[u8], pseudo: &[u8], payload: &[u8]) {
        let v = view!(d, i, Udp);
        assert_eq!(v.srcport(), self.sport);
        assert_eq!(v.dstport(), self.dport);
        assert_eq!(v.length() as usize, raw.len(), "udp.length derived");
        assert_eq!(raw.len(), 8 + payload.len());
        assert_eq!(v.payload(), payload);
        // Never zero: a computed 0 is sent as 0xffff (0 means "none").
        assert_ne!(v.checksum(), 0);
        assert_eq!(inet_sum(&[pseudo, raw]), 0xffff, "udp checksum");
    }
}

// ---------------------------------------------------------------- properties

fn payload() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Ethernet / IPv4 (options) / TCP (options) / payload.
    #[test]
    fn eth_ipv4_tcp(e in eth(), ip in ipv4(), t in tcp(), data in payload()) {
        let p = e.builder() / ip.builder() / t.builder() / Raw::from(data.clone());
        let bytes = build_and_dissect(p, &[LayerKind::Ethernet, LayerKind::Ipv4, LayerKind::Tcp]);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        let end = frame.len();
        e.check(&d, 0x0800);
        let hl = ip.check(&d, 1, 14, end, 6);
        let seg = &frame[14 + hl..];
        t.check(&d, 2, seg, &pseudo4(&frame[14..], 6, seg.len()), &data);
        let raw = d.raw.map(|r| r.bytes).unwrap_or(&[]);
        prop_assert_eq!(raw, &data[..]);
    }

    /// Ethernet / IPv4 (options) / UDP / payload.
    #[test]
    fn eth_ipv4_udp(e in eth(), ip in ipv4(), u in udp(), data in payload()) {
        let p = e.builder() / ip.builder() / u.builder() / Raw::from(data.clone());
        let bytes = build_and_dissect(p, &[LayerKind::Ethernet, LayerKind::Ipv4, LayerKind::Udp]);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        let end = frame.len();
        e.check(&d, 0x0800);
        let hl = ip.check(&d, 1, 14, end, 17);
        let dg = &frame[14 + hl..];
        u.check(&d, 2, dg, &pseudo4(&frame[14..], 17, dg.len()), &data);
    }

    /// Ethernet / IPv4 fragment: not dissected further (Wireshark's default
    /// without reassembly), the payload is data; the protocol is explicit.
    #[test]
    fn eth_ipv4_fragment(
        e in eth(),
        ip in ipv4(),
        proto in any::<u8>(),
        mf in any::<bool>(),
        offset in 0u16..0x2000,
        data in payload(),
    ) {
        prop_assume!(mf || offset != 0);
        let b = ip.builder().proto(proto).flags_mf(mf).frag_offset(offset);
        let p = e.builder() / b / Raw::from(data.clone());
        let bytes = build_and_dissect(p, &[LayerKind::Ethernet, LayerKind::Ipv4]);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        e.check(&d, 0x0800);
        let v = view!(d, 1, Ipv4);
        prop_assert_eq!(v.flags_mf(), mf);
        prop_assert_eq!(v.frag_offset(), offset);
        prop_assert_eq!(u8::from(v.proto()), proto);
        prop_assert_eq!(v.len() as usize, frame.len() - 14);
        let raw = d.raw.map(|r| r.bytes).unwrap_or(&[]);
        prop_assert_eq!(raw, &data[..]);
    }

    /// Ethernet / IPv4 / ICMP, every message shape; error messages quote an
    /// IPv4 / UDP packet that is dissected (and checksummed) too.
    #[test]
    fn eth_ipv4_icmp(e in eth(), ip in ipv4(), m in icmp(), inner in ipv4(), u in udp(), data in payload()) {
        let mut p = e.builder() / ip.builder() / m.builder();
        let mut kinds = vec![LayerKind::Ethernet, LayerKind::Ipv4, LayerKind::Icmp];
        if m.quotes() {
            p = p / inner.builder() / u.builder();
            kinds.extend([LayerKind::Ipv4, LayerKind::Udp]);
        }
        let p = p / Raw::from(data.clone());
        let bytes = build_and_dissect(p, &kinds);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        let end = frame.len();
        e.check(&d, 0x0800);
        let hl = ip.check(&d, 1, 14, end, 1);
        let msg = &frame[14 + hl..];
        m.check(&d, 2, msg);
        if m.quotes() {
            let off = 14 + hl + 8;
            let ihl = inner.check(&d, 3, off, end, 17);
            let dg = &frame[off + ihl..];
            u.check(&d, 4, dg, &pseudo4(&frame[off..], 17, dg.len()), &data);
        }
    }

    /// Ethernet / IPv6 [/ Hop-by-Hop (options, PadN)] / TCP, UDP or ICMPv6
    /// (ICMPv6 errors quote an IPv6 / UDP packet).
    #[test]
    fn eth_ipv6(
        e in eth(),
        ip in ipv6(),
        hbh in prop::option::of(v6_opts()),
        l4 in 0u8..3,
        t in tcp(),
        u in udp(),
        m in icmpv6(),
        inner in ipv6(),
        u2 in udp(),
        data in payload(),
    ) {
        let mut p = Packet::new().push(e.builder()) / ip.builder();
        let mut kinds = vec![LayerKind::Ethernet, LayerKind::Ipv6];
        if let Some(opts) = &hbh {
            p = p / Ipv6HopOptsBuilder::new().options(opts.iter().map(V6Opt::builder).collect());
            kinds.push(LayerKind::Ipv6HopOpts);
        }
        let (proto, l4kind) = match l4 {
            0 => (6, LayerKind::Tcp),
            1 => (17, LayerKind::Udp),
            _ => (58, LayerKind::Icmpv6),
        };
        p = match l4 {
            0 => p / t.builder(),
            1 => p / u.builder(),
            _ => p / m.builder(),
        };
        kinds.push(l4kind);
        let quotes = l4 == 2 && m.quotes();
        // Neighbor discovery messages end with options: no free payload.
        let data = if l4 == 2 && m.has_nd_options() { Vec::new() } else { data };
        if quotes {
            p = p / inner.builder() / u2.builder();
            kinds.extend([LayerKind::Ipv6, LayerKind::Udp]);
        }
        let p = p / Raw::from(data.clone());
        let bytes = build_and_dissect(p, &kinds);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        let end = frame.len();
        e.check(&d, 0x86dd);
        let first = if hbh.is_some() { 0 } else { proto };
        ip.check(&d, 1, 14, end, first);
        let mut off = 54;
        let mut i = 2;
        if let Some(opts) = &hbh {
            off += check_hbh(&d, i, off, opts, proto);
            i += 1;
        }
        let l4bytes = &frame[off..];
        let pseudo = pseudo6(&frame[14..], proto, l4bytes.len());
        match l4 {
            0 => t.check(&d, i, l4bytes, &pseudo, &data),
            1 => u.check(&d, i, l4bytes, &pseudo, &data),
            _ => {
                m.check(&d, i, l4bytes, &pseudo);
                if quotes {
                    let q = off + 8;
                    inner.check(&d, i + 1, q, end, 17);
                    let dg = &frame[q + 40..];
                    u2.check(&d, i + 2, dg, &pseudo6(&frame[q..], 17, dg.len()), &data);
                }
            }
        }
    }

    /// Ethernet / 0 to 3 VLAN tags / ARP (any address sizes) or IPv4 / UDP.
    #[test]
    fn eth_vlan_arp_or_ipv4(
        e in eth(),
        tags in vec(vlan(), 0..4),
        arp_or_ip in any::<bool>(),
        a in arp(),
        ip in ipv4(),
        u in udp(),
        data in payload(),
    ) {
        let mut p = Packet::new().push(e.builder());
        let mut kinds = vec![LayerKind::Ethernet];
        for t in &tags {
            p = p / t.builder();
            kinds.push(LayerKind::Vlan);
        }
        let next = if arp_or_ip { 0x0806 } else { 0x0800 };
        if arp_or_ip {
            p = p / a.builder();
            kinds.push(LayerKind::Arp);
        } else {
            p = p / ip.builder() / u.builder() / Raw::from(data.clone());
            kinds.extend([LayerKind::Ipv4, LayerKind::Udp]);
        }
        let bytes = build_and_dissect(p, &kinds);
        let d = dissect_eth(&bytes);
        let frame = e.packet(&bytes);
        let end = frame.len();
        e.check(&d, if tags.is_empty() { next } else { 0x8100 });
        for (j, t) in tags.iter().enumerate() {
            let following = if j + 1 < tags.len() { 0x8100 } else { next };
            t.check(&d, 1 + j, following);
        }
        let off = 14 + 4 * tags.len();
        let i = 1 + tags.len();
        if arp_or_ip {
            a.check(&d, i, &frame[off..]);
        } else {
            let hl = ip.check(&d, i, off, end, 17);
            let dg = &frame[off + hl..];
            u.check(&d, i + 1, dg, &pseudo4(&frame[off..], 17, dg.len()), &data);
        }
    }
}

// ---------------------------------------------------------------- ICMP

#[derive(Clone, Debug)]
enum Icmp {
    /// Echo (0, 8) and information (15, 16).
    Echo { typ: u8, ident: u16, seq: u16 },
    /// Timestamp request and reply (13, 14).
    Timestamp {
        typ: u8,
        ident: u16,
        seq: u16,
        ts: [u32; 3],
    },
    /// Address mask request and reply (17, 18).
    Mask {
        typ: u8,
        ident: u16,
        seq: u16,
        mask: [u8; 4],
    },
    /// Errors that quote a packet: unreachable (3), source quench (4),
    /// redirect (5), time exceeded (11), parameter problem (12).
    Error { typ: u8, code: u8, word: [u8; 4] },
    /// Anything else: 4 bytes of rest of header, payload not dissected.
    Other { typ: u8, code: u8, rest: [u8; 4] },
}

fn icmp() -> impl Strategy<Value = Icmp> {
    prop_oneof![
        (
            prop::sample::select(vec![0u8, 8, 15, 16]),
            any::<u16>(),
            any::<u16>()
        )
            .prop_map(|(typ, ident, seq)| Icmp::Echo { typ, ident, seq }),
        (13u8..15, any::<u16>(), any::<u16>(), any::<[u32; 3]>()).prop_map(
            |(typ, ident, seq, ts)| Icmp::Timestamp {
                typ,
                ident,
                seq,
                ts
            }
        ),
        (17u8..19, any::<u16>(), any::<u16>(), any::<[u8; 4]>()).prop_map(
            |(typ, ident, seq, mask)| Icmp::Mask {
                typ,
                ident,
                seq,
                mask
            }
        ),
        (
            prop::sample::select(vec![3u8, 4, 5, 11, 12]),
            0u8..16,
            any::<[u8; 4]>()
        )
            .prop_map(|(typ, code, word)| Icmp::Error { typ, code, word }),
        (
            prop::sample::select(vec![1u8, 2, 6, 7, 10, 19, 30, 40, 42, 200, 255]),
            any::<u8>(),
            any::<[u8; 4]>()
        )
            .prop_map(|(typ, code, rest)| Icmp::Other { typ, code, rest }),
    ]
}

impl Icmp {
    fn quotes(&self) -> bool {
        matches!(self, Icmp::Error { .. })
    }

    fn builder(&self) -> IcmpBuilder {
        let b = IcmpBuilder::new();
        match *self {
            Icmp::Echo { typ, ident, seq } => b.type_(typ).ident(ident).seq(seq),
            Icmp::Timestamp {
                typ,
                ident,
                seq,
                ts,
            } => b
                .type_(typ)
                .ident(ident)
                .seq(seq)
                .originate_timestamp(ts[0])
                .receive_timestamp(ts[1])
                .transmit_timestamp(ts[2]),
            Icmp::Mask {
                typ,
                ident,
                seq,
                mask,
            } => b.type_(typ).ident(ident).seq(seq).address_mask(mask),
            Icmp::Error { typ, code, word } => {
                let b = b.type_(typ).code(code);
                match (typ, code) {
                    (3, 4) => b
                        .unused_mtu(word[..2].to_vec())
                        .mtu(u16::from_be_bytes([word[2], word[3]])),
                    (3, _) => b.unused(word.to_vec()),
                    (4 | 11, _) => b.unused_q(word.to_vec()),
                    (5, _) => b.redir_gw(word),
                    _ => b.pointer(word[0]).unused_pp(word[1..].to_vec()),
                }
            }
            Icmp::Other { typ, code, rest } => b.type_(typ).code(code).rest(rest.to_vec()),
        }
    }

    fn check(&self, d: &Dissection<'_>, i: usize, raw: &[u8]) {
        let v = view!(d, i, Icmp);
        let expect_word = |w: &[u8]| assert_eq!(&raw[4..8], w);
        match *self {
            Icmp::Echo { typ, ident, seq } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.code(), 0);
                assert_eq!(v.ident(), Some(ident));
                assert_eq!(v.seq(), Some(seq));
                assert_eq!(v.ident_le(), Some(ident.swap_bytes()));
            }
            Icmp::Timestamp {
                typ,
                ident,
                seq,
                ts,
            } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!((v.ident(), v.seq()), (Some(ident), Some(seq)));
                assert_eq!(v.originate_timestamp(), Some(ts[0]));
                assert_eq!(v.receive_timestamp(), Some(ts[1]));
                assert_eq!(v.transmit_timestamp(), Some(ts[2]));
            }
            Icmp::Mask {
                typ,
                ident,
                seq,
                mask,
            } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!((v.ident(), v.seq()), (Some(ident), Some(seq)));
                assert_eq!(v.address_mask().map(|a| a.octets()), Some(mask));
            }
            Icmp::Error { typ, code, word } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.code(), code);
                expect_word(&word);
                match (typ, code) {
                    (3, 4) => assert_eq!(v.mtu(), Some(u16::from_be_bytes([word[2], word[3]]))),
                    (5, _) => assert_eq!(v.redir_gw().map(|a| a.octets()), Some(word)),
                    (12, _) => assert_eq!(v.pointer(), Some(word[0])),
                    _ => {}
                }
            }
            Icmp::Other { typ, code, rest } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.code(), code);
                assert_eq!(v.rest(), Some(&rest[..]));
            }
        }
        assert_eq!(inet_sum(&[raw]), 0xffff, "icmp checksum");
    }
}

// ---------------------------------------------------------------- IPv6

#[derive(Clone, Debug)]
struct V6 {
    tclass: u8,
    flow: u32,
    hlim: u8,
    src: [u8; 16],
    dst: [u8; 16],
}

fn ipv6() -> impl Strategy<Value = V6> {
    (
        any::<u8>(),
        0u32..0x10_0000,
        any::<u8>(),
        any::<[u8; 16]>(),
        any::<[u8; 16]>(),
    )
        .prop_map(|(tclass, flow, hlim, src, dst)| V6 {
            tclass,
            flow,
            hlim,
            src,
            dst,
        })
}

impl V6 {
    fn builder(&self) -> Ipv6Builder {
        Ipv6Builder::new()
            .tclass(self.tclass)
            .flow(self.flow)
            .hlim(self.hlim)
            .src(self.src)
            .dst(self.dst)
    }

    fn check(&self, d: &Dissection<'_>, i: usize, off: usize, end: usize, nxt: u8) {
        let v = view!(d, i, Ipv6);
        assert_eq!(v.version(), 6);
        assert_eq!(v.tclass(), self.tclass);
        assert_eq!(v.tclass_dscp(), self.tclass >> 2);
        assert_eq!(v.tclass_ecn(), self.tclass & 3);
        assert_eq!(v.flow(), self.flow);
        assert_eq!(v.hlim(), self.hlim);
        assert_eq!(v.src(), Ipv6Addr::from(self.src));
        assert_eq!(v.dst(), Ipv6Addr::from(self.dst));
        assert_eq!(u8::from(v.nxt()), nxt, "ipv6.nxt from the bind");
        assert_eq!(v.plen() as usize, end - off - 40, "ipv6.plen derived");
    }
}

#[derive(Clone, Debug)]
enum V6Opt {
    Pad1,
    PadN(usize),
    RouterAlert(u16),
    HomeAddress([u8; 16]),
    Other { typ: u8, data: Vec<u8> },
}

impl V6Opt {
    fn encode(&self) -> Vec<u8> {
        match self {
            V6Opt::Pad1 => vec![0],
            V6Opt::PadN(n) => [vec![1, *n as u8], vec![0; *n]].concat(),
            V6Opt::RouterAlert(v) => [&[5, 2][..], &v.to_be_bytes()].concat(),
            V6Opt::HomeAddress(a) => [&[0xc9, 16][..], a].concat(),
            V6Opt::Other { typ, data } => [&[*typ, data.len() as u8][..], data].concat(),
        }
    }

    fn builder(&self) -> Ipv6OptionBuilder {
        let b = Ipv6OptionBuilder::default();
        match self.clone() {
            V6Opt::Pad1 => Ipv6OptionBuilder {
                type_: Some(0),
                ..b
            },
            V6Opt::PadN(n) => Ipv6OptionBuilder {
                type_: Some(1),
                padn: Some(vec![0; n]),
                ..b
            },
            V6Opt::RouterAlert(v) => Ipv6OptionBuilder {
                type_: Some(5),
                router_alert: Some(v),
                ..b
            },
            V6Opt::HomeAddress(a) => Ipv6OptionBuilder {
                type_: Some(0xc9),
                home_address: Some(Ipv6Addr::from(a)),
                ..b
            },
            V6Opt::Other { typ, data } => Ipv6OptionBuilder {
                type_: Some(typ),
                experimental: Some(data),
                ..b
            },
        }
    }

    fn check(&self, o: &strata::protocols::ipv6::Ipv6Option<'_>) {
        let enc = self.encode();
        assert_eq!(o.as_bytes(), &enc[..], "{self:?}");
        assert_eq!(o.type_(), enc[0]);
        match self {
            V6Opt::Pad1 => {
                assert_eq!(o.pad1(), Some(1));
                assert_eq!(o.length(), None);
            }
            V6Opt::PadN(n) => {
                assert_eq!(o.length(), Some(*n as u8));
                assert_eq!(o.padn(), Some(&enc[2..]));
            }
            V6Opt::RouterAlert(v) => assert_eq!(o.router_alert(), Some(*v)),
            V6Opt::HomeAddress(a) => assert_eq!(o.home_address(), Some(Ipv6Addr::from(*a))),
            V6Opt::Other { typ, data } => {
                assert_eq!(o.experimental(), Some(&data[..]));
                assert_eq!(o.type_action(), Some(typ >> 6));
                assert_eq!(o.type_change(), Some((typ >> 5) & 1 == 1));
            }
        }
    }
}

fn v6_opt() -> impl Strategy<Value = V6Opt> {
    prop_oneof![
        Just(V6Opt::Pad1),
        (0usize..6).prop_map(V6Opt::PadN),
        any::<u16>().prop_map(V6Opt::RouterAlert),
        any::<[u8; 16]>().prop_map(V6Opt::HomeAddress),
        (
            any::<u8>().prop_filter("a type with its own layout", |t| {
                ![0u8, 1, 5, 0xc2, 0xc9].contains(t)
            }),
            vec(any::<u8>(), 0..10)
        )
            .prop_map(|(typ, data)| V6Opt::Other { typ, data }),
    ]
}

/// Options padded with Pad1 or PadN so that the header is a multiple of 8.
fn v6_opts() -> impl Strategy<Value = Vec<V6Opt>> {
    vec(v6_opt(), 0..5).prop_map(|mut opts| {
        let size: usize = 2 + opts.iter().map(|o| o.encode().len()).sum::<usize>();
        match (8 - size % 8) % 8 {
            0 => {}
            1 => opts.push(V6Opt::Pad1),
            n => opts.push(V6Opt::PadN(n - 2)),
        }
        opts
    })
}

/// Checks the Hop-by-Hop header at layer `i`; returns its length.
fn check_hbh(d: &Dissection<'_>, i: usize, off: usize, opts: &[V6Opt], nxt: u8) -> usize {
    let v = view!(d, i, Ipv6HopOpts);
    let enc: Vec<u8> = opts.iter().flat_map(V6Opt::encode).collect();
    let len = 2 + enc.len();
    assert_eq!(len % 8, 0);
    assert_eq!(u8::from(v.nxt()), nxt, "hop-by-hop nxt from the bind");
    assert_eq!(v.len() as usize, len / 8 - 1, "length derived");
    assert_eq!(v.len_oct() as usize, len);
    assert_eq!(&d.data[off + 2..off + len], &enc[..]);
    let parsed: Vec<_> = v.options().collect();
    assert_eq!(parsed.len(), opts.len());
    for (o, want) in parsed.iter().zip(opts) {
        want.check(o);
    }
    len
}

// ---------------------------------------------------------------- ICMPv6

#[derive(Clone, Debug)]
enum Icmpv6 {
    Echo {
        typ: u8,
        ident: u16,
        seq: u16,
    },
    RouterSolicitation {
        reserved: [u8; 4],
        opts: Vec<NdOpt>,
    },
    NeighborSolicitation {
        reserved: [u8; 4],
        target: [u8; 16],
        opts: Vec<NdOpt>,
    },
    NeighborAdvertisement {
        flags: u32,
        target: [u8; 16],
        opts: Vec<NdOpt>,
    },
    RouterAdvertisement {
        hop: u8,
        flags: u8,
        lifetime: u16,
        reachable: u32,
        retrans: u32,
        opts: Vec<NdOpt>,
    },
    Redirect {
        reserved: [u8; 4],
        target: [u8; 16],
        destination: [u8; 16],
        opts: Vec<NdOpt>,
    },
    /// Packet too big (2) or parameter problem (4): a 32-bit word, then a
    /// quoted IPv6 / UDP packet.
    Error {
        typ: u8,
        code: u8,
        word: u32,
    },
    Other {
        typ: u8,
        code: u8,
        body: [u8; 4],
    },
}

fn icmpv6() -> impl Strategy<Value = Icmpv6> {
    let addr = any::<[u8; 16]>();
    prop_oneof![
        (128u8..130, any::<u16>(), any::<u16>()).prop_map(|(typ, ident, seq)| Icmpv6::Echo {
            typ,
            ident,
            seq
        }),
        (any::<[u8; 4]>(), nd_opts())
            .prop_map(|(reserved, opts)| Icmpv6::RouterSolicitation { reserved, opts }),
        (any::<[u8; 4]>(), addr, nd_opts()).prop_map(|(reserved, target, opts)| {
            Icmpv6::NeighborSolicitation {
                reserved,
                target,
                opts,
            }
        }),
        (any::<u32>(), addr, nd_opts()).prop_map(|(flags, target, opts)| {
            Icmpv6::NeighborAdvertisement {
                flags,
                target,
                opts,
            }
        }),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u16>(),
            any::<u32>(),
            any::<u32>(),
            nd_opts()
        )
            .prop_map(|(hop, flags, lifetime, reachable, retrans, opts)| {
                Icmpv6::RouterAdvertisement {
                    hop,
                    flags,
                    lifetime,
                    reachable,
                    retrans,
                    opts,
                }
            }),
        (any::<[u8; 4]>(), addr, addr, nd_opts()).prop_map(
            |(reserved, target, destination, opts)| Icmpv6::Redirect {
                reserved,
                target,
                destination,
                opts,
            }
        ),
        (
            prop::sample::select(vec![2u8, 4]),
            any::<u8>(),
            any::<u32>()
        )
            .prop_map(|(typ, code, word)| Icmpv6::Error { typ, code, word }),
        (150u8..=255, any::<u8>(), any::<[u8; 4]>()).prop_map(|(typ, code, body)| Icmpv6::Other {
            typ,
            code,
            body
        }),
    ]
}

impl Icmpv6 {
    fn quotes(&self) -> bool {
        matches!(self, Icmpv6::Error { .. })
    }

    fn nd_options(&self) -> Option<&[NdOpt]> {
        match self {
            Icmpv6::RouterSolicitation { opts, .. }
            | Icmpv6::NeighborSolicitation { opts, .. }
            | Icmpv6::NeighborAdvertisement { opts, .. }
            | Icmpv6::RouterAdvertisement { opts, .. }
            | Icmpv6::Redirect { opts, .. } => Some(opts),
            _ => None,
        }
    }

    fn has_nd_options(&self) -> bool {
        self.nd_options().is_some()
    }

    fn builder(&self) -> Icmpv6Builder {
        let b = Icmpv6Builder::new();
        let nd = |o: &[NdOpt]| o.iter().map(NdOpt::builder).collect::<Vec<_>>();
        match self.clone() {
            Icmpv6::Echo { typ, ident, seq } => b
                .type_(typ)
                .echo_identifier(ident)
                .echo_sequence_number(seq),
            // The reserved bytes are set: left unset, the builder writes
            // none (see `unset_fixed_size_bytes_are_zero_filled`).
            Icmpv6::RouterSolicitation { reserved, opts } => Icmpv6Builder {
                options_rs: nd(&opts),
                ..b.type_(133u8).reserved_rs(reserved.to_vec())
            },
            Icmpv6::NeighborSolicitation {
                reserved,
                target,
                opts,
            } => Icmpv6Builder {
                options_ns: nd(&opts),
                ..b.type_(135u8)
                    .reserved_ns(reserved.to_vec())
                    .ns_target_address(target)
            },
            Icmpv6::NeighborAdvertisement {
                flags,
                target,
                opts,
            } => Icmpv6Builder {
                options_na: nd(&opts),
                ..b.type_(136u8)
                    .na_flag_r(flags >> 31 == 1)
                    .na_flag_s((flags >> 30) & 1 == 1)
                    .na_flag_o((flags >> 29) & 1 == 1)
                    .na_flag_rsv(flags & 0x1fff_ffff)
                    .na_target_address(target)
            },
            Icmpv6::RouterAdvertisement {
                hop,
                flags,
                lifetime,
                reachable,
                retrans,
                opts,
            } => Icmpv6Builder {
                options_ra: nd(&opts),
                ..b.type_(134u8)
                    .ra_cur_hop_limit(hop)
                    .ra_flag(flags)
                    .ra_router_lifetime(lifetime)
                    .ra_reachable_time(reachable)
                    .ra_retrans_timer(retrans)
            },
            Icmpv6::Redirect {
                reserved,
                target,
                destination,
                opts,
            } => Icmpv6Builder {
                options_rd: nd(&opts),
                ..b.type_(137u8)
                    .reserved_rd(reserved.to_vec())
                    .rd_target_address(target)
                    .rd_destination_address(destination)
            },
            Icmpv6::Error { typ, code, word } => {
                let b = b.type_(typ).code(code);
                if typ == 2 {
                    b.mtu(word)
                } else {
                    b.pointer(word)
                }
            }
            Icmpv6::Other { typ, code, body } => b.type_(typ).code(code).body(body.to_vec()),
        }
    }

    fn check(&self, d: &Dissection<'_>, i: usize, raw: &[u8], pseudo: &[u8]) {
        let v = view!(d, i, Icmpv6);
        match self.clone() {
            Icmpv6::Echo { typ, ident, seq } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.echo_identifier(), Some(ident));
                assert_eq!(v.echo_sequence_number(), Some(seq));
            }
            Icmpv6::RouterSolicitation { reserved, .. } => {
                assert_eq!(u8::from(v.type_()), 133);
                assert_eq!(v.reserved_rs(), Some(&reserved[..]));
                check_nd(v.options_rs(), self.nd_options());
            }
            Icmpv6::NeighborSolicitation {
                reserved, target, ..
            } => {
                assert_eq!(u8::from(v.type_()), 135);
                assert_eq!(v.reserved_ns(), Some(&reserved[..]));
                assert_eq!(v.ns_target_address(), Some(Ipv6Addr::from(target)));
                check_nd(v.options_ns(), self.nd_options());
            }
            Icmpv6::NeighborAdvertisement { flags, target, .. } => {
                assert_eq!(u8::from(v.type_()), 136);
                assert_eq!(v.na_flag(), Some(flags));
                assert_eq!(v.na_flag_r(), Some(flags >> 31 == 1));
                assert_eq!(v.na_flag_rsv(), Some(flags & 0x1fff_ffff));
                assert_eq!(v.na_target_address(), Some(Ipv6Addr::from(target)));
                check_nd(v.options_na(), self.nd_options());
            }
            Icmpv6::RouterAdvertisement {
                hop,
                flags,
                lifetime,
                reachable,
                retrans,
                ..
            } => {
                assert_eq!(u8::from(v.type_()), 134);
                assert_eq!(v.ra_cur_hop_limit(), Some(hop));
                assert_eq!(v.ra_flag(), Some(flags));
                assert_eq!(v.ra_flag_m(), Some(flags >> 7 == 1));
                assert_eq!(v.ra_flag_prf(), Some((flags >> 3) & 3));
                assert_eq!(v.ra_router_lifetime(), Some(lifetime));
                assert_eq!(v.ra_reachable_time(), Some(reachable));
                assert_eq!(v.ra_retrans_timer(), Some(retrans));
                check_nd(v.options_ra(), self.nd_options());
            }
            Icmpv6::Redirect {
                reserved,
                target,
                destination,
                ..
            } => {
                assert_eq!(u8::from(v.type_()), 137);
                assert_eq!(v.reserved_rd(), Some(&reserved[..]));
                assert_eq!(v.rd_target_address(), Some(Ipv6Addr::from(target)));
                assert_eq!(
                    v.rd_destination_address(),
                    Some(Ipv6Addr::from(destination))
                );
                check_nd(v.options_rd(), self.nd_options());
            }
            Icmpv6::Error { typ, code, word } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.code(), code);
                let got = if typ == 2 { v.mtu() } else { v.pointer() };
                assert_eq!(got, Some(word));
            }
            Icmpv6::Other { typ, code, body } => {
                assert_eq!(u8::from(v.type_()), typ);
                assert_eq!(v.code(), code);
                assert_eq!(v.body(), Some(&body[..]));
            }
        }
        assert_eq!(inet_sum(&[pseudo, raw]), 0xffff, "icmpv6 checksum");
    }
}

/// A Neighbor Discovery option.
#[derive(Clone, Debug)]
enum NdOpt {
    /// Source (1) or target (2) link-layer address, 6 bytes.
    LinkAddr(u8, [u8; 6]),
    /// Source (1) or target (2) link-layer address of another size.
    LinkAddrOther(u8, Vec<u8>),
    Prefix {
        len: u8,
        flags: u8,
        valid: u32,
        preferred: u32,
        prefix: [u8; 16],
    },
    Mtu(u32),
    AdvInterval(u32),
    HomeAgent(u16, u16),
    Rdnss(u32, Vec<[u8; 16]>),
    Dnssl(u32, Vec<u8>),
    Redirected(Vec<u8>),
    Other(u8, Vec<u8>),
}

impl NdOpt {
    fn encode(&self) -> Vec<u8> {
        let with_len = |t: u8, body: Vec<u8>| {
            let n = 2 + body.len();
            assert_eq!(n % 8, 0, "{self:?}");
            [vec![t, (n / 8) as u8], body].concat()
        };
        match self.clone() {
            NdOpt::LinkAddr(t, m) => with_len(t, m.to_vec()),
            NdOpt::LinkAddrOther(t, b) => with_len(t, b),
            NdOpt::Prefix {
                len,
                flags,
                valid,
                preferred,
                prefix,
            } => with_len(
                3,
                [
                    &[len, flags][..],
                    &valid.to_be_bytes(),
                    &preferred.to_be_bytes(),
                    &[0; 4],
                    &prefix,
                ]
                .concat(),
            ),
            NdOpt::Mtu(m) => with_len(5, [&[0, 0][..], &m.to_be_bytes()].concat()),
            NdOpt::AdvInterval(i) => with_len(7, [&[0, 0][..], &i.to_be_bytes()].concat()),
            NdOpt::HomeAgent(p, l) => with_len(
                8,
                [&[0, 0][..], &p.to_be_bytes(), &l.to_be_bytes()].concat(),
            ),
            NdOpt::Rdnss(l, addrs) => with_len(
                25,
                [&[0, 0][..], &l.to_be_bytes(), &addrs.concat()].concat(),
            ),
            NdOpt::Dnssl(l, names) => {
                with_len(31, [&[0, 0][..], &l.to_be_bytes(), &names].concat())
            }
            NdOpt::Redirected(pkt) => with_len(4, [&[0; 6][..], &pkt].concat()),
            NdOpt::Other(t, data) => with_len(t, data),
        }
    }

    fn builder(&self) -> NdOptionBuilder {
        let b = NdOptionBuilder::default();
        match self.clone() {
            // The length is set: left to be derived, the builder writes no
            // address (see `presence_condition_on_a_derived_length`).
            NdOpt::LinkAddr(1, m) => NdOptionBuilder {
                type_: Some(1),
                length: Some(1),
                linkaddr: Some(m.into()),
                ..b
            },
            NdOpt::LinkAddr(t, m) => NdOptionBuilder {
                type_: Some(t),
                length: Some(1),
                target_linkaddr: Some(m.into()),
                ..b
            },
            NdOpt::LinkAddrOther(1, v) => NdOptionBuilder {
                type_: Some(1),
                linkaddr_other: Some(v),
                ..b
            },
            NdOpt::LinkAddrOther(t, v) => NdOptionBuilder {
                type_: Some(t),
                target_linkaddr_other: Some(v),
                ..b
            },
            NdOpt::Prefix {
                len,
                flags,
                valid,
                preferred,
                prefix,
            } => NdOptionBuilder {
                type_: Some(3),
                prefix_length: Some(len),
                prefix_flag: Some(flags),
                prefix_valid_lifetime: Some(valid),
                prefix_preferred_lifetime: Some(preferred),
                prefix: Some(Ipv6Addr::from(prefix)),
                ..b
            },
            NdOpt::Mtu(m) => NdOptionBuilder {
                type_: Some(5),
                mtu: Some(m),
                ..b
            },
            NdOpt::AdvInterval(i) => NdOptionBuilder {
                type_: Some(7),
                advertisement_interval: Some(i),
                ..b
            },
            NdOpt::HomeAgent(p, l) => NdOptionBuilder {
                type_: Some(8),
                home_agent_preference: Some(p),
                home_agent_lifetime: Some(l),
                ..b
            },
            NdOpt::Rdnss(l, addrs) => NdOptionBuilder {
                type_: Some(25),
                rdnss_lifetime: Some(l),
                rdnss: addrs.into_iter().map(Ipv6Addr::from).collect(),
                ..b
            },
            NdOpt::Dnssl(l, names) => NdOptionBuilder {
                type_: Some(31),
                dnssl_lifetime: Some(l),
                dnssl_names: Some(names),
                ..b
            },
            // The 6 reserved bytes are set: see
            // `unset_fixed_size_bytes_are_zero_filled`.
            NdOpt::Redirected(pkt) => NdOptionBuilder {
                type_: Some(4),
                _reserved2: Some(vec![0; 6]),
                redirected_packet: Some(pkt),
                ..b
            },
            NdOpt::Other(t, data) => NdOptionBuilder {
                type_: Some(t),
                data: Some(data),
                ..b
            },
        }
    }

    fn check(&self, o: &strata::protocols::icmpv6::NdOption<'_>) {
        let enc = self.encode();
        assert_eq!(o.as_bytes(), &enc[..], "{self:?}");
        assert_eq!(o.type_(), enc[0]);
        assert_eq!(o.length(), enc[1]);
        match self.clone() {
            NdOpt::LinkAddr(1, m) => assert_eq!(o.linkaddr().map(|x| x.0), Some(m)),
            NdOpt::LinkAddr(_, m) => assert_eq!(o.target_linkaddr().map(|x| x.0), Some(m)),
            NdOpt::LinkAddrOther(1, v) => assert_eq!(o.linkaddr_other(), Some(&v[..])),
            NdOpt::LinkAddrOther(_, v) => assert_eq!(o.target_linkaddr_other(), Some(&v[..])),
            NdOpt::Prefix {
                len,
                flags,
                valid,
                preferred,
                prefix,
            } => {
                assert_eq!(o.prefix_length(), Some(len));
                assert_eq!(o.prefix_flag(), Some(flags));
                assert_eq!(o.prefix_flag_l(), Some(flags >> 7 == 1));
                assert_eq!(o.prefix_valid_lifetime(), Some(valid));
                assert_eq!(o.prefix_preferred_lifetime(), Some(preferred));
                assert_eq!(o.prefix(), Some(Ipv6Addr::from(prefix)));
            }
            NdOpt::Mtu(m) => assert_eq!(o.mtu(), Some(m)),
            NdOpt::AdvInterval(i) => assert_eq!(o.advertisement_interval(), Some(i)),
            NdOpt::HomeAgent(p, l) => {
                assert_eq!(o.home_agent_preference(), Some(p));
                assert_eq!(o.home_agent_lifetime(), Some(l));
            }
            NdOpt::Rdnss(l, addrs) => {
                assert_eq!(o.rdnss_lifetime(), Some(l));
                let got: Vec<[u8; 16]> = o.rdnss().expect("rdnss").map(|a| a.octets()).collect();
                assert_eq!(got, addrs);
            }
            NdOpt::Dnssl(l, names) => {
                assert_eq!(o.dnssl_lifetime(), Some(l));
                assert_eq!(o.dnssl_names(), Some(&names[..]));
            }
            NdOpt::Redirected(pkt) => assert_eq!(o.redirected_packet(), Some(&pkt[..])),
            NdOpt::Other(_, data) => assert_eq!(o.data(), Some(&data[..])),
        }
    }
}

/// `n` bytes, `n` a multiple of 8 plus `extra`, at most `8 * max + extra`.
fn bytes8(extra: usize, min: usize, max: usize) -> impl Strategy<Value = Vec<u8>> {
    (min..=max).prop_flat_map(move |k| vec(any::<u8>(), 8 * k + extra))
}

fn nd_opt() -> impl Strategy<Value = NdOpt> {
    let t12 = 1u8..3;
    prop_oneof![
        (t12.clone(), any::<[u8; 6]>()).prop_map(|(t, m)| NdOpt::LinkAddr(t, m)),
        (t12, bytes8(6, 1, 2)).prop_map(|(t, v)| NdOpt::LinkAddrOther(t, v)),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u32>(),
            any::<u32>(),
            any::<[u8; 16]>()
        )
            .prop_map(|(len, flags, valid, preferred, prefix)| NdOpt::Prefix {
                len,
                flags,
                valid,
                preferred,
                prefix
            }),
        any::<u32>().prop_map(NdOpt::Mtu),
        any::<u32>().prop_map(NdOpt::AdvInterval),
        (any::<u16>(), any::<u16>()).prop_map(|(p, l)| NdOpt::HomeAgent(p, l)),
        (any::<u32>(), vec(any::<[u8; 16]>(), 1..3)).prop_map(|(l, a)| NdOpt::Rdnss(l, a)),
        (any::<u32>(), bytes8(0, 0, 2)).prop_map(|(l, n)| NdOpt::Dnssl(l, n)),
        bytes8(0, 0, 3).prop_map(NdOpt::Redirected),
        (
            prop::sample::select(vec![6u8, 9, 10, 14, 24, 38, 138, 200, 253]),
            bytes8(6, 0, 2)
        )
            .prop_map(|(t, d)| NdOpt::Other(t, d)),
    ]
}

fn nd_opts() -> impl Strategy<Value = Vec<NdOpt>> {
    vec(nd_opt(), 0..4)
}

/// The parsed ND options against the expected list.
fn check_nd<'a>(
    got: Option<strata::__private::StructIter<'a, strata::protocols::icmpv6::NdOption<'a>>>,
    want: Option<&[NdOpt]>,
) {
    let want = want.expect("an ND message");
    let got: Vec<_> = got.expect("options present").collect();
    assert_eq!(got.len(), want.len());
    for (o, w) in got.iter().zip(want) {
        w.check(o);
    }
}

// ---------------------------------------------------------------- VLAN, ARP

#[derive(Clone, Debug)]
struct Vlan {
    priority: u8,
    dei: bool,
    id: u16,
}

fn vlan() -> impl Strategy<Value = Vlan> {
    (0u8..8, any::<bool>(), 0u16..4096).prop_map(|(priority, dei, id)| Vlan { priority, dei, id })
}

impl Vlan {
    fn builder(&self) -> VlanBuilder {
        VlanBuilder::new()
            .priority(self.priority)
            .dei(self.dei)
            .id(self.id)
    }

    fn check(&self, d: &Dissection<'_>, i: usize, next_type: u16) {
        let v = view!(d, i, Vlan);
        assert_eq!(v.priority(), self.priority);
        assert_eq!(v.dei(), self.dei);
        assert_eq!(v.id(), self.id);
        assert_eq!(u16::from(v.type_()), next_type, "vlan type from the bind");
        assert_eq!(v.etype().map(u16::from), Some(next_type));
    }
}

#[derive(Clone, Debug)]
struct Arp {
    hw_type: u16,
    proto_type: u16,
    opcode: u16,
    /// Hardware and protocol addresses: sender then target; their lengths
    /// are the sizes (6 and 4 select the typed fields).
    src_hw: Vec<u8>,
    src_proto: Vec<u8>,
    dst_hw: Vec<u8>,
    dst_proto: Vec<u8>,
}

fn arp() -> impl Strategy<Value = Arp> {
    let sizes = prop_oneof![3 => Just((6usize, 4usize)), 1 => (0usize..17, 0usize..17)];
    (
        any::<u16>(),
        any::<u16>(),
        prop_oneof![1u16..5, any::<u16>()],
        sizes,
    )
        .prop_flat_map(|(hw_type, proto_type, opcode, (hs, ps))| {
            (
                vec(any::<u8>(), hs),
                vec(any::<u8>(), ps),
                vec(any::<u8>(), hs),
                vec(any::<u8>(), ps),
            )
                .prop_map(move |(src_hw, src_proto, dst_hw, dst_proto)| Arp {
                    hw_type,
                    proto_type,
                    opcode,
                    src_hw,
                    src_proto,
                    dst_hw,
                    dst_proto,
                })
        })
}

impl Arp {
    fn builder(&self) -> ArpBuilder {
        let mut b = ArpBuilder::new()
            .hw_type(self.hw_type)
            .proto_type(self.proto_type)
            .hw_size(self.src_hw.len() as u8)
            .proto_size(self.src_proto.len() as u8)
            .opcode(self.opcode);
        if self.src_hw.len() == 6 {
            b = b
                .src_hw_mac(<[u8; 6]>::try_from(&self.src_hw[..]).unwrap())
                .dst_hw_mac(<[u8; 6]>::try_from(&self.dst_hw[..]).unwrap());
        } else {
            b = b.src_hw(self.src_hw.clone()).dst_hw(self.dst_hw.clone());
        }
        if self.src_proto.len() == 4 {
            b = b
                .src_proto_ipv4(<[u8; 4]>::try_from(&self.src_proto[..]).unwrap())
                .dst_proto_ipv4(<[u8; 4]>::try_from(&self.dst_proto[..]).unwrap());
        } else {
            b = b
                .src_proto(self.src_proto.clone())
                .dst_proto(self.dst_proto.clone());
        }
        b
    }

    fn check(&self, d: &Dissection<'_>, i: usize, raw: &[u8]) {
        let v = view!(d, i, Arp);
        assert_eq!(v.hw_type(), self.hw_type);
        assert_eq!(u16::from(v.proto_type()), self.proto_type);
        assert_eq!(u16::from(v.opcode()), self.opcode);
        assert_eq!(v.hw_size() as usize, self.src_hw.len());
        assert_eq!(v.proto_size() as usize, self.src_proto.len());
        let mac = |m: Option<strata::MacAddr>| m.map(|m| m.0.to_vec());
        let ip = |a: Option<Ipv4Addr>| a.map(|a| a.octets().to_vec());
        let bytes = |b: Option<&[u8]>| b.map(<[u8]>::to_vec);
        let (src_hw, dst_hw) = if self.src_hw.len() == 6 {
            assert!(v.src_hw().is_none());
            (mac(v.src_hw_mac()), mac(v.dst_hw_mac()))
        } else {
            assert!(v.src_hw_mac().is_none());
            (bytes(v.src_hw()), bytes(v.dst_hw()))
        };
        let (src_p, dst_p) = if self.src_proto.len() == 4 {
            assert!(v.src_proto().is_none());
            (ip(v.src_proto_ipv4()), ip(v.dst_proto_ipv4()))
        } else {
            assert!(v.src_proto_ipv4().is_none());
            (bytes(v.src_proto()), bytes(v.dst_proto()))
        };
        assert_eq!(src_hw.as_ref(), Some(&self.src_hw));
        assert_eq!(dst_hw.as_ref(), Some(&self.dst_hw));
        assert_eq!(src_p.as_ref(), Some(&self.src_proto));
        assert_eq!(dst_p.as_ref(), Some(&self.dst_proto));
        // The wire image, encoded independently.
        let mut want = Vec::new();
        want.extend_from_slice(&self.hw_type.to_be_bytes());
        want.extend_from_slice(&self.proto_type.to_be_bytes());
        want.push(self.src_hw.len() as u8);
        want.push(self.src_proto.len() as u8);
        want.extend_from_slice(&self.opcode.to_be_bytes());
        for part in [&self.src_hw, &self.src_proto, &self.dst_hw, &self.dst_proto] {
            want.extend_from_slice(part);
        }
        assert_eq!(hex(raw), hex(&want));
    }
}

// ------------------------------------------------- regressions found by these

/// A fixed-size `bytes[N]` field left unset is written as N zero bytes, as
/// every other unset fixed-size field is (`mac`, `ipv4`, integers); one set to
/// the wrong size is an error rather than a short layer.
#[test]
fn unset_fixed_size_bytes_are_zero_filled() {
    // ICMPv6 Neighbor Solicitation: type, code, checksum, 4 reserved bytes, target.
    let ns = Icmpv6Builder::new()
        .type_(135u8)
        .ns_target_address(Ipv6Addr::LOCALHOST)
        .build()
        .unwrap();
    assert_eq!(ns.len(), 24, "{}", hex(&ns));
    // ICMP Destination Unreachable: type, code, checksum, 4 unused bytes.
    let unreach = IcmpBuilder::new().type_(3u8).build().unwrap();
    assert_eq!(unreach.len(), 8, "{}", hex(&unreach));
    let wrong = ArpBuilder::new().hw_size(8u8).src_hw(vec![1, 2, 3]).build();
    assert!(
        matches!(
            wrong,
            Err(strata::BuildError::Length {
                expected: 8,
                got: 3,
                ..
            })
        ),
        "{wrong:?}"
    );
}

/// A field whose presence depends on a derived field (`linkaddr : mac if
/// length == 1`, with `length = derive(sizeof(self) / 8)`) is written when it
/// is set and the length is left to be derived (the condition cannot be
/// evaluated before the length exists).
#[test]
fn presence_condition_on_a_derived_length() {
    let o = NdOptionBuilder {
        type_: Some(1),
        linkaddr: Some([0, 0x11, 0x22, 0x33, 0x44, 0x55].into()),
        ..NdOptionBuilder::default()
    };
    assert_eq!(hex(&o.build().expect("build")), "0101001122334455");
}
