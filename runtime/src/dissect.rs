//! Dissection: from a link type through the dispatch tables, layer by layer.
//!
//! Lax by default: every layer that parsed is kept, the first error is kept
//! with its layer, field and absolute byte offset, and a layer cut short by
//! the capture is kept as a *partial* layer whose fixed-position fields can
//! still be shown (as Wireshark shows the ports of a TCP header quoted in an
//! ICMP error). A bad checksum is a status on its layer, never an error.

use crate::error::Error;
use crate::field::{FieldDesc, Value, Visitor};
use crate::protocols::{self, AnyLayer, LayerKind, Next, TableId};
use arrayvec::ArrayVec;

/// Most layers a frame may have before dissection stops (guards against
/// schemas that dispatch in a loop without consuming bytes).
pub const MAX_LAYERS: usize = 32;

/// One dissected layer and where it sits in the frame.
#[derive(Clone, Copy, Debug)]
pub struct Layer<'a> {
    /// The parsed view.
    pub view: AnyLayer<'a>,
    /// Byte offset of the layer in the frame.
    pub offset: u32,
    /// The table that dispatched to this layer (`None` for the first layer or a fixed target).
    pub via: Option<TableId>,
    /// Deep validation (array elements) failed inside this layer: the layer is
    /// kept, the error is in [`Dissection::error`].
    pub malformed: bool,
}

impl<'a> Layer<'a> {
    /// The layer kind.
    #[inline]
    pub fn kind(&self) -> LayerKind {
        self.view.kind()
    }
    /// End offset of the layer (payload included) in the frame.
    #[inline]
    pub fn end(&self) -> u32 {
        self.offset + self.view.layer_len() as u32
    }
}

/// A layer the capture cut short (or a malformed one): its kind and the bytes
/// that were there. Fields at fixed offsets that fit are still reported.
#[derive(Clone, Copy, Debug)]
pub struct Partial<'a> {
    /// What it was going to be.
    pub kind: LayerKind,
    /// Offset in the frame.
    pub offset: u32,
    /// The bytes available to it.
    pub bytes: &'a [u8],
    /// The dispatching table.
    pub via: Option<TableId>,
}

/// What dissection options change.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Walk arrays of structs (options, records) and report their errors. Off
    /// for the fastest field extraction that does not need them.
    pub deep: bool,
    /// Verify every checksum (Wireshark verifies only some by default).
    pub verify_checksums: bool,
}

/// Undissected payload after the last layer (`data` in Wireshark terms).
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a> {
    /// Offset in the frame.
    pub offset: u32,
    /// The bytes.
    pub bytes: &'a [u8],
    /// The table that was asked for a layer and had none bound to the key.
    pub via: Option<TableId>,
}

/// The result of dissecting one frame.
#[derive(Clone, Debug)]
pub struct Dissection<'a> {
    /// The frame bytes.
    pub data: &'a [u8],
    /// Link type the dissection started from.
    pub linktype: u32,
    /// Layers in order, outermost first.
    /// Stored inline: no allocation per frame, no spill checks on push.
    pub layers: ArrayVec<Layer<'a>, MAX_LAYERS>,
    /// The layer that failed to parse, if any.
    pub partial: Option<Partial<'a>>,
    /// Payload left undissected.
    pub raw: Option<Raw<'a>>,
    /// The first error, with an absolute offset.
    pub error: Option<Error>,
    /// The link type has no layer bound to it.
    pub unknown_linktype: bool,
    /// Options used.
    pub options: Options,
}

/// The static dispatch tables (a registry for run-time layers plugs in here later).
#[inline]
pub fn builtin_lookup(table: TableId, key: u64) -> Option<LayerKind> {
    protocols::lookup(table, key)
}

/// Dissects one frame of the given link type.
///
/// Hot loops should prefer [`dissect_into`], which fills a `Dissection` the
/// caller owns instead of returning one (a few hundred bytes) by value.
pub fn dissect(linktype: u32, data: &[u8], options: Options) -> Dissection<'_> {
    let mut d = Dissection::new(linktype, data, options);
    dissect_into(&mut d);
    d
}

impl<'a> Dissection<'a> {
    /// An empty dissection of `data` (call [`dissect_into`] to fill it).
    #[inline]
    pub fn new(linktype: u32, data: &'a [u8], options: Options) -> Self {
        Dissection {
            data,
            linktype,
            layers: ArrayVec::new_const(),
            partial: None,
            raw: None,
            error: None,
            unknown_linktype: false,
            options,
        }
    }
}

/// Dissects `d.data` (link type `d.linktype`) into `d`. Each layer is parsed in
/// place in `d.layers`.
pub fn dissect_into(d: &mut Dissection<'_>) {
    let data = d.data;
    let options = d.options;
    let Some(mut kind) = builtin_lookup(TableId::Linktype, d.linktype as u64) else {
        d.unknown_linktype = true;
        if !data.is_empty() {
            d.raw = Some(Raw {
                offset: 0,
                bytes: data,
                via: None,
            });
        }
        return;
    };
    let lookup = |t: TableId, k: u64| builtin_lookup(t, k);
    let mut off = 0usize;
    let mut end = data.len();
    let mut via = None;
    loop {
        let buf = data.get(off..end).unwrap_or(&[]);
        if d.layers.len() >= MAX_LAYERS {
            d.raw = Some(Raw {
                offset: off as u32,
                bytes: buf,
                via: None,
            });
            return;
        }
        // Push an empty view and fill it in place: building the layer on the
        // stack and moving it in costs a store-forwarding stall.
        d.layers.push(Layer {
            view: AnyLayer::empty(kind),
            offset: off as u32,
            via,
            malformed: false,
        });
        let slot = d.layers.last_mut().expect("just pushed");
        let step = match slot.view.parse_step(buf, &lookup) {
            Ok(s) => s,
            Err(e) => {
                d.layers.pop();
                if d.error.is_none() {
                    d.error = Some(e.add_offset(off as u32));
                }
                d.partial = Some(Partial {
                    kind,
                    offset: off as u32,
                    bytes: buf,
                    via,
                });
                return;
            }
        };
        if options.deep {
            if let Err(e) = slot.view.validate() {
                slot.malformed = true;
                if d.error.is_none() {
                    d.error = Some(e.add_offset(off as u32));
                }
            }
        }
        let header_len = step.header_len;
        let start = off + header_len;
        let stop = start + step.payload_len;
        let next = step.next;
        match next {
            Next::Layer(k, table) if start <= stop => {
                if start == stop && header_len == 0 {
                    // A zero-size layer dispatching on nothing: stop.
                    return;
                }
                kind = k;
                via = table;
                off = start;
                end = stop;
                if start == stop {
                    // Nothing left for the next layer: report it as cut short.
                    d.partial = Some(Partial {
                        kind: k,
                        offset: off as u32,
                        bytes: &[],
                        via,
                    });
                    if d.error.is_none() {
                        d.error = Some(
                            crate::__private::trunc(k.name(), "", 0, 1, 0).add_offset(off as u32),
                        );
                    }
                    return;
                }
            }
            _ => {
                if stop > start {
                    d.raw = Some(Raw {
                        offset: start as u32,
                        bytes: data.get(start..stop).unwrap_or(&[]),
                        via: match next {
                            Next::Unbound(t) => Some(t),
                            _ => None,
                        },
                    });
                }
                return;
            }
        }
    }
}

impl<'a> AsRef<AnyLayer<'a>> for Layer<'a> {
    fn as_ref(&self) -> &AnyLayer<'a> {
        &self.view
    }
}

impl<'a> Dissection<'a> {
    /// True when nothing went wrong (every byte accounted for by a layer or raw data).
    pub fn is_valid(&self) -> bool {
        self.error.is_none() && self.partial.is_none() && !self.unknown_linktype
    }

    /// Bytes after layer `i`'s child inside layer `i`'s payload (padding, trailers).
    pub fn trailer_of(&self, i: usize) -> &'a [u8] {
        let Some(l) = self.layers.get(i) else {
            return &[];
        };
        let pay_start = l.offset as usize + l.view.header_len();
        let pay_end = pay_start + l.view.payload().len();
        let child_end = match self.layers.get(i + 1) {
            Some(c) => c.end() as usize,
            None => return &[],
        };
        if child_end >= pay_end || child_end < pay_start {
            return &[];
        }
        self.data.get(child_end..pay_end).unwrap_or(&[])
    }

    /// Visits every field of layer `i` with absolute offsets.
    pub fn visit_layer(&self, i: usize, v: &mut dyn Visitor<'a>) {
        if let Some(l) = self.layers.get(i) {
            let under = protocols::Stack(&self.layers[..i]);
            l.view
                .visit(l.offset, &under, self.options.verify_checksums, v);
        }
    }

    /// Visits the fields of the partial layer that lie at fixed offsets and were captured.
    pub fn visit_partial(&self, v: &mut dyn Visitor<'a>) {
        let Some(p) = self.partial else { return };
        // Up to the failing field for invalid values; everything captured when bytes ran out.
        let upto = match self.error {
            Some(e) if !e.is_truncation() && e.offset >= p.offset => (e.offset - p.offset) as usize,
            _ => usize::MAX,
        };
        protocols::visit_partial(p.kind, p.bytes, p.offset, upto, v);
    }

    /// The protocol names, colon-joined, as Wireshark's `frame.protocols`.
    pub fn protocols_string(&self) -> String {
        let mut s = String::new();
        let mut push = |n: &str| {
            if !s.is_empty() {
                s.push(':');
            }
            s.push_str(n);
        };
        for l in &self.layers {
            if let Some(p) = l.via.and_then(TableId::protocol) {
                push(p);
            }
            push(l.kind().filter());
        }
        if let Some(p) = &self.partial {
            if let Some(t) = p.via.and_then(TableId::protocol) {
                push(t);
            }
            push(p.kind.filter());
        }
        if let Some(r) = &self.raw {
            if let Some(t) = r.via.and_then(TableId::protocol) {
                push(t);
            }
            push("data");
        }
        s
    }
}

/// Reports the fields at fixed offsets of a layer that fit in `bytes`.
pub fn visit_static_fields<'a>(
    fields: &'static [FieldDesc],
    bytes: &'a [u8],
    base: u32,
    v: &mut dyn Visitor<'a>,
) {
    for f in fields {
        let Some(l) = f.static_loc else { continue };
        let start = l.offset as usize;
        let end = start + l.bytes as usize;
        let Some(b) = bytes.get(start..end) else {
            continue;
        };
        let value = match f.kind {
            crate::field::FieldKind::Mac => Value::Mac(crate::__private::arr::<6>(b, 0)),
            crate::field::FieldKind::Ipv4 => Value::Ipv4(crate::__private::arr::<4>(b, 0)),
            crate::field::FieldKind::Ipv6 => Value::Ipv6(crate::__private::arr::<16>(b, 0)),
            crate::field::FieldKind::Eui64 => Value::Eui64(crate::__private::arr::<8>(b, 0)),
            crate::field::FieldKind::UInt
            | crate::field::FieldKind::Enum
            | crate::field::FieldKind::Bool
            | crate::field::FieldKind::Int => {
                let raw = if l.little {
                    crate::__private::dec_le(b)
                } else {
                    crate::__private::dec_be(b)
                };
                let x = (raw >> l.shift) & crate::__private::mask(f.bits);
                match f.kind {
                    crate::field::FieldKind::Bool => Value::Bool(x != 0),
                    crate::field::FieldKind::Int => Value::Int(x as i64),
                    _ => Value::UInt(x),
                }
            }
            _ => continue,
        };
        v.field(f, value, base + start as u32, l.bytes as u32);
    }
}
