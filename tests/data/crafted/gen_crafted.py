#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
# Copyright (c) the Strata authors.
"""Generate the crafted L2-L4 capture files in this directory.

Packets are built with Scapy (an independent packet crafting tool); the
pcap / pcapng containers are written by the small writers below (Python
``struct``) so that every link type, timestamp resolution, snaplen and
``orig_len`` is under our control and regeneration is byte-for-byte
deterministic (fixed RNG seed, fixed timestamps, explicit IP ids / sequence
numbers / fragment ids).

Usage:
    pip install scapy==2.8.0
    python3 gen_crafted.py            # (re)write all files next to this script
    python3 gen_crafted.py --list     # also print a markdown packet listing
    python3 gen_crafted.py --out DIR  # write somewhere else
"""

import argparse
import os
import random
import struct
import sys
import zlib

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

import scapy  # noqa: E402
from scapy.all import (  # noqa: E402
    ARP, Dot1AD, Dot1Q, Ether, ICMP, IP, Padding, Raw,
    TCP, UDP, checksum, fragment, raw,
)
from scapy.layers.inet6 import (  # noqa: E402
    HAO, HBHOptUnknown, ICMPv6DestUnreach, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6MLDMultAddrRec, ICMPv6MLDone, ICMPv6MLQuery,
    ICMPv6MLQuery2, ICMPv6MLReport, ICMPv6MLReport2, ICMPv6ND_NA,
    ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6ND_RS,
    ICMPv6NDOptDstLLAddr, ICMPv6NDOptMTU, ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRedirectedHdr, ICMPv6NDOptSrcLLAddr, ICMPv6PacketTooBig,
    ICMPv6ParamProblem, ICMPv6TimeExceeded, IPv6,
    IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting, IPv6ExtHdrSegmentRouting, Pad1, PadN, RouterAlert,
)

SEED = 0x5757A7A  # fixed seed: all pseudo-random payloads come from RNG
RNG = random.Random(SEED)
random.seed(SEED)  # Scapy's own Rand* helpers use the global RNG

BASE_SEC = 1_700_000_000  # 2023-11-14T22:13:20Z

# Link types
DLT_NULL = 0
DLT_EN10MB = 1
LINKTYPE_RAW = 101
DLT_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276

# Documentation addresses (RFC 5737 / RFC 3849) and locally administered MACs.
MAC_A = "02:00:5e:10:00:0a"
MAC_B = "02:00:5e:10:00:14"
MAC_C = "02:00:5e:10:00:1e"
MAC_R = "02:00:5e:10:00:fe"  # router
BCAST = "ff:ff:ff:ff:ff:ff"
IP_A = "192.0.2.10"
IP_B = "198.51.100.20"
IP_C = "203.0.113.30"
IP_R = "192.0.2.254"
IP6_A = "2001:db8:a::10"
IP6_B = "2001:db8:b::20"
IP6_C = "2001:db8:c::30"
LL_A = "fe80::5eff:fe10:a"
LL_B = "fe80::5eff:fe10:14"
LL_R = "fe80::5eff:fe10:fe"


def rbytes(n):
    return bytes(RNG.getrandbits(8) for _ in range(n))


def text(n, tag=b"strata-crafted "):
    return (tag * (n // len(tag) + 1))[:n]


def with_ip_options(pkt, opts):
    """Return bytes of the (Ether/)IPv4 packet ``pkt`` with raw option bytes ``opts``
    inserted after the fixed IPv4 header (IHL, total length and header checksum are
    recomputed).  Scapy would re-encode option fields, so the bytes are spliced in
    by hand to keep deliberately odd options intact."""
    assert len(opts) % 4 == 0
    b = raw(pkt)
    off = 14 if pkt.haslayer(Ether) else 0
    eth, hdr, rest = b[:off], bytearray(b[off:off + 20]), b[off + 20:]
    hdr[0] = 0x40 | ((20 + len(opts)) // 4)
    hdr[2:4] = struct.pack(">H", 20 + len(opts) + len(rest))
    hdr[10:12] = b"\x00\x00"
    hdr = bytes(hdr) + opts
    hdr = hdr[:10] + struct.pack(">H", checksum(hdr)) + hdr[12:]
    return eth + hdr + rest


def pad60(frame):
    """Ethernet minimum-size padding (zero bytes), as seen on the receive side."""
    b = raw(frame)
    return b + b"\x00" * max(0, 60 - len(b))


# --------------------------------------------------------------------------
# Container writers
# --------------------------------------------------------------------------

class Pcap:
    """Little-endian classic pcap; microsecond or nanosecond resolution."""

    def __init__(self, name, linktype, nano=False, snaplen=65535, step_us=1250):
        self.name = name
        self.linktype = linktype
        self.nano = nano
        self.snaplen = snaplen
        self.step_us = step_us
        self.records = []  # (sec, frac, data, orig_len, desc)

    def add(self, pkt, desc, frac=None):
        data = raw(pkt) if not isinstance(pkt, (bytes, bytearray)) else bytes(pkt)
        orig_len = len(data)
        data = data[: self.snaplen]
        i = len(self.records)
        if frac is None:
            us = 123 + i * self.step_us
            sec, frac = BASE_SEC + us // 1_000_000, us % 1_000_000
            if self.nano:
                frac = frac * 1000 + (i * 37) % 1000
        else:
            sec = BASE_SEC + i
        self.records.append((sec, frac, data, orig_len, desc))

    def to_bytes(self):
        magic = 0xA1B23C4D if self.nano else 0xA1B2C3D4
        out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, self.snaplen, self.linktype)]
        for sec, frac, data, orig_len, _ in self.records:
            out.append(struct.pack("<IIII", sec, frac, len(data), orig_len))
            out.append(data)
        return b"".join(out)


def _pad4(b):
    return b + b"\x00" * ((4 - len(b) % 4) % 4)


def _opt(code, value):
    return struct.pack("<HH", code, len(value)) + _pad4(value)


def _block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


class Pcapng:
    """Minimal little-endian pcapng writer: SHB, IDBs and EPBs."""

    def __init__(self, name):
        self.name = name
        self.ifaces = []  # (linktype, snaplen, tsresol_exp or None, ifname)
        self.records = []  # (iface, ticks, data, orig_len, comment, desc)

    def add_iface(self, linktype, ifname, tsresol=None, snaplen=262144):
        self.ifaces.append((linktype, snaplen, tsresol, ifname))
        return len(self.ifaces) - 1

    def add(self, iface, pkt, desc, usec_offset, comment=None):
        data = raw(pkt) if not isinstance(pkt, (bytes, bytearray)) else bytes(pkt)
        tsresol = self.ifaces[iface][2]
        exp = 6 if tsresol is None else tsresol
        ticks = BASE_SEC * 10**exp + usec_offset * 10 ** (exp - 6)
        if exp == 9:
            ticks += 789  # sub-microsecond part only representable at ns resolution
        self.records.append((iface, ticks, data, len(data), comment, desc))

    def to_bytes(self):
        shb_opts = (_opt(4, b"gen_crafted.py (Strata test data)")
                    + _opt(0, b""))
        shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shb_opts
        out = [_block(0x0A0D0D0A, shb)]
        for linktype, snaplen, tsresol, ifname in self.ifaces:
            opts = _opt(2, ifname.encode())
            if tsresol is not None:
                opts += _opt(9, bytes([tsresol]))
            opts += _opt(0, b"")
            out.append(_block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts))
        for iface, ticks, data, orig_len, comment, _ in self.records:
            body = struct.pack("<IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF,
                               len(data), orig_len) + _pad4(data)
            if comment:
                body += _opt(1, comment.encode()) + _opt(0, b"")
            out.append(_block(6, body))
        return b"".join(out)


# --------------------------------------------------------------------------
# eth_ipv4_tcp.pcap
# --------------------------------------------------------------------------

def eth_ipv4_tcp():
    c = Pcap("eth_ipv4_tcp.pcap", DLT_EN10MB)
    ea = Ether(src=MAC_A, dst=MAC_B)
    eb = Ether(src=MAC_B, dst=MAC_A)
    sp, dp = 51000, 40123
    isn_a, isn_b = RNG.getrandbits(32), RNG.getrandbits(32)
    tsa, tsb = 1_000_000, 7_000_000

    def A(flags, seq, ack, opts, payload=b"", tos=0, ipid=0, win=502, ttl=64):
        return ea / IP(src=IP_A, dst=IP_B, tos=tos, id=0x4000 + ipid, flags="DF", ttl=ttl) / \
            TCP(sport=sp, dport=dp, flags=flags, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                window=win, options=opts) / payload

    def B(flags, seq, ack, opts, payload=b"", tos=0, ipid=0, win=509, ttl=52):
        return eb / IP(src=IP_B, dst=IP_A, tos=tos, id=0x7000 + ipid, flags="DF", ttl=ttl) / \
            TCP(sport=dp, dport=sp, flags=flags, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                window=win, options=opts) / payload

    a, b = isn_a, isn_b
    c.add(A("SEC", a, 0, [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (tsa, 0)),
                          ("NOP", None), ("WScale", 7)], win=64240),
          "SYN+ECE+CWR (ECN-setup SYN); options MSS, SACK_PERM, TS, NOP, WS=7; DF, TTL 64")
    c.add(B("SAE", b, a + 1, [("MSS", 1400), ("WScale", 8), ("SAckOK", b""), ("EOL", None)],
            win=65160),
          "SYN+ACK+ECE; options MSS, WS=8, SACK_PERM, EOL + zero padding to 12 bytes; TTL 52")
    a += 1
    b += 1
    c.add(A("A", a, b, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 1, tsb))]),
          "ACK completing handshake; NOP NOP TS")
    seg = [text(120, b"segment-one "), text(120, b"segment-two "), text(120, b"segment-three ")]
    c.add(A("PA", a, b, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 2, tsb))], seg[0],
            tos=0xBA, ipid=1),
          "data seg 1 (120 B), PSH; DSCP EF (46) + ECN ECT(0)")
    c.add(A("A", a + 120, b, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 2, tsb))], seg[1],
            tos=0x2A, ipid=2),
          "data seg 2 (120 B); DSCP AF11 (10) + ECT(0)")
    c.add(A("PA", a + 240, b, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 2, tsb))], seg[2],
            tos=0x29, ipid=3),
          "data seg 3 (120 B); DSCP AF11 + ECT(1)")
    c.add(B("A", b, a + 120, [("NOP", None), ("NOP", None), ("Timestamp", (tsb + 1, tsa + 2)),
                              ("NOP", None), ("NOP", None), ("SAck", (a + 240, a + 360))], ipid=1),
          "ACK of seg 1 with one SACK block (seg 3) - seg 2 lost downstream of capture point")
    c.add(A("A", a + 120, b, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 3, tsb + 1))],
            seg[1], tos=0x2A, ipid=4),
          "retransmission of seg 2")
    c.add(B("A", b, a + 360, [("NOP", None), ("NOP", None), ("Timestamp", (tsb + 2, tsa + 3))], ipid=2),
          "cumulative ACK of all data (66 B frame)")
    resp = text(200, b"response-data ")
    c.add(B("PA", b, a + 360, [("NOP", None), ("NOP", None), ("Timestamp", (tsb + 3, tsa + 3))],
            resp, tos=0x03, ipid=3),
          "server data 200 B, PSH; ECN CE (congestion experienced)")
    c.add(A("AE", a + 360, b + 200, [("NOP", None), ("NOP", None), ("Timestamp", (tsa + 4, tsb + 3)),
                                     ("NOP", None), ("NOP", None),
                                     ("SAck", (b + 300, b + 400, b + 500, b + 600))], ipid=5),
          "ACK+ECE echoing CE; two SACK blocks (above ACK, D-SACK-free)")
    c.add(B("PAC", b + 200, a + 360, [("NOP", None), ("NOP", None), ("Timestamp", (tsb + 4, tsa + 4))],
            resp[:50], tos=0x02, ipid=4),
          "server data 50 B with PSH+ACK+CWR")
    c.add(pad60(A("FA", a + 360, b + 250, [], ipid=6)),
          "FIN+ACK, no options: 54 B frame + 6 zero padding bytes")
    c.add(pad60(B("A", b + 250, a + 361, [], ipid=5)),
          "ACK of FIN, no options, padded to 60 B")
    c.add(pad60(B("FA", b + 250, a + 361, [], ipid=6)),
          "server FIN+ACK, padded to 60 B")
    c.add(pad60(A("A", a + 361, b + 251, [], ipid=7)),
          "last ACK, padded to 60 B")

    # ---- standalone segments (other conversations) ----
    ec = Ether(src=MAC_C, dst=MAC_B)
    c.add(ec / IP(src=IP_C, dst=IP_B, id=0x1001, ttl=255) /
          TCP(sport=40000, dport=dp, flags="PAU", seq=1000, ack=2000, urgptr=5, window=1024) /
          b"URGENT-and-normal",
          "PSH+ACK+URG, urgent pointer 5, TTL 255, DF clear")
    c.add(pad60(ec / IP(src=IP_C, dst=IP_B, id=0x1002, ttl=1) /
                TCP(sport=40001, dport=dp, flags="P", seq=5000, ack=0, window=1024) / b"p"),
          "PSH-only segment (no ACK), 1 B payload, TTL 1, padded to 60 B")
    c.add(ec / IP(src=IP_C, dst=IP_B, id=0x1003, ttl=128, tos=0x01) /
          TCP(sport=40002, dport=dp, flags="AEC", seq=7000, ack=8000, window=2048,
              options=[("NOP", None), ("NOP", None), ("Timestamp", (1, 2))]),
          "ACK+ECE+CWR, TTL 128, ECN ECT(1)")
    c.add(ec / IP(src=IP_C, dst=IP_B, id=0x1004, flags="DF", ttl=64) /
          TCP(sport=40003, dport=dp, flags="S", seq=9000, window=65535,
              options=[("MSS", 1460), ("SAckOK", b""),
                       (30, b"\x00\x81" + bytes.fromhex("0123456789abcdef")),
                       ("NOP", None), ("WScale", 6)]),
          "SYN with MPTCP MP_CAPABLE v0 (kind 30, len 12, 64-bit key)")
    c.add(ec / IP(src=IP_C, dst=IP_B, id=0x1005, flags="DF", ttl=64) /
          TCP(sport=40004, dport=dp, flags="A", seq=9100, ack=100, window=4096,
              options=[(99, b"\xde\xad\xbe\xef"), ("NOP", None), ("NOP", None),
                       (254, b"\xab\xcd\x01\x02")]) / b"unknown-opts",
          "TCP option kind 99 (len 6, unassigned) + NOP NOP + kind 254 (RFC 6994 experimental, unassigned ExID 0xabcd)")
    c.add(pad60(eb / IP(src=IP_B, dst=IP_C, id=0x1006, flags="DF", ttl=61) /
                TCP(sport=dp, dport=40004, flags="A", seq=100, ack=9112, window=0)),
          "zero window ACK, padded to 60 B")
    # IPv4 options (over TCP)
    rr = bytes([7, 15, 8]) + bytes([192, 0, 2, 1]) + b"\x00" * 8 + b"\x00"  # RR + EOL
    c.add(with_ip_options(ea / IP(src=IP_A, dst=IP_C, id=0x2001, ttl=63) /
                          TCP(sport=40010, dport=dp, flags="S", seq=1, window=8192), rr),
          "IPv4 option Record Route (3 slots, 1 filled, ptr 8) + EOL; IHL 9")
    ts_opt = bytes([68, 12, 9, 0x00]) + struct.pack(">II", 43_200_000, 43_200_005)
    c.add(with_ip_options(ea / IP(src=IP_A, dst=IP_C, id=0x2002, ttl=32) /
                          TCP(sport=40011, dport=dp, flags="S", seq=1, window=8192), ts_opt),
          "IPv4 option Timestamp (flag 0 = timestamps only, 2 slots, 1 used, ptr 9); IHL 8")
    ra = bytes([1, 148, 4, 0, 0, 1, 0, 0])  # NOP, Router Alert, NOP, EOL, pad
    c.add(with_ip_options(ea / IP(src=IP_A, dst=IP_C, id=0x2003, ttl=1, tos=0xC0) /
                          TCP(sport=40012, dport=dp, flags="R", seq=2, window=0), ra),
          "IPv4 options NOP, Router Alert (value 0), NOP, EOL + pad; RST; TTL 1; DSCP CS6")
    # Ethernet trailers
    c.add(pad60(eb / IP(src=IP_B, dst=IP_C, id=0x2004, ttl=200) /
                TCP(sport=dp, dport=40012, flags="RA", seq=0, ack=3, window=0))[:54]
          + bytes.fromhex("a5a5a5a5a5a5"),
          "RST+ACK 54 B frame padded to 60 B with NON-zero padding bytes")
    c.add(raw(ea / IP(src=IP_A, dst=IP_C, id=0x2005, flags="DF", ttl=64) /
              TCP(sport=40013, dport=dp, flags="PA", seq=10, ack=20, window=1000) /
              b"0123456789abcdefghij") + bytes.fromhex("c0ffee112233"),
          "74 B frame (IPv4 total length 60) + 6 non-zero trailer bytes (tshark: 2 B trailer + 4 B FCS)")
    c.add(raw(ea / IP(src=IP_A, dst=IP_C, id=0x2006, flags="DF", ttl=64) /
              TCP(sport=40014, dport=dp, flags="PA", seq=10, ack=20, window=1000) /
              b"0123456789abcdefghij") + bytes.fromhex("abcdef"),
          "74 B frame + 3 non-zero trailer bytes (too short to be an FCS)")
    fr = raw(ea / IP(src=IP_A, dst=IP_C, id=0x2007, flags="DF", ttl=64) /
             TCP(sport=40015, dport=dp, flags="PA", seq=10, ack=20, window=1000) / b"with a valid FCS")
    c.add(fr + struct.pack("<I", zlib.crc32(fr)),
          "70 B frame followed by its correct Ethernet CRC-32 FCS (4 B, little-endian on the wire)")
    return c


# --------------------------------------------------------------------------
# eth_ipv4_udp_icmp.pcap
# --------------------------------------------------------------------------

def eth_ipv4_udp_icmp():
    c = Pcap("eth_ipv4_udp_icmp.pcap", DLT_EN10MB)
    ea = Ether(src=MAC_A, dst=MAC_B)
    eb = Ether(src=MAC_B, dst=MAC_A)
    er = Ether(src=MAC_R, dst=MAC_A)

    def ipa(**kw):
        kw.setdefault("ttl", 64)
        return IP(src=IP_A, dst=IP_B, **kw)

    udp_echo = ipa(id=0x0101) / UDP(sport=51001, dport=7) / b"hello, echo"
    c.add(ea / udp_echo, "UDP to port 7 (echo) with valid checksum")
    c.add(ea / ipa(id=0x0102) / UDP(sport=51002, dport=9, chksum=0) / text(32, b"no-checksum "),
          "UDP to port 9 (discard) with checksum 0 (not computed)")
    trace = ipa(id=0x0103, ttl=1) / UDP(sport=51003, dport=33434) / (b"\x00" * 24)
    c.add(ea / trace, "UDP to port 33434 (traceroute style), TTL 1")
    c.add(ea / ipa(id=0x0104, flags="DF") / UDP(sport=51004, dport=40000) / rbytes(64),
          "UDP to port 40000, 64 B pseudo-random payload, DF")
    c.add(pad60(eb / IP(src=IP_B, dst=IP_A, id=0x0105, ttl=50) / UDP(sport=40000, dport=51004)),
          "UDP with empty payload (length 8), padded to 60 B")
    for seq in (1, 2):
        payload = struct.pack(">II", BASE_SEC, seq * 1000) + text(48, b"ping!")
        c.add(ea / ipa(id=0x0200 + seq) / ICMP(type=8, id=0x1234, seq=seq) / payload,
              "ICMP echo request id 0x1234 seq %d (56 B payload)" % seq)
        c.add(eb / IP(src=IP_B, dst=IP_A, id=0x0300 + seq, ttl=57) /
              ICMP(type=0, id=0x1234, seq=seq) / payload,
              "ICMP echo reply id 0x1234 seq %d" % seq)

    syn = IP(src=IP_A, dst=IP_C, id=0x0400, flags="DF", ttl=63) / TCP(
        sport=51010, dport=443, flags="S", seq=0x11223344, window=64240,
        options=[("MSS", 1460), ("SAckOK", b""), ("NOP", None), ("WScale", 7)])
    big = IP(src=IP_A, dst=IP_C, id=0x0401, flags="DF", ttl=63) / TCP(
        sport=51011, dport=443, flags="PA", seq=0x55667788, ack=0x99AABBCC, window=502) / text(1460)
    udp_to_c = IP(src=IP_A, dst=IP_C, id=0x0402, ttl=63) / UDP(sport=51012, dport=40001) / b"quote-me"

    def icmp_err(icmp, inner, nbytes, desc, src=IP_R):
        quote = raw(inner)[:nbytes]
        c.add(er / IP(src=src, dst=IP_A, id=0x0500 + len(c.records), ttl=255, tos=0xC0) /
              icmp / Raw(quote), desc)

    icmp_err(ICMP(type=3, code=0), udp_to_c, 999,
             "ICMP dest unreachable code 0 (net), quotes full IPv4+UDP datagram")
    icmp_err(ICMP(type=3, code=1), syn, 28,
             "ICMP dest unreachable code 1 (host), quotes IPv4 + first 8 B of TCP (RFC 792 minimum)")
    icmp_err(ICMP(type=3, code=3), udp_to_c, 999,
             "ICMP dest unreachable code 3 (port), quotes full IPv4+UDP", src=IP_C)
    icmp_err(ICMP(type=3, code=4, nexthopmtu=1400), big, 20 + 20 + 64,
             "ICMP dest unreachable code 4 (frag needed, next-hop MTU 1400), quotes IPv4+TCP header + 64 B "
             "of a 1500 B DF datagram")
    icmp_err(ICMP(type=3, code=13), syn, 999,
             "ICMP dest unreachable code 13 (admin prohibited), quotes full TCP SYN with options")
    icmp_err(ICMP(type=3, code=2), IP(src=IP_A, dst=IP_C, id=0x0403, proto=253) / b"experimental",
             999, "ICMP dest unreachable code 2 (protocol), quotes IPv4 proto 253", src=IP_C)
    icmp_err(ICMP(type=11, code=0), trace, 999,
             "ICMP time exceeded code 0 (TTL), quotes traceroute UDP datagram")
    frag_quote = IP(src=IP_A, dst=IP_C, id=0x0404, flags="MF", frag=0, ttl=63) / UDP(
        sport=51013, dport=40002, len=1008, chksum=0x1234) / text(32)
    icmp_err(ICMP(type=11, code=1), frag_quote, 28,
             "ICMP time exceeded code 1 (fragment reassembly), quotes first fragment header + 8 B",
             src=IP_C)
    icmp_err(ICMP(type=5, code=1, gw="192.0.2.253"), syn, 28,
             "ICMP redirect code 1 (host), gateway 192.0.2.253, quotes IPv4 + 8 B TCP")
    opt_ip = with_ip_options(IP(src=IP_A, dst=IP_C, id=0x0405, ttl=63) / UDP(sport=51014, dport=40003) / b"x",
                             bytes([0x94, 0x04, 0x00, 0x00]))
    icmp_err(ICMP(type=12, code=0, ptr=20), opt_ip, 999,
             "ICMP parameter problem code 0, pointer 20 (into IPv4 options), quotes IPv4-with-options+UDP")
    icmp_err(ICMP(type=4, code=0), syn, 28,
             "ICMP source quench (deprecated), quotes IPv4 + 8 B TCP")
    c.add(ea / ipa(id=0x0600) / ICMP(type=13, id=0x0bad, seq=1, ts_ori=45_296_789, ts_rx=0, ts_tx=0),
          "ICMP timestamp request")
    c.add(eb / IP(src=IP_B, dst=IP_A, id=0x0601, ttl=57) /
          ICMP(type=14, id=0x0bad, seq=1, ts_ori=45_296_789, ts_rx=45_296_800, ts_tx=45_296_801),
          "ICMP timestamp reply")
    # IPv4 fragmentation: 308-byte UDP datagram -> 3 fragments (104 + 104 + 100 B).
    dgram = IP(src=IP_A, dst=IP_B, id=0xABCD, ttl=64) / UDP(sport=51020, dport=40004) / text(300, b"fragmented-udp ")
    frags = fragment(dgram, fragsize=104)
    assert len(frags) == 3
    for f, d in zip(frags, ("first (offset 0, MF)", "middle (offset 104, MF)", "last (offset 208, no MF)")):
        c.add(ea / f, "IPv4 fragment %s of 308 B UDP datagram id 0xabcd" % d)
    return c


# --------------------------------------------------------------------------
# vlan_arp.pcap
# --------------------------------------------------------------------------

def vlan_arp():
    c = Pcap("vlan_arp.pcap", DLT_EN10MB)
    c.add(pad60(Ether(src=MAC_A, dst=BCAST) / ARP(op=1, hwsrc=MAC_A, psrc=IP_A, hwdst="00:00:00:00:00:00",
                                                   pdst=IP_R)),
          "ARP request who-has 192.0.2.254, padded to 60 B")
    c.add(pad60(Ether(src=MAC_R, dst=MAC_A) / ARP(op=2, hwsrc=MAC_R, psrc=IP_R, hwdst=MAC_A, pdst=IP_A)),
          "ARP reply, padded to 60 B")
    c.add(Ether(src=MAC_A, dst=BCAST) / ARP(op=1, hwsrc=MAC_A, psrc=IP_A, hwdst="00:00:00:00:00:00",
                                             pdst=IP_A),
          "gratuitous ARP request (sender IP == target IP), unpadded 42 B (sender-side capture)")
    c.add(pad60(Ether(src=MAC_A, dst=BCAST) / ARP(op=2, hwsrc=MAC_A, psrc=IP_A, hwdst=BCAST, pdst=IP_A)),
          "gratuitous ARP reply (broadcast)")
    c.add(pad60(Ether(src=MAC_C, dst=BCAST) / ARP(op=1, hwsrc=MAC_C, psrc="0.0.0.0",
                                                   hwdst="00:00:00:00:00:00", pdst=IP_C)),
          "ARP probe (sender IP 0.0.0.0, RFC 5227)")
    c.add(Ether(src=MAC_A, dst=BCAST) / Dot1Q(prio=0, vlan=10) /
          ARP(op=1, hwsrc=MAC_A, psrc="10.10.0.1", pdst="10.10.0.2") / Padding(b"\x00" * 14),
          "802.1Q VID 10 / ARP request, 60 B frame incl. 14 zero padding bytes (shown as vlan.padding)")
    c.add(Ether(src=MAC_B, dst=MAC_A) / Dot1Q(prio=0, vlan=10) /
          ARP(op=2, hwsrc=MAC_B, psrc="10.10.0.2", hwdst=MAC_A, pdst="10.10.0.1"),
          "802.1Q VID 10 / ARP reply (46 B, no padding)")
    udp = IP(src=IP_A, dst=IP_B, id=0x0700) / UDP(sport=51100, dport=40100) / b"vlan payload"
    c.add(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=0, dei=0, vlan=0) / udp,
          "priority-tagged frame: 802.1Q PCP 0 VID 0 / IPv4 / UDP")
    c.add(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=7, dei=1, vlan=4094) /
          IP(src=IP_A, dst=IP_B, id=0x0701) / ICMP(type=8, id=1, seq=1) / b"pcp7",
          "802.1Q PCP 7 DEI 1 VID 4094 / IPv4 / ICMP echo")
    c.add(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=5, vlan=100) /
          IPv6(src=IP6_A, dst=IP6_B, hlim=64) / UDP(sport=51101, dport=40101) / b"v6 over vlan",
          "802.1Q PCP 5 VID 100 / IPv6 / UDP")
    c.add(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=3, vlan=1) /
          IP(src=IP_A, dst=IP_B, id=0x0702, flags="DF") / TCP(sport=51102, dport=40102, flags="S", seq=42),
          "802.1Q PCP 3 VID 1 / IPv4 / TCP SYN")
    c.add(Ether(src=MAC_A, dst=MAC_B, type=0x88A8) / Dot1AD(prio=1, dei=0, vlan=300) /
          Dot1Q(prio=4, vlan=42) / udp,
          "802.1ad S-tag (0x88a8) PCP 1 VID 300 + C-tag PCP 4 VID 42 / IPv4 / UDP")
    c.add(Ether(src=MAC_A, dst=MAC_B, type=0x88A8) / Dot1AD(prio=2, dei=1, vlan=301) /
          Dot1Q(prio=6, vlan=43) / IPv6(src=IP6_A, dst=IP6_B) / ICMPv6EchoRequest(id=7, seq=1, data=b"qinq"),
          "802.1ad S-tag DEI 1 VID 301 + C-tag VID 43 / IPv6 / ICMPv6 echo request")
    c.add(Ether(src=MAC_A, dst=BCAST, type=0x88A8) / Dot1AD(vlan=302) / Dot1Q(vlan=44) /
          ARP(op=1, hwsrc=MAC_A, psrc="10.44.0.1", pdst="10.44.0.2"),
          "802.1ad VID 302 + 802.1Q VID 44 / ARP request")
    c.add(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=0, vlan=500) / Dot1Q(prio=0, vlan=501) / udp,
          "legacy double tag 0x8100/0x8100 (VID 500 / VID 501) / IPv4 / UDP")
    return c


# --------------------------------------------------------------------------
# ipv6.pcap
# --------------------------------------------------------------------------

def ipv6():
    c = Pcap("ipv6.pcap", DLT_EN10MB)
    ea = Ether(src=MAC_A, dst=MAC_B, type=0x86DD)
    eb = Ether(src=MAC_B, dst=MAC_A, type=0x86DD)
    er = Ether(src=MAC_R, dst=MAC_A, type=0x86DD)

    def v6(src=IP6_A, dst=IP6_B, **kw):
        return IPv6(src=src, dst=dst, **kw)

    c.add(ea / v6(tc=0xB8, fl=0x12345) / TCP(sport=52000, dport=40200, flags="S", seq=1000, window=64800,
                                            options=[("MSS", 1440), ("SAckOK", b""), ("Timestamp", (11, 0)),
                                                     ("NOP", None), ("WScale", 7)]),
          "IPv6 TCP SYN, traffic class 0xb8 (EF), flow label 0x12345")
    c.add(eb / v6(src=IP6_B, dst=IP6_A, fl=0xABCDE, hlim=55) /
          TCP(sport=40200, dport=52000, flags="SA", seq=5000, ack=1001, window=64260,
              options=[("MSS", 1440), ("SAckOK", b""), ("Timestamp", (22, 11)), ("NOP", None), ("WScale", 9)]),
          "IPv6 TCP SYN+ACK, hop limit 55")
    c.add(ea / v6() / UDP(sport=52001, dport=40201) / b"plain udp over ipv6",
          "IPv6 UDP")
    c.add(ea / v6() / IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), Pad1(), PadN(optdata=b"\x00\x00"),
                                                  HBHOptUnknown(otype=0x1D, optdata=b"\xca\xfe\xba\xbe")]) /
          UDP(sport=52002, dport=40202) / b"hbh",
          "Hop-by-Hop: Router Alert, Pad1, PadN(2), unassigned option 0x1d (action 00 = skip) + PadN(5) auto-padding")
    c.add(ea / v6() / IPv6ExtHdrRouting(type=0, segleft=2, addresses=[IP6_C, "2001:db8:d::40"]) /
          UDP(sport=52003, dport=40203) / b"rh0",
          "Routing header type 0 (deprecated), 2 addresses, segments left 2")
    c.add(ea / v6() / IPv6ExtHdrRouting(type=2, segleft=1, addresses=["2001:db8:e::50"]) /
          UDP(sport=52004, dport=40204) / b"rh2",
          "Routing header type 2 (Mobile IPv6 home address), segments left 1")
    c.add(ea / v6(dst="2001:db8:5::1") /
          IPv6ExtHdrSegmentRouting(segleft=2, lastentry=2, tag=0x0102,
                                   addresses=["2001:db8:5::3", "2001:db8:5::2", "2001:db8:5::1"]) /
          UDP(sport=52005, dport=40205) / b"srh",
          "Segment Routing Header (routing type 4), 3 SIDs, segments left 2, tag 0x0102")
    # A 208 B UDP datagram (UDP checksum computed over the whole datagram) split by hand into
    # fragments of 104 B (first, M=1), 96 B (non-first, M=1) and 8 B (last, M=0).
    udpb = raw(v6() / UDP(sport=52006, dport=40206) / text(200, b"ipv6-fragment "))[40:]
    assert len(udpb) == 208
    chunks = [(0, udpb[:104], 1), (104, udpb[104:200], 1), (200, udpb[200:], 0)]
    for off, data, m in chunks:
        c.add(ea / v6() / IPv6ExtHdrFragment(nh=17, id=0xC0FFEE, offset=off // 8, m=m) / Raw(data),
              "Fragment header offset %d M=%d (%s fragment of 208 B UDP datagram)"
              % (off, m, "first" if off == 0 else "non-first"))
    c.add(ea / v6() / IPv6ExtHdrFragment(nh=17, id=0xC0FFEF, offset=0, m=0) /
          UDP(sport=52007, dport=40207) / b"atomic",
          "atomic fragment (Fragment header, offset 0, M=0, RFC 6946)")
    c.add(ea / v6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4),
                                                 HBHOptUnknown(otype=0x5E, optdata=b"\x01\x02")]) /
          UDP(sport=52008, dport=40208) / b"dstopt",
          "Destination Options: PadN(4), RFC 4727 experimental option 0x5e (action 01 = discard), PadN(2)")
    c.add(ea / v6() / IPv6ExtHdrDestOpt(options=[HAO(hoa="2001:db8:e::50")]) /
          UDP(sport=52009, dport=40209) / b"hao",
          "Destination Options: Home Address option (type 201)")
    c.add(ea / v6(dst=IP6_C) / IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
          IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) /
          IPv6ExtHdrRouting(type=0, segleft=0, addresses=[IP6_C]) /
          IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) /
          TCP(sport=52010, dport=40210, flags="S", seq=77),
          "chain: Hop-by-Hop / DestOpt / Routing(0, segleft 0) / DestOpt / TCP SYN")
    c.add(ea / v6() / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\x00" * 4)]) /
          IPv6ExtHdrFragment(id=0x1111, offset=0, m=0) /
          IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) /
          ICMPv6EchoRequest(id=0x99, seq=1, data=b"chain"),
          "chain: Hop-by-Hop / Fragment(atomic) / DestOpt / ICMPv6 echo request")
    # ICMPv6 informational / ND / MLD
    c.add(ea / v6() / ICMPv6EchoRequest(id=0x4321, seq=1, data=text(32, b"ping6 ")),
          "ICMPv6 echo request")
    c.add(eb / v6(src=IP6_B, dst=IP6_A, hlim=58) / ICMPv6EchoReply(id=0x4321, seq=1, data=text(32, b"ping6 ")),
          "ICMPv6 echo reply")
    c.add(Ether(src=MAC_A, dst="33:33:00:00:00:02") / v6(src=LL_A, dst="ff02::2", hlim=255) /
          ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=MAC_A),
          "Router Solicitation with source link-layer address option")
    c.add(Ether(src=MAC_R, dst="33:33:00:00:00:01") / v6(src=LL_R, dst="ff02::1", hlim=255) /
          ICMPv6ND_RA(chlim=64, M=0, O=1, routerlifetime=1800, reachabletime=30000, retranstimer=1000) /
          ICMPv6NDOptSrcLLAddr(lladdr=MAC_R) / ICMPv6NDOptMTU(mtu=1500) /
          ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400, preferredlifetime=14400,
                                prefix="2001:db8:a::"),
          "Router Advertisement (O flag) with SLLA, MTU 1500 and Prefix Information 2001:db8:a::/64")
    c.add(Ether(src=MAC_A, dst="33:33:ff:10:00:14") / v6(src=LL_A, dst="ff02::1:ff10:14", hlim=255) /
          ICMPv6ND_NS(tgt=LL_B) / ICMPv6NDOptSrcLLAddr(lladdr=MAC_A),
          "Neighbor Solicitation (solicited-node multicast) with SLLA")
    c.add(Ether(src=MAC_B, dst=MAC_A) / v6(src=LL_B, dst=LL_A, hlim=255) /
          ICMPv6ND_NA(R=0, S=1, O=1, tgt=LL_B) / ICMPv6NDOptDstLLAddr(lladdr=MAC_B),
          "Neighbor Advertisement S+O with target link-layer address option")
    redirected = v6(dst=IP6_C) / UDP(sport=52011, dport=40211) / b"redirect me"
    c.add(er / v6(src=LL_R, dst=IP6_A, hlim=255) /
          ICMPv6ND_Redirect(tgt=LL_B, dst=IP6_C) / ICMPv6NDOptDstLLAddr(lladdr=MAC_B) /
          ICMPv6NDOptRedirectedHdr(pkt=raw(redirected)),
          "Redirect with target link-layer address and Redirected Header options")
    mld_hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), PadN(optdata=b"")])
    c.add(Ether(src=MAC_R, dst="33:33:00:00:00:01") / v6(src=LL_R, dst="ff02::1", hlim=1) / mld_hbh /
          ICMPv6MLQuery(mrd=10000, mladdr="::"),
          "MLDv1 general query (HbH Router Alert, hop limit 1)")
    c.add(Ether(src=MAC_A, dst="33:33:00:00:01:23") / v6(src=LL_A, dst="ff0e::123", hlim=1) / mld_hbh /
          ICMPv6MLReport(mladdr="ff0e::123"),
          "MLDv1 report for ff0e::123")
    c.add(Ether(src=MAC_A, dst="33:33:00:00:00:02") / v6(src=LL_A, dst="ff02::2", hlim=1) / mld_hbh /
          ICMPv6MLDone(mladdr="ff0e::123"),
          "MLDv1 done for ff0e::123")
    c.add(Ether(src=MAC_R, dst="33:33:00:00:01:23") / v6(src=LL_R, dst="ff0e::123", hlim=1) / mld_hbh /
          ICMPv6MLQuery2(mrd=1000, mladdr="ff0e::123", S=1, QRV=2, QQIC=125,
                         sources=["2001:db8:1::1", "2001:db8:1::2"]),
          "MLDv2 multicast-address-and-source-specific query (2 sources, S flag, QRV 2)")
    recs = [
        ICMPv6MLDMultAddrRec(rtype=1, dst="ff0e::1:1", sources=["2001:db8:1::1"]),
        ICMPv6MLDMultAddrRec(rtype=2, dst="ff0e::1:2", sources=[]),
        ICMPv6MLDMultAddrRec(rtype=3, dst="ff0e::1:3", sources=["2001:db8:1::1", "2001:db8:1::2"]),
        ICMPv6MLDMultAddrRec(rtype=4, dst="ff0e::1:4"),
        ICMPv6MLDMultAddrRec(rtype=5, dst="ff0e::1:5", sources=["2001:db8:1::5"]),
        ICMPv6MLDMultAddrRec(rtype=6, dst="ff0e::1:6", sources=["2001:db8:1::6"]),
    ]
    c.add(Ether(src=MAC_A, dst="33:33:00:00:00:16") / v6(src=LL_A, dst="ff02::16", hlim=1) / mld_hbh /
          ICMPv6MLReport2(records=recs),
          "MLDv2 report with 6 records (types 1-6, 0-2 sources each)")
    # ICMPv6 errors quoting IPv6 packets
    q_udp = v6(dst=IP6_C) / UDP(sport=52020, dport=40220) / b"unreachable?"
    q_tcp = v6(dst=IP6_C) / TCP(sport=52021, dport=40221, flags="PA", seq=1, ack=1) / text(1400)
    c.add(er / v6(src=IP6_C, dst=IP6_A, hlim=64) / ICMPv6DestUnreach(code=4) / raw(q_udp),
          "ICMPv6 destination unreachable code 4 (port), quotes IPv6+UDP")
    c.add(er / v6(src="2001:db8:ffff::1", dst=IP6_A) / ICMPv6DestUnreach(code=1) / raw(q_udp),
          "ICMPv6 destination unreachable code 1 (admin prohibited), quotes IPv6+UDP")
    c.add(er / v6(src="2001:db8:ffff::1", dst=IP6_A) / ICMPv6PacketTooBig(mtu=1280) / raw(q_tcp)[:1232],
          "ICMPv6 packet too big MTU 1280, quotes first 1232 B of a 1460 B IPv6+TCP packet (min-MTU limited)")
    c.add(er / v6(src="2001:db8:ffff::1", dst=IP6_A) / ICMPv6TimeExceeded(code=0) /
          raw(v6(dst=IP6_C, hlim=1) / UDP(sport=52022, dport=33434) / (b"\x00" * 16)),
          "ICMPv6 time exceeded code 0 (hop limit), quotes IPv6+UDP")
    bad = v6(dst=IP6_C, nh=143) / Raw(b"\x00" * 8)
    c.add(er / v6(src=IP6_C, dst=IP6_A) / ICMPv6ParamProblem(code=1, ptr=6) / raw(bad),
          "ICMPv6 parameter problem code 1 (unrecognized next header), pointer 6, quotes IPv6 nh=143")
    return c


# --------------------------------------------------------------------------
# link types
# --------------------------------------------------------------------------

def l3_samples():
    v4 = IP(src=IP_A, dst=IP_B, id=0x0800, ttl=64) / ICMP(type=8, id=0x77, seq=1) / b"link-type ipv4"
    v4udp = IP(src=IP_A, dst=IP_B, id=0x0801, ttl=64) / UDP(sport=53000, dport=40300) / b"udp"
    v4tcp = IP(src=IP_A, dst=IP_B, id=0x0802, flags="DF") / TCP(sport=53001, dport=40301, flags="S", seq=3,
                                                                options=[("MSS", 1460)])
    v6 = IPv6(src=IP6_A, dst=IP6_B) / ICMPv6EchoRequest(id=0x77, seq=1, data=b"link-type ipv6")
    v6udp = IPv6(src=IP6_A, dst=IP6_B) / UDP(sport=53002, dport=40302) / b"udp6"
    arp = ARP(op=1, hwsrc=MAC_A, psrc=IP_A, pdst=IP_R)
    return v4, v4udp, v4tcp, v6, v6udp, arp


def linktypes_null():
    c = Pcap("linktypes_null.pcap", DLT_NULL)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(struct.pack("<I", 2) + raw(v4), "AF_INET=2, host (little-endian) order / IPv4 ICMP echo")
    c.add(struct.pack("<I", 2) + raw(v4udp), "AF_INET=2 little-endian / IPv4 UDP")
    c.add(struct.pack("<I", 24) + raw(v6), "AF_INET6=24 (NetBSD/OpenBSD) little-endian / IPv6 ICMPv6")
    c.add(struct.pack("<I", 28) + raw(v6udp), "AF_INET6=28 (FreeBSD) little-endian / IPv6 UDP")
    c.add(struct.pack("<I", 30) + raw(v6), "AF_INET6=30 (Darwin) little-endian / IPv6 ICMPv6")
    c.add(struct.pack(">I", 2) + raw(v4tcp), "AF_INET=2 BIG-endian (byte-swapped w.r.t. file) / IPv4 TCP")
    c.add(struct.pack(">I", 30) + raw(v6udp), "AF_INET6=30 BIG-endian / IPv6 UDP")
    return c


def linktypes_loop():
    c = Pcap("linktypes_loop.pcap", DLT_LOOP)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(struct.pack(">I", 2) + raw(v4), "AF_INET=2 (network order) / IPv4 ICMP")
    c.add(struct.pack(">I", 2) + raw(v4tcp), "AF_INET=2 / IPv4 TCP")
    c.add(struct.pack(">I", 24) + raw(v6), "AF_INET6=24 / IPv6 ICMPv6")
    c.add(struct.pack(">I", 28) + raw(v6udp), "AF_INET6=28 / IPv6 UDP")
    c.add(struct.pack(">I", 30) + raw(v6), "AF_INET6=30 / IPv6 ICMPv6")
    return c


def linktypes_raw():
    c = Pcap("linktypes_raw.pcap", LINKTYPE_RAW)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(v4, "raw IPv4 / ICMP echo")
    c.add(v4udp, "raw IPv4 / UDP")
    c.add(v4tcp, "raw IPv4 / TCP SYN")
    c.add(v6, "raw IPv6 / ICMPv6 echo")
    c.add(v6udp, "raw IPv6 / UDP")
    return c


def sll_hdr(pkttype, hatype, addr, proto):
    return struct.pack(">HHH8sH", pkttype, hatype, len(addr), addr.ljust(8, b"\x00"), proto)


def sll2_hdr(proto, ifindex, hatype, pkttype, addr):
    return struct.pack(">HHIHBB8s", proto, 0, ifindex, hatype, pkttype, len(addr), addr.ljust(8, b"\x00"))


def mac(m):
    return bytes.fromhex(m.replace(":", ""))


def linktypes_sll():
    c = Pcap("linktypes_sll.pcap", LINKTYPE_LINUX_SLL)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(sll_hdr(0, 1, mac(MAC_B), 0x0800) + raw(v4udp), "PACKET_HOST(0), ARPHRD_ETHER / IPv4 UDP")
    c.add(sll_hdr(4, 1, mac(MAC_A), 0x0800) + raw(v4tcp), "PACKET_OUTGOING(4) / IPv4 TCP")
    c.add(sll_hdr(1, 1, mac(MAC_A), 0x0806) + raw(arp), "PACKET_BROADCAST(1) / ARP request")
    c.add(sll_hdr(2, 1, mac(MAC_R), 0x86DD) + raw(v6), "PACKET_MULTICAST(2) / IPv6 ICMPv6")
    c.add(sll_hdr(3, 1, mac(MAC_C), 0x86DD) + raw(v6udp), "PACKET_OTHERHOST(3) / IPv6 UDP")
    c.add(sll_hdr(0, 772, b"", 0x0800) + raw(v4), "PACKET_HOST, ARPHRD_LOOPBACK(772), addr len 0 / IPv4 ICMP")
    return c


def linktypes_sll2():
    c = Pcap("linktypes_sll2.pcap", LINKTYPE_LINUX_SLL2)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(sll2_hdr(0x0800, 2, 1, 0, mac(MAC_B)) + raw(v4udp), "ifindex 2, PACKET_HOST / IPv4 UDP")
    c.add(sll2_hdr(0x0800, 2, 1, 4, mac(MAC_A)) + raw(v4tcp), "ifindex 2, PACKET_OUTGOING / IPv4 TCP")
    c.add(sll2_hdr(0x0806, 3, 1, 1, mac(MAC_A)) + raw(arp), "ifindex 3, PACKET_BROADCAST / ARP request")
    c.add(sll2_hdr(0x86DD, 3, 1, 2, mac(MAC_R)) + raw(v6), "ifindex 3, PACKET_MULTICAST / IPv6 ICMPv6")
    c.add(sll2_hdr(0x86DD, 4, 1, 3, mac(MAC_C)) + raw(v6udp), "ifindex 4, PACKET_OTHERHOST / IPv6 UDP")
    c.add(sll2_hdr(0x0800, 1, 772, 0, b"") + raw(v4), "ifindex 1 (lo), ARPHRD_LOOPBACK, addr len 0 / IPv4 ICMP")
    return c


# --------------------------------------------------------------------------
# eth_mixed_nanos.pcap / multi_if.pcapng
# --------------------------------------------------------------------------

def eth_mixed_nanos():
    c = Pcap("eth_mixed_nanos.pcap", DLT_EN10MB, nano=True, step_us=333)
    e = Ether(src=MAC_A, dst=MAC_B)
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    c.add(e / v4udp, "IPv4 UDP, ns timestamp")
    c.add(e / v4tcp, "IPv4 TCP SYN, ns timestamp")
    c.add(e / v6, "IPv6 ICMPv6 echo, ns timestamp")
    c.add(pad60(Ether(src=MAC_A, dst=BCAST) / arp), "ARP request padded, ns timestamp")
    c.add(e / v4, "IPv4 ICMP echo, ns timestamp")
    return c


def multi_if():
    c = Pcapng("multi_if.pcapng")
    eth = c.add_iface(DLT_EN10MB, "eth0")  # default if_tsresol (microseconds)
    rawif = c.add_iface(LINKTYPE_RAW, "tun0", tsresol=9)  # nanoseconds
    v4, v4udp, v4tcp, v6, v6udp, arp = l3_samples()
    e = Ether(src=MAC_A, dst=MAC_B)
    c.add(eth, e / v4udp, "if 0 (EN10MB): IPv4 UDP", 1000)
    c.add(rawif, v4, "if 1 (RAW, ns): IPv4 ICMP echo", 1500)
    c.add(eth, pad60(Ether(src=MAC_A, dst=BCAST) / arp), "if 0: ARP request", 2000,
          comment="ethernet ARP on eth0")
    c.add(rawif, v6, "if 1: IPv6 ICMPv6 echo", 2500)
    c.add(rawif, v4tcp, "if 1: IPv4 TCP SYN", 3000)
    c.add(eth, e / v6udp, "if 0: IPv6 UDP", 3500)
    return c


# --------------------------------------------------------------------------
# malformed.pcap
# --------------------------------------------------------------------------

def malformed():
    c = Pcap("malformed.pcap", DLT_EN10MB)
    e = Ether(src=MAC_A, dst=MAC_B)
    e6 = Ether(src=MAC_A, dst=MAC_B, type=0x86DD)
    eh = raw(e)  # 14-byte Ethernet header, type 0x0800 (scapy default 0x9000 w/o payload)
    eh = eh[:12] + b"\x08\x00"
    eh6 = raw(e6)

    def ip(**kw):
        kw.setdefault("id", 0x0900 + len(c.records))
        return IP(src=IP_A, dst=IP_B, **kw)

    def patch(b, off, val):
        return b[:off] + val + b[off + len(val):]

    good_udp = raw(ip() / UDP(sport=54000, dport=40400) / b"payload!")
    c.add(raw(e)[:10], "truncated Ethernet: 10 bytes (no ethertype)")
    c.add(eh + good_udp[:12], "Ethernet/IPv4 truncated after 12 of 20 header bytes")
    # IHL < 5
    b = raw(ip() / UDP(sport=54001, dport=40401) / b"payload!")
    c.add(eh + patch(b, 0, b"\x44"), "IPv4 IHL=4 (<5)")
    b = raw(ip() / UDP(sport=54002, dport=40402) / b"payload!")
    c.add(eh + patch(b, 0, b"\x4f"), "IPv4 IHL=15 (60 B) but datagram is 36 B")
    b = raw(ip(len=10) / UDP(sport=54003, dport=40403) / b"payload!")
    c.add(eh + b, "IPv4 total length 10 (< header length 20)")
    b = raw(ip(len=1000) / UDP(sport=54004, dport=40404) / b"payload!")
    c.add(eh + b, "IPv4 total length 1000 > 36 B available")
    c.add(eh + with_ip_options(ip() / UDP(sport=54005, dport=40405) / b"x", bytes([7, 0, 0, 0])),
          "IPv4 option Record Route with length 0")
    c.add(eh + with_ip_options(ip() / UDP(sport=54006, dport=40406) / b"x", bytes([148, 1, 0, 0])),
          "IPv4 option Router Alert with length 1")
    c.add(eh + with_ip_options(ip() / UDP(sport=54007, dport=40407) / b"x", bytes([7, 39, 4, 0])),
          "IPv4 option Record Route length 39 overrunning 4-byte options area")
    # TCP data offset problems
    t = raw(ip() / TCP(sport=54010, dport=40410, flags="S", seq=1, window=1000) / b"data")
    c.add(eh + patch(t, 20 + 12, b"\x30"), "TCP data offset 3 (< 5)")
    t = raw(ip() / TCP(sport=54011, dport=40411, flags="S", seq=1, window=1000))
    c.add(eh + patch(t, 20 + 12, b"\xf0"), "TCP data offset 15 (60 B) but only 20 B of TCP present")
    for port, opt, desc in (
            (54012, [2, 0, 5, 180], "TCP option MSS with length 0"),
            (54013, [8, 1, 0, 0], "TCP option Timestamp with length 1"),
            (54014, [8, 10, 0, 0], "TCP option Timestamp length 10 overrunning 4-byte option area"),
            (54015, [2, 3, 5, 180], "TCP option MSS with wrong (but in-bounds) length 3")):
        t = raw(ip() / TCP(sport=port, dport=40412, flags="S", seq=1, window=1000,
                           options=[("NOP", None), ("NOP", None), ("NOP", None), ("NOP", None)]))
        c.add(eh + patch(t, 40, bytes(opt)), desc)
    # UDP length
    u = raw(ip() / UDP(sport=54020, dport=40420, len=4) / b"payload!")
    c.add(eh + u, "UDP length 4 (< 8)")
    u = raw(ip() / UDP(sport=54021, dport=40421, len=500) / b"payload!")
    c.add(eh + u, "UDP length 500 > 16 B available (IPv4 total length consistent with frame)")
    # Bad checksums
    c.add(eh + raw(ip(chksum=0xBEEF) / UDP(sport=54030, dport=40430) / b"bad ip csum"),
          "bad IPv4 header checksum 0xbeef")
    c.add(eh + raw(ip() / TCP(sport=54031, dport=40431, flags="PA", seq=1, ack=1, chksum=0xBEEF) / b"bad"),
          "bad TCP checksum 0xbeef")
    c.add(eh + raw(ip() / UDP(sport=54032, dport=40432, chksum=0xBEEF) / b"bad udp csum"),
          "bad UDP checksum 0xbeef")
    c.add(eh + raw(ip() / ICMP(type=8, id=1, seq=1, chksum=0xBEEF) / b"bad icmp csum"),
          "bad ICMP checksum 0xbeef (echo request)")
    quote = raw(IP(src=IP_B, dst=IP_C, id=0x1234) / UDP(sport=1, dport=2) / b"abcdefgh")
    c.add(eh + raw(ip() / ICMP(type=3, code=3) / quote[:10]),
          "ICMP port unreachable quoting only 10 B of the IPv4 header")
    c.add(eh6 + raw(IPv6(src=IP6_A, dst=IP6_B, plen=400) / UDP(sport=54040, dport=40440) / b"short"),
          "IPv6 payload length 400 > 13 B present")
    h = raw(IPv6(src=IP6_A, dst=IP6_B) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\x00" * 4)]) /
            UDP(sport=54041, dport=40441) / b"hbh")
    h = patch(h, 41, b"\x0a")  # Hdr Ext Len 10 -> 88 B header, only 8+11 B present
    c.add(eh6 + h, "IPv6 Hop-by-Hop Hdr Ext Len 10 (88 B) overrunning packet")
    h = raw(IPv6(src=IP6_A, dst=IP6_B) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) /
            UDP(sport=54042, dport=40442) / b"opt")
    h = patch(h, 42, bytes([1, 9]))  # PadN claiming 9 bytes of data inside an 8-byte header
    c.add(eh6 + h, "IPv6 Destination Options: PadN option length 9 overrunning the header")
    c.add(Ether(src=MAC_A, dst=MAC_B, type=0x1234) / text(46, b"unknown-ethertype "),
          "unknown ethertype 0x1234")
    c.add(e / ip(proto=253) / text(26, b"experimental "), "IPv4 with unknown/experimental protocol 253")
    c.add(e6 / IPv6(src=IP6_A, dst=IP6_B, nh=253) / text(6, b"exp6"), "IPv6 with next header 253")
    b = raw(ip() / UDP(sport=54050, dport=40450) / b"v5")
    c.add(eh + patch(b, 0, b"\x55"), "ethertype IPv4 but IP version field 5")
    c.add(eh6 + raw(IPv6(src=IP6_A, dst=IP6_B) / TCP(sport=54051, dport=40451))[:40 + 13],
          "IPv6 / TCP header cut at 13 B (frame ends, payload length says 20)")
    c.add(raw(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=5))[:16], "802.1Q tag truncated after 2 of 4 bytes")
    c.add(raw(Ether(src=MAC_A, dst=BCAST) / ARP(op=1, psrc=IP_A, pdst=IP_R))[:14 + 20], "ARP truncated at 20 B")
    return c


# --------------------------------------------------------------------------
# snaplen.pcap
# --------------------------------------------------------------------------

def snaplen():
    c = Pcap("snaplen.pcap", DLT_EN10MB, snaplen=68)
    ea = Ether(src=MAC_A, dst=MAC_B)
    c.add(ea / IP(src=IP_A, dst=IP_B, id=0x0A01, flags="DF") /
          TCP(sport=55000, dport=40500, flags="PA", seq=1, ack=1, window=502) / text(1000),
          "TCP (no options) + 1000 B payload; cut at 68 (14 B of payload captured)")
    c.add(ea / IP(src=IP_A, dst=IP_B, id=0x0A02, flags="DF") /
          TCP(sport=55001, dport=40501, flags="S", seq=1, window=64240,
              options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None),
                       ("WScale", 7), ("NOP", None), ("NOP", None), ("SAck", (1, 2))]) / text(100),
          "TCP with 32 B of options; cut at 68 (inside TCP options)")
    c.add(ea / IP(src=IP_A, dst=IP_B, id=0x0A03) / UDP(sport=55002, dport=40502) / text(500),
          "UDP 500 B payload; cut at 68")
    c.add(ea / IP(src=IP_A, dst=IP_B, id=0x0A04) / ICMP(type=8, id=9, seq=9) / text(1000),
          "ICMP echo 1000 B payload; cut at 68")
    c.add(Ether(src=MAC_A, dst=MAC_B, type=0x86DD) / IPv6(src=IP6_A, dst=IP6_B) /
          TCP(sport=55003, dport=40503, flags="PA", seq=1, ack=1) / text(300),
          "IPv6 TCP 300 B payload; cut at 68 (inside TCP header)")
    c.add(Ether(src=MAC_A, dst=MAC_B, type=0x86DD) / IPv6(src=IP6_A, dst=IP6_B) /
          UDP(sport=55004, dport=40504) / text(5),
          "IPv6 UDP 67 B frame: fits in snaplen, not truncated")
    c.add(pad60(Ether(src=MAC_A, dst=BCAST) / ARP(op=1, hwsrc=MAC_A, psrc=IP_A, pdst=IP_R)),
          "ARP 60 B: not truncated")
    return c


GENERATORS = [eth_ipv4_tcp, eth_ipv4_udp_icmp, vlan_arp, ipv6, linktypes_null, linktypes_loop,
              linktypes_raw, linktypes_sll, linktypes_sll2, eth_mixed_nanos, multi_if, malformed,
              snaplen]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--list", action="store_true", help="print a markdown listing of every packet")
    args = ap.parse_args()
    if scapy.VERSION != "2.8.0":
        print("warning: generated with scapy 2.8.0, running %s; output may differ" % scapy.VERSION,
              file=sys.stderr)
    total = 0
    for gen in GENERATORS:
        cap = gen()
        data = cap.to_bytes()
        with open(os.path.join(args.out, cap.name), "wb") as f:
            f.write(data)
        total += len(data)
        print("%-26s %3d packets %6d bytes" % (cap.name, len(cap.records), len(data)))
        if args.list:
            for i, rec in enumerate(cap.records, 1):
                print("  %d. %s" % (i, rec[-1]))
    print("total %d bytes" % total)


if __name__ == "__main__":
    main()
