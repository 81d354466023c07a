//! Builds an Ethernet/IPv4/UDP packet with derived lengths and checksums.
use strata::packet::Raw;
use strata::protocols::{ethernet::EthernetBuilder, ipv4::Ipv4Builder, udp::UdpBuilder};

fn main() {
    let p = EthernetBuilder::new()
        .dst([0xff; 6])
        .src([0, 0x11, 0x22, 0x33, 0x44, 0x55])
        / Ipv4Builder::new().src([10, 0, 0, 1]).dst([10, 0, 0, 2])
        / UdpBuilder::new().srcport(1234u16).dstport(53u16)
        / Raw::from(&b"hello"[..]);
    let bytes = p.build().expect("build");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    println!("{hex}");
}
