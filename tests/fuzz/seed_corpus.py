#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Run from anywhere: python3 tests/fuzz/seed_corpus.py [--shared DIR]

* dissect_ethernet:  every Ethernet frame of tests/data/crafted, plus small
                     Ethernet frames from a few public captures (--shared).
* dissect_linktypes: every crafted frame (and the public ones) prefixed with
                     its link type as 2 big-endian bytes (see
                     strata_tests::fuzz_bodies::linktype_for).
* pcap_read:         the crafted capture files whole, the runtime's pcap test
                     files and a few small public captures.
* pdl_compile:       protocols/*.pdl one by one, the whole suite as one
                     multi-file input (`//@file NAME` separators), the
                     compiler's error fixtures and small hand mutations.

Seed files are named `seed-*`; files added by libFuzzer (40-hex names) and
minimized crash inputs (`crash-*`) are left alone. Only stdlib is used.
"""

import argparse
import glob
import hashlib
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SUPPORTED = {1, 0, 108, 101, 12, 14, 113, 276, 228, 229}

# Public captures to take frames from: (file, max frames). Chosen for link
# types and protocols the schemas cover (IPv6 extension headers, ICMPv6 ND,
# VLAN stacks, SLL/SLL2, NULL, fragments, TCP options).
SHARED_FRAMES = [
    ("tcpdump__icmpv6.pcap", 5),
    ("tcpdump__ipv6-routing-header.pcap", 4),
    ("tcpdump__tcp-handshake-nano.pcap", 3),
    ("zeek__linux_dlt_sll2.pcap", 4),
    ("zeek__vlan-qinqinq.pcap", 4),
    ("zeek__arp-who-has.pcap", 2),
    ("tcpdump__dns_udp.pcap", 2),
    ("tcpdump__dns_tcp.pcap", 4),
    ("tcpdump__edns-opts.pcap", 3),
    ("tcpdump__print-flags.pcap", 4),
    ("zeek__ipv6-fragmented-dns.pcap", 4),
    ("zeek__ipv4-fragmented-3.pcap", 4),
    ("suricata__http2-continuation.pcap", 3),
    ("tcpdump__quic_handshake.pcap", 2),
    ("zeek__pcapng-multi-interface.pcapng", 4),
    ("zeek__dns-mdns.pcap", 3),
    ("zeek__tls13-hrr.pcap", 3),
]
SHARED_FILES = [
    "zeek__arp-who-has.pcap",
    "tcpdump__dns_udp.pcap",
    "tcpdump__icmpv6.pcap",
    "tcpdump__ipv6-routing-header.pcap",
    "zeek__linux_dlt_sll2.pcap",
    "zeek__pcapng-multi-interface.pcapng",
    "tcpdump__802_15_4-data.pcap",
    "tcpdump__l2tp-avp-overflow.pcap",
    "zeek__modbus-eit.pcap",
]
MAX_FRAME = 600


def read_pcap(data):
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return read_pcapng(data)
    lt = struct.unpack(e + "I", data[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8 : off + 12])[0]
        yield lt, data[off + 16 : off + 16 + incl]
        off += 16 + incl


def read_pcapng(data):
    off, e, ifaces = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off : off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8 : off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        blen = struct.unpack(e + "I", data[off + 4 : off + 8])[0]
        body = data[off + 8 : off + blen - 4]
        if btype == 1:
            ifaces.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6:
            iface, _, _, caplen = struct.unpack(e + "IIII", body[:16])
            yield ifaces[iface], body[20 : 20 + caplen]
        elif btype == 3:
            yield ifaces[0], body[4:]
        if blen < 12:
            break
        off += blen


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def clean_seeds():
    for p in glob.glob(os.path.join(CORPUS, "*", "seed-*")):
        os.remove(p)


def frames(path, limit=None):
    with open(path, "rb") as f:
        data = f.read()
    out = []
    for lt, frame in read_pcap(data):
        if len(frame) <= MAX_FRAME:
            out.append((lt, frame))
        if limit is not None and len(out) >= limit:
            break
    return out


def seed_frames(paths):
    seen = set()
    for path, limit in paths:
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, (lt, frame) in enumerate(frames(path, limit)):
            key = (lt, frame)
            if key in seen:
                continue
            seen.add(key)
            if lt in SUPPORTED:
                write("dissect_linktypes", f"seed-{stem}-{i:02}", struct.pack(">H", lt) + frame)
            if lt == 1:
                write("dissect_ethernet", f"seed-{stem}-{i:02}", frame)


def seed_pcap(paths):
    for path in paths:
        with open(path, "rb") as f:
            write("pcap_read", "seed-" + os.path.basename(path), f.read())


PDL_MUTATIONS = {
    # A minimal layer with most field kinds, a bind, a table and a test.
    "tiny": """pdl 1;
table t.key : u8;
interface Pseudo { fn pseudo(len); }
layer A "A" (filter = "a", name = "A") implements Pseudo {
    k : u8 @label("Key");
    flags : bits u8 { hi : u4; lo : bool; rest : u3; } @display(hex);
    m : mac;
    v4 : ipv4;
    v6 : ipv6;
    n : u16le;
    payload -> t.key[k];
    fn pseudo(len) = v4 ++ u16(len);
}
layer B "B" (filter = "b") {
    len : u16 = derive(sizeof(self));
    sum : u16 = checksum(internet16, under.pseudo(sizeof(self)) ++ self) @verify(false);
    payload -> t.key[len] if len > 100;
}
bind t.key[1] => B;
test B {
    parse "0004 0000" => { len: 4 };
    build { } payload "ab" => "0005 0000 ab";
}
""",
    # Length-driven arrays of structs, an enum, a match and a let.
    "options": """pdl 1;
enum Kind : u8 { END = 0, NOP = 1 "No-op", DATA = 2..=9 }
struct Opt "Option" (filter = "l.opt") {
    kind : Kind;
    len : u8 = derive(sizeof(self)) if kind > 1;
    match kind {
        0 => { let eol : bytes = self; }
        2 => { value : u16; rest : ipv4[..]; }
        _ => { data : bytes[..]; }
    }
}
layer L "L" (filter = "l") {
    hlen : u4 = derive(sizeof(header) / 4);
    ver : u4 = 4;
    let bytes_len : u8 = hlen * 4 @unit("bytes");
    opts : Opt[..];
    payload -> ethertype[hlen] else ethertype[ver];
}
table ethertype : u16;
""",
    # Deliberately broken ones: the analyzer must diagnose, never panic.
    "self_loop": """pdl 1;
table loop : u8;
layer X "X" (filter = "x") { k : u8; payload -> loop[k]; }
bind loop[0] => X;
""",
    "huge_width": "pdl 1;\nstruct S { a : bits u64 { b : u63; c : bool; } d : u64; e : u65; }\n",
    "zero_array": "pdl 1;\nstruct S { n : u8; e : u8[0]; f : bytes[n * 0]; }\n",
    "deep_expr": "pdl 1;\nstruct S { a : u8; let b : u64 = "
    + "(" * 40
    + "a"
    + " + 1)" * 40
    + "; }\n",
    "unicode": 'pdl 1;\nlayer É "é" (filter = "é") { ü : u8; }\n',
    "empty": "",
    "only_version": "pdl 1;\n",
}


def seed_pdl():
    protos = sorted(glob.glob(os.path.join(ROOT, "protocols", "*.pdl")))
    suite = []
    for p in protos:
        with open(p, "rb") as f:
            text = f.read()
        stem = os.path.splitext(os.path.basename(p))[0]
        write("pdl_compile", f"seed-{stem}", text)
        suite.append(b"//@file " + stem.encode() + b"\n" + text)
    write("pdl_compile", "seed-suite", b"".join(suite))
    # The whole suite minus one file at a time would be 10 more 40 KB seeds;
    # two small self-contained subsets cover cross-file links more cheaply.
    for name, parts in {
        "suite-eth-arp-vlan": ["link", "ethernet", "arp", "vlan"],
        "suite-l2-ip-udp": ["link", "ethernet", "ipv4", "ipv6", "udp"],
    }.items():
        texts = []
        for stem in parts:
            with open(os.path.join(ROOT, "protocols", stem + ".pdl"), "rb") as f:
                texts.append(b"//@file " + stem.encode() + b"\n" + f.read())
        write("pdl_compile", "seed-" + name, b"".join(texts))
    for p in sorted(glob.glob(os.path.join(ROOT, "compiler", "tests", "fixtures", "errors", "*.pdl"))):
        with open(p, "rb") as f:
            write("pdl_compile", "seed-err-" + os.path.splitext(os.path.basename(p))[0], f.read())
    for name, text in PDL_MUTATIONS.items():
        write("pdl_compile", "seed-mut-" + name, text.encode())
    # Byte-level mutations of the small udp schema: truncations at a few points.
    with open(os.path.join(ROOT, "protocols", "udp.pdl"), "rb") as f:
        udp = f.read()
    for cut in (60, 200, 400, 700):
        write("pdl_compile", f"seed-mut-udp-cut{cut}", udp[:cut])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared/captures")
    args = ap.parse_args()
    clean_seeds()
    crafted = sorted(
        glob.glob(os.path.join(ROOT, "tests", "data", "crafted", "*.pcap"))
        + glob.glob(os.path.join(ROOT, "tests", "data", "crafted", "*.pcapng"))
    )
    shared = [
        (os.path.join(args.shared, f), n)
        for f, n in SHARED_FRAMES
        if os.path.exists(os.path.join(args.shared, f))
    ]
    seed_frames([(p, None) for p in crafted] + shared)
    pcaps = crafted + sorted(glob.glob(os.path.join(ROOT, "runtime", "src", "pcap", "testdata", "*")))
    pcaps += [os.path.join(args.shared, f) for f in SHARED_FILES if os.path.exists(os.path.join(args.shared, f))]
    seen = set()
    unique = []
    for p in pcaps:
        with open(p, "rb") as f:
            h = hashlib.sha1(f.read()).hexdigest()
        if h not in seen:
            seen.add(h)
            unique.append(p)
    seed_pcap(unique)
    seed_pdl()


if __name__ == "__main__":
    main()
