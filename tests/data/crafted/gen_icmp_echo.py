#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
# Copyright (c) the Strata authors.
"""Generate ``icmp_echo.pcap``: ICMP / ICMPv6 echo request-reply matching and
the timestamp ping programs put in echo data (Wireshark's ``icmp.resp_to``,
``icmp.resptime``, ``icmp.data_time``, ``icmp.data_time_relative``,
``icmpv6.resp_to``, ``icmpv6.resptime``).

Packets are built with Scapy; the container is a little-endian nanosecond pcap
written here with ``struct`` (as in ``gen_crafted.py``), so that response
times with nanosecond digits exercise tshark's ``%.15g`` printing. Timestamps,
IP ids, echo identifiers and payloads are fixed: regeneration is
byte-for-byte deterministic. Addresses are documentation ranges only.

Usage:
    pip install scapy==2.8.0
    python3 gen_icmp_echo.py            # (re)write icmp_echo.pcap next to this script
    python3 gen_icmp_echo.py --list     # also print every packet's description
    python3 gen_icmp_echo.py --out DIR  # write somewhere else
"""

import argparse
import os
import struct
import sys

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

import scapy  # noqa: E402
from scapy.all import Dot1Q, Ether, ICMP, IP, raw  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6EchoReply, ICMPv6EchoRequest, IPv6,
)

# 2023-11-05T22:13:20Z: a single-digit day of the month, which tshark pads
# with a space in absolute times ("Nov  5, 2023 ...").
BASE_SEC = 1_699_222_400

DLT_EN10MB = 1

MAC_A = "02:00:5e:10:00:0a"
MAC_B = "02:00:5e:10:00:14"
MAC_C = "02:00:5e:10:00:1e"
MAC_R = "02:00:5e:10:00:fe"
IP_A = "192.0.2.10"
IP_B = "198.51.100.20"
IP_C = "203.0.113.30"
IP_R = "192.0.2.254"
IP6_X = "2001:db8:a::10"
IP6_Y = "2001:db8:b::20"
IP6_Z = "2001:db8:c::30"

PATTERN = bytes(range(0x10, 0x40))  # 48 bytes, as Linux ping pads


def text(n, tag=b"strata-echo "):
    return (tag * (n // len(tag) + 1))[:n]


def ones_add(a, b):
    s = a + b
    return (s & 0xFFFF) + (s >> 16)


class NsPcap:
    """Little-endian classic pcap with nanosecond timestamps (magic a1b23c4d)."""

    def __init__(self, name, linktype):
        self.name = name
        self.linktype = linktype
        self.records = []  # (ns since epoch, data, desc)

    def add(self, ns, pkt, desc):
        data = raw(pkt) if not isinstance(pkt, (bytes, bytearray)) else bytes(pkt)
        self.records.append((ns, data, desc))

    def to_bytes(self):
        out = [struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, self.linktype)]
        for ns, data, _ in self.records:
            out.append(struct.pack("<IIII", ns // 10**9, ns % 10**9, len(data), len(data)))
            out.append(data)
        return b"".join(out)


def timeval(ns, le=False, usec=None):
    """A ``struct timeval`` of two 32-bit words for instant ``ns``."""
    sec = ns // 10**9
    us = (ns % 10**9) // 1000 if usec is None else usec
    return struct.pack("<II" if le else ">II", sec & 0xFFFFFFFF, us & 0xFFFFFFFF)


def icmp_echo_pcap():
    c = NsPcap("icmp_echo.pcap", DLT_EN10MB)
    ea, eb = Ether(src=MAC_A, dst=MAC_B), Ether(src=MAC_B, dst=MAC_A)
    ec, ebc = Ether(src=MAC_C, dst=MAC_B), Ether(src=MAC_B, dst=MAC_C)
    ms = 1_000_000
    t = [BASE_SEC * 10**9]  # running clock, ns

    def at(delta_ns):
        t[0] += delta_ns
        return t[0]

    ipid = [0x4000]

    def ip(src, dst, ttl=64):
        ipid[0] += 1
        return IP(src=src, dst=dst, id=ipid[0], ttl=ttl)

    def req(src, dst, ident, seq, data, e=ea):
        return e / ip(src, dst) / ICMP(type=8, id=ident, seq=seq) / data

    def rep(src, dst, ident, seq, data, e=eb, **kw):
        return e / ip(src, dst, ttl=57) / ICMP(type=0, id=ident, seq=seq, **kw) / data

    # 1-2: a pair with a big-endian timeval 15 us before the request; reply 29 us later.
    n = at(0)
    d = timeval(n - 15_000) + PATTERN
    c.add(n, req(IP_A, IP_B, 0x5001, 1, d), "echo request id 0x5001 seq 1, big-endian timeval in the data")
    c.add(at(29_000), rep(IP_B, IP_A, 0x5001, 1, d), "echo reply to #1 after 29 us (icmp.resptime 0.029)")
    # 3-4: little-endian timeval (Linux on x86); reply 1.25 ms later.
    n = at(ms)
    d = timeval(n - 7_000, le=True) + PATTERN
    c.add(n, req(IP_A, IP_B, 0x5001, 2, d), "echo request seq 2, little-endian timeval")
    c.add(at(1_250_000), rep(IP_B, IP_A, 0x5001, 2, d), "echo reply to #3 after 1.25 ms")
    # 5-6: a timeval two days old: outside tshark's one-day window in both byte orders.
    n = at(ms)
    d = timeval(n - 2 * 86_400 * 10**9) + PATTERN
    c.add(n, req(IP_A, IP_B, 0x5001, 3, d), "echo request seq 3, timeval two days before the frame (not a timestamp)")
    c.add(at(12_528_470_284), rep(IP_B, IP_A, 0x5001, 3, d),
          "echo reply to #5 after 12.528470284 s (%.15g: 12528.470284)")
    # 7-8: 5 bytes of data, too short for a timeval; reply 5 ns later.
    n = at(ms)
    c.add(n, req(IP_A, IP_B, 0x5001, 4, b"ping!"), "echo request seq 4 with 5 bytes of data")
    c.add(at(5), rep(IP_B, IP_A, 0x5001, 4, b"ping!"), "echo reply to #7 after 5 ns (5e-06 ms)")
    # 9: never answered; its timeval is 100 s in the future (still within a day).
    n = at(ms)
    c.add(n, req(IP_A, IP_B, 0x5001, 5, timeval(n + 100 * 10**9) + PATTERN),
          "unanswered echo request seq 5, timeval 100 s after the frame (negative relative time)")
    # 10: a reply nobody asked for.
    c.add(at(ms), rep(IP_B, IP_A, 0x5001, 99, text(16)), "echo reply seq 99 without a request")
    # 11-14: the same request twice, then the reply twice.
    d = text(24, b"dup ")
    c.add(at(ms), req(IP_A, IP_B, 0x5001, 6, d), "echo request seq 6")
    c.add(at(ms), req(IP_A, IP_B, 0x5001, 6, d), "the same echo request again (the later one is matched)")
    c.add(at(ms), rep(IP_B, IP_A, 0x5001, 6, d), "echo reply seq 6: answers #12")
    c.add(at(ms), rep(IP_B, IP_A, 0x5001, 6, d), "duplicate echo reply seq 6: matches nothing")
    # 15-18: identical id/seq/data between two address pairs.
    d = text(20, b"pair ")
    c.add(at(ms), req(IP_C, IP_B, 0x5002, 1, d, e=ec), "echo request C->B id 0x5002 seq 1")
    c.add(at(ms), req(IP_A, IP_B, 0x5002, 1, d), "echo request A->B with the same id, seq and data")
    c.add(at(ms), rep(IP_B, IP_C, 0x5002, 1, d, e=ebc), "echo reply B->C: answers #15")
    c.add(at(ms), rep(IP_B, IP_A, 0x5002, 1, d), "echo reply B->A: answers #16")
    # 19-20: a reply captured in the request's direction (address pair only).
    d = text(12, b"loop ")
    c.add(at(ms), req(IP_A, IP_B, 0x5002, 2, d), "echo request seq 2")
    c.add(at(ms), rep(IP_A, IP_B, 0x5002, 2, d, e=ea), "echo reply A->B (same direction): still answers #19")
    # 21-22: timestamp request/reply: not matched.
    c.add(at(ms), ea / ip(IP_A, IP_B) / ICMP(type=13, id=0x5003, seq=1, ts_ori=80_000_000,
                                             ts_rx=0, ts_tx=0),
          "timestamp request id 0x5003 (not tracked)")
    c.add(at(ms), eb / ip(IP_B, IP_A) / ICMP(type=14, id=0x5003, seq=1, ts_ori=80_000_000,
                                             ts_rx=80_000_001, ts_tx=80_000_002),
          "timestamp reply (no icmp.resp_to)")
    # 23-24: echo in 802.1Q: request on VLAN 10, reply on VLAN 20 (VLANs are
    # not part of the key unless strict conversation tracking is on).
    d = text(16, b"vlan ")
    c.add(at(ms), Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10) / ip(IP_A, IP_B) /
          ICMP(type=8, id=0x5004, seq=1) / d, "802.1Q VID 10 / echo request id 0x5004")
    c.add(at(ms), Ether(src=MAC_B, dst=MAC_A) / Dot1Q(vlan=20) / ip(IP_B, IP_A, ttl=57) /
          ICMP(type=0, id=0x5004, seq=1) / d, "802.1Q VID 20 / echo reply: answers #23")
    # 25-26: a request whose reply checksum is 0x0000, answered with 0xffff
    # (the same one's-complement zero).
    probe = ICMP(raw(ICMP(type=8, id=0x5005, seq=1) / (b"\x00\x00" + b"zero")))
    d = struct.pack(">H", ones_add(0x0800, probe.chksum)) + b"zero"
    assert ICMP(raw(ICMP(type=0, id=0x5005, seq=1) / d)).chksum == 0
    c.add(at(ms), req(IP_A, IP_B, 0x5005, 1, d), "echo request id 0x5005 whose reply checksum is 0")
    c.add(at(ms), rep(IP_B, IP_A, 0x5005, 1, d, chksum=0xFFFF),
          "echo reply with checksum 0xffff (one's-complement zero): answers #25")
    # 27: the timeval is all the data; 28: negative microseconds (0xfffffff0).
    n = at(ms)
    c.add(n, req(IP_A, IP_B, 0x5006, 1, timeval(n - 3_000)),
          "echo request with exactly 8 bytes of data, a timeval (no data left)")
    n = at(ms)
    c.add(n, req(IP_A, IP_B, 0x5006, 2, timeval(n - 10**9, usec=0xFFFFFFF0) + PATTERN[:8]),
          "echo request, timeval with microseconds 0xfffffff0 (-16 as an int: still taken)")
    # 29: an echo request quoted whole in a destination unreachable: its
    # timestamp is shown, the echo is not tracked.
    n = at(ms)
    quoted = ip(IP_A, IP_C) / ICMP(type=8, id=0x5007, seq=1) / (timeval(n - 2 * ms) + PATTERN[:16])
    c.add(n, Ether(src=MAC_R, dst=MAC_A) / ip(IP_R, IP_A, ttl=255) / ICMP(type=3, code=1) / raw(quoted),
          "destination unreachable quoting a whole echo request with a timeval")
    # 30-36: ICMPv6.
    e6a, e6b = Ether(src=MAC_A, dst=MAC_B), Ether(src=MAC_B, dst=MAC_A)

    def v6(src, dst, hlim=64):
        return IPv6(src=src, dst=dst, hlim=hlim)

    n = at(ms)
    d = timeval(n - 11_000) + PATTERN
    c.add(n, e6a / v6(IP6_X, IP6_Y) / ICMPv6EchoRequest(id=0x6001, seq=1, data=d),
          "ICMPv6 echo request id 0x6001 (timeval in the data: ICMPv6 has no data_time)")
    c.add(at(30_000), e6b / v6(IP6_Y, IP6_X) / ICMPv6EchoReply(id=0x6001, seq=1, data=d),
          "ICMPv6 echo reply to #30 after 30 us")
    c.add(at(ms), e6b / v6(IP6_Y, IP6_X) / ICMPv6EchoReply(id=0x6001, seq=1, data=d),
          "duplicate ICMPv6 echo reply: matches nothing")
    c.add(at(ms), e6a / v6(IP6_X, IP6_Z) / ICMPv6EchoRequest(id=0x6001, seq=2, data=text(8)),
          "unanswered ICMPv6 echo request")
    c.add(at(ms), e6b / v6(IP6_Y, IP6_X) / ICMPv6EchoReply(id=0x6001, seq=77, data=text(8)),
          "ICMPv6 echo reply without a request")
    # A request with checksum 0 (ICMPv6 keys requests by their own checksum).
    probe = Ether(raw(e6a / v6(IP6_X, IP6_Y) / ICMPv6EchoRequest(id=0x6002, seq=1, data=b"\x00\x00zero")))
    d = struct.pack(">H", probe[ICMPv6EchoRequest].cksum) + b"zero"
    r6 = Ether(raw(e6a / v6(IP6_X, IP6_Y) / ICMPv6EchoRequest(id=0x6002, seq=1, data=d)))
    assert r6[ICMPv6EchoRequest].cksum == 0
    c.add(at(ms), r6, "ICMPv6 echo request id 0x6002 with checksum 0")
    c.add(at(3 * 10**9 + 7), e6b / v6(IP6_Y, IP6_X) / ICMPv6EchoReply(id=0x6002, seq=1, data=d),
          "ICMPv6 echo reply to #35 after 3.000000007 s")
    c.add(at(ms), e6a / v6(IP6_X, "ff02::1", hlim=1) / ICMPv6EchoRequest(id=0x6003, seq=1, data=text(8)),
          "ICMPv6 echo request to ff02::1 (multicast)")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--list", action="store_true", help="print every packet's description")
    args = ap.parse_args()
    if scapy.VERSION != "2.8.0":
        print("warning: generated with scapy 2.8.0, running %s; output may differ" % scapy.VERSION,
              file=sys.stderr)
    cap = icmp_echo_pcap()
    data = cap.to_bytes()
    with open(os.path.join(args.out, cap.name), "wb") as f:
        f.write(data)
    print("%-26s %3d packets %6d bytes" % (cap.name, len(cap.records), len(data)))
    if args.list:
        for i, rec in enumerate(cap.records, 1):
            print("  %d. %s" % (i, rec[-1]))


if __name__ == "__main__":
    main()
