//! Building packets by stacking layers with `/` (Scapy style), and rebuilding
//! a dissected frame from its parsed values.
//!
//! ```
//! use strata::packet::Raw;
//! use strata::protocols::{ethernet::EthernetBuilder, ipv4::Ipv4Builder, udp::UdpBuilder};
//! let bytes = (EthernetBuilder::new()
//!     / Ipv4Builder::new().src([10, 0, 0, 1]).dst([10, 0, 0, 2])
//!     / UdpBuilder::new().srcport(1234u16).dstport(53u16)
//!     / Raw::from(&b"hello"[..]))
//!     .build()
//!     .unwrap();
//! assert_eq!(&bytes[12..14], &[0x08, 0x00]); // ethertype filled from the bind
//! assert_eq!(bytes.len(), 14 + 20 + 8 + 5);
//! ```

use crate::dissect::Dissection;
use crate::error::BuildError;
use crate::protocols::{self, AnyBuilder, BuildStack, TableId};
use std::ops::Div;

/// Raw bytes appended after the last layer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Raw(pub Vec<u8>);

impl From<&[u8]> for Raw {
    fn from(b: &[u8]) -> Self {
        Raw(b.to_vec())
    }
}

impl From<Vec<u8>> for Raw {
    fn from(b: Vec<u8>) -> Self {
        Raw(b)
    }
}

/// Something that can be stacked: a layer builder or raw bytes.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // moved into the packet right away
pub enum Part {
    /// A layer.
    Layer(AnyBuilder),
    /// Bytes.
    Raw(Vec<u8>),
}

impl From<AnyBuilder> for Part {
    fn from(b: AnyBuilder) -> Self {
        Part::Layer(b)
    }
}

impl From<Raw> for Part {
    fn from(r: Raw) -> Self {
        Part::Raw(r.0)
    }
}

impl From<&[u8]> for Part {
    fn from(b: &[u8]) -> Self {
        Part::Raw(b.to_vec())
    }
}

impl From<Vec<u8>> for Part {
    fn from(b: Vec<u8>) -> Self {
        Part::Raw(b)
    }
}

/// A stack of layer builders plus a raw payload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Packet {
    /// Layers, outermost first.
    pub layers: Vec<AnyBuilder>,
    /// Bytes after the last layer.
    pub payload: Vec<u8>,
    /// Bytes after the outermost layer (rebuild of captured trailers).
    pub frame_trailer: Vec<u8>,
}

impl Packet {
    /// An empty packet.
    pub fn new() -> Self {
        Packet::default()
    }

    /// Adds a layer or payload on top.
    pub fn push(mut self, p: impl Into<Part>) -> Self {
        match p.into() {
            Part::Layer(b) => self.layers.push(b),
            Part::Raw(r) => self.payload.extend_from_slice(&r),
        }
        self
    }

    /// Fills every dispatch key the user left unset from the layer stacked on
    /// it (reverse binding: IPv4 on Ethernet → type 0x0800).
    pub fn bind_keys(&mut self) {
        for i in 0..self.layers.len().saturating_sub(1) {
            let child = self.layers[i + 1].kind();
            for &t in TableId::ALL {
                if let Some(k) = protocols::bind_key(t, child) {
                    self.layers[i].set_key(t, k);
                }
            }
        }
    }

    /// Serializes: keys, lengths and checksums derived where unset.
    pub fn build(&self) -> Result<Vec<u8>, BuildError> {
        let mut p = self.clone();
        p.bind_keys();
        let mut out = Vec::with_capacity(128);
        write_from(&p.layers, 0, &p.payload, &mut out)?;
        out.extend_from_slice(&p.frame_trailer);
        Ok(out)
    }

    /// A packet holding every value of a dissected frame, so that building
    /// reproduces it: every parsed layer goes through its builder; the bytes of
    /// a layer that did not parse (cut by the capture, quoted in an ICMP error)
    /// follow as raw payload. `None` when a parsed layer holds an invalid
    /// element (its bytes could not be represented by field values).
    pub fn from_dissection(d: &Dissection<'_>) -> Option<Packet> {
        if d.unknown_linktype || d.layers.is_empty() || d.layers.iter().any(|l| l.malformed) {
            return None;
        }
        let mut layers: Vec<AnyBuilder> = Vec::with_capacity(d.layers.len());
        for (i, l) in d.layers.iter().enumerate() {
            let mut b = l.view.to_builder();
            let t = d.trailer_of(i);
            if !t.is_empty() {
                b.trailer_mut().extend_from_slice(t);
            }
            layers.push(b);
        }
        let payload = match (d.raw, d.partial) {
            (Some(r), _) => r.bytes.to_vec(),
            (None, Some(p)) => p.bytes.to_vec(),
            (None, None) => Vec::new(),
        };
        let first_end = d.layers[0].end() as usize;
        let frame_trailer = d.data.get(first_end..).unwrap_or(&[]).to_vec();
        Some(Packet {
            layers,
            payload,
            frame_trailer,
        })
    }
}

fn write_from(
    layers: &[AnyBuilder],
    i: usize,
    payload: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), BuildError> {
    match layers.get(i) {
        None => {
            out.extend_from_slice(payload);
            Ok(())
        }
        Some(b) => {
            let under = BuildStack(&layers[..i]);
            b.write_to(out, &under, &mut |o: &mut Vec<u8>| {
                write_from(layers, i + 1, payload, o)
            })
        }
    }
}

impl<T: Into<Part>> Div<T> for Packet {
    type Output = Packet;
    fn div(self, rhs: T) -> Packet {
        self.push(rhs)
    }
}

impl From<AnyBuilder> for Packet {
    fn from(b: AnyBuilder) -> Self {
        Packet::new().push(b)
    }
}
