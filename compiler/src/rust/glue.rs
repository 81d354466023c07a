//! Code over the whole schema: layer kinds, table lookups (static dispatch),
//! `AnyLayer`/`AnyBuilder`, and the `Under` context for pseudo-headers.

use super::Gen;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `ip.proto` → `IpProto`.
pub(crate) fn table_variant(name: &str) -> Ident {
    let mut out = String::new();
    for part in name.split(['.', '_']) {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(c);
        }
    }
    format_ident!("{}", out)
}

pub(crate) fn generate(g: &Gen) -> TokenStream {
    let p = &g.p;
    let s = g.schema;
    // Tables.
    let tvars: Vec<Ident> = s.tables.iter().map(|t| table_variant(&t.name)).collect();
    let tnames: Vec<&String> = s.tables.iter().map(|t| &t.name).collect();
    let tprotos: Vec<TokenStream> = s
        .tables
        .iter()
        .map(|t| match &t.protocol {
            Some(p) => quote!(Some(#p)),
            None => quote!(None),
        })
        .collect();
    // Layers.
    let layers: Vec<(usize, &crate::ir::Struct)> = s.layers().collect();
    let kinds: Vec<Ident> = layers
        .iter()
        .map(|(_, l)| format_ident!("{}", l.name))
        .collect();
    let names: Vec<&String> = layers.iter().map(|(_, l)| &l.name).collect();
    let filters: Vec<&String> = layers.iter().map(|(_, l)| &l.filter).collect();
    let longs: Vec<&String> = layers.iter().map(|(_, l)| &l.long_name).collect();
    let shorts: Vec<String> = layers
        .iter()
        .map(|(_, l)| {
            l.layer
                .as_ref()
                .map(|m| m.short_name.clone())
                .unwrap_or_default()
        })
        .collect();
    let infos: Vec<TokenStream> = layers
        .iter()
        .map(
            |(_, l)| match l.layer.as_ref().and_then(|m| m.info.clone()) {
                Some(i) => quote!(Some(#i)),
                None => quote!(None),
            },
        )
        .collect();
    // Templates as static parts (validated by the analyzer; an unparsable one
    // renders as nothing).
    let parts = |t: &Option<String>| -> TokenStream {
        match t.as_deref().map(crate::template::parse) {
            Some(Ok(ps)) => {
                let ps = template_parts(&ps, p);
                quote!(Some(&[#(#ps),*]))
            }
            _ => quote!(None),
        }
    };
    let info_parts: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| parts(&l.layer.as_ref().and_then(|m| m.info.clone())))
        .collect();
    let title_parts: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| parts(&l.layer.as_ref().and_then(|m| m.title.clone())))
        .collect();
    let atomics: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| match l.layer.as_ref().and_then(|m| m.atomic) {
            Some((a, b)) => {
                let m = format_ident!("{}", s.modules[l.module].name);
                let f = format_ident!("{}_FIELDS", l.name.to_uppercase());
                quote!(Some((&#m::#f[#a], &#m::#f[#b])))
            }
            None => quote!(None),
        })
        .collect();
    let top = |l: &crate::ir::Struct, suffix: &str| -> TokenStream {
        let m = format_ident!("{}", s.modules[l.module].name);
        let n = format_ident!("{}{}", l.name, suffix);
        quote!(#m::#n)
    };
    let paths: Vec<TokenStream> = layers.iter().map(|(_, l)| top(l, "")).collect();
    let bpaths: Vec<TokenStream> = layers.iter().map(|(_, l)| top(l, "Builder")).collect();
    let fstatics: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| {
            let m = format_ident!("{}", s.modules[l.module].name);
            let f = format_ident!("{}_FIELDS", l.name.to_uppercase());
            quote!(&#m::#f)
        })
        .collect();
    let sstatics: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| {
            let m = format_ident!("{}", s.modules[l.module].name);
            let f = format_ident!("{}_STATUS", l.name.to_uppercase());
            quote!(&#m::#f)
        })
        .collect();
    // `@bad_length` experts: one table per layer (the desc's `name` is the
    // length field's).
    let mut bad_statics = Vec::new();
    let bad_tables: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| {
            let bl = l.layer.as_ref().map(|m| m.bad_length.clone()).unwrap_or_default();
            let id = format_ident!("BAD_LENGTH_{}", l.name.to_uppercase());
            let n = bl.len();
            let descs: Vec<TokenStream> = bl
                .iter()
                .map(|b| {
                    let name = &l.fields[b.field].name;
                    let (path, label) = (&b.path, &b.label);
                    quote! {
                        #p::FieldDesc {
                            name: #name, path: #path, aliases: &[], label: #label,
                            kind: #p::FieldKind::Marker, bits: 0, base: #p::Base::Dec, hex_digits: 0,
                            unit: None, hidden: false, enum_label: None, static_loc: None,
                        }
                    }
                })
                .collect();
            bad_statics.push(quote! {
                static #id: [#p::FieldDesc; #n] = [#(#descs),*];
            });
            quote!(&#id)
        })
        .collect();
    let dstatics: Vec<TokenStream> = layers
        .iter()
        .map(|(_, l)| {
            let m = format_ident!("{}", s.modules[l.module].name);
            let f = format_ident!("{}_DESC", l.name.to_uppercase());
            quote!(&#m::#f)
        })
        .collect();
    // Static dispatch: one match per table.
    let mut lookup_arms = Vec::new();
    let mut bind_arms = Vec::new();
    for (ti, tv) in tvars.iter().enumerate() {
        let mut arms = Vec::new();
        // Builders fill a table key from the first bind of a layer.
        let mut reverse_done = std::collections::HashSet::new();
        for b in s.binds.iter().filter(|b| b.table == ti) {
            let k = format_ident!("{}", s.structs[b.layer].name);
            for (lo, hi) in &b.keys {
                let lo_l = super::u64_lit(*lo);
                if lo == hi {
                    arms.push(quote!(#lo_l => Some(LayerKind::#k),));
                } else {
                    let hi_l = super::u64_lit(*hi);
                    arms.push(quote!(#lo_l..=#hi_l => Some(LayerKind::#k),));
                }
            }
            if let Some((lo, _)) = b.keys.first().filter(|_| reverse_done.insert(b.layer)) {
                let lo_l = super::u64_lit(*lo);
                bind_arms.push(quote!((TableId::#tv, LayerKind::#k) => Some(#lo_l),));
            }
        }
        lookup_arms.push(quote! {
            TableId::#tv => match key {
                #(#arms)*
                _ => None,
            },
        });
    }
    // Interfaces.
    let mut under_methods = Vec::new();
    let mut stack_methods = Vec::new();
    let mut bstack_methods = Vec::new();
    let mut any_iface = Vec::new();
    let mut build_iface = Vec::new();
    for (ii, _) in s.interfaces.iter().enumerate() {
        let m = g.under_method(ii);
        let ip = g.iface_path(ii).to_string().replace("super :: ", "");
        let ip: TokenStream = ip.parse().unwrap_or_default();
        under_methods.push(quote! {
            /// The nearest lower layer implementing this interface.
            fn #m(&self) -> Option<&dyn #ip> { None }
        });
        let mut arms = Vec::new();
        let mut barms = Vec::new();
        for (li, l) in &layers {
            if l.impls.iter().any(|x| x.interface == ii) {
                let k = format_ident!("{}", l.name);
                arms.push(quote!(AnyLayer::#k(x) => Some(x as &dyn #ip),));
                barms.push(quote!(AnyBuilder::#k(x) => Some(x as &dyn #ip),));
            }
            let _ = li;
        }
        let am = format_ident!("as_{}", g.under_method(ii));
        stack_methods.push(quote! {
            fn #m(&self) -> Option<&dyn #ip> {
                self.0.iter().rev().find_map(|x| x.as_ref().#am())
            }
        });
        bstack_methods.push(quote! {
            fn #m(&self) -> Option<&dyn #ip> {
                self.0.iter().rev().find_map(|x| x.as_ref().#am())
            }
        });
        any_iface.push(quote! {
            /// This layer as an implementation of the interface, when it is one.
            pub fn #am(&self) -> Option<&dyn #ip> {
                match self {
                    #(#arms)*
                    _ => None,
                }
            }
        });
        build_iface.push(quote! {
            /// This builder as an implementation of the interface, when it is one.
            pub fn #am(&self) -> Option<&dyn #ip> {
                match self {
                    #(#barms)*
                    _ => None,
                }
            }
        });
    }
    let all_names: Vec<&String> = s.structs.iter().map(|x| &x.name).collect();
    let all_tables: Vec<TokenStream> = s
        .structs
        .iter()
        .flat_map(|x| {
            let m = format_ident!("{}", s.modules[x.module].name);
            let f = format_ident!("{}_FIELDS", x.name.to_uppercase());
            let st = format_ident!("{}_STATUS", x.name.to_uppercase());
            [quote!(&#m::#f), quote!(&#m::#st)]
        })
        .collect();
    let all_descs: Vec<TokenStream> = s
        .structs
        .iter()
        .map(|x| {
            let m = format_ident!("{}", s.modules[x.module].name);
            let d = format_ident!("{}_DESC", x.name.to_uppercase());
            quote!(&#m::#d)
        })
        .collect();
    let all_paths: Vec<TokenStream> = s.structs.iter().map(|x| top(x, "")).collect();
    let all_bpaths: Vec<TokenStream> = s.structs.iter().map(|x| top(x, "Builder")).collect();
    let addr_arms: Vec<TokenStream> = kinds
        .iter()
        .map(|k| quote!(AnyLayer::#k(x) => x.addresses(),))
        .collect();
    let nlayers = layers.len();
    quote! {
        /// The dispatch tables declared by the schemas.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum TableId {
            #(#[doc = #tnames] #tvars,)*
        }

        impl TableId {
            /// Every table.
            pub const ALL: &'static [TableId] = &[#(TableId::#tvars),*];
            /// The table's schema name (`ip.proto`).
            pub fn name(self) -> &'static str {
                match self { #(TableId::#tvars => #tnames,)* }
            }
            /// Finds a table by schema name.
            pub fn from_name(n: &str) -> Option<TableId> {
                match n { #(#tnames => Some(TableId::#tvars),)* _ => None }
            }
            /// The pseudo-protocol shown in protocol paths for payloads that
            /// pass through this table (`table ethertype : … (protocol = "ethertype")`).
            pub fn protocol(self) -> Option<&'static str> {
                match self { #(TableId::#tvars => #tprotos,)* }
            }
        }

        /// Every layer the schemas declare.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum LayerKind {
            #(#[doc = #longs] #kinds,)*
        }

        impl LayerKind {
            /// Every layer.
            pub const ALL: &'static [LayerKind] = &[#(LayerKind::#kinds),*];
            /// Number of layers.
            pub const COUNT: usize = #nlayers;
            /// Schema name (`Ipv4`).
            pub fn name(self) -> &'static str { match self { #(LayerKind::#kinds => #names,)* } }
            /// Protocol filter name (`ip`).
            pub fn filter(self) -> &'static str { match self { #(LayerKind::#kinds => #filters,)* } }
            /// Long name.
            pub fn long_name(self) -> &'static str { match self { #(LayerKind::#kinds => #longs,)* } }
            /// Short name for summaries (`IPv4`).
            pub fn short_name(self) -> &'static str { match self { #(LayerKind::#kinds => #shorts,)* } }
            /// Summary template.
            pub fn info_template(self) -> Option<&'static str> { match self { #(LayerKind::#kinds => #infos,)* } }
            /// The summary-line template, parsed.
            pub fn info_parts(self) -> Option<&'static [#p::TemplatePart]> { match self { #(LayerKind::#kinds => #info_parts,)* } }
            /// The tree-title template (`title = "…"`), parsed; `None`: show the addresses.
            pub fn title_parts(self) -> Option<&'static [#p::TemplatePart]> { match self { #(LayerKind::#kinds => #title_parts,)* } }
            /// `atomic = (first, last)`: when the capture ends before `last`
            /// does, nothing from `first` on is shown.
            pub fn atomic(self) -> Option<(&'static #p::FieldDesc, &'static #p::FieldDesc)> { match self { #(LayerKind::#kinds => #atomics,)* } }
            /// The experts of `@bad_length` fields (each desc's `name` is its
            /// length field's).
            pub fn bad_length(self) -> &'static [#p::FieldDesc] { match self { #(LayerKind::#kinds => #bad_tables,)* } }
            /// Field metadata.
            pub fn fields(self) -> &'static [#p::FieldDesc] { match self { #(LayerKind::#kinds => #fstatics,)* } }
            /// Checksum status pseudo-fields.
            pub fn status_fields(self) -> &'static [#p::FieldDesc] { match self { #(LayerKind::#kinds => #sstatics,)* } }
            /// Description of the layer itself.
            pub fn desc(self) -> &'static #p::FieldDesc { match self { #(LayerKind::#kinds => #dstatics,)* } }
            /// Finds a layer by schema name.
            pub fn from_name(n: &str) -> Option<LayerKind> { match n { #(#names => Some(LayerKind::#kinds),)* _ => None } }
            /// Index in [`LayerKind::ALL`].
            pub fn index(self) -> usize { self as usize }
        }

        /// Every field description of every struct and layer (field tables and
        /// checksum status tables).
        pub static FIELD_TABLES: &[&[#p::FieldDesc]] = &[#(#all_tables,)* #(#bad_tables),*];

        #(#bad_statics)*

        /// The description of every struct and layer itself.
        pub static STRUCT_DESCS: &[&#p::FieldDesc] = &[#(#all_descs),*];

        /// Static dispatch: the layer bound to `key` in `table`.
        pub fn lookup(table: TableId, key: u64) -> Option<LayerKind> {
            match table {
                #(#lookup_arms)*
            }
        }

        /// The key a builder writes when `layer` is stacked on a dispatch through `table`.
        pub fn bind_key(table: TableId, layer: LayerKind) -> Option<u64> {
            match (table, layer) {
                #(#bind_arms)*
                _ => None,
            }
        }

        /// What parsing one layer tells the dissector: how far the header goes,
        /// how long the payload is, and where it goes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Step {
            /// Header length.
            pub header_len: usize,
            /// Payload length (it starts at `header_len`).
            pub payload_len: usize,
            /// Where the payload goes.
            pub next: Next,
        }

        /// Where a layer's payload goes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Next {
            /// Undissected data: the table was asked and has nothing bound to the key.
            Unbound(TableId),
            /// Another layer, and the table that chose it (`None` for a fixed layer).
            Layer(LayerKind, Option<TableId>),
            /// Undissected data.
            Raw,
        }

        /// What the layers below offer to the one being parsed or built
        /// (pseudo-headers for checksums).
        pub trait Under {
            #(#under_methods)*
        }

        /// No lower layer.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct NoUnder;
        impl Under for NoUnder {}

        /// Parsed layers below the current one (outermost first) as its `Under` context.
        #[derive(Clone, Copy, Debug)]
        pub struct Stack<'s, T>(pub &'s [T]);
        impl<'s, 'a: 's, T: AsRef<AnyLayer<'a>>> Under for Stack<'s, T> {
            #(#stack_methods)*
        }

        /// Builders below the current one (outermost first) as its `Under` context.
        #[derive(Clone, Copy, Debug)]
        pub struct BuildStack<'s, T>(pub &'s [T]);
        impl<'s, T: AsRef<AnyBuilder>> Under for BuildStack<'s, T> {
            #(#bstack_methods)*
        }

        impl<'a> AsRef<AnyLayer<'a>> for AnyLayer<'a> {
            fn as_ref(&self) -> &AnyLayer<'a> { self }
        }
        impl AsRef<AnyBuilder> for AnyBuilder {
            fn as_ref(&self) -> &AnyBuilder { self }
        }

        /// A parsed layer of any kind (static dispatch over every schema layer).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum AnyLayer<'a> {
            #(#[doc = #longs] #kinds(#paths<'a>),)*
        }

        impl<'a> AnyLayer<'a> {
            /// Parses `buf` as `kind`.
            #[inline]
            pub fn parse(kind: LayerKind, buf: &'a [u8]) -> Result<Self, #p::Error> {
                Ok(match kind { #(LayerKind::#kinds => AnyLayer::#kinds(#paths::parse(buf)?),)* })
            }
            /// An empty view of `kind`, to parse into.
            #[inline]
            pub fn empty(kind: LayerKind) -> Self {
                match kind { #(LayerKind::#kinds => AnyLayer::#kinds(#paths::EMPTY),)* }
            }
            /// Parses `buf` into this (empty) view, in place.
            #[inline]
            pub fn parse_into(&mut self, buf: &'a [u8]) -> Result<(), #p::Error> {
                match self { #(AnyLayer::#kinds(x) => x.parse_into(buf),)* }
            }
            /// Parses `buf` into this (empty) view and returns the [`Step`]
            /// (one dispatch instead of four in the dissector's loop).
            #[inline]
            pub fn parse_step<F: Fn(TableId, u64) -> Option<LayerKind>>(&mut self, buf: &'a [u8], lookup: &F) -> Result<Step, #p::Error> {
                match self {
                    #(AnyLayer::#kinds(x) => {
                        x.parse_into(buf)?;
                        Ok(Step { header_len: x.header_len(), payload_len: x.payload().len(), next: x.next(lookup) })
                    })*
                }
            }
            /// Its kind.
            #[inline]
            pub fn kind(&self) -> LayerKind { match self { #(AnyLayer::#kinds(_) => LayerKind::#kinds,)* } }
            /// Length including payload.
            #[inline]
            pub fn layer_len(&self) -> usize { match self { #(AnyLayer::#kinds(x) => x.layer_len(),)* } }
            /// Header length.
            #[inline]
            pub fn header_len(&self) -> usize { match self { #(AnyLayer::#kinds(x) => x.header_len(),)* } }
            /// Payload bytes.
            #[inline]
            pub fn payload(&self) -> &'a [u8] { match self { #(AnyLayer::#kinds(x) => x.payload(),)* } }
            /// Bytes after the layer in its region.
            #[inline]
            pub fn trailer(&self) -> &'a [u8] { match self { #(AnyLayer::#kinds(x) => x.trailer(),)* } }
            /// The layer's bytes.
            #[inline]
            pub fn as_bytes(&self) -> &'a [u8] { match self { #(AnyLayer::#kinds(x) => x.as_bytes(),)* } }
            /// A length field claims more than was captured.
            #[inline]
            pub fn is_truncated(&self) -> bool { match self { #(AnyLayer::#kinds(x) => x.is_truncated(),)* } }
            /// Reports fields in wire order.
            pub fn visit(&self, base: u32, under: &dyn Under, verify: bool, v: &mut dyn #p::Visitor<'a>) {
                match self { #(AnyLayer::#kinds(x) => x.visit(base, under, verify, v),)* }
            }
            /// Reports only the fields at these indices of the layer's field
            /// table (see each view's `visit_fields`).
            pub fn visit_fields(&self, wanted: &[u16], base: u32, under: &dyn Under, verify: bool, v: &mut dyn #p::Visitor<'a>) {
                match self { #(AnyLayer::#kinds(x) => x.visit_fields(wanted, base, under, verify, v),)* }
            }
            /// Where the payload goes.
            #[inline]
            pub fn next<F: Fn(TableId, u64) -> Option<LayerKind>>(&self, lookup: &F) -> Next {
                match self { #(AnyLayer::#kinds(x) => x.next(lookup),)* }
            }
            /// Deep validation (array elements).
            pub fn validate(&self) -> Result<(), #p::Error> { match self { #(AnyLayer::#kinds(x) => x.validate(),)* } }
            /// A builder reproducing this layer.
            pub fn to_builder(&self) -> AnyBuilder { match self { #(AnyLayer::#kinds(x) => AnyBuilder::#kinds(x.to_builder()),)* } }
            /// Source and destination for summaries, when the layer declares them.
            pub fn addresses(&self) -> Option<(#p::Value<'a>, #p::Value<'a>)> { match self { #(#addr_arms)* } }
            #(#any_iface)*
        }

        /// Parses `bytes` as the struct or layer named `name` and visits its
        /// fields (no lower layer). `None` for an unknown name; the length on success.
        pub fn visit_by_name<'a>(name: &str, bytes: &'a [u8], verify: bool, v: &mut dyn #p::Visitor<'a>) -> Option<Result<usize, #p::Error>> {
            Some(match name {
                #(#all_names => match #all_paths::parse(bytes) {
                    Ok(x) => {
                        x.visit(0, &NoUnder, verify, v);
                        match x.validate() {
                            Ok(()) => Ok(x.layer_len()),
                            Err(e) => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                },)*
                _ => return None,
            })
        }

        /// Builds the struct or layer named `name` from field values (by schema
        /// name) followed by `payload`. `None` for an unknown name; `Some(Err(field))`
        /// when a field name or value does not fit.
        pub fn build_by_name(name: &str, fields: &[(&str, #p::SetValue<'_>)], payload: &[u8]) -> Option<Result<Result<Vec<u8>, #p::BuildError>, String>> {
            Some(match name {
                #(#all_names => {
                    let mut b = #all_bpaths::default();
                    let mut bad = None;
                    for (n, v) in fields {
                        if !b.set(n, *v) {
                            bad = Some(n.to_string());
                        }
                    }
                    match bad {
                        Some(n) => Err(n),
                        None => {
                            let mut out = Vec::new();
                            Ok(b.write_to(&mut out, &NoUnder, &mut |o| { o.extend_from_slice(payload); Ok(()) }).map(|_| out))
                        }
                    }
                })*
                _ => return None,
            })
        }

        /// Reports what can be read of a layer that did not parse (see the
        /// views' `visit_partial`).
        pub fn visit_partial<'a>(kind: LayerKind, buf: &'a [u8], base: u32, upto: usize, v: &mut dyn #p::Visitor<'a>) {
            match kind { #(LayerKind::#kinds => #paths::visit_partial(buf, base, upto, v),)* }
        }

        /// A builder of any layer kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyBuilder {
            #(#[doc = #longs] #kinds(#bpaths),)*
        }

        #(impl From<#bpaths> for AnyBuilder { fn from(b: #bpaths) -> Self { AnyBuilder::#kinds(b) } })*
        #(impl From<#bpaths> for #p::Part { fn from(b: #bpaths) -> Self { #p::Part::Layer(AnyBuilder::#kinds(b)) } })*
        #(impl<R: Into<#p::Part>> core::ops::Div<R> for #bpaths {
            type Output = #p::Packet;
            fn div(self, rhs: R) -> #p::Packet { #p::Packet::new().push(self).push(rhs) }
        })*

        impl AnyBuilder {
            /// An empty builder of `kind`.
            pub fn new(kind: LayerKind) -> Self { match kind { #(LayerKind::#kinds => AnyBuilder::#kinds(Default::default()),)* } }
            /// Its kind.
            pub fn kind(&self) -> LayerKind { match self { #(AnyBuilder::#kinds(_) => LayerKind::#kinds,)* } }
            /// Appends the layer; see the concrete builders' `write_to`.
            pub fn write_to(&self, out: &mut Vec<u8>, under: &dyn Under, payload: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), #p::BuildError>) -> Result<(), #p::BuildError> {
                match self { #(AnyBuilder::#kinds(x) => x.write_to(out, under, payload),)* }
            }
            /// Reverse binding: fills the dispatch key unless set.
            pub fn set_key(&mut self, table: TableId, v: u64) { match self { #(AnyBuilder::#kinds(x) => x.set_key(table, v),)* } }
            /// Bytes after the payload inside this layer.
            pub fn trailer_mut(&mut self) -> &mut Vec<u8> { match self { #(AnyBuilder::#kinds(x) => &mut x.trailer,)* } }
            /// Sets a field by schema name.
            pub fn set(&mut self, name: &str, value: #p::SetValue<'_>) -> bool { match self { #(AnyBuilder::#kinds(x) => x.set(name, value),)* } }
            #(#build_iface)*
        }
    }
}

/// Static `TemplatePart`s for a parsed template.
fn template_parts(ps: &[crate::template::Part], p: &TokenStream) -> Vec<TokenStream> {
    use crate::template::Part;
    ps.iter()
        .map(|x| match x {
            Part::Text(t) => quote!(#p::TemplatePart::Text(#t)),
            Part::Field(n) => quote!(#p::TemplatePart::Field(#n)),
            Part::Cond(n) => quote!(#p::TemplatePart::Cond(#n)),
            Part::NotCond(n) => quote!(#p::TemplatePart::NotCond(#n)),
            Part::Cmp(n, op, v) => {
                let op = op.token();
                quote!(#p::TemplatePart::Cmp(#n, #op, #v))
            }
            Part::Value {
                name,
                factor,
                offset,
                fmt,
            } => {
                let fmt = fmt.token();
                quote!(#p::TemplatePart::Value(#name, #factor, #offset, #fmt))
            }
            Part::Group(alts) | Part::List(alts) => {
                let alts = alts.iter().map(|a| {
                    let inner = template_parts(a, p);
                    quote!(&[#(#inner),*])
                });
                if matches!(x, Part::List(_)) {
                    quote!(#p::TemplatePart::List(&[#(#alts),*]))
                } else {
                    quote!(#p::TemplatePart::Group(&[#(#alts),*]))
                }
            }
        })
        .collect()
}
