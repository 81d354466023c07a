#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
# Copyright (c) the Strata authors.
"""Generate ``tcp_options.pcap``: every TCP option kind Wireshark 4.0 decodes.

Each packet is Ethernet / IPv4 / TCP whose option bytes are written by hand
(Scapy re-encodes option lengths, so the bytes go after a fixed 20-byte TCP
header whose data offset is set explicitly; Scapy still computes the IPv4 and
TCP checksums over them). Covered: MPTCP (kind 30, every subtype and the
length variants Wireshark distinguishes), TCP Fast Open (kind 34 and
experimental 254 with ExID 0xF989), TARR (ExID 0x00AC), other experimental
ExIDs, user timeout, MD5, TCP-AO, echo / echo reply, CC / CC.NEW / CC.ECHO,
quick-start, alternate checksum (unknown to Wireshark), SCPS capabilities /
SNACK / record boundary / corruption experienced, Riverbed probe and
transparency, Accurate ECN (172/174), window scale > 14, unknown kinds,
option-specific wrong lengths, framing errors (length 0 and 1, length past
the options, missing length byte) and bytes after EOL.

Deterministic: no randomness, fixed timestamps (base 1700000000 s, 1.25 ms
apart), fixed sequence numbers. Addresses are documentation ranges.

Usage:
    pip install scapy==2.8.0
    python3 gen_tcp_options.py            # (re)write tcp_options.pcap next to this script
    python3 gen_tcp_options.py --list     # also print every packet's description
"""

import argparse
import os
import struct
import sys

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

import scapy  # noqa: E402
from scapy.all import IP, TCP, Ether, Raw  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ next to the data
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_crafted import DLT_EN10MB, IP_A, IP_B, MAC_A, MAC_B, Pcap  # noqa: E402

NOP = b"\x01"
EOL = b"\x00"


def opt(kind, body=b""):
    """A well-formed option: kind, length (2 + body), body."""
    return bytes([kind, 2 + len(body)]) + body


def mss(v=1460):
    return opt(2, struct.pack(">H", v))


def mptcp(subtype, first_low, body=b""):
    """An MPTCP option: subtype in the high nibble of the third byte."""
    return opt(30, bytes([(subtype << 4) | first_low]) + body)


def be(n, width):
    return n.to_bytes(width, "big")


def ip4(a):
    return bytes(int(x) for x in a.split("."))


KEY_A = 0x0123456789ABCDEF
KEY_B = 0xFEDCBA9876543210
IP6_ADV = bytes.fromhex("20010db8000a00000000000000000042")  # 2001:db8:a::42


def tcp_options():
    c = Pcap("tcp_options.pcap", DLT_EN10MB)
    ea, eb = Ether(src=MAC_A, dst=MAC_B), Ether(src=MAC_B, dst=MAC_A)
    ports = iter(range(41100, 42000))

    def seg(opts, flags="A", sport=None, dport=40200, seq=1000, ack=2000, payload=b"",
            rev=False):
        """Ethernet/IPv4/TCP with `opts` as the raw option bytes (NOPs are
        appended up to a multiple of 4); `rev` sends it from B back to A.
        Without `sport`, each segment gets a connection of its own."""
        opts += NOP * (-len(opts) % 4)
        assert len(opts) <= 40, (len(opts), opts.hex())
        if "A" not in flags:
            ack = 0
        if sport is None:
            sport = next(ports)
        src, dst = (IP_B, IP_A) if rev else (IP_A, IP_B)
        sp, dp = (dport, sport) if rev else (sport, dport)
        return (eb if rev else ea) / \
            IP(src=src, dst=dst, id=0x3000 + len(c.records), flags="DF", ttl=64) / \
            TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack, window=8192,
                dataofs=5 + len(opts) // 4) / Raw(opts + payload)

    def add(opts, desc, **kw):
        c.add(seg(opts, **kw), desc)

    # ---- MPTCP v1 (RFC 8684): one connection's handshake and first data ----
    p = 41001
    add(mss() + mptcp(0, 1, b"\x81"), flags="S", sport=p, seq=100,
        desc="MPTCP v1 SYN: MSS, MP_CAPABLE len 4 (flags A+H: checksum, HMAC-SHA256)")
    add(mss(1400) + mptcp(0, 1, b"\x21" + be(KEY_B, 8)), flags="SA", sport=p, seq=500, ack=101,
        rev=True, desc="MPTCP v1 SYN/ACK: MP_CAPABLE len 12 (flags C+H, receiver's key)")
    add(mptcp(0, 1, b"\x01" + be(KEY_A, 8) + be(KEY_B, 8)), sport=p, seq=101, ack=501,
        desc="MPTCP v1 ACK: MP_CAPABLE len 20 (both keys)")
    add(mptcp(0, 1, b"\x01" + be(KEY_A, 8) + be(KEY_B, 8) + be(16, 2)), flags="PA",
        sport=p, seq=101, ack=501, payload=b"mptcp-first-data",
        desc="MPTCP v1 ACK+data: MP_CAPABLE len 22 (keys + data-level length 16)")
    add(mptcp(0, 1, b"\x81" + be(KEY_A, 8) + be(KEY_B, 8) + be(8, 2) + be(0xBEEF, 2)),
        flags="PA", sport=p, seq=117, ack=501, payload=b"csum-dat",
        desc="MPTCP v1 ACK+data: MP_CAPABLE len 24 (keys, data-level length 8, DSS checksum)")

    # ---- the other MPTCP subtypes, each segment on a connection of its own ----
    add(mptcp(2, 0, b"\x01" + be(0x11223344, 4)) + mptcp(3, 4, b"\x02" + ip4("198.51.100.21")),
        desc="DSS flags A (32-bit data ACK, len 8) + ADD_ADDR IPv4 (v0 layout, len 8)")
    add(mptcp(2, 0, b"\x03" + be(0x0102030405060708, 8)) + mptcp(4, 0, b"\x02"),
        desc="DSS flags a+A (64-bit data ACK, len 12) + REMOVE_ADDR one id (len 4)")
    add(mptcp(2, 0, b"\x04" + be(0xA0000001, 4) + be(1, 4) + be(8, 2)), flags="PA",
        payload=b"mapped-8", desc="DSS flags M (32-bit DSN, SSN, data-level length, no checksum: len 14)")
    add(mptcp(2, 0, b"\x05" + be(0x55667788, 4) + be(0xA0000009, 4) + be(9, 4) + be(8, 2)
              + be(0x1234, 2)), flags="PA", payload=b"mapped+c",
        desc="DSS flags A+M with checksum (len 20; Wireshark 4.0 does not show that checksum)")
    add(mptcp(2, 0, b"\x1f" + be(0x1111222233334444, 8) + be(0x00000000A0000011, 8)
              + be(17, 4) + be(1, 2) + be(0xABCD, 2)), flags="FA",
        desc="DSS flags F+m+M+a+A: DATA_FIN, 64-bit ACK and DSN, checksum (len 28)")
    add(mptcp(3, 4, b"\x03" + ip4("198.51.100.22") + be(8443, 2)) + mptcp(5, 1),
        desc="ADD_ADDR IPv4+port (len 10) + MP_PRIO backup (len 3)")
    add(mptcp(3, 0, b"\x04" + ip4("198.51.100.23") + be(0x0A0B0C0D0E0F1011, 8))
        + mptcp(5, 0, b"\x04"),
        desc="ADD_ADDR v1 IPv4+truncated HMAC (len 16) + MP_PRIO with address id (len 4)")
    add(mptcp(3, 0, b"\x05" + ip4("198.51.100.24") + be(443, 2) + be(0x1020304050607080, 8)),
        desc="ADD_ADDR v1 IPv4+port+HMAC (len 18)")
    add(mptcp(3, 1, b"\x05" + ip4("198.51.100.24")) + mptcp(4, 0, b"\x06\x07\x08"),
        desc="ADD_ADDR echo (E=1, len 8) + REMOVE_ADDR three ids (len 6)")
    add(mptcp(3, 6, b"\x09" + IP6_ADV), desc="ADD_ADDR IPv6 (v0 layout, len 20)")
    add(mptcp(3, 6, b"\x0a" + IP6_ADV + be(8080, 2)), desc="ADD_ADDR IPv6+port (len 22)")
    add(mptcp(3, 0, b"\x0b" + IP6_ADV + be(0x0102030405060708, 8)),
        desc="ADD_ADDR v1 IPv6+HMAC (len 28)")
    add(mptcp(3, 0, b"\x0c" + IP6_ADV + be(993, 2) + be(0x8877665544332211, 8)),
        desc="ADD_ADDR v1 IPv6+port+HMAC (len 30)")
    add(mptcp(6, 0, b"\x00" + be(0x00000000A0000020, 8)), desc="MP_FAIL (len 12, 64-bit DSN)")
    add(mptcp(7, 0, b"\x00" + be(KEY_B, 8)) + mptcp(8, 0xF, b"\x05"), flags="RA",
        desc="MP_FASTCLOSE (len 12) + MP_TCPRST flags U+V+W+T, reason 5 (len 4)")

    # ---- MPTCP v0 (RFC 6824) and MP_JOIN ----
    add(mss() + mptcp(0, 0, b"\xc5" + be(KEY_A, 8)), flags="S", seq=200,
        desc="MPTCP v0 SYN: MP_CAPABLE len 12, flags A+B+reserved bit+H (SHA-1)")
    add(mptcp(0, 0, b"\x81" + be(KEY_A, 8) + be(KEY_B, 8)) + mptcp(0xF, 0, b"\x00"),
        desc="MPTCP v0 ACK: MP_CAPABLE len 20 + unknown MPTCP subtype 15 (len 4)")
    p = 41003
    add(mss() + mptcp(1, 1, b"\x02" + be(0xDEADBEEF, 4) + be(0x01020304, 4)), flags="S", sport=p,
        seq=300, desc="MP_JOIN SYN (len 12): backup, address id 2, token, nonce")
    add(mss(1400) + mptcp(1, 0, b"\x00" + be(0x0011223344556677, 8) + be(0x0A0B0C0D, 4)),
        flags="SA", sport=p, seq=700, ack=301, rev=True,
        desc="MP_JOIN SYN/ACK (len 16): truncated HMAC, nonce")
    add(mptcp(1, 0, b"\x00" + bytes(range(0x40, 0x54))), sport=p, seq=301, ack=701,
        desc="MP_JOIN ACK (len 24): reserved, 160-bit HMAC")

    # ---- TCP Fast Open and other experimental options ----
    p = 41010
    add(mss() + opt(34), flags="S", sport=p, seq=10, desc="TFO (kind 34) cookie request on SYN")
    add(mss(1400) + opt(34, bytes.fromhex("c0c1c2c3c4c5c6c7")), flags="SA", sport=p, seq=20,
        ack=11, rev=True, desc="TFO (kind 34) 8-byte cookie on SYN/ACK")
    add(mss() + opt(254, b"\xf9\x89") + opt(254, b"\xf9\x89" + bytes.fromhex("a0a1a2a3a4a5a6a7")),
        flags="S", seq=30, payload=b"tfo-syn-data",
        desc="experimental 254 ExID 0xF989 (TFO) request and 8-byte cookie on SYN with data")
    add(opt(253, b"\x12\x34" + b"\x01\x02\x03\x04") + opt(254, b"\x00\xac\x81"),
        desc="experimental 253 ExID 0x1234 with data + 254 TARR (ExID 0x00AC) rate")
    add(opt(254, b"\x00\xac") + opt(254, b"\x00\xac\x01\x02\x03\x04") + opt(253)
        + opt(254, b"\xac\xce\x10"),
        desc="TARR without rate, TARR with bad length 8, experimental len 2 (no ExID), ExID 0xACCE")

    # ---- single-value options ----
    add(opt(28, be(0x8005, 2)) + opt(19, bytes(range(0x10, 0x20))),
        desc="user timeout (granularity minutes, 5) + MD5 signature (len 18)")
    add(opt(29, b"\x05\x06" + bytes(range(0xa0, 0xac))) + opt(28, be(300, 2)),
        desc="TCP-AO (keyid 5, rnextkeyid 6, 12-byte MAC) + user timeout (seconds, 300)")
    add(opt(29, b"\x07\x07") + opt(19, bytes(8)), desc="TCP-AO without MAC (len 4) + MD5 with wrong length 10")
    add(opt(29, b"\x01") + opt(28, b"\x00\x01\x02\x03"),
        desc="TCP-AO len 3 (< 4) + user timeout with wrong length 6")
    add(opt(6, be(0x01020304, 4)) + opt(7, be(0x05060708, 4)) + opt(6, b"\x00\x01")
        + opt(11, bytes(6)),
        desc="echo (kind 6) + echo reply (kind 7) + echo with wrong length 4 + CC with wrong length 8")
    p = 41025
    add(mss() + opt(11, be(1000, 4)) + opt(12, be(2000, 4)), flags="S", sport=p, seq=40,
        desc="CC + CC.NEW on SYN")
    add(mss(1400) + opt(13, be(2000, 4)) + opt(11, be(3000, 4)), flags="SA", sport=p, seq=50,
        ack=41, rev=True, desc="CC.ECHO + CC on SYN/ACK")
    add(mss() + opt(27, b"\x85\x40" + be(0x0BADCAFE, 4)) + opt(14, b"\x01") + opt(15, b"\x12\x34"),
        flags="S", seq=60,
        desc="quick-start response (rate 5, TTL diff 64, nonce) + alternate checksum request (14) "
             "and data (15), unknown to Wireshark")

    # ---- SCPS ----
    p = 41030
    add(mss() + opt(20, b"\xf9\x07") + opt(22) + opt(23), flags="S", sport=p, seq=80,
        desc="SCPS capabilities (all flags, reserved 1, connection id 7) + record boundary + "
             "corruption experienced")
    add(mss(1400) + opt(20, b"\x40\x00"), flags="SA", sport=p, seq=90, ack=81, rev=True,
        desc="SCPS capabilities (SNACK1, connection id 0) on SYN/ACK")
    add(opt(20, b"\x01\x10\xaa\xbb\x02\x10\xcc\xdd"), sport=p, seq=81, ack=91,
        desc="SCPS extended capabilities (2 binding spaces), after negotiation")
    # The well-formed SNACK comes last: Wireshark 4.0 throws an exception right
    # after decoding one (it reads 4 bytes at offset 8 of the 6-byte option).
    add(opt(20, b"\x01\x10\xaa\xbb") + opt(22, b"\x00\x00") + opt(21, b"\x00\x01")
        + opt(21, be(2, 2) + be(1, 2)),
        desc="SCPS extended capabilities without negotiation, record boundary len 4, SNACK len 4, "
             "SNACK (last)")

    # ---- Riverbed ----
    p = 41040
    add(mss() + opt(76, b"\x01\x00" + ip4("192.0.2.1") + be(0x0102, 2)), flags="S", sport=p,
        seq=100, desc="Riverbed probe v1 query (prober 192.0.2.1, application version 258)")
    add(mss(1400) + opt(76, b"\x11\x00" + ip4("192.0.2.1") + ip4("192.0.2.2") + be(7800, 2)),
        flags="SA", sport=p, seq=110, ack=101, rev=True,
        desc="Riverbed probe v1 response (proxy 192.0.2.2:7800)")
    p = 41041
    add(mss() + opt(76, b"\x0c\x05") + opt(76, b"\x21\x00"), flags="S", sport=p, seq=120,
        desc="Riverbed probe v2 query info (flags not-CFE+last) + v1 internal")
    add(mss(1400) + opt(76, b"\x0e\x13") + opt(76, b"\x51\x00" + ip4("192.0.2.3") + ip4("192.0.2.4")
                                                 + ip4("192.0.2.10") + be(7810, 2)),
        flags="SA", sport=p, seq=130, ack=121, rev=True,
        desc="Riverbed probe v2 response info (flags probe+ssl+server) + v1 response SH")
    add(opt(78, be(0x0002, 2) + ip4("192.0.2.7") + ip4("192.0.2.8") + be(7803, 2) + be(7804, 2)
            + be(55000, 2)) + opt(76, b""),
        desc="Riverbed transparency out-of-band with client port (len 18: Wireshark wants exactly 16) "
             "+ probe len 2 (< 3)")
    add(opt(78, be(0x0701, 2) + ip4("192.0.2.5") + ip4("192.0.2.6") + be(7801, 2) + be(7802, 2))
        + opt(76, b"\x12\x00" + ip4("192.0.2.9")) + opt(76, b"\x14\x21") + opt(78, bytes(10)),
        desc="Riverbed transparency (flags fw_rst*, full mode, len 16), probe v2 query "
             "info SID, v2 reset, transparency with wrong length 12")

    # ---- Accurate ECN, window scale, SACK permitted, unknown kinds ----
    add(opt(172, be(0x112233, 3) + be(0x445566, 3) + be(0x778899, 3)) + opt(174, be(0x000102, 3)),
        desc="AccECN order 0 (3 counters) + order 1 (1 counter)")
    add(opt(174, be(5, 3) + be(6, 3)) + opt(172) + opt(172, bytes(10)),
        desc="AccECN order 1 (2 counters) + order 0 empty + order 0 with wrong length 12")
    add(opt(2, b"\x05\xb4\x00") + opt(3, b"\x0f") + NOP + opt(3, b"\x05\x00") + opt(4, b"\x00"),
        flags="S", seq=140,
        desc="MSS len 5, window scale 15 (> 14), window scale len 4, SACK permitted len 3")
    add(opt(8, bytes(6)) + opt(99) + opt(200, b"\xde\xad\xbe\xef"),
        desc="timestamps with wrong length 8, unknown kinds 99 (len 2) and 200 (len 6)")

    # ---- framing errors and bytes after EOL ----
    add(NOP * 2 + bytes([99, 0]) + opt(8, bytes(8)),
        desc="unknown kind with length 0: the option list ends there")
    add(NOP + bytes([8, 1]), desc="timestamps with length 1")
    add(opt(28, be(10, 2)) + bytes([8, 12]) + bytes(6),
        desc="timestamps len 12 running past the 12-byte option area")
    add(NOP * 2 + bytes([19, 18]) + bytes(8), payload=b"past-the-header",
        desc="MD5 len 18 with 10 bytes of options left: runs past the header into the payload")
    add(NOP * 3 + bytes([30]), desc="MPTCP kind as the last option byte: no length byte")
    add(mss() + EOL + bytes(3), flags="S", seq=150, desc="MSS, EOL, zero padding")
    add(NOP + EOL + bytes(2) + opt(8, be(1, 4) + be(2, 4)),
        desc="NOP, EOL, zeros, then timestamps after EOL (non-zero padding)")
    return c


GENERATORS = [tcp_options]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--list", action="store_true", help="print a markdown listing of every packet")
    args = ap.parse_args()
    if scapy.VERSION != "2.8.0":
        print("warning: generated with scapy 2.8.0, running %s; output may differ" % scapy.VERSION,
              file=sys.stderr)
    for gen in GENERATORS:
        cap = gen()
        data = cap.to_bytes()
        with open(os.path.join(args.out, cap.name), "wb") as f:
            f.write(data)
        print("%-26s %3d packets %6d bytes" % (cap.name, len(cap.records), len(data)))
        if args.list:
            for i, rec in enumerate(cap.records, 1):
                print("  %d. %s" % (i, rec[-1]))


if __name__ == "__main__":
    main()
