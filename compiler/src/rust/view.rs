//! Zero-copy views: `parse` (checked once), getters that cannot panic,
//! `visit` (reflection), checksum status, dispatch, and the mutable view.

use super::expr::Ctx;
use super::{u64_lit, usize_lit, Gen};
use crate::ast::Endian;
use crate::ir::{self, ArraySize, FieldKind, Guard, Init, Item, Measure, Region, Type};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::{HashMap, HashSet};

/// Per-struct generation state.
pub(crate) struct StructGen<'g, 's> {
    pub g: &'g Gen<'s>,
    pub st: &'s ir::Struct,
    pub name: Ident,
    pub is_layer: bool,
    /// Segment that starts right after a variable-size or conditional field.
    pub seg_after: HashMap<usize, u16>,
    /// Fields whose values parse() needs as locals.
    pub parse_refs: HashSet<usize>,
    /// Field → bound index, for derived fields.
    pub bound_of: HashMap<usize, usize>,
    /// Matches whose arms hold only computed fields (and such matches): they
    /// place nothing on the wire, so parsing skips them and views decide
    /// them when asked (`lazy_arm{i}()`), keeping the hot path short.
    pub lazy: HashSet<u16>,
}

/// Whether items are only computed fields and matches of such.
fn only_lets(items: &[Item]) -> bool {
    items.iter().all(|it| match it {
        Item::Let(_) => true,
        Item::Match { arms, .. } => arms.iter().all(|a| only_lets(&a.body)),
        _ => false,
    })
}

fn collect_lazy(items: &[Item], out: &mut HashSet<u16>) {
    for it in items {
        if let Item::Match { index, arms, .. } = it {
            if arms.iter().all(|a| only_lets(&a.body)) {
                out.insert(*index);
            }
            for a in arms {
                collect_lazy(&a.body, out);
            }
        }
    }
}

fn collect_refs(e: &ir::Expr, st: &ir::Struct, out: &mut HashSet<usize>) {
    use ir::Expr::*;
    match e {
        Field(f) => {
            if let FieldKind::Let(x) = &st.fields[*f].kind {
                collect_refs(x, st, out);
            } else {
                out.insert(*f);
            }
        }
        Unary(_, a) | Cast(_, a) => collect_refs(a, st, out),
        Binary(_, a, b) => {
            collect_refs(a, st, out);
            collect_refs(b, st, out);
        }
        Ternary(a, b, c) => {
            collect_refs(a, st, out);
            collect_refs(b, st, out);
            collect_refs(c, st, out);
        }
        Call(_, args) | Under { args, .. } => {
            for a in args {
                collect_refs(a, st, out);
            }
        }
        _ => {}
    }
}

fn walk_items(
    items: &[Item],
    st: &ir::Struct,
    refs: &mut HashSet<usize>,
    seg_after: &mut HashMap<usize, u16>,
) {
    let mut last_field: Option<usize> = None;
    for it in items {
        match it {
            Item::Field(f) => {
                last_field = Some(*f);
                if let Type::Bytes(sz) | Type::Array(_, sz) = &st.fields[*f].ty {
                    match sz {
                        ArraySize::Count(e) | ArraySize::Size(e) => collect_refs(e, st, refs),
                        _ => {}
                    }
                }
            }
            Item::Segment(k) => {
                if let Some(f) = last_field.take() {
                    seg_after.insert(f, *k);
                }
            }
            Item::Match { discr, arms, .. } => {
                last_field = None;
                // A lazy match (only computed fields) is not decided at parse.
                if !arms.iter().all(|a| only_lets(&a.body)) {
                    collect_refs(discr, st, refs);
                }
                for a in arms {
                    walk_items(&a.body, st, refs, seg_after);
                }
            }
            Item::Require { cond, .. } => {
                last_field = None;
                collect_refs(cond, st, refs)
            }
            _ => last_field = None,
        }
    }
}

impl<'g, 's> StructGen<'g, 's> {
    pub(crate) fn new(g: &'g Gen<'s>, sid: usize) -> Self {
        let st = &g.schema.structs[sid];
        let mut refs = HashSet::new();
        let mut seg_after = HashMap::new();
        walk_items(&st.body, st, &mut refs, &mut seg_after);
        for c in &st.conds {
            collect_refs(c, st, &mut refs);
        }
        let mut bound_of = HashMap::new();
        for (i, b) in st.bounds.iter().enumerate() {
            refs.insert(b.field);
            bound_of.insert(b.field, i);
        }
        for (i, f) in st.fields.iter().enumerate() {
            let closed = matches!(f.ty, Type::Enum(e) if g.schema.enums[e].closed);
            if matches!(f.init, Init::Fixed(_))
                || (closed && !matches!(f.kind, FieldKind::Let(_)) && f.loc.is_some())
            {
                refs.insert(i);
            }
        }
        let mut lazy = HashSet::new();
        collect_lazy(&st.body, &mut lazy);
        StructGen {
            g,
            st,
            name: format_ident!("{}", st.name),
            is_layer: st.layer.is_some(),
            seg_after,
            parse_refs: refs,
            bound_of,
            lazy,
        }
    }

    pub(crate) fn fields_static(&self) -> Ident {
        format_ident!("{}_FIELDS", self.st.name.to_uppercase())
    }

    pub(crate) fn status_static(&self) -> Ident {
        format_ident!("{}_STATUS", self.st.name.to_uppercase())
    }

    pub(crate) fn desc_static(&self) -> Ident {
        format_ident!("{}_DESC", self.st.name.to_uppercase())
    }

    /// Position (usize expression) of a located field in a given context.
    pub(crate) fn pos(&self, loc: &ir::Loc, ctx: Ctx) -> TokenStream {
        let off = usize_lit(loc.offset as usize);
        if loc.seg == 0 {
            return off;
        }
        let k = usize_lit(loc.seg as usize - 1);
        match ctx {
            Ctx::Parse => {
                let s = format_ident!("s{}", loc.seg);
                quote!((#s + #off))
            }
            _ => quote!((self.seg[#k] as usize + #off)),
        }
    }

    /// Raw run read (u64) of a scalar at `pos`.
    pub(crate) fn read_run(
        &self,
        run: &ir::Run,
        pos: &TokenStream,
        buf: &TokenStream,
    ) -> TokenStream {
        let p = &self.g.p;
        let n = usize_lit(run.bytes as usize);
        let rd = match run.endian {
            Endian::Big => quote!(#p::rd_be::<#n>(#buf, #pos)),
            Endian::Little => quote!(#p::rd_le::<#n>(#buf, #pos)),
        };
        let full = run.shift == 0 && run.bits as u32 == run.bytes as u32 * 8;
        if full {
            rd
        } else {
            let sh = run.shift as u32;
            let m = u64_lit(if run.bits >= 64 {
                u64::MAX
            } else {
                (1u64 << run.bits) - 1
            });
            quote!(((#rd >> #sh) & #m))
        }
    }

    /// Converts a raw u64 to the field's Rust type.
    pub(crate) fn convert_raw(&self, ty: &Type, raw: TokenStream) -> TokenStream {
        match ty {
            Type::UInt(b) => {
                let t = Gen::uint_ty(*b as u32);
                quote!((#raw as #t))
            }
            Type::Int(b) => {
                let (u, i) = match b {
                    8 => (quote!(u8), quote!(i8)),
                    16 => (quote!(u16), quote!(i16)),
                    32 => (quote!(u32), quote!(i32)),
                    _ => (quote!(u64), quote!(i64)),
                };
                quote!((#raw as #u as #i))
            }
            Type::Bool => quote!((#raw != 0)),
            Type::Enum(e) => {
                let t = Gen::uint_ty(self.g.schema.enums[*e].bits as u32);
                let ep = self.g.enum_path(*e);
                quote!(#ep::from(#raw as #t))
            }
            Type::Mac => {
                let p = &self.g.p;
                quote!({ let b = (#raw).to_be_bytes(); #p::MacAddr([b[2], b[3], b[4], b[5], b[6], b[7]]) })
            }
            Type::Ipv4 => {
                let p = &self.g.p;
                quote!(#p::Ipv4Addr::from((#raw) as u32))
            }
            Type::Eui64 => {
                let p = &self.g.p;
                quote!(#p::Eui64((#raw).to_be_bytes()))
            }
            _ => raw,
        }
    }

    /// The segment-end position of a variable-size field, in view context.
    fn var_end(&self, f: usize) -> TokenStream {
        match self.seg_after.get(&f) {
            Some(k) => {
                let k = usize_lit(*k as usize - 1);
                quote!((self.seg[#k] as usize))
            }
            None => quote!((self.end as usize)),
        }
    }

    pub(crate) fn generate(&self) -> TokenStream {
        let name = &self.name;
        let p = &self.g.p;
        let st = self.st;
        let nseg = usize_lit(st.segments as usize);
        let nmatch = usize_lit(st.matches as usize);
        let npres = usize_lit(usize::from(!st.conds.is_empty()));
        let min = usize_lit(st.min_size as usize);
        let sname = &st.name;
        let filter = &st.filter;
        let long = &st.long_name;
        let doc = if st.doc.is_empty() {
            format!("{long}: a checked view over borrowed bytes.")
        } else {
            st.doc.join("\n")
        };
        let parse = self.parse_fn();
        let getters = self.getters();
        let visit = self.visit_fn();
        let partial = self.partial_fn();
        let checks = self.checksum_fns();
        let validate = self.validate_fn();
        let next = self.next_fn();
        let meta = self.metadata();
        let mutv = self.mut_view();
        let impls = self.impl_fns(Ctx::View);
        let to_builder = super::builder::to_builder(self);
        let addresses = match st.layer.as_ref().and_then(|l| l.addresses) {
            Some((a, b)) => {
                let (va, vb) = (self.value_of(a), self.value_of(b));
                quote!(Some((#va, #vb)))
            }
            None => quote!(None),
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct #name<'a> {
                buf: &'a [u8],
                end: u32,
                hdr: u32,
                hcur: u32,
                pend: u32,
                seg: [u16; #nseg],
                arm: [u8; #nmatch],
                pres: [u64; #npres],
                flags: u8,
            }

            impl<'a> #name<'a> {
                /// Schema name.
                pub const NAME: &'static str = #sname;
                /// Display-filter name of the protocol or struct.
                pub const FILTER: &'static str = #filter;
                /// Long name.
                pub const LONG_NAME: &'static str = #long;
                /// Bytes every instance has.
                pub const MIN_LEN: usize = #min;

                #parse

                /// Bytes of this layer or struct (payload included, trailer excluded).
                #[inline]
                pub fn as_bytes(&self) -> &'a [u8] {
                    #p::slice(self.buf, 0, self.end as usize)
                }
                /// Length in bytes (payload included).
                #[inline]
                pub fn layer_len(&self) -> usize {
                    self.end as usize
                }
                /// Length of the header (everything before the payload).
                #[inline]
                pub fn header_len(&self) -> usize {
                    self.hdr as usize
                }
                /// The header bytes.
                #[inline]
                pub fn header_bytes(&self) -> &'a [u8] {
                    #p::slice(self.buf, 0, self.hdr as usize)
                }
                /// Header bytes its length covers but no field reads (kept so
                /// that rebuilding reproduces them).
                #[inline]
                pub fn header_extra(&self) -> &'a [u8] {
                    #p::slice(self.buf, (self.hcur as usize).min(self.hdr as usize), self.hdr as usize)
                }
                /// The payload, borrowed from the input.
                #[inline]
                pub fn payload(&self) -> &'a [u8] {
                    #p::slice(self.buf, self.hdr as usize, self.pend as usize)
                }
                /// Bytes after this layer in the region it was parsed from (padding, trailers).
                #[inline]
                pub fn trailer(&self) -> &'a [u8] {
                    #p::slice(self.buf, self.end as usize, self.buf.len())
                }
                /// True when a length field claims more bytes than were captured.
                #[inline]
                pub fn is_truncated(&self) -> bool {
                    self.flags & 1 != 0
                }

                /// Source and destination shown in summaries, when declared.
                pub fn addresses(&self) -> Option<(#p::Value<'a>, #p::Value<'a>)> {
                    #addresses
                }

                #getters
                #checks
                #visit
                #partial
                #validate
                #next
                #to_builder
            }

            impl<'a> #p::Element<'a> for #name<'a> {
                #[inline]
                fn parse_elem(buf: &'a [u8]) -> Result<Self, #p::Error> {
                    Self::parse(buf)
                }
                #[inline]
                fn elem_len(&self) -> usize {
                    self.end as usize
                }
            }

            #impls
            #meta
            #mutv
        }
    }

    // ------------------------------------------------------------------ parse

    fn parse_fn(&self) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let sname = &st.name;
        let fs = self.fields_static();
        let mut locals = Vec::new();
        let mut refs: Vec<usize> = self.parse_refs.iter().copied().collect();
        refs.sort();
        for f in refs {
            let id = format_ident!("f{}", f);
            locals.push(quote!(let mut #id: u64 = 0;));
        }
        for (i, f) in st.fields.iter().enumerate() {
            if matches!(f.ty, Type::Bytes(_) | Type::Array(..) | Type::Struct(_)) {
                let s = format_ident!("sz{}", i);
                locals.push(quote!(let mut #s: usize = 0;));
            }
        }
        for b in &st.bounds {
            match b.measure {
                Measure::Size(Region::Field(g)) | Measure::Count(g) => {
                    let id = format_ident!("bnd{}", g);
                    locals.push(quote!(let mut #id: Option<usize> = None;));
                }
                _ => {}
            }
        }
        let mut cur = Cursor { seg: 0, off: 0 };
        let body = self.parse_items(&st.body, &mut cur);
        let nseg = usize_lit(st.segments as usize);
        let nmatch = usize_lit(st.matches as usize);
        let npres = usize_lit(usize::from(!st.conds.is_empty()));
        let min = usize_lit(st.min_size as usize);
        let has_payload = st.body.iter().any(|i| matches!(i, Item::Payload));
        let end_pos = self.cursor_pos(&cur, Ctx::Parse);
        let finish = if has_payload {
            quote! {}
        } else if self.is_layer {
            quote! {
                let cur: usize = #end_pos;
                if !whole_bounded { self_end = cur; }
                let hdr = self_end;
                let hcur = hdr;
                let pend = self_end;
            }
        } else {
            quote! {
                let cur: usize = #end_pos;
                if whole_bounded {
                    if cur < self_end {
                        return Err(#p::err(#sname, "", cur, #p::ErrorKind::ExtraBytes { extra: (self_end - cur) as u32 }));
                    }
                } else {
                    self_end = cur;
                }
                let hdr = self_end;
                let hcur = hdr;
                let pend = self_end;
            }
        };
        let layer_trunc = if self.is_layer {
            quote!(true)
        } else {
            quote!(false)
        };
        quote! {
            /// An empty view (no bytes), to parse into.
            pub const EMPTY: Self = Self {
                buf: &[],
                end: 0,
                hdr: 0,
                hcur: 0,
                pend: 0,
                seg: [0u16; #nseg],
                arm: [u8::MAX; #nmatch],
                pres: [0u64; #npres],
                flags: 0,
            };

            /// Checks `buf` once and returns a view; bytes past the layer's own
            /// length are kept as its trailer.
            #[inline]
            pub fn parse(buf: &'a [u8]) -> Result<Self, #p::Error> {
                let mut v = Self::EMPTY;
                v.parse_into(buf)?;
                Ok(v)
            }

            /// Like [`Self::parse`], writing the layout into `self` (no copy of
            /// the view: dissection parses straight into its layer list).
            /// `#[inline]` lets the dissector loop inline it across codegen units.
            #[inline]
            #[allow(unused_mut, unused_variables, unused_assignments, unused_comparisons, clippy::all)]
            pub fn parse_into(&mut self, buf: &'a [u8]) -> Result<(), #p::Error> {
                const LAYER_TRUNC: bool = #layer_trunc;
                let avail = buf.len();
                if avail < #min {
                    return Err(#p::trunc_min(#sname, &#fs, #min, avail));
                }
                let mut self_end: usize = avail;
                let mut self_decl: usize = avail;
                let mut whole_bounded = false;
                let mut hdr_lim: usize = usize::MAX;
                let mut pay_len: Option<usize> = None;
                let mut flags: u8 = 0;
                let mut seg = [0u16; #nseg];
                let mut arm = [u8::MAX; #nmatch];
                let mut pres = [0u64; #npres];
                let mut pos: usize = 0;
                #(#locals)*
                #body
                #finish
                self.buf = buf;
                self.end = self_end as u32;
                self.hdr = hdr as u32;
                self.hcur = hcur as u32;
                self.pend = pend as u32;
                self.seg = seg;
                self.arm = arm;
                self.pres = pres;
                self.flags = flags;
                Ok(())
            }
        }
    }

    fn cursor_pos(&self, c: &Cursor, ctx: Ctx) -> TokenStream {
        self.pos(
            &ir::Loc {
                seg: c.seg,
                offset: c.off,
                run: None,
            },
            ctx,
        )
    }

    fn parse_items(&self, items: &[Item], cur: &mut Cursor) -> TokenStream {
        let mut out = Vec::new();
        for it in items {
            out.push(self.parse_item(it, cur));
        }
        quote!(#(#out)*)
    }

    /// Does a field need an explicit bounds check (is it outside the static prefix)?
    fn needs_check(&self, f: &ir::Field, end: u32) -> bool {
        !(f.static_offset.is_some() && end <= self.st.min_size)
    }

    fn parse_item(&self, it: &Item, cur: &mut Cursor) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let sname = &st.name;
        match it {
            Item::Segment(k) => {
                let s = format_ident!("s{}", k);
                let ki = usize_lit(*k as usize - 1);
                cur.seg = *k;
                cur.off = 0;
                quote! {
                    let #s: usize = pos;
                    // Field offsets in a header fit 16 bits; anything larger is not a header.
                    if pos > u16::MAX as usize {
                        return Err(#p::err(#sname, "", pos, #p::ErrorKind::LengthTooLarge { value: pos as u64, max: u16::MAX as u64 }));
                    }
                    seg[#ki] = pos as u16;
                }
            }
            Item::Let(_) => quote!(),
            Item::Require { cond, message } => {
                let c = self.int(cond, Ctx::Parse);
                let at = self.cursor_pos(cur, Ctx::Parse);
                quote! {
                    if (#c) == 0 {
                        return Err(#p::err(#sname, "", #at, #p::ErrorKind::Requirement(#message)));
                    }
                }
            }
            Item::Pad { align } => {
                let at = self.cursor_pos(cur, Ctx::Parse);
                let a = usize_lit(*align as usize);
                if cur.seg == 0 {
                    cur.off = cur.off.div_ceil(*align) * *align;
                }
                quote! {
                    pos = (#at).div_ceil(#a) * #a;
                    if pos > self_end.min(hdr_lim) {
                        return Err(#p::trunc(#sname, "", #at, pos, self_end.min(hdr_lim)));
                    }
                }
            }
            Item::Payload => {
                let at = self.cursor_pos(cur, Ctx::Parse);
                quote! {
                    let mut hdr: usize = #at;
                    let hcur: usize = hdr;
                    if hdr_lim != usize::MAX && hdr < hdr_lim {
                        hdr = hdr_lim;
                    }
                    let pend: usize = match pay_len {
                        Some(pl) => {
                            let e = hdr.saturating_add(pl);
                            if e > self_end {
                                flags |= 1;
                                self_end
                            } else {
                                if !whole_bounded { self_end = e; }
                                e
                            }
                        }
                        None => self_end,
                    };
                    let hdr = hdr.min(self_end);
                }
            }
            Item::Match { index, .. } if self.lazy.contains(index) => quote!(),
            Item::Match { index, discr, arms } => {
                let d = self.int(discr, Ctx::Parse);
                let start = *cur;
                let start_pos = self.cursor_pos(&start, Ctx::Parse);
                let i = usize_lit(*index as usize);
                let mut chain = Vec::new();
                let mut end = start;
                for (ai, a) in arms.iter().enumerate() {
                    let cond = pattern_cond(&a.patterns, quote!(d));
                    let mut c = start;
                    let body = self.parse_items(&a.body, &mut c);
                    let endp = self.cursor_pos(&c, Ctx::Parse);
                    end = c;
                    let an = ai as u8;
                    chain.push(quote! {
                        if #cond {
                            arm[#i] = #an;
                            #body
                            pos = #endp;
                        }
                    });
                }
                // When every arm ends at the same static place, keep counting from there.
                *cur = if arms.is_empty() { start } else { end };
                quote! {
                    let d: u64 = #d;
                    #(#chain else)* {
                        pos = #start_pos;
                    }
                }
            }
            Item::Field(fid) => self.parse_field(*fid, cur),
        }
    }

    fn own_cond(&self, f: &ir::Field) -> Option<u16> {
        match f.guards.last() {
            Some(Guard::Cond { index }) => Some(*index),
            _ => None,
        }
    }

    fn parse_field(&self, fid: usize, cur: &mut Cursor) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let f = &st.fields[fid];
        let sname = &st.name;
        let fname = &f.name;
        let Some(loc) = f.loc else {
            return quote!();
        };
        let start = self.pos(&loc, Ctx::Parse);
        let lim = quote!(self_end.min(hdr_lim));
        let body: TokenStream;
        let size_after: TokenStream;
        match (&f.ty, loc.run) {
            (_, Some(run)) => {
                let n = run.bytes as u32;
                let endoff = loc.offset + n;
                let check = if self.needs_check(f, endoff) || self.own_cond(f).is_some() {
                    let nl = usize_lit(n as usize);
                    quote! {
                        if #start + #nl > #lim {
                            return Err(#p::short(#sname, #fname, #start, #start + #nl, #lim, avail));
                        }
                    }
                } else {
                    quote!()
                };
                let mut reads = Vec::new();
                let mut stack = vec![fid];
                while let Some(x) = stack.pop() {
                    if self.parse_refs.contains(&x) {
                        if let Some(l) = st.fields[x].loc {
                            if let Some(r) = l.run {
                                let v = self.read_run(&r, &start, &quote!(buf));
                                let id = format_ident!("f{}", x);
                                reads.push(quote!(#id = #v;));
                            }
                        }
                    }
                    stack.extend(st.fields[x].children.iter().copied());
                }
                let mut validate = Vec::new();
                for x in std::iter::once(fid).chain(all_children(st, fid)) {
                    let fx = &st.fields[x];
                    let xname = &fx.name;
                    if let Init::Fixed(v) = fx.init {
                        let id = format_ident!("f{}", x);
                        let vl = u64_lit(v);
                        validate.push(quote! {
                            if #id != #vl {
                                return Err(#p::err(#sname, #xname, #start, #p::ErrorKind::BadFixed { expected: #vl, found: #id }));
                            }
                        });
                    }
                }
                for x in std::iter::once(fid).chain(all_children(st, fid)) {
                    let fx = &st.fields[x];
                    if let Type::Enum(e) = fx.ty {
                        let en = &self.g.schema.enums[e];
                        if en.closed {
                            let id = format_ident!("f{}", x);
                            let xname = &fx.name;
                            let known = pattern_cond(
                                &en.variants.iter().map(|v| (v.lo, v.hi)).collect::<Vec<_>>(),
                                quote!(#id),
                            );
                            validate.push(quote! {
                                if !#known {
                                    return Err(#p::err(#sname, #xname, #start, #p::ErrorKind::UnknownValue(#id)));
                                }
                            });
                        }
                    }
                }
                if let Some(bi) = self.bound_of.get(&fid) {
                    validate.push(self.bound_code(*bi, &start, n));
                }
                body = quote! { #check #(#reads)* #(#validate)* };
                size_after = usize_lit(n as usize);
                if loc.seg == cur.seg {
                    cur.off = cur.off.max(loc.offset + n);
                }
            }
            (Type::Mac | Type::Ipv4 | Type::Ipv6 | Type::Eui64, None) => {
                let n = match f.ty {
                    Type::Mac => 6u32,
                    Type::Ipv4 => 4,
                    Type::Ipv6 => 16,
                    _ => 8,
                };
                let nl = usize_lit(n as usize);
                let check = if self.needs_check(f, loc.offset + n) || self.own_cond(f).is_some() {
                    quote! {
                        if #start + #nl > #lim {
                            return Err(#p::short(#sname, #fname, #start, #start + #nl, #lim, avail));
                        }
                    }
                } else {
                    quote!()
                };
                let read = if self.parse_refs.contains(&fid) && n <= 8 {
                    let id = format_ident!("f{}", fid);
                    quote!(#id = #p::rd_be::<#nl>(buf, #start);)
                } else {
                    quote!()
                };
                body = quote!(#check #read);
                size_after = nl;
                if loc.seg == cur.seg {
                    cur.off = cur.off.max(loc.offset + n);
                }
            }
            (ty, None) => {
                let sz = format_ident!("sz{}", fid);
                let n = self.var_size(fid, ty, &start, &lim);
                body = quote! {
                    let n: usize = #n;
                    if #start + n > #lim {
                        return Err(#p::short(#sname, #fname, #start, #start + n, #lim, avail));
                    }
                    #sz = n;
                    pos = #start + n;
                };
                size_after = quote!(#sz);
            }
        }
        match self.own_cond(f) {
            Some(ci) => {
                let c = self.int(&st.conds[ci as usize], Ctx::Parse);
                let bit = ci as u32;
                quote! {
                    if (#c) != 0 {
                        pres[0] |= 1u64 << #bit;
                        #body
                        pos = #start + #size_after;
                    } else {
                        pos = #start;
                    }
                }
            }
            None => body,
        }
    }

    /// Size computation of a variable-size field in parse().
    fn var_size(
        &self,
        fid: usize,
        ty: &Type,
        start: &TokenStream,
        lim: &TokenStream,
    ) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let sname = &st.name;
        let fname = &st.fields[fid].name;
        let to_end = quote!(#lim.saturating_sub(#start));
        let elem_size = |t: &Type| -> Option<usize> {
            Some(match t {
                Type::UInt(b) | Type::Int(b) => (*b as usize).div_ceil(8),
                Type::Enum(e) => (self.g.schema.enums[*e].bits as usize).div_ceil(8),
                Type::Mac => 6,
                Type::Ipv4 => 4,
                Type::Ipv6 => 16,
                Type::Eui64 => 8,
                _ => return None,
            })
        };
        let bnd = |g: usize| {
            let id = format_ident!("bnd{}", g);
            quote!(#id)
        };
        match ty {
            Type::Bytes(sz) => match sz {
                ArraySize::Count(e) | ArraySize::Size(e) => {
                    let v = self.int(e, Ctx::Parse);
                    quote!((#v).min(usize::MAX as u64) as usize)
                }
                ArraySize::ToEnd | ArraySize::Until(_) => to_end,
                ArraySize::Bound(_) => {
                    let b = bnd(fid);
                    quote!(#b.unwrap_or(#to_end))
                }
            },
            Type::Array(elem, sz) => match (elem_size(elem), sz) {
                (Some(k), ArraySize::Count(e)) => {
                    let v = self.int(e, Ctx::Parse);
                    let k = u64_lit(k as u64);
                    quote!((#v).saturating_mul(#k).min(usize::MAX as u64) as usize)
                }
                (Some(k), sz) => {
                    let raw = match sz {
                        ArraySize::Size(e) => {
                            let v = self.int(e, Ctx::Parse);
                            quote!((#v).min(usize::MAX as u64) as usize)
                        }
                        ArraySize::Bound(_) => {
                            let b = bnd(fid);
                            let is_count = self
                                .st
                                .bounds
                                .iter()
                                .any(|b| b.measure == Measure::Count(fid));
                            if is_count {
                                let kl = usize_lit(k);
                                quote!(#b.map(|c| c.saturating_mul(#kl)).unwrap_or(#to_end))
                            } else {
                                quote!(#b.unwrap_or(#to_end))
                            }
                        }
                        _ => to_end.clone(),
                    };
                    let kl = usize_lit(k);
                    quote! {{
                        let n: usize = #raw;
                        if n % #kl != 0 {
                            return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::PartialElement));
                        }
                        n
                    }}
                }
                (None, sz) => {
                    let Type::Struct(es) = elem.as_ref() else {
                        return quote!(0usize);
                    };
                    let ep = self.g.struct_path(*es);
                    match sz {
                        ArraySize::ToEnd => to_end,
                        ArraySize::Size(e) => {
                            let v = self.int(e, Ctx::Parse);
                            quote!((#v).min(usize::MAX as u64) as usize)
                        }
                        ArraySize::Bound(_)
                            if !self
                                .st
                                .bounds
                                .iter()
                                .any(|b| b.measure == Measure::Count(fid)) =>
                        {
                            let b = bnd(fid);
                            quote!(#b.unwrap_or(#to_end))
                        }
                        _ => {
                            // Walk the elements: count- and predicate-bounded arrays.
                            let (limit, until) = match sz {
                                ArraySize::Count(e) => {
                                    let v = self.int(e, Ctx::Parse);
                                    (quote!(#v), quote!(false))
                                }
                                ArraySize::Bound(_) => {
                                    let b = bnd(fid);
                                    (
                                        quote!(#b.map(|c| c as u64).unwrap_or(u64::MAX)),
                                        quote!(false),
                                    )
                                }
                                ArraySize::Until(pred) => {
                                    let c = self.int(pred, Ctx::View);
                                    (quote!(u64::MAX), quote!((#c) != 0))
                                }
                                _ => (quote!(0u64), quote!(false)),
                            };
                            let is_until = matches!(sz, ArraySize::Until(_));
                            quote! {{
                                let lim_abs: usize = #lim;
                                let mut q: usize = #start;
                                let mut i: u64 = 0;
                                let want: u64 = #limit;
                                loop {
                                    if i >= want { break; }
                                    if !#is_until && q >= lim_abs && want == u64::MAX { break; }
                                    let rest = match buf.get(q..lim_abs) {
                                        Some(r) => r,
                                        None => return Err(#p::trunc(#sname, #fname, q, q + 1, lim_abs)),
                                    };
                                    let it = #ep::parse(rest).map_err(|e| e.add_offset(q as u32))?;
                                    let l = it.layer_len();
                                    if l == 0 {
                                        return Err(#p::err(#sname, #fname, q, #p::ErrorKind::ZeroLengthElement));
                                    }
                                    q += l;
                                    i += 1;
                                    if #until { break; }
                                }
                                q - #start
                            }}
                        }
                    }
                }
            },
            Type::Struct(es) => {
                let ep = self.g.struct_path(*es);
                quote! {{
                    let rest = #p::slice(buf, #start, #lim);
                    let it = #ep::parse(rest).map_err(|e| e.add_offset(#start as u32))?;
                    it.layer_len()
                }}
            }
            _ => quote!(0usize),
        }
    }

    /// Validation and region bounding for a derived field just read.
    fn bound_code(&self, bi: usize, start: &TokenStream, nbytes: u32) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let b = &st.bounds[bi];
        let sname = &st.name;
        let f = &st.fields[b.field];
        let fname = &f.name;
        let id = format_ident!("f{}", b.field);
        let ops = ops_tokens(&b.ops);
        let nb = usize_lit(nbytes as usize);
        let min = usize_lit(st.min_size as usize);
        // The inverse of the derivation, straight-line (constants folded).
        let fail = quote! {
            return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::LengthNotMultiple { value: #id, unit: 1 }))
        };
        let steps: Vec<TokenStream> = b
            .ops
            .iter()
            .rev()
            .map(|o| match o {
                ir::AffineOp::Add(c) => {
                    let c = u64_lit(*c);
                    quote!(let v = match v.checked_sub(#c) { Some(x) => x, None => { #fail } };)
                }
                ir::AffineOp::Sub(c) => {
                    let c = u64_lit(*c);
                    quote!(let v = match v.checked_add(#c) { Some(x) => x, None => { #fail } };)
                }
                ir::AffineOp::Mul(c) => {
                    let c = u64_lit(*c);
                    quote!(let v = if v % #c != 0 { #fail } else { v / #c };)
                }
                ir::AffineOp::Div(c) => {
                    let c = u64_lit(*c);
                    quote!(let v = match v.checked_mul(#c) { Some(x) => x, None => { #fail } };)
                }
            })
            .collect();
        let _ = &ops;
        let inv = quote! {
            let s: usize = {
                let v: u64 = #id;
                #(#steps)*
                v.min(usize::MAX as u64) as usize
            };
        };
        match b.measure {
            Measure::Size(Region::Whole) => quote! {
                #inv
                let need = (#start + #nb).max(#min);
                if s < need {
                    return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::LengthTooSmall { value: s as u64, min: need as u64 }));
                }
                whole_bounded = true;
                self_decl = s;
                if s > self_end {
                    if !LAYER_TRUNC {
                        return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::LengthTooLarge { value: s as u64, max: self_end as u64 }));
                    }
                    flags |= 1;
                } else {
                    self_end = s;
                }
            },
            Measure::Size(Region::Header) => quote! {
                #inv
                let need = (#start + #nb).max(#min);
                if s < need {
                    return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::LengthTooSmall { value: s as u64, min: need as u64 }));
                }
                if s > self_end {
                    if s <= self_decl {
                        return Err(#p::trunc(#sname, #fname, #start, s, self_end));
                    }
                    return Err(#p::err(#sname, #fname, #start, #p::ErrorKind::LengthTooLarge { value: s as u64, max: self_decl as u64 }));
                }
                hdr_lim = s;
            },
            Measure::Size(Region::Payload) => quote! {
                #inv
                pay_len = Some(s);
            },
            Measure::Size(Region::Field(g)) | Measure::Count(g) => {
                let bid = format_ident!("bnd{}", g);
                quote! {
                    #inv
                    #bid = Some(s);
                }
            }
        }
    }

    // ------------------------------------------------------------------ getters

    fn getters(&self) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let mut out = Vec::new();
        for (i, f) in st.fields.iter().enumerate() {
            let r = format_ident!("r{}", i);
            let pr = format_ident!("p{}", i);
            let ident = format_ident!("{}", f.ident);
            let pres = self.presence(&f.guards, Ctx::View);
            let guarded = !f.guards.is_empty();
            let doc = field_doc(f);
            out.push(quote! {
                #[doc(hidden)]
                #[inline]
                pub fn #pr(&self) -> bool { #pres }
            });
            match (&f.kind, &f.ty, f.loc) {
                (FieldKind::Let(ir::Expr::Bytes(reg)), _, _) => {
                    let sl = self.region_slice_view(*reg);
                    let span = format_ident!("span{}", i);
                    let st0 = self.region_start_view(*reg);
                    out.push(quote! {
                        #[doc(hidden)]
                        #[inline]
                        pub fn #span(&self) -> (usize, usize) {
                            if self.#pr() { let a: usize = #st0; (a, a + #sl.len()) } else { (0, 0) }
                        }
                    });
                    if guarded {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> Option<&'a [u8]> { if self.#pr() { Some(#sl) } else { None } }
                        });
                    } else {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> &'a [u8] { #sl }
                        });
                    }
                }
                (FieldKind::Let(e), ty, _) => {
                    let v = self.int(e, Ctx::View);
                    let t = self.g.scalar_ty(ty);
                    let conv = self.convert_raw(ty, quote!(self.#r()));
                    out.push(quote! {
                        #[doc(hidden)]
                        #[inline]
                        pub fn #r(&self) -> u64 { if self.#pr() { #v } else { 0 } }
                    });
                    if guarded {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> Option<#t> { if self.#pr() { Some(#conv) } else { None } }
                        });
                    } else {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> #t { #conv }
                        });
                    }
                }
                (_, ty, Some(loc)) if loc.run.is_some() => {
                    let run = loc.run.expect("run");
                    let pos = self.pos(&loc, Ctx::View);
                    let v = self.read_run(&run, &pos, &quote!(self.buf));
                    let t = self.g.scalar_ty(ty);
                    let conv = self.convert_raw(ty, quote!(self.#r()));
                    out.push(quote! {
                        #[doc(hidden)]
                        #[inline]
                        pub fn #r(&self) -> u64 { if self.#pr() { #v } else { 0 } }
                    });
                    if guarded {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> Option<#t> { if self.#pr() { Some(#conv) } else { None } }
                        });
                    } else {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> #t { #conv }
                        });
                    }
                }
                (_, Type::Mac | Type::Ipv4 | Type::Ipv6 | Type::Eui64, Some(loc)) => {
                    let pos = self.pos(&loc, Ctx::View);
                    let (t, val) = match f.ty {
                        Type::Mac => (
                            quote!(#p::MacAddr),
                            quote!(#p::MacAddr(#p::arr::<6>(self.buf, #pos))),
                        ),
                        Type::Ipv4 => (
                            quote!(#p::Ipv4Addr),
                            quote!(#p::Ipv4Addr::from(#p::arr::<4>(self.buf, #pos))),
                        ),
                        Type::Ipv6 => (
                            quote!(#p::Ipv6Addr),
                            quote!(#p::Ipv6Addr::from(#p::arr::<16>(self.buf, #pos))),
                        ),
                        _ => (
                            quote!(#p::Eui64),
                            quote!(#p::Eui64(#p::arr::<8>(self.buf, #pos))),
                        ),
                    };
                    let n = match f.ty {
                        Type::Mac => 6usize,
                        Type::Ipv4 => 4,
                        Type::Ipv6 => 16,
                        _ => 8,
                    };
                    let nl = usize_lit(n);
                    out.push(quote! {
                        #[doc(hidden)]
                        #[inline]
                        pub fn #r(&self) -> u64 { if self.#pr() { #p::rd_be::<#nl>(self.buf, #pos) } else { 0 } }
                    });
                    if guarded {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> Option<#t> { if self.#pr() { Some(#val) } else { None } }
                        });
                    } else {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> #t { #val }
                        });
                    }
                }
                (_, ty, Some(loc)) => {
                    let start = self.pos(&loc, Ctx::View);
                    let end = self.var_end(i);
                    let span = format_ident!("span{}", i);
                    out.push(quote! {
                        #[doc(hidden)]
                        #[inline]
                        pub fn #span(&self) -> (usize, usize) {
                            if self.#pr() { (#start, #end) } else { (0, 0) }
                        }
                    });
                    let (t, val) = self.var_getter(ty, &span);
                    if guarded {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> Option<#t> { if self.#pr() { Some(#val) } else { None } }
                        });
                    } else {
                        out.push(quote! {
                            #[doc = #doc]
                            #[inline]
                            pub fn #ident(&self) -> #t { #val }
                        });
                    }
                }
                _ => {}
            }
        }
        quote!(#(#out)*)
    }

    /// Type and value of a variable-size field's getter.
    fn var_getter(&self, ty: &Type, span: &Ident) -> (TokenStream, TokenStream) {
        let p = &self.g.p;
        match ty {
            Type::Bytes(_) => (
                quote!(&'a [u8]),
                quote!({ let (a, b) = self.#span(); #p::slice(self.buf, a, b) }),
            ),
            Type::Struct(s) => {
                let sp = self.g.struct_path(*s);
                (
                    quote!(Option<#sp<'a>>),
                    quote!({ let (a, b) = self.#span(); #sp::parse(#p::slice(self.buf, a, b)).ok() }),
                )
            }
            Type::Array(elem, _) => match elem.as_ref() {
                Type::Struct(s) => {
                    let sp = self.g.struct_path(*s);
                    (
                        quote!(#p::StructIter<'a, #sp<'a>>),
                        quote!({ let (a, b) = self.#span(); #p::StructIter::new(#p::slice(self.buf, a, b), a) }),
                    )
                }
                et => {
                    let (t, n, dec) = self.scalar_elem(et);
                    (
                        quote!(#p::ScalarIter<'a, #t>),
                        quote!({ let (a, b) = self.#span(); #p::ScalarIter::new(#p::slice(self.buf, a, b), #n, #dec) }),
                    )
                }
            },
            _ => (quote!(()), quote!(())),
        }
    }

    /// Rust type, size and decoder of a scalar array element.
    pub(crate) fn scalar_elem(&self, et: &Type) -> (TokenStream, TokenStream, TokenStream) {
        let p = &self.g.p;
        let little = self.st.endian == Endian::Little;
        match et {
            Type::Mac => (quote!(#p::MacAddr), quote!(6), quote!(#p::dec_mac)),
            Type::Ipv4 => (quote!(#p::Ipv4Addr), quote!(4), quote!(#p::dec_ipv4)),
            Type::Ipv6 => (quote!(#p::Ipv6Addr), quote!(16), quote!(#p::dec_ipv6)),
            Type::Eui64 => (quote!(#p::Eui64), quote!(8), quote!(#p::dec_eui64)),
            _ => {
                let bits = et.scalar_bits(&self.g.schema.enums).unwrap_or(8);
                let n = usize_lit((bits as usize).div_ceil(8));
                let dec = if little {
                    quote!(#p::dec_le)
                } else {
                    quote!(#p::dec_be)
                };
                (quote!(u64), n, dec)
            }
        }
    }

    // ------------------------------------------------------------------ checksums

    fn region_slice_view(&self, r: Region) -> TokenStream {
        let p = &self.g.p;
        match r {
            Region::Whole => quote!(#p::slice(self.buf, 0, self.end as usize)),
            Region::Header => quote!(#p::slice(self.buf, 0, self.hdr as usize)),
            Region::Payload => quote!(#p::slice(self.buf, self.hdr as usize, self.pend as usize)),
            Region::Field(f) => {
                let s = format_ident!("span{}", f);
                quote!({ let (a, b) = self.#s(); #p::slice(self.buf, a, b) })
            }
        }
    }

    fn region_start_view(&self, r: Region) -> TokenStream {
        match r {
            Region::Whole | Region::Header => quote!(0usize),
            Region::Payload => quote!((self.hdr as usize)),
            Region::Field(f) => {
                let s = format_ident!("span{}", f);
                quote!(self.#s().0)
            }
        }
    }

    pub(crate) fn checksum_fields(&self) -> Vec<(usize, &ir::Checksum)> {
        self.st
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.init {
                Init::Checksum(c) => Some((i, c)),
                _ => None,
            })
            .collect()
    }

    fn checksum_fns(&self) -> TokenStream {
        let p = &self.g.p;
        let mut out = Vec::new();
        for (fid, c) in self.checksum_fields() {
            let f = &self.st.fields[fid];
            let loc = f.loc.expect("checksum loc");
            let run = loc.run.expect("checksum run");
            let fpos = self.pos(&loc, Ctx::View);
            let nbytes = usize_lit(run.bytes as usize);
            let expected = format_ident!("{}_expected", f.ident);
            let status = format_ident!("{}_status", f.ident);
            let r = format_ident!("r{}", fid);
            let pr = format_ident!("p{}", fid);
            let init = checksummer(p, c.algo);
            let mut feeds = Vec::new();
            for piece in &c.cover {
                match piece {
                    ir::Expr::Bytes(reg) => {
                        let s = self.region_slice_view(*reg);
                        let st = self.region_start_view(*reg);
                        feeds.push(quote! {{
                            let s = #s;
                            let st: usize = #st;
                            let at = #fpos;
                            if at >= st && at < st + s.len() {
                                acc.feed_masked(s, at - st, #nbytes);
                            } else {
                                acc.feed(s);
                            }
                        }});
                    }
                    other => {
                        let sink = quote!(feed);
                        let code =
                            self.bytes(other, Ctx::View, &sink, &|r| self.region_slice_view(r));
                        feeds.push(quote! {{
                            let mut feed = |b: &[u8]| acc.feed(b);
                            #code
                        }});
                    }
                }
            }
            let zero = c.zero_means_none;
            let doc_e = format!("The checksum `{}` should hold, or `None` when it cannot be computed (truncated, no lower layer).", f.name);
            let doc_s = format!(
                "Verifies `{}` against the bytes (and the lower layer's pseudo-header).",
                f.name
            );
            let shift = run.shift as u32;
            let mask = u64_lit(if run.bits >= 64 {
                u64::MAX
            } else {
                (1u64 << run.bits) - 1
            });
            let _ = shift;
            out.push(quote! {
                #[doc = #doc_e]
                pub fn #expected(&self, under: &dyn super::Under) -> Option<u64> {
                    if self.is_truncated() || !self.#pr() {
                        return None;
                    }
                    let mut acc = #init;
                    #(#feeds)*
                    Some(acc.finish())
                }
                #[doc = #doc_s]
                pub fn #status(&self, under: &dyn super::Under) -> #p::ChecksumStatus {
                    let stored = self.#r();
                    if #zero && stored == 0 {
                        return #p::ChecksumStatus::NotPresent;
                    }
                    match self.#expected(under) {
                        None => #p::ChecksumStatus::Unverified,
                        Some(mut e) => {
                            if #zero && e == 0 { e = #mask; }
                            if e == stored { #p::ChecksumStatus::Good } else { #p::ChecksumStatus::Bad }
                        }
                    }
                }
            });
        }
        quote!(#(#out)*)
    }

    // ------------------------------------------------------------------ visit

    /// The arm a view took in match `index`: stored at parse, or decided
    /// now for a lazy match.
    pub(crate) fn arm_value(&self, index: u16) -> TokenStream {
        if self.lazy.contains(&index) {
            let m = format_ident!("lazy_arm{}", index);
            quote!(self.#m())
        } else {
            let i = usize_lit(index as usize);
            quote!(self.arm[#i])
        }
    }

    /// `lazy_arm{i}()` for every lazy match: the first arm whose patterns
    /// hold, `u8::MAX` for none (as parse records a match).
    fn lazy_arm_fns(&self) -> TokenStream {
        fn find<'i>(items: &'i [Item], out: &mut Vec<&'i Item>) {
            for it in items {
                if let Item::Match { arms, .. } = it {
                    out.push(it);
                    for a in arms {
                        find(&a.body, out);
                    }
                }
            }
        }
        let mut all = Vec::new();
        find(&self.st.body, &mut all);
        let mut out = Vec::new();
        for it in all {
            let Item::Match { index, discr, arms } = it else {
                continue;
            };
            if !self.lazy.contains(index) {
                continue;
            }
            let m = format_ident!("lazy_arm{}", index);
            let d = self.int(discr, Ctx::View);
            let chain: Vec<TokenStream> = arms
                .iter()
                .enumerate()
                .map(|(ai, a)| {
                    let cond = pattern_cond(&a.patterns, quote!(d));
                    let an = ai as u8;
                    quote!(if #cond { return #an; })
                })
                .collect();
            out.push(quote! {
                #[inline]
                #[allow(unused_comparisons, clippy::all)]
                fn #m(&self) -> u8 {
                    let d: u64 = #d;
                    #(#chain)*
                    u8::MAX
                }
            });
        }
        quote!(#(#out)*)
    }

    fn visit_fn(&self) -> TokenStream {
        let p = &self.g.p;
        let body = self.visit_items(&self.st.body);
        let lazy = self.lazy_arm_fns();
        // One arm per field: `visit_fields` reports only the fields asked
        // for (`-T fields` with a few columns), without walking the rest.
        let n = if self.is_layer {
            self.st.fields.len()
        } else {
            0
        };
        let arms: Vec<TokenStream> = (0..n)
            .map(|fid| {
                let i = fid as u16;
                // Sub-fields have indices of their own.
                let emit = self.visit_field_with(fid, false);
                quote!(#i => { #emit })
            })
            .collect();
        quote! {
            #lazy
            /// Like [`Self::visit`], for the fields at these indices of the
            /// field table only (sub-fields are not implied: they have indices
            /// of their own; a checksum brings its status), in the order given.
            #[allow(unused_variables)]
            pub fn visit_fields(&self, wanted: &[u16], base: u32, under: &dyn super::Under, verify: bool, v: &mut dyn #p::Visitor<'a>) {
                for &i in wanted {
                    match i {
                        #(#arms)*
                        _ => {}
                    }
                }
            }

            /// Reports every field in wire order to `v`; `base` is this layer's
            /// offset in the packet. Checksums are verified when `verify` is set
            /// or the schema verifies them by default.
            #[allow(unused_variables)]
            pub fn visit(&self, base: u32, under: &dyn super::Under, verify: bool, v: &mut dyn #p::Visitor<'a>) {
                #body
            }
        }
    }

    /// `visit_partial`: the fixed-position prefix of a layer that did not
    /// parse, up to the failing offset, with `let` values computed from it.
    fn partial_fn(&self) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let fs = self.fields_static();
        let mut out = Vec::new();
        let mut emitted: HashSet<usize> = HashSet::new();
        fn static_end(f: &ir::Field) -> Option<(u32, u32)> {
            let o = f.static_offset?;
            let n = match (f.loc?.run, &f.ty) {
                (Some(r), _) => r.bytes as u32,
                (None, Type::Mac) => 6,
                (None, Type::Ipv4) => 4,
                (None, Type::Ipv6) => 16,
                (None, Type::Eui64) => 8,
                _ => return None,
            };
            Some((o, o + n))
        }
        let value = |fid: usize| -> TokenStream {
            let f = &st.fields[fid];
            let raw = self.int(&ir::Expr::Field(fid), Ctx::Static);
            match (&f.kind, &f.ty) {
                (_, Type::UInt(_) | Type::Enum(_)) => quote!(#p::Value::UInt(#raw)),
                (_, Type::Int(b)) => {
                    let sh = 64 - *b as u32;
                    quote!(#p::Value::Int(((#raw << #sh) as i64) >> #sh))
                }
                (_, Type::Bool) => quote!(#p::Value::Bool(#raw != 0)),
                (FieldKind::Let(_), _) => quote!(#p::Value::None),
                (_, Type::Mac) => {
                    let o = usize_lit(f.static_offset.unwrap_or(0) as usize);
                    quote!(#p::Value::Mac(#p::arr::<6>(buf, #o)))
                }
                (_, Type::Ipv4) => {
                    let o = usize_lit(f.static_offset.unwrap_or(0) as usize);
                    quote!(#p::Value::Ipv4(#p::arr::<4>(buf, #o)))
                }
                (_, Type::Ipv6) => {
                    let o = usize_lit(f.static_offset.unwrap_or(0) as usize);
                    quote!(#p::Value::Ipv6(#p::arr::<16>(buf, #o)))
                }
                (_, Type::Eui64) => {
                    let o = usize_lit(f.static_offset.unwrap_or(0) as usize);
                    quote!(#p::Value::Eui64(#p::arr::<8>(buf, #o)))
                }
                _ => quote!(#p::Value::None),
            }
        };
        for it in &st.body {
            match it {
                Item::Field(fid) => {
                    let f = &st.fields[*fid];
                    let Some((o, e)) = static_end(f) else { break };
                    if !f.guards.is_empty() {
                        break;
                    }
                    let (ol, el) = (usize_lit(o as usize), usize_lit(e as usize));
                    let idx = usize_lit(*fid);
                    let val = value(*fid);
                    let mut kids = Vec::new();
                    let mut stack = f.children.clone();
                    stack.reverse();
                    while let Some(c) = stack.pop() {
                        let ci = usize_lit(c);
                        let cv = value(c);
                        kids.push(
                            quote!(v.field(&#fs[#ci], #cv, base + #ol as u32, (#el - #ol) as u32);),
                        );
                        emitted.insert(c);
                    }
                    emitted.insert(*fid);
                    out.push(quote! {
                        if #ol <= upto && #el <= buf.len() {
                            v.field(&#fs[#idx], #val, base + #ol as u32, (#el - #ol) as u32);
                            v.push();
                            #(#kids)*
                            v.pop();
                        }
                    });
                }
                Item::Let(fid) => {
                    let f = &st.fields[*fid];
                    let FieldKind::Let(e) = &f.kind else { continue };
                    if !f.guards.is_empty() || matches!(f.ty, Type::Bytes(_)) {
                        continue;
                    }
                    let mut refs = HashSet::new();
                    collect_refs(e, st, &mut refs);
                    if !refs.iter().all(|r| emitted.contains(r)) {
                        continue;
                    }
                    let needs: Vec<TokenStream> = refs
                        .iter()
                        .filter_map(|r| static_end(&st.fields[*r]))
                        .map(|(o, e)| {
                            let (ol, el) = (usize_lit(o as usize), usize_lit(e as usize));
                            quote!(#ol <= upto && #el <= buf.len())
                        })
                        .collect();
                    let idx = usize_lit(*fid);
                    let val = value(*fid);
                    out.push(quote! {
                        if true #(&& #needs)* {
                            v.field(&#fs[#idx], #val, base, 0);
                        }
                    });
                }
                Item::Require { .. } => {}
                _ => break,
            }
        }
        quote! {
            /// For bytes that did not parse: reports the fields at fixed
            /// offsets that were captured and start at or before `upto` (the
            /// failing field), and the computed values that depend only on them.
            #[allow(unused_variables, unused_comparisons)]
            pub fn visit_partial(buf: &'a [u8], base: u32, upto: usize, v: &mut dyn #p::Visitor<'a>) {
                #(#out)*
            }
        }
    }

    fn visit_items(&self, items: &[Item]) -> TokenStream {
        let mut out = Vec::new();
        for it in items {
            match it {
                Item::Field(f) => out.push(self.visit_field(*f)),
                Item::Let(f) => out.push(self.visit_field(*f)),
                Item::Match { index, arms, .. } => {
                    let mut chain = Vec::new();
                    for (ai, a) in arms.iter().enumerate() {
                        let an = ai as u8;
                        let b = self.visit_items(&a.body);
                        chain.push(quote!(#an => { #b }));
                    }
                    let arm = self.arm_value(*index);
                    out.push(quote! {
                        match #arm {
                            #(#chain)*
                            _ => {}
                        }
                    });
                }
                _ => {}
            }
        }
        quote!(#(#out)*)
    }

    /// Value expression (a `Value`) of a scalar field, in view context.
    pub(crate) fn value_of(&self, fid: usize) -> TokenStream {
        let p = &self.g.p;
        let f = &self.st.fields[fid];
        let r = format_ident!("r{}", fid);
        let pos = match f.loc {
            Some(l) => self.pos(&l, Ctx::View),
            None => quote!(0usize),
        };
        if matches!(f.kind, FieldKind::Let(_)) {
            // Computed addresses: the big-endian value of the expression.
            match &f.ty {
                Type::Mac => {
                    return quote!({ let b = self.#r().to_be_bytes(); #p::Value::Mac([b[2], b[3], b[4], b[5], b[6], b[7]]) })
                }
                Type::Ipv4 => return quote!(#p::Value::Ipv4((self.#r() as u32).to_be_bytes())),
                Type::Eui64 => return quote!(#p::Value::Eui64(self.#r().to_be_bytes())),
                _ => {}
            }
        }
        match &f.ty {
            Type::UInt(_) | Type::Enum(_) => quote!(#p::Value::UInt(self.#r())),
            Type::Int(b) => {
                let sh = 64 - *b as u32;
                quote!(#p::Value::Int(((self.#r() << #sh) as i64) >> #sh))
            }
            Type::Bool => quote!(#p::Value::Bool(self.#r() != 0)),
            Type::Mac => quote!(#p::Value::Mac(#p::arr::<6>(self.buf, #pos))),
            Type::Eui64 => quote!(#p::Value::Eui64(#p::arr::<8>(self.buf, #pos))),
            Type::Ipv4 => quote!(#p::Value::Ipv4(#p::arr::<4>(self.buf, #pos))),
            Type::Ipv6 => quote!(#p::Value::Ipv6(#p::arr::<16>(self.buf, #pos))),
            _ => quote!(#p::Value::None),
        }
    }

    fn visit_field(&self, fid: usize) -> TokenStream {
        self.visit_field_with(fid, true)
    }

    /// The visit code of one field; `children`: also its sub-fields.
    fn visit_field_with(&self, fid: usize, children: bool) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let f = &st.fields[fid];
        let fs = self.fields_static();
        let idx = usize_lit(fid);
        let pr = format_ident!("p{}", fid);
        let (off, len) = match f.loc {
            Some(loc) if loc.run.is_some() => {
                let pos = self.pos(&loc, Ctx::View);
                let n = loc.run.map(|r| r.bytes as usize).unwrap_or(0);
                (quote!((#pos) as u32), quote!(#n as u32))
            }
            Some(loc) => {
                let pos = self.pos(&loc, Ctx::View);
                let n: usize = match f.ty {
                    Type::Mac => 6,
                    Type::Ipv4 => 4,
                    Type::Ipv6 => 16,
                    Type::Eui64 => 8,
                    _ => 0,
                };
                if n > 0 {
                    (quote!((#pos) as u32), quote!(#n as u32))
                } else {
                    let span = format_ident!("span{}", fid);
                    (
                        quote!((self.#span().0) as u32),
                        quote!({ let (a, b) = self.#span(); (b - a) as u32 }),
                    )
                }
            }
            None => {
                // Computed: point at the parent's or first field's bytes.
                (quote!(0u32), quote!(0u32))
            }
        };
        let emit = match &f.ty {
            Type::Bytes(_) => {
                let span = format_ident!("span{}", fid);
                quote! {
                    let (a, b) = self.#span();
                    v.field(&#fs[#idx], #p::Value::Bytes(#p::slice(self.buf, a, b)), base + a as u32, (b - a) as u32);
                }
            }
            Type::Struct(s) => {
                let sp = self.g.struct_path(*s);
                let span = format_ident!("span{}", fid);
                let sd = self.desc_of(*s);
                quote! {
                    let (a, b) = self.#span();
                    if let Ok(e) = #sp::parse(#p::slice(self.buf, a, b)) {
                        v.field(&#sd, #p::Value::None, base + a as u32, (b - a) as u32);
                        v.push();
                        e.visit(base + a as u32, under, verify, v);
                        v.pop();
                    }
                }
            }
            Type::Array(elem, _) => {
                let span = format_ident!("span{}", fid);
                match elem.as_ref() {
                    Type::Struct(s) => {
                        let sp = self.g.struct_path(*s);
                        let sd = self.desc_of(*s);
                        quote! {
                            let (a, b) = self.#span();
                            if a < b {
                                v.field(&#fs[#idx], #p::Value::Bytes(#p::slice(self.buf, a, b)), base + a as u32, (b - a) as u32);
                                v.push();
                                let mut it = #p::StructIter::<#sp>::new(#p::slice(self.buf, a, b), a);
                                let mut q = a;
                                while let Some(e) = it.next() {
                                    let l = e.layer_len();
                                    v.field(&#sd, #p::Value::None, base + q as u32, l as u32);
                                    v.push();
                                    e.visit(base + q as u32, under, verify, v);
                                    v.pop();
                                    q += l;
                                }
                                v.pop();
                            }
                        }
                    }
                    et => {
                        let n = match et {
                            Type::Mac => 6usize,
                            Type::Ipv4 => 4,
                            Type::Ipv6 => 16,
                            Type::Eui64 => 8,
                            _ => (et.scalar_bits(&self.g.schema.enums).unwrap_or(8) as usize)
                                .div_ceil(8),
                        };
                        let little = self.st.endian == Endian::Little;
                        let val = match et {
                            Type::Mac => quote!(#p::Value::Mac(#p::arr::<6>(c, 0))),
                            Type::Ipv4 => quote!(#p::Value::Ipv4(#p::arr::<4>(c, 0))),
                            Type::Ipv6 => quote!(#p::Value::Ipv6(#p::arr::<16>(c, 0))),
                            Type::Eui64 => quote!(#p::Value::Eui64(#p::arr::<8>(c, 0))),
                            _ if little => quote!(#p::Value::UInt(#p::dec_le(c))),
                            _ => quote!(#p::Value::UInt(#p::dec_be(c))),
                        };
                        let nl = usize_lit(n);
                        quote! {
                            let (a, b) = self.#span();
                            let mut q = a;
                            for c in #p::slice(self.buf, a, b).chunks_exact(#nl) {
                                v.field(&#fs[#idx], #val, base + q as u32, #nl as u32);
                                q += #nl;
                            }
                        }
                    }
                }
            }
            _ => {
                let val = self.value_of(fid);
                let mut after = Vec::new();
                if children && !f.children.is_empty() {
                    let kids: Vec<TokenStream> =
                        f.children.iter().map(|c| self.visit_field(*c)).collect();
                    after.push(quote!(v.push(); #(#kids)* v.pop();));
                }
                if let Init::Checksum(c) = &f.init {
                    let ss = self.status_static();
                    let k = self
                        .checksum_fields()
                        .iter()
                        .position(|(x, _)| *x == fid)
                        .unwrap_or(0);
                    let kl = usize_lit(k);
                    let status = format_ident!("{}_status", f.ident);
                    let r0 = format_ident!("r{}", fid);
                    let vd = c.verify_default;
                    let zero = c.zero_means_none;
                    after.push(quote! {
                        let st = if verify || #vd || (#zero && self.#r0() == 0) { self.#status(under) } else { #p::ChecksumStatus::Unverified };
                        v.field(&#ss[#kl], #p::Value::UInt(st as u64), base + #off, #len);
                    });
                }
                quote! {
                    v.field(&#fs[#idx], #val, base + #off, #len);
                    #(#after)*
                }
            }
        };
        if f.hidden && !matches!(f.init, Init::Checksum(_)) && f.children.is_empty() {
            // Hidden fields are still reported (outputs skip them) so filters see them.
        }
        quote! {
            if self.#pr() {
                #emit
            }
        }
    }

    fn desc_of(&self, sid: usize) -> TokenStream {
        let s = &self.g.schema.structs[sid];
        let m = format_ident!("{}", self.g.schema.modules[s.module].name);
        let d = format_ident!("{}_DESC", s.name.to_uppercase());
        quote!(super::#m::#d)
    }

    // ------------------------------------------------------------------ validate / next

    fn validate_fn(&self) -> TokenStream {
        let p = &self.g.p;
        let mut checks = Vec::new();
        for (i, f) in self.st.fields.iter().enumerate() {
            let pr = format_ident!("p{}", i);
            let span = format_ident!("span{}", i);
            match &f.ty {
                Type::Array(elem, _) => {
                    if let Type::Struct(s) = elem.as_ref() {
                        let sp = self.g.struct_path(*s);
                        checks.push(quote! {
                            if self.#pr() {
                                let (a, b) = self.#span();
                                let mut it = #p::StructIter::<#sp>::new(#p::slice(self.buf, a, b), a);
                                let mut q = a;
                                while let Some(e) = it.next() {
                                    e.validate().map_err(|x| x.add_offset(q as u32))?;
                                    q += e.layer_len();
                                }
                                if let Some(err) = it.error() {
                                    return Err(err);
                                }
                            }
                        });
                    }
                }
                Type::Struct(s) => {
                    let sp = self.g.struct_path(*s);
                    checks.push(quote! {
                        if self.#pr() {
                            let (a, b) = self.#span();
                            let e = #sp::parse(#p::slice(self.buf, a, b)).map_err(|x| x.add_offset(a as u32))?;
                            e.validate().map_err(|x| x.add_offset(a as u32))?;
                        }
                    });
                }
                _ => {}
            }
        }
        quote! {
            /// Walks what `parse` left for later (elements of arrays bounded by a
            /// region) and returns the first error.
            pub fn validate(&self) -> Result<(), #p::Error> {
                #(#checks)*
                Ok(())
            }
        }
    }

    fn next_fn(&self) -> TokenStream {
        if !self.is_layer {
            return quote!();
        }
        let Some(pl) = &self.st.payload else {
            return quote! {
                /// Where the payload goes: this layer has none.
                pub fn next<F: Fn(super::TableId, u64) -> Option<super::LayerKind>>(&self, lookup: &F) -> super::Next {
                    super::Next::Raw
                }
            };
        };
        let mut tries = Vec::new();
        let mut first_table = None;
        for t in &pl.targets {
            match t {
                ir::Target::Raw => tries.push(quote!(return super::Next::Raw;)),
                ir::Target::Layer(s) => {
                    let k = format_ident!("{}", self.g.schema.structs[*s].name);
                    tries.push(quote!(return super::Next::Layer(super::LayerKind::#k, None);));
                }
                ir::Target::Table { table, keys } => {
                    let tv = super::glue::table_variant(&self.g.schema.tables[*table].name);
                    if first_table.is_none() {
                        first_table = Some(tv.clone());
                    }
                    for k in keys {
                        let kv = self.int(k, Ctx::View);
                        tries.push(quote! {
                            if let Some(l) = lookup(super::TableId::#tv, #kv) {
                                return super::Next::Layer(l, Some(super::TableId::#tv));
                            }
                        });
                    }
                }
            }
        }
        let guard = match &pl.cond {
            Some(c) => {
                let c = self.int(c, Ctx::View);
                quote!(if (#c) == 0 { return super::Next::Raw; })
            }
            None => quote!(),
        };
        let fallback = match first_table {
            Some(tv) => quote!(super::Next::Unbound(super::TableId::#tv)),
            None => quote!(super::Next::Raw),
        };
        quote! {
            /// Where the payload goes, through the dispatch tables (`lookup`).
            pub fn next<F: Fn(super::TableId, u64) -> Option<super::LayerKind>>(&self, lookup: &F) -> super::Next {
                #guard
                #(#tries)*
                #fallback
            }
        }
    }

    // ------------------------------------------------------------------ interfaces

    /// `impl Interface for View/Builder` from the struct's `fn` bodies.
    pub(crate) fn impl_fns(&self, ctx: Ctx) -> TokenStream {
        let mut by_iface: HashMap<usize, Vec<&ir::FnImpl>> = HashMap::new();
        for i in &self.st.impls {
            by_iface.entry(i.interface).or_default().push(i);
        }
        let mut out = Vec::new();
        let mut ifaces: Vec<_> = by_iface.into_iter().collect();
        ifaces.sort_by_key(|x| x.0);
        for (iid, fns) in ifaces {
            let ip = self.g.iface_path(iid);
            let iface = &self.g.schema.interfaces[iid];
            let mut bodies = Vec::new();
            for fi in fns {
                let f = &iface.fns[fi.func];
                let fname = format_ident!("{}", f.name);
                let params: Vec<TokenStream> = (0..f.params.len())
                    .map(|i| {
                        let a = format_ident!("a{}", i);
                        quote!(#a: u64)
                    })
                    .collect();
                let sink = quote!(out);
                let code = self.bytes(&fi.body, ctx, &sink, &|r| self.region_slice_view(r));
                bodies.push(quote! {
                    fn #fname(&self, #(#params,)* out: &mut dyn FnMut(&[u8])) {
                        #code
                    }
                });
            }
            let name = &self.name;
            let target = match ctx {
                Ctx::Builder => {
                    let b = format_ident!("{}Builder", self.st.name);
                    quote!(#b)
                }
                _ => quote!(#name<'_>),
            };
            out.push(quote! {
                impl #ip for #target {
                    #(#bodies)*
                }
            });
        }
        quote!(#(#out)*)
    }

    // ------------------------------------------------------------------ metadata

    fn metadata(&self) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let fs = self.fields_static();
        let n = usize_lit(st.fields.len());
        let descs: Vec<TokenStream> = st.fields.iter().map(|f| self.desc(f)).collect();
        let cks = self.checksum_fields();
        let ss = self.status_static();
        let nk = usize_lit(cks.len());
        let sdescs: Vec<TokenStream> = cks
            .iter()
            .map(|(fid, _)| {
                let f = &st.fields[*fid];
                let path = format!("{}.status", f.path);
                let name = format!("{}.status", f.name);
                let label = format!("{} status", f.label);
                quote! {
                    #p::FieldDesc {
                        name: #name, path: #path, aliases: &[], label: #label,
                        kind: #p::FieldKind::Status, bits: 8, base: #p::Base::Dec, hex_digits: 0,
                        unit: None, hidden: false, enum_label: Some(#p::status_label), static_loc: None,
                    }
                }
            })
            .collect();
        let sd = self.desc_static();
        let filter = &st.filter;
        let long = &st.long_name;
        let sname = &st.name;
        quote! {
            /// Field metadata, indexed like the schema's fields.
            pub static #fs: [#p::FieldDesc; #n] = [#(#descs),*];
            /// Checksum status pseudo-fields.
            pub static #ss: [#p::FieldDesc; #nk] = [#(#sdescs),*];
            /// Description of the struct itself (array elements, tree nodes).
            pub static #sd: #p::FieldDesc = #p::FieldDesc {
                name: #sname, path: #filter, aliases: &[], label: #long,
                kind: #p::FieldKind::Struct, bits: 0, base: #p::Base::Dec, hex_digits: 0,
                unit: None, hidden: false, enum_label: None, static_loc: None,
            };
        }
    }

    fn desc(&self, f: &ir::Field) -> TokenStream {
        let p = &self.g.p;
        let name = &f.name;
        let path = &f.path;
        let label = &f.label;
        let aliases = &f.aliases;
        let kind = match &f.ty {
            Type::UInt(_) => quote!(UInt),
            Type::Int(_) => quote!(Int),
            Type::Bool => quote!(Bool),
            Type::Enum(_) => quote!(Enum),
            Type::Mac => quote!(Mac),
            Type::Ipv4 => quote!(Ipv4),
            Type::Ipv6 => quote!(Ipv6),
            Type::Eui64 => quote!(Eui64),
            Type::Bytes(_) => quote!(Bytes),
            Type::Array(e, _) => match e.as_ref() {
                Type::Struct(_) => quote!(Bytes),
                Type::Mac => quote!(Mac),
                Type::Ipv4 => quote!(Ipv4),
                Type::Ipv6 => quote!(Ipv6),
                Type::Eui64 => quote!(Eui64),
                Type::Enum(_) => quote!(Enum),
                _ => quote!(UInt),
            },
            Type::Struct(_) => quote!(Struct),
        };
        let bits = match &f.ty {
            Type::Array(e, _) => e.scalar_bits(&self.g.schema.enums).unwrap_or(0),
            t => t.scalar_bits(&self.g.schema.enums).unwrap_or(0),
        }
        .min(255) as u8;
        let base = match f.display.base {
            ir::Base::Dec => quote!(Dec),
            ir::Base::Hex => quote!(Hex),
            ir::Base::DecHex => quote!(DecHex),
            ir::Base::HexDec => quote!(HexDec),
            ir::Base::Oct => quote!(Oct),
        };
        let hd = f.display.hex_digits;
        let unit = match &f.display.unit {
            Some(u) => quote!(Some(#u)),
            None => quote!(None),
        };
        let hidden = f.hidden;
        let en = match &f.ty {
            Type::Enum(e) => {
                let ep = self.g.enum_path(*e);
                quote!(Some(#ep::label_of))
            }
            _ => quote!(None),
        };
        let sl = match (f.static_offset, f.loc) {
            (Some(off), Some(loc)) if f.guards.is_empty() => {
                let (bytes, little, shift) = match loc.run {
                    Some(r) => (r.bytes, r.endian == Endian::Little, r.shift),
                    None => match f.ty {
                        Type::Mac => (6, false, 0),
                        Type::Ipv4 => (4, false, 0),
                        Type::Ipv6 => (16, false, 0),
                        Type::Eui64 => (8, false, 0),
                        _ => (0, false, 0),
                    },
                };
                if bytes == 0 {
                    quote!(None)
                } else {
                    quote!(Some(#p::StaticLoc { offset: #off, bytes: #bytes, little: #little, shift: #shift }))
                }
            }
            _ => quote!(None),
        };
        let _ = bits;
        let bits_l = proc_macro2::Literal::u8_suffixed(bits);
        quote! {
            #p::FieldDesc {
                name: #name, path: #path, aliases: &[#(#aliases),*], label: #label,
                kind: #p::FieldKind::#kind, bits: #bits_l, base: #p::Base::#base, hex_digits: #hd,
                unit: #unit, hidden: #hidden, enum_label: #en, static_loc: #sl,
            }
        }
    }

    // ------------------------------------------------------------------ mutable view

    fn mut_view(&self) -> TokenStream {
        let p = &self.g.p;
        let st = self.st;
        let name = &self.name;
        let mname = format_ident!("{}Mut", st.name);
        let nseg = usize_lit(st.segments as usize);
        let nmatch = usize_lit(st.matches as usize);
        let npres = usize_lit(usize::from(!st.conds.is_empty()));
        let mut setters = Vec::new();
        for (i, f) in st.fields.iter().enumerate() {
            let (Some(loc), FieldKind::Wire | FieldKind::Sub) = (f.loc, &f.kind) else {
                continue;
            };
            let set = format_ident!("set_{}", f.ident);
            let pr = format_ident!("p{}", i);
            let pos = self.pos(&loc, Ctx::View);
            let doc = format!(
                "Sets `{}` in place (no effect when the field is absent).",
                f.name
            );
            match (&f.ty, loc.run) {
                (ty, Some(run)) => {
                    let t = self.g.scalar_ty(ty);
                    let n = usize_lit(run.bytes as usize);
                    let little = run.endian == Endian::Little;
                    let (sh, bits) = (run.shift, run.bits);
                    let raw = match ty {
                        Type::Bool => quote!(v as u64),
                        Type::Enum(e) => {
                            let rt = Gen::uint_ty(self.g.schema.enums[*e].bits as u32);
                            quote!(u64::from(#rt::from(v)))
                        }
                        _ => quote!(v as u64),
                    };
                    setters.push(quote! {
                        #[doc = #doc]
                        pub fn #set(&mut self, v: #t) {
                            if self.view().#pr() {
                                let at = #pos;
                                #p::put_bits::<#n>(self.buf, at, #little, #sh, #bits, #raw);
                            }
                        }
                    });
                }
                (Type::Mac | Type::Ipv4 | Type::Ipv6 | Type::Eui64, None) => {
                    let (t, bytes) = match f.ty {
                        Type::Mac => (quote!(#p::MacAddr), quote!(v.0)),
                        Type::Eui64 => (quote!(#p::Eui64), quote!(v.0)),
                        Type::Ipv4 => (quote!(#p::Ipv4Addr), quote!(v.octets())),
                        _ => (quote!(#p::Ipv6Addr), quote!(v.octets())),
                    };
                    setters.push(quote! {
                        #[doc = #doc]
                        pub fn #set(&mut self, v: #t) {
                            if self.view().#pr() {
                                let at = #pos;
                                let b = #bytes;
                                if let Some(d) = self.buf.get_mut(at..at + b.len()) {
                                    d.copy_from_slice(&b);
                                }
                            }
                        }
                    });
                }
                _ => {}
            }
        }
        // fix_lengths: regions as laid out now.
        let mut fixes = Vec::new();
        for b in &st.bounds {
            let f = &st.fields[b.field];
            let Some(loc) = f.loc else { continue };
            let Some(run) = loc.run else { continue };
            let pr = format_ident!("p{}", b.field);
            let pos = self.pos(&loc, Ctx::View);
            let measure = match b.measure {
                Measure::Size(Region::Whole) => quote!((s.buf.len() as u64)),
                Measure::Size(Region::Header) => quote!((s.hdr as u64)),
                Measure::Size(Region::Payload) => quote!(((s.buf.len() - s.hdr as usize) as u64)),
                Measure::Size(Region::Field(g)) => {
                    let sp = format_ident!("span{}", g);
                    quote!({ let (a, b) = s.#sp(); (b - a) as u64 })
                }
                Measure::Count(g) => {
                    let gi = format_ident!("{}", st.fields[g].ident);
                    if st.fields[g].guards.is_empty() {
                        quote!((s.#gi().count() as u64))
                    } else {
                        quote!((s.#gi().map(|x| x.count()).unwrap_or(0) as u64))
                    }
                }
            };
            let ops = ops_tokens(&b.ops);
            let n = usize_lit(run.bytes as usize);
            let little = run.endian == Endian::Little;
            let (sh, bits) = (run.shift, run.bits);
            let sname = &st.name;
            let fname = &f.name;
            let maxv = u64_lit(if bits >= 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            });
            fixes.push(quote! {
                {
                    let s = self.view();
                    if s.#pr() {
                        let m: u64 = #measure;
                        let at = #pos;
                        let v = #p::derive_forward(m, &#ops).map_err(|(size, unit)| #p::BuildError::NotAligned { layer: #sname, field: #fname, size, unit })?;
                        if v > #maxv {
                            return Err(#p::BuildError::TooLarge { layer: #sname, field: #fname, value: v });
                        }
                        #p::put_bits::<#n>(self.buf, at, #little, #sh, #bits, v);
                    }
                }
            });
        }
        let mut cfix = Vec::new();
        for (fid, c) in self.checksum_fields() {
            let f = &st.fields[fid];
            let loc = f.loc.expect("loc");
            let run = loc.run.expect("run");
            let expected = format_ident!("{}_expected", f.ident);
            let pos = self.pos(&loc, Ctx::View);
            let n = usize_lit(run.bytes as usize);
            let little = run.endian == Endian::Little;
            let (sh, bits) = (run.shift, run.bits);
            let zero = c.zero_means_none;
            let maxv = u64_lit(if bits >= 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            });
            cfix.push(quote! {
                {
                    let s = self.view();
                    if let Some(mut e) = s.#expected(under) {
                        if #zero && e == 0 { e = #maxv; }
                        let at = #pos;
                        #p::put_bits::<#n>(self.buf, at, #little, #sh, #bits, e);
                    }
                }
            });
        }
        quote! {
            /// A mutable view: setters that write in place, and `fix_lengths` /
            /// `fix_checksums` to make derived fields agree with the bytes.
            #[derive(Debug)]
            pub struct #mname<'a> {
                buf: &'a mut [u8],
                end: u32,
                hdr: u32,
                hcur: u32,
                pend: u32,
                seg: [u16; #nseg],
                arm: [u8; #nmatch],
                pres: [u64; #npres],
                flags: u8,
            }

            impl<'a> #mname<'a> {
                /// Parses `buf` (exactly this layer's bytes, payload included) for editing.
                pub fn new(buf: &'a mut [u8]) -> Result<Self, #p::Error> {
                    let v = #name::parse(buf)?;
                    let (end, hdr, hcur, pend, seg, arm, pres, flags) = (v.end, v.hdr, v.hcur, v.pend, v.seg, v.arm, v.pres, v.flags);
                    Ok(Self { buf, end, hdr, hcur, pend, seg, arm, pres, flags })
                }
                /// A read-only view of the current bytes with the layout found by `new`.
                pub fn view(&self) -> #name<'_> {
                    #name { buf: &*self.buf, end: self.end, hdr: self.hdr, hcur: self.hcur, pend: self.pend, seg: self.seg, arm: self.arm, pres: self.pres, flags: self.flags }
                }
                /// The bytes.
                pub fn as_mut_bytes(&mut self) -> &mut [u8] {
                    self.buf
                }
                #(#setters)*
                /// Sets every derived length and count from the current layout
                /// (the whole buffer is this layer).
                pub fn fix_lengths(&mut self) -> Result<(), #p::BuildError> {
                    #(#fixes)*
                    Ok(())
                }
                /// Recomputes every checksum; `under` supplies pseudo-headers.
                pub fn fix_checksums(&mut self, under: &dyn super::Under) {
                    #(#cfix)*
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub seg: u16,
    pub off: u32,
}

fn all_children(st: &ir::Struct, fid: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = st.fields[fid].children.clone();
    while let Some(c) = stack.pop() {
        out.push(c);
        stack.extend(st.fields[c].children.iter().copied());
    }
    out
}

pub(crate) fn pattern_cond(pats: &[(u64, u64)], d: TokenStream) -> TokenStream {
    if pats.is_empty() {
        return quote!(true);
    }
    let parts: Vec<TokenStream> = pats
        .iter()
        .map(|(lo, hi)| {
            let l = u64_lit(*lo);
            if lo == hi {
                quote!(#d == #l)
            } else {
                let h = u64_lit(*hi);
                quote!((#d >= #l && #d <= #h))
            }
        })
        .collect();
    quote!((#(#parts)||*))
}

pub(crate) fn ops_tokens(ops: &[ir::AffineOp]) -> TokenStream {
    let items: Vec<TokenStream> = ops
        .iter()
        .map(|o| {
            let (k, c) = match o {
                ir::AffineOp::Add(c) => (0u8, *c),
                ir::AffineOp::Sub(c) => (1, *c),
                ir::AffineOp::Mul(c) => (2, *c),
                ir::AffineOp::Div(c) => (3, *c),
            };
            let c = u64_lit(c);
            quote!((#k, #c))
        })
        .collect();
    quote!([#(#items),*])
}

pub(crate) fn checksummer(p: &TokenStream, a: ir::Algo) -> TokenStream {
    match a {
        ir::Algo::Internet16 => quote!(#p::Checksummer::internet16()),
        ir::Algo::Crc32 => quote!(#p::Checksummer::crc32()),
        ir::Algo::Crc16Kermit => quote!(#p::Checksummer::crc16_kermit()),
        ir::Algo::Crc16Ccitt => quote!(#p::Checksummer::crc16_ccitt()),
        ir::Algo::Xor8 => quote!(#p::Checksummer::xor8()),
    }
}

fn field_doc(f: &ir::Field) -> String {
    let mut d = if f.doc.is_empty() {
        f.label.clone()
    } else {
        f.doc.join("\n")
    };
    d.push_str(&format!(" (`{}`)", f.path));
    d
}
