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
    /// The frame's length on the wire: more than `data.len()` when the
    /// capture's snap length cut it (see [`dissect_frame`]).
    pub wire_len: u32,
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

/// Dissects a frame that was `wire_len` bytes long on the wire, of which the
/// capture kept `data`. A header the snap length cut is a truncation (as
/// Wireshark's "Packet size limited during capture"), not a malformed value,
/// even when a length field is what points past the captured bytes.
pub fn dissect_frame(
    linktype: u32,
    data: &[u8],
    wire_len: u32,
    options: Options,
) -> Dissection<'_> {
    let mut d = Dissection::new(linktype, data, options);
    d.wire_len = wire_len.max(data.len() as u32);
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
            wire_len: data.len() as u32,
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
                // A length pointing past the bytes the capture kept.
                let cut = d.wire_len as usize > data.len() && off + buf.len() == data.len();
                let e = if cut { e.as_capture_cut() } else { e };
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

    /// Visits the fields of the partial layer that were captured.
    ///
    /// When bytes ran out, the layer is parsed again over its bytes followed
    /// by zeros, and the fields are reported as Wireshark reports a header
    /// cut short: in order, byte strings and containers clipped to what was
    /// captured, until the first value that was not (wholly) captured.
    /// Otherwise (an invalid value) only the fields at fixed offsets before
    /// the failing one are reported.
    ///
    /// A layer's `atomic` range is honoured unless `quoted` (inside an ICMP
    /// error, where Wireshark shows what the quote holds).
    pub fn visit_partial(&self, quoted: bool, v: &mut dyn Visitor<'a>) {
        let Some(p) = self.partial else { return };
        if self.error.is_some_and(|e| e.is_truncation()) && self.visit_cut(&p, quoted, v) {
            return;
        }
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

impl<'a> Dissection<'a> {
    /// [`Self::visit_partial`] for a layer cut short; false when the layer
    /// does not parse even with its missing bytes zero-filled.
    fn visit_cut(&self, p: &Partial<'a>, quoted: bool, v: &mut dyn Visitor<'a>) -> bool {
        // Pad as far as the parser asks (a length field may point further
        // once the first bound is met), within 64 KiB past the cut.
        let limit = p.bytes.len() + 0x1_0000;
        let mut padded = p.bytes.to_vec();
        let mut view;
        let mut tries = 0;
        loop {
            view = AnyLayer::empty(p.kind);
            match view.parse_step(&padded, &builtin_lookup) {
                Ok(_) => break,
                Err(e) => match e.as_capture_cut().kind {
                    crate::error::ErrorKind::Truncated { needed, .. }
                        if (needed as usize) > padded.len()
                            && (needed as usize) <= limit
                            && tries < 8 =>
                    {
                        padded.resize(needed as usize, 0);
                        tries += 1;
                    }
                    _ => return false,
                },
            }
        }
        let under = protocols::Stack(&self.layers);
        let cut = p.offset + p.bytes.len() as u32;
        // An atomic range the capture did not hold in full: stop at its start.
        let stop_at = match p.kind.atomic() {
            Some((first, last)) if !quoted => {
                let fields = p.kind.fields();
                let index = |d: &FieldDesc| fields.iter().position(|f| std::ptr::eq(f, d));
                let range = index(first).zip(index(last)).map(|(a, b)| a..=b);
                let mut end = EndOf {
                    fields,
                    range: range.clone(),
                    end: 0,
                };
                view.visit(p.offset, &under, false, &mut end);
                range.filter(|_| end.end > cut)
            }
            _ => None,
        };
        let mut clip = Clip {
            data: self.data,
            cut,
            stop_at,
            fields: p.kind.fields(),
            stopped: false,
            swallowed: 0,
            v,
        };
        // The checksum covers bytes that were not captured: unverified.
        view.visit(p.offset, &under, false, &mut clip);
        true
    }
}

/// Forwards the fields of a layer parsed over zero-filled bytes, clipped at
/// the capture's cut (see [`Dissection::visit_partial`]). Values are taken
/// again from the frame so they borrow from it.
struct Clip<'a, 'v> {
    data: &'a [u8],
    /// Absolute offset where the captured bytes end.
    cut: u32,
    /// Stop on meeting a layer field with an index in this range (an
    /// `atomic` range that was cut).
    stop_at: Option<std::ops::RangeInclusive<usize>>,
    /// The layer's fields.
    fields: &'static [FieldDesc],
    /// A value past the cut was met: nothing more is reported.
    stopped: bool,
    /// Pushes not forwarded since stopping, whose pops are not either.
    swallowed: u32,
    v: &'v mut dyn Visitor<'a>,
}

impl<'b> Visitor<'b> for Clip<'_, '_> {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'b>, offset: u32, len: u32) {
        use crate::field::FieldKind;
        if self.stopped {
            return;
        }
        let in_range = |r: &std::ops::RangeInclusive<usize>| {
            self.fields
                .iter()
                .position(|f| std::ptr::eq(f, desc))
                .is_some_and(|i| r.contains(&i))
        };
        if self.stop_at.as_ref().is_some_and(in_range) {
            self.stopped = true;
            return;
        }
        let end = offset.saturating_add(len);
        let container = matches!(
            desc.kind,
            FieldKind::Bytes
                | FieldKind::Array
                | FieldKind::Struct
                | FieldKind::Marker
                | FieldKind::Text
        );
        if len > 0 && (offset >= self.cut || (end > self.cut && !container)) {
            self.stopped = true;
            return;
        }
        let a = offset as usize;
        let b = end.min(self.cut) as usize;
        let value = match value {
            Value::Bytes(_) => Value::Bytes(self.data.get(a..b).unwrap_or(&[])),
            Value::Str(_) => match std::str::from_utf8(self.data.get(a..b).unwrap_or(&[])) {
                Ok(t) => Value::Str(t),
                Err(_) => return,
            },
            Value::UInt(x) => Value::UInt(x),
            Value::Int(x) => Value::Int(x),
            Value::Bool(x) => Value::Bool(x),
            Value::Mac(x) => Value::Mac(x),
            Value::Ipv4(x) => Value::Ipv4(x),
            Value::Ipv6(x) => Value::Ipv6(x),
            Value::Eui64(x) => Value::Eui64(x),
            Value::Nanos(x) => Value::Nanos(x),
            Value::None => Value::None,
        };
        self.v.field(
            desc,
            value,
            offset,
            end.min(self.cut) - offset.min(self.cut),
        );
    }

    fn push(&mut self) {
        if self.stopped {
            self.swallowed += 1;
        } else {
            self.v.push();
        }
    }

    fn pop(&mut self) {
        if self.swallowed > 0 {
            self.swallowed -= 1;
        } else {
            self.v.pop();
        }
    }
}

/// Finds where the layer fields with an index in `range` end.
struct EndOf {
    fields: &'static [FieldDesc],
    range: Option<std::ops::RangeInclusive<usize>>,
    end: u32,
}

impl Visitor<'_> for EndOf {
    fn field(&mut self, desc: &'static FieldDesc, _: Value<'_>, offset: u32, len: u32) {
        let Some(r) = &self.range else { return };
        let i = self.fields.iter().position(|f| std::ptr::eq(f, desc));
        if i.is_some_and(|i| r.contains(&i)) {
            self.end = self.end.max(offset.saturating_add(len));
        }
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
