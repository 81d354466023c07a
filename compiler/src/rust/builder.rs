//! Owned builders: every field optional, lengths, counts, checksums and
//! table keys derived unless the user set them.

use super::expr::Ctx;
use super::view::{checksummer, ops_tokens, pattern_cond, StructGen};
use super::{u64_lit, usize_lit, Gen};
use crate::ast::Endian;
use crate::ir::{self, FieldKind, Init, Item, Measure, Region, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn mask(bits: u8) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// Default raw value of a scalar field (fixed value, `@default`, composed children, 0).
fn default_of(st: &ir::Struct, fid: usize) -> u64 {
    let f = &st.fields[fid];
    if let Init::Fixed(v) = f.init {
        return v;
    }
    if let Some(d) = f.default {
        return d;
    }
    let Some(run) = f.loc.and_then(|l| l.run) else {
        return 0;
    };
    let mut v = 0u64;
    for &c in &f.children {
        if let Some(cr) = st.fields[c].loc.and_then(|l| l.run) {
            let rel = cr.shift - run.shift;
            v |= (default_of(st, c) & mask(cr.bits)) << rel;
        }
    }
    v
}

/// Builder field type.
fn builder_ty(sg: &StructGen, f: &ir::Field) -> TokenStream {
    let g = sg.g;
    match &f.ty {
        Type::Bytes(_) => quote!(Option<Vec<u8>>),
        Type::Array(e, _) => match e.as_ref() {
            Type::Struct(s) => {
                let b = g.builder_path(*s);
                quote!(Vec<#b>)
            }
            et => {
                let (t, _, _) = sg.scalar_elem(et);
                quote!(Vec<#t>)
            }
        },
        Type::Struct(s) => {
            let b = g.builder_path(*s);
            quote!(Option<#b>)
        }
        ty => {
            let t = g.scalar_ty(ty);
            quote!(Option<#t>)
        }
    }
}

/// `u64` of a scalar builder value `v`.
fn to_u64(g: &Gen, ty: &Type, v: TokenStream) -> TokenStream {
    match ty {
        Type::Bool => quote!((#v as u64)),
        Type::Int(_) => quote!((#v as i64 as u64)),
        Type::Enum(e) => {
            let rt = Gen::uint_ty(g.schema.enums[*e].bits as u32);
            quote!((#rt::from(#v) as u64))
        }
        Type::Mac | Type::Eui64 => quote!(#v.0.iter().fold(0u64, |a, &b| (a << 8) | b as u64)),
        Type::Ipv4 => quote!((u32::from(#v) as u64)),
        Type::Ipv6 => quote!((u128::from(#v) as u64)),
        _ => quote!((#v as u64)),
    }
}

pub(crate) fn generate(sg: &StructGen) -> TokenStream {
    let g = sg.g;
    let p = &g.p;
    let st = sg.st;
    let bname = format_ident!("{}Builder", st.name);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut raws = Vec::new();
    let mut reflect = Vec::new();
    for (i, f) in st.fields.iter().enumerate() {
        let r = format_ident!("r{}", i);
        if let FieldKind::Let(e) = &f.kind {
            let v = sg.int(e, Ctx::Builder);
            raws.push(quote!(#[doc(hidden)] pub fn #r(&self) -> u64 { #v }));
            continue;
        }
        let ident = format_ident!("{}", f.ident);
        let ty = builder_ty(sg, f);
        let doc = format!(
            "{} (`{}`); `None` means default or derived.",
            f.label, f.path
        );
        fields.push(quote!(#[doc = #doc] pub #ident: #ty,));
        // Chainable setter.
        let sdoc = format!("Sets `{}`.", f.name);
        match &f.ty {
            Type::Bytes(_) => setters.push(quote! {
                #[doc = #sdoc]
                pub fn #ident(mut self, v: impl Into<Vec<u8>>) -> Self { self.#ident = Some(v.into()); self }
            }),
            Type::Array(..) => {
                let inner = builder_ty(sg, f);
                setters.push(quote! {
                    #[doc = #sdoc]
                    pub fn #ident(mut self, v: #inner) -> Self { self.#ident = v; self }
                });
            }
            Type::Struct(s) => {
                let b = g.builder_path(*s);
                setters.push(quote! {
                    #[doc = #sdoc]
                    pub fn #ident(mut self, v: #b) -> Self { self.#ident = Some(v); self }
                });
            }
            ty => {
                let t = g.scalar_ty(ty);
                setters.push(quote! {
                    #[doc = #sdoc]
                    pub fn #ident(mut self, v: impl Into<#t>) -> Self { self.#ident = Some(v.into()); self }
                });
            }
        }
        // Raw values for expressions, and composition of bits containers.
        let is_scalar = f.ty.is_integer();
        if is_scalar {
            let c = format_ident!("c{}", i);
            let d = u64_lit(default_of(st, i));
            let own = to_u64(g, &f.ty, quote!(x));
            let run = f.loc.and_then(|l| l.run);
            let mut kids = Vec::new();
            for &ch in &f.children {
                if let (Some(cr), Some(pr)) = (st.fields[ch].loc.and_then(|l| l.run), run) {
                    let rel = (cr.shift - pr.shift) as u32;
                    let m = u64_lit(mask(cr.bits));
                    let cc = format_ident!("c{}", ch);
                    kids.push(quote! {
                        let cb = (v >> #rel) & #m;
                        let cv = self.#cc(cb);
                        v = (v & !(#m << #rel)) | ((cv & #m) << #rel);
                    });
                }
            }
            raws.push(quote! {
                #[doc(hidden)]
                pub fn #c(&self, base: u64) -> u64 {
                    let mut v = match self.#ident { Some(x) => #own, None => base };
                    #(#kids)*
                    v
                }
            });
            match (f.parent, run) {
                (Some(par), Some(cr)) => {
                    let pr = st.fields[par].loc.and_then(|l| l.run).expect("parent run");
                    let rel = (cr.shift - pr.shift) as u32;
                    let m = u64_lit(mask(cr.bits));
                    let rp = format_ident!("r{}", par);
                    raws.push(quote! {
                        #[doc(hidden)]
                        pub fn #r(&self) -> u64 { (self.#rp() >> #rel) & #m }
                    });
                }
                _ => raws.push(quote! {
                    #[doc(hidden)]
                    pub fn #r(&self) -> u64 { self.#c(#d) }
                }),
            }
            // Reflection.
            let name = &f.name;
            let conv = sg.convert_raw(&f.ty, quote!(v));
            reflect.push(quote! {
                (#name, #p::SetValue::Int(v)) => { self.#ident = Some(#conv); true }
            });
        } else {
            let name = &f.name;
            match &f.ty {
                Type::Mac | Type::Eui64 | Type::Ipv4 | Type::Ipv6 => {
                    let (n, conv) = match f.ty {
                        Type::Mac => (6usize, quote!(#p::MacAddr(#p::arr::<6>(b, 0)))),
                        Type::Eui64 => (8, quote!(#p::Eui64(#p::arr::<8>(b, 0)))),
                        Type::Ipv4 => (4, quote!(#p::Ipv4Addr::from(#p::arr::<4>(b, 0)))),
                        _ => (16, quote!(#p::Ipv6Addr::from(#p::arr::<16>(b, 0)))),
                    };
                    let own = to_u64(g, &f.ty, quote!(x));
                    let _ = n;
                    raws.push(quote! {
                        #[doc(hidden)]
                        pub fn #r(&self) -> u64 { match self.#ident { Some(x) => #own, None => 0 } }
                    });
                    reflect.push(quote! {
                        (#name, #p::SetValue::Bytes(b)) if b.len() == #n => { self.#ident = Some(#conv); true }
                    });
                }
                Type::Bytes(_) => {
                    raws.push(quote!(#[doc(hidden)] pub fn #r(&self) -> u64 { 0 }));
                    reflect.push(quote! {
                        (#name, #p::SetValue::Bytes(b)) => { self.#ident = Some(b.to_vec()); true }
                    });
                }
                _ => raws.push(quote!(#[doc(hidden)] pub fn #r(&self) -> u64 { 0 })),
            }
        }
    }
    let trailer_field = if sg.is_layer {
        quote! {
            /// Bytes after the payload inside this layer (Ethernet padding, trailers).
            pub trailer: Vec<u8>,
            /// Header bytes after the last field, before the payload (covered by
            /// a header length but read by no field).
            pub header_extra: Vec<u8>,
        }
    } else {
        quote!()
    };
    // Arm selectors for matches.
    let mut arms = Vec::new();
    collect_matches(&st.body, &mut |index, discr, arm_list| {
        let a = format_ident!("arm{}", index);
        let d = sg.int(discr, Ctx::Builder);
        let mut chain = Vec::new();
        for (ai, arm) in arm_list.iter().enumerate() {
            let c = pattern_cond(&arm.patterns, quote!(d));
            let an = ai as u8;
            chain.push(quote!(if #c { return #an; }));
        }
        arms.push(quote! {
            #[doc(hidden)]
            pub fn #a(&self) -> u8 {
                let d: u64 = #d;
                #(#chain)*
                u8::MAX
            }
        });
    });
    // Reverse keys.
    let mut rkeys = Vec::new();
    for (t, f) in &st.reverse_keys {
        let tv = super::glue::table_variant(&g.schema.tables[*t].name);
        let fl = &st.fields[*f];
        let ident = format_ident!("{}", fl.ident);
        let conv = sg.convert_raw(&fl.ty, quote!(v));
        rkeys.push(quote! {
            if table == super::TableId::#tv && self.#ident.is_none() {
                self.#ident = Some(#conv);
            }
        });
    }
    let write = write_fn(sg);
    let impls = sg.impl_fns(Ctx::Builder);
    let doc = format!("Builder for `{}`: unset fields take defaults; lengths, counts, checksums and next-layer keys are derived.", st.name);
    let build_doc = "Serializes this layer alone (empty payload).";
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #bname {
            #(#fields)*
            #trailer_field
        }

        impl #bname {
            /// All fields unset.
            pub fn new() -> Self { Self::default() }
            #(#setters)*
            #(#raws)*
            #(#arms)*
            /// Sets the field that a payload dispatch through `table` reads,
            /// unless the user set it already (reverse binding).
            pub fn set_key(&mut self, table: super::TableId, v: u64) {
                #(#rkeys)*
            }
            /// Sets a field by schema name (reflection); false when the name or value does not fit.
            pub fn set(&mut self, name: &str, value: #p::SetValue<'_>) -> bool {
                match (name, value) {
                    #(#reflect)*
                    _ => false,
                }
            }
            #[doc = #build_doc]
            pub fn build(&self) -> Result<Vec<u8>, #p::BuildError> {
                let mut out = Vec::new();
                self.write_to(&mut out, &super::NoUnder, &mut |_| Ok(()))?;
                Ok(out)
            }
            #write
        }

        #impls
    }
}

fn collect_matches<'a>(items: &'a [Item], f: &mut dyn FnMut(u16, &'a ir::Expr, &'a [ir::Arm])) {
    for it in items {
        if let Item::Match { index, discr, arms } = it {
            f(*index, discr, arms);
            for a in arms {
                collect_matches(&a.body, f);
            }
        }
    }
}

fn write_fn(sg: &StructGen) -> TokenStream {
    let g = sg.g;
    let p = &g.p;
    let st = sg.st;
    let mut locals = Vec::new();
    for (i, f) in st.fields.iter().enumerate() {
        if matches!(f.init, Init::Derived(_) | Init::Checksum(_)) {
            let a = format_ident!("at{}", i);
            locals.push(quote!(let mut #a: usize = usize::MAX;));
        }
        if matches!(f.ty, Type::Bytes(_) | Type::Array(..) | Type::Struct(_)) {
            let s = format_ident!("sz{}", i);
            let c = format_ident!("cnt{}", i);
            locals.push(quote!(let mut #s: usize = 0; let mut #c: usize = 0;));
        }
    }
    let body = write_items(sg, &st.body);
    // Derived patches.
    let mut patches = Vec::new();
    for b in &st.bounds {
        let f = &st.fields[b.field];
        let Some(run) = f.loc.and_then(|l| l.run) else {
            continue;
        };
        let ident = format_ident!("{}", f.ident);
        let at = format_ident!("at{}", b.field);
        let measure = match b.measure {
            Measure::Size(Region::Whole) => quote!(((end - start) as u64)),
            Measure::Size(Region::Header) => quote!(((hdr_end - start) as u64)),
            Measure::Size(Region::Payload) => quote!(((pend - hdr_end) as u64)),
            Measure::Size(Region::Field(g)) => {
                let s = format_ident!("sz{}", g);
                quote!((#s as u64))
            }
            Measure::Count(g) => {
                let c = format_ident!("cnt{}", g);
                quote!((#c as u64))
            }
        };
        let ops = ops_tokens(&b.ops);
        let n = usize_lit(run.bytes as usize);
        let little = run.endian == Endian::Little;
        let (sh, bits) = (run.shift, run.bits);
        let sname = &st.name;
        let fname = &f.name;
        let maxv = u64_lit(mask(bits));
        patches.push(quote! {
            if self.#ident.is_none() && #at != usize::MAX {
                let m: u64 = #measure;
                let v = #p::derive_forward(m, &#ops).map_err(|(size, unit)| #p::BuildError::NotAligned { layer: #sname, field: #fname, size, unit })?;
                if v > #maxv {
                    return Err(#p::BuildError::TooLarge { layer: #sname, field: #fname, value: v });
                }
                #p::put_bits::<#n>(out, #at, #little, #sh, #bits, v);
            }
        });
    }
    // Checksums, after every derived value is in place.
    let mut sums = Vec::new();
    for (fid, c) in sg.checksum_fields() {
        let f = &st.fields[fid];
        let Some(run) = f.loc.and_then(|l| l.run) else {
            continue;
        };
        let ident = format_ident!("{}", f.ident);
        let at = format_ident!("at{}", fid);
        let init = checksummer(p, c.algo);
        let region = |r: Region| -> TokenStream {
            match r {
                Region::Whole => quote!(&out[start..end]),
                Region::Header => quote!(&out[start..hdr_end]),
                Region::Payload => quote!(&out[hdr_end..pend]),
                Region::Field(_) => quote!(&[]),
            }
        };
        let sink = quote!(feed);
        let feeds: Vec<TokenStream> = c
            .cover
            .iter()
            .map(|piece| sg.bytes(piece, Ctx::Write, &sink, &region))
            .collect();
        let n = usize_lit(run.bytes as usize);
        let little = run.endian == Endian::Little;
        let (sh, bits) = (run.shift, run.bits);
        let zero = c.zero_means_none;
        let maxv = u64_lit(mask(bits));
        sums.push(quote! {
            if self.#ident.is_none() && #at != usize::MAX {
                let cs: Option<u64> = (|| {
                    let mut acc = #init;
                    {
                        let mut feed = |b: &[u8]| acc.feed(b);
                        #(#feeds)*
                    }
                    Some(acc.finish())
                })();
                if let Some(mut v) = cs {
                    if #zero && v == 0 { v = #maxv; }
                    #p::put_bits::<#n>(out, #at, #little, #sh, #bits, v);
                }
            }
        });
    }
    quote! {
        /// Appends this layer to `out`; `payload` appends what follows the header
        /// (the next layers), `under` is the layer below (pseudo-headers).
        #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
        pub fn write_to(
            &self,
            out: &mut Vec<u8>,
            under: &dyn super::Under,
            payload: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), #p::BuildError>,
        ) -> Result<(), #p::BuildError> {
            let start = out.len();
            let mut hdr_end = usize::MAX;
            let mut pend = usize::MAX;
            let mut run: u64 = 0;
            let mut run_at: usize = 0;
            #(#locals)*
            #body
            let end = out.len();
            if hdr_end == usize::MAX {
                hdr_end = end;
                pend = end;
            }
            #(#patches)*
            #(#sums)*
            Ok(())
        }
    }
}

fn write_items(sg: &StructGen, items: &[Item]) -> TokenStream {
    let g = sg.g;
    let p = &g.p;
    let st = sg.st;
    let little_struct = st.endian == Endian::Little;
    let mut out = Vec::new();
    for it in items {
        match it {
            Item::Field(fid) => {
                let f = &st.fields[*fid];
                let ident = format_ident!("{}", f.ident);
                let mut code = match (&f.ty, f.loc.and_then(|l| l.run)) {
                    (_, Some(run)) => {
                        let first = run.shift as u32 + run.bits as u32 == run.bytes as u32 * 8;
                        let last = run.shift == 0;
                        let c = format_ident!("c{}", fid);
                        let d = u64_lit(default_of(st, *fid));
                        let m = u64_lit(mask(run.bits));
                        let sh = run.shift as u32;
                        let mut v = Vec::new();
                        if first {
                            v.push(quote!(run = 0; run_at = out.len();));
                        }
                        v.push(quote!(run |= (self.#c(#d) & #m) << #sh;));
                        if matches!(f.init, Init::Derived(_) | Init::Checksum(_)) {
                            let at = format_ident!("at{}", fid);
                            v.push(quote!(#at = run_at;));
                        }
                        if last {
                            let n = usize_lit(run.bytes as usize);
                            if run.endian == Endian::Little {
                                v.push(quote!(#p::push_le(out, #n, run);));
                            } else {
                                v.push(quote!(#p::push_be(out, #n, run);));
                            }
                        }
                        quote!(#(#v)*)
                    }
                    (Type::Mac | Type::Eui64, None) => {
                        let n = if f.ty == Type::Mac { 6usize } else { 8 };
                        quote!(out.extend_from_slice(&self.#ident.map(|a| a.0).unwrap_or([0u8; #n]));)
                    }
                    (Type::Ipv4, None) => {
                        quote!(out.extend_from_slice(&self.#ident.map(|a| a.octets()).unwrap_or([0u8; 4]));)
                    }
                    (Type::Ipv6, None) => {
                        quote!(out.extend_from_slice(&self.#ident.map(|a| a.octets()).unwrap_or([0u8; 16]));)
                    }
                    (Type::Bytes(size), None) => {
                        let sz = format_ident!("sz{}", fid);
                        match size {
                            // The layout fixes the size: an unset field is that many
                            // zero bytes, a set one must match it.
                            ir::ArraySize::Count(e) | ir::ArraySize::Size(e) => {
                                let want = sg.int(e, Ctx::Builder);
                                let lname = &st.name;
                                let fname = &f.name;
                                quote! {
                                    let want = (#want) as usize;
                                    match self.#ident.as_deref() {
                                        Some(b) if b.len() != want => {
                                            return Err(#p::BuildError::Length {
                                                layer: #lname,
                                                field: #fname,
                                                expected: want as u64,
                                                got: b.len() as u64,
                                            });
                                        }
                                        Some(b) => out.extend_from_slice(b),
                                        None => out.resize(out.len() + want, 0),
                                    }
                                    #sz = want;
                                }
                            }
                            _ => quote! {
                                let b: &[u8] = self.#ident.as_deref().unwrap_or(&[]);
                                #sz = b.len();
                                out.extend_from_slice(b);
                            },
                        }
                    }
                    (Type::Array(e, _), None) => {
                        let sz = format_ident!("sz{}", fid);
                        let cnt = format_ident!("cnt{}", fid);
                        let each = match e.as_ref() {
                            Type::Struct(_) => {
                                quote!(x.write_to(out, &super::NoUnder, &mut |_| Ok(()))?;)
                            }
                            Type::Mac | Type::Eui64 => quote!(out.extend_from_slice(&x.0);),
                            Type::Ipv4 | Type::Ipv6 => quote!(out.extend_from_slice(&x.octets());),
                            et => {
                                let n = usize_lit(
                                    (et.scalar_bits(&g.schema.enums).unwrap_or(8) as usize)
                                        .div_ceil(8),
                                );
                                if little_struct {
                                    quote!(#p::push_le(out, #n, *x);)
                                } else {
                                    quote!(#p::push_be(out, #n, *x);)
                                }
                            }
                        };
                        quote! {
                            let s0 = out.len();
                            for x in &self.#ident {
                                #each
                            }
                            #cnt = self.#ident.len();
                            #sz = out.len() - s0;
                        }
                    }
                    (Type::Struct(_), None) => {
                        let sz = format_ident!("sz{}", fid);
                        quote! {
                            let s0 = out.len();
                            if let Some(x) = &self.#ident {
                                x.write_to(out, &super::NoUnder, &mut |_| Ok(()))?;
                            }
                            #sz = out.len() - s0;
                        }
                    }
                    _ => quote!(),
                };
                if let Some(ir::Guard::Cond { .. }) = f.guards.last() {
                    // Arms are chosen by the enclosing match; only the
                    // field's own condition is checked here.
                    let c = sg.builder_presence(*fid, &f.guards[f.guards.len() - 1..]);
                    code = quote!(if #c { #code });
                }
                out.push(code);
            }
            Item::Match { index, arms, .. } => {
                let a = format_ident!("arm{}", index);
                let mut chain = Vec::new();
                for (ai, arm) in arms.iter().enumerate() {
                    let an = ai as u8;
                    let b = write_items(sg, &arm.body);
                    chain.push(quote!(#an => { #b }));
                }
                out.push(quote! {
                    match self.#a() {
                        #(#chain)*
                        _ => {}
                    }
                });
            }
            Item::Pad { align } => {
                let a = usize_lit(*align as usize);
                out.push(quote! {
                    while (out.len() - start) % #a != 0 {
                        out.push(0);
                    }
                });
            }
            Item::Payload => out.push(quote! {
                out.extend_from_slice(&self.header_extra);
                hdr_end = out.len();
                payload(out)?;
                out.extend_from_slice(&self.trailer);
                pend = out.len();
            }),
            Item::Segment(_) | Item::Let(_) | Item::Require { .. } => {}
        }
    }
    quote!(#(#out)*)
}

/// `to_builder()` on the view: every wire value set explicitly, so building
/// reproduces the parsed bytes.
pub(crate) fn to_builder(sg: &StructGen) -> TokenStream {
    let g = sg.g;
    let p = &g.p;
    let st = sg.st;
    let bname = format_ident!("{}Builder", st.name);
    let mut sets = Vec::new();
    for (i, f) in st.fields.iter().enumerate() {
        if f.kind != FieldKind::Wire {
            continue;
        }
        let ident = format_ident!("{}", f.ident);
        let pr = format_ident!("p{}", i);
        let r = format_ident!("r{}", i);
        let Some(loc) = f.loc else { continue };
        let pos = sg.pos(&loc, Ctx::View);
        let set = match &f.ty {
            Type::Mac => quote!(b.#ident = Some(#p::MacAddr(#p::arr::<6>(self.buf, #pos)));),
            Type::Eui64 => quote!(b.#ident = Some(#p::Eui64(#p::arr::<8>(self.buf, #pos)));),
            Type::Ipv4 => {
                quote!(b.#ident = Some(#p::Ipv4Addr::from(#p::arr::<4>(self.buf, #pos)));)
            }
            Type::Ipv6 => {
                quote!(b.#ident = Some(#p::Ipv6Addr::from(#p::arr::<16>(self.buf, #pos)));)
            }
            Type::Bytes(_) => {
                let span = format_ident!("span{}", i);
                quote!({ let (x, y) = self.#span(); b.#ident = Some(#p::slice(self.buf, x, y).to_vec()); })
            }
            Type::Array(e, _) => {
                let span = format_ident!("span{}", i);
                match e.as_ref() {
                    Type::Struct(s) => {
                        let sp = g.struct_path(*s);
                        quote! {{
                            let (x, y) = self.#span();
                            b.#ident = #p::StructIter::<#sp>::new(#p::slice(self.buf, x, y), x).map(|e| e.to_builder()).collect();
                        }}
                    }
                    et => {
                        let (_, n, dec) = sg.scalar_elem(et);
                        quote! {{
                            let (x, y) = self.#span();
                            b.#ident = #p::ScalarIter::new(#p::slice(self.buf, x, y), #n, #dec).collect();
                        }}
                    }
                }
            }
            Type::Struct(s) => {
                let sp = g.struct_path(*s);
                let span = format_ident!("span{}", i);
                quote! {{
                    let (x, y) = self.#span();
                    b.#ident = #sp::parse(#p::slice(self.buf, x, y)).ok().map(|e| e.to_builder());
                }}
            }
            ty => {
                let conv = sg.convert_raw(ty, quote!(self.#r()));
                quote!(b.#ident = Some(#conv);)
            }
        };
        sets.push(quote!(if self.#pr() { #set }));
    }
    let extra = if sg.is_layer {
        quote!(b.header_extra = self.header_extra().to_vec();)
    } else {
        quote!()
    };
    quote! {
        /// A builder holding every value of this view, derived fields included,
        /// so that building gives back the same bytes.
        pub fn to_builder(&self) -> #bname {
            let mut b = #bname::default();
            #(#sets)*
            #extra
            b
        }
    }
}
