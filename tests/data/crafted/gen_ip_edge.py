#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
# Copyright (c) the Strata authors.
"""Generate ``ip_edge.pcap``: IP-layer edge cases for the tshark oracle.

The packets exercise rules that depend on a value or a length rather than
on a message type alone:

* MLD queries: a query of at least 28 bytes is MLDv2, whose Maximum Response
  Code uses RFC 3810's exponential form from 32768 up; a shorter query (and
  every report / done) carries MLDv1's plain Maximum Response Delay, even
  when that is 32768 or more;
* the same for an MLDv2 query's QQIC (exponential from 128 up);
* IPv4 TTL expert notes: below 5 to a unicast destination (not for PIM or
  OSPF), and the TTL expected by the Local Network Control Block
  (224.0.0.0/24: 1, 255 for some groups, anything for LLMNR, 1 for IGMP);
* a first fragment cut by the snap length, which Wireshark dissects since
  it cannot be reassembled;
* an IPv4 Record Route option whose pointer is past its end (every slot
  recorded).

Same conventions as ``gen_crafted.py`` (whose writer and constants it reuses):
Scapy 2.8.0, fixed timestamps, documentation addresses, deterministic bytes.

Usage:
    pip install scapy==2.8.0
    python3 gen_ip_edge.py            # (re)write ip_edge.pcap next to this script
    python3 gen_ip_edge.py --list     # also print the packet listing
    python3 gen_ip_edge.py --out DIR  # write somewhere else
"""

import argparse
import os
import struct
import sys

sys.dont_write_bytecode = True  # keep the data directory free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_crafted as g  # noqa: E402
from gen_crafted import (  # noqa: E402
    DLT_EN10MB, IP_A, IP_C, LL_A, LL_R, MAC_A, MAC_B, MAC_R, Pcap, rbytes, text, with_ip_options,
)
from scapy.all import IP, TCP, UDP, Ether, checksum, raw  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6MLDone, ICMPv6MLQuery, ICMPv6MLQuery2, ICMPv6MLReport, IPv6,
    IPv6ExtHdrHopByHop, PadN, RouterAlert,
)


def ip_edge():
    c = Pcap("ip_edge.pcap", DLT_EN10MB)
    hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), PadN(optdata=b"")])

    def mld(dst_mac, src, dst, msg, desc):
        c.add(Ether(src=MAC_R if src == LL_R else MAC_A, dst=dst_mac) /
              IPv6(src=src, dst=dst, hlim=1) / hbh / msg, desc)

    mld("33:33:00:00:00:01", LL_R, "ff02::1", ICMPv6MLQuery(mrd=0x9000, mladdr="::"),
        "MLDv1 general query (24 B), Maximum Response Delay 0x9000 (plain, not exponential)")
    mld("33:33:00:00:00:01", LL_R, "ff02::1", ICMPv6MLQuery2(mrd=0x8123, mladdr="::", QRV=2, QQIC=125),
        "MLDv2 general query (28 B), Maximum Response Code 0x8123 (exp 0, mant 0x123 -> 35096)")
    mld("33:33:00:00:01:23", LL_R, "ff0e::123",
        ICMPv6MLQuery2(mrd=0xFFFF, mladdr="ff0e::123", QRV=7, QQIC=255, sources=["2001:db8:1::9"]),
        "MLDv2 address-and-source query, Maximum Response Code 0xffff (largest: 8387584), QQIC 255 (31744)")
    mld("33:33:00:00:00:01", LL_R, "ff02::1", ICMPv6MLQuery2(mrd=0x7FFF, mladdr="::", QRV=2, QQIC=125),
        "MLDv2 general query, Maximum Response Code 32767 (largest linear value)")
    mld("33:33:00:00:00:01", LL_R, "ff02::1", ICMPv6MLQuery2(mrd=0xC000, mladdr="::", QRV=2, QQIC=128),
        "MLDv2 general query, Maximum Response Code 0xc000 (exp 4, mant 0 -> 524288), QQIC 128 (128)")
    mld("33:33:00:00:00:01", LL_R, "ff02::1", ICMPv6MLQuery2(mrd=10, mladdr="::", QRV=2, QQIC=0xA5),
        "MLDv2 general query, QQIC 0xa5 (exp 2, mant 5 -> 672)")
    mld("33:33:00:00:01:23", LL_A, "ff0e::123", ICMPv6MLReport(mrd=0x8001, mladdr="ff0e::123"),
        "MLDv1 report with a non-zero delay field 0x8001 (shown as a delay)")
    mld("33:33:00:00:00:02", LL_A, "ff02::2", ICMPv6MLDone(mrd=7, mladdr="ff0e::123"),
        "MLDv1 done with a non-zero delay field 7")

    # IPv4 TTL expert notes: "only N" below 5 to unicast (not PIM / OSPF);
    # the Local Network Control Block (224.0.0.0/24) expects 1, 255 or any.
    e = Ether(src=MAC_A, dst=MAC_B)

    def v4(dst, ttl, ipid, proto=None):
        kw = {} if proto is None else {"proto": proto}
        return IP(src=IP_A, dst=dst, ttl=ttl, id=ipid, **kw)

    def mc(dst):
        o = [int(x) for x in dst.split(".")]
        return "01:00:5e:%02x:%02x:%02x" % (o[1] & 0x7F, o[2], o[3])

    c.add(e / v4(IP_C, 4, 0x3101) / UDP(sport=40040, dport=40041) / b"ttl 4",
          "IPv4 UDP unicast, TTL 4 (\"Time To Live\" only 4)")
    c.add(e / v4(IP_C, 5, 0x3102) / UDP(sport=40040, dport=40041) / b"ttl 5",
          "IPv4 UDP unicast, TTL 5 (no note)")
    c.add(e / v4(IP_C, 1, 0x3103, proto=89) / rbytes(24),
          "IPv4 OSPF (89) unicast, TTL 1: no note for OSPF")
    c.add(e / v4(IP_C, 2, 0x3104, proto=103) / rbytes(8),
          "IPv4 PIM (103) unicast, TTL 2: no note for PIM")
    c.add(Ether(src=MAC_A, dst=mc("239.1.1.1")) / v4("239.1.1.1", 1, 0x3105) /
          UDP(sport=40040, dport=40042) / b"mcast",
          "IPv4 UDP to 239.1.1.1, TTL 1: multicast, no note")
    c.add(Ether(src=MAC_A, dst=mc("224.0.0.9")) / v4("224.0.0.9", 2, 0x3106) /
          UDP(sport=40040, dport=40043) / b"lncb",
          "IPv4 UDP to 224.0.0.9 (Local Network Control Block), TTL 2: expected 1")
    c.add(Ether(src=MAC_A, dst=mc("224.0.0.251")) / v4("224.0.0.251", 64, 0x3107) /
          UDP(sport=40040, dport=40044) / b"not mdns",
          "IPv4 UDP to 224.0.0.251 (mDNS group), TTL 64: expected 255")
    c.add(Ether(src=MAC_A, dst=mc("224.0.0.251")) / v4("224.0.0.251", 255, 0x3108) /
          UDP(sport=40040, dport=40044) / b"not mdns",
          "IPv4 UDP to 224.0.0.251 (mDNS group), TTL 255: as expected")
    c.add(Ether(src=MAC_A, dst=mc("224.0.0.252")) / v4("224.0.0.252", 7, 0x3109) /
          UDP(sport=40040, dport=40045) / b"llmnr",
          "IPv4 UDP to 224.0.0.252 (LLMNR group), TTL 7: any TTL goes")
    igmp = bytes([0x16, 0, 0, 0, 224, 0, 0, 22])
    igmp = igmp[:2] + struct.pack(">H", checksum(igmp)) + igmp[4:]
    c.add(Ether(src=MAC_A, dst=mc("224.0.0.22")) / v4("224.0.0.22", 2, 0x310A, proto=2) / igmp,
          "IPv4 IGMPv2 report to 224.0.0.22, TTL 2: IGMP expects 1")

    # A first fragment (MF, offset 0) cut by the snap length cannot be
    # reassembled: Wireshark dissects what was captured.
    frag = raw(e / IP(src=IP_A, dst=IP_C, ttl=64, id=0x310B, flags="MF") /
               UDP(sport=40040, dport=40046, chksum=0x5555) / text(200))
    c.add(frag, "IPv4 first fragment (MF) of a UDP datagram, cut at 80 bytes by the snap length")
    sec, frac, data, _, desc = c.records[-1]
    c.records[-1] = (sec, frac, data[:80], len(data), desc)

    # IPv4 Record Route, 3 slots, pointer 16 > length 15: every slot recorded.
    rr = bytes([7, 15, 16]) + bytes(map(int, "192.0.2.1".split("."))) + \
        bytes(map(int, "198.51.100.1".split("."))) + bytes(map(int, "203.0.113.1".split("."))) + b"\x00"
    base = Ether(src=MAC_A, dst=MAC_B) / IP(src=IP_A, dst=IP_C, id=0x3001, ttl=61) / \
        TCP(sport=40020, dport=40123, flags="S", seq=1, window=8192)
    c.add(with_ip_options(base, rr), "IPv4 Record Route full (pointer 16 > length 15), then EOL")
    assert struct.unpack(">H", raw(base)[16:18])[0] == 40
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--list", action="store_true", help="print a listing of every packet")
    args = ap.parse_args()
    if g.scapy.VERSION != "2.8.0":
        print("warning: generated with scapy 2.8.0, running %s; output may differ" % g.scapy.VERSION,
              file=sys.stderr)
    cap = ip_edge()
    data = cap.to_bytes()
    with open(os.path.join(args.out, cap.name), "wb") as f:
        f.write(data)
    print("%-26s %3d packets %6d bytes" % (cap.name, len(cap.records), len(data)))
    if args.list:
        for i, rec in enumerate(cap.records, 1):
            print("  %d. %s" % (i, rec[-1]))


if __name__ == "__main__":
    main()
