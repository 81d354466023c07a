//! Expression code: the same IR expression evaluated against parser locals,
//! a view's bytes, or a builder's values.

use super::view::StructGen;
use crate::ast::{BinOp, UnOp};
use crate::ir::{Builtin, Expr, Guard, Region};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where an expression is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// Inside the generated `parse`: fields are locals `f<id>`.
    Parse,
    /// In a view method: fields are `self.r<id>()`.
    View,
    /// In a builder method: fields are `self.r<id>()` (values or defaults).
    Builder,
    /// Inside a builder's `write_to`, after the bytes are written: like
    /// `Builder`, and region sizes are the sizes just written.
    Write,
    /// Over the raw bytes of a layer that did not parse (`buf`): fields are
    /// read at their fixed offsets.
    Static,
}

impl StructGen<'_, '_> {
    /// Code evaluating an integer expression to `u64`.
    pub(crate) fn int(&self, e: &Expr, ctx: Ctx) -> TokenStream {
        let p = &self.g.p;
        match e {
            Expr::Int(v) => super::u64_lit(*v),
            Expr::Field(f) => match ctx {
                Ctx::Static => {
                    let fl = &self.st.fields[*f];
                    if let crate::ir::FieldKind::Let(x) = &fl.kind {
                        let inner = self.int(x, ctx);
                        quote!((#inner))
                    } else {
                        match (fl.static_offset, fl.loc.and_then(|l| l.run)) {
                            (Some(o), Some(r)) => {
                                let pos = super::usize_lit(o as usize);
                                self.read_run(&r, &pos, &quote!(buf))
                            }
                            (Some(o), None) => {
                                let pos = super::usize_lit(o as usize);
                                let n = match fl.ty {
                                    crate::ir::Type::Mac => 6usize,
                                    crate::ir::Type::Ipv4 => 4,
                                    _ => 8,
                                };
                                let n = super::usize_lit(n);
                                let p = &self.g.p;
                                quote!(#p::rd_be::<#n>(buf, #pos))
                            }
                            _ => quote!(0u64),
                        }
                    }
                }
                Ctx::Parse => {
                    if let crate::ir::FieldKind::Let(x) = &self.st.fields[*f].kind {
                        let inner = self.int(x, ctx);
                        quote!((#inner))
                    } else {
                        let id = format_ident!("f{}", f);
                        quote!(#id)
                    }
                }
                Ctx::View | Ctx::Builder | Ctx::Write => {
                    let r = format_ident!("r{}", f);
                    quote!(self.#r())
                }
            },
            Expr::Elem(_, f) => {
                let r = format_ident!("r{}", f);
                quote!(it.#r())
            }
            Expr::Param(i) => {
                let a = format_ident!("a{}", i);
                quote!(#a)
            }
            Expr::Unary(op, a) => {
                let a = self.int(a, ctx);
                match op {
                    UnOp::Not => quote!(((#a) == 0) as u64),
                    UnOp::Neg => quote!((#a).wrapping_neg()),
                    UnOp::BitNot => quote!(!(#a)),
                }
            }
            Expr::Binary(op, a, b) => {
                let x = self.int(a, ctx);
                let y = self.int(b, ctx);
                match op {
                    BinOp::Add => quote!((#x).wrapping_add(#y)),
                    BinOp::Sub => quote!((#x).wrapping_sub(#y)),
                    BinOp::Mul => quote!((#x).wrapping_mul(#y)),
                    BinOp::Div => quote!((#x).checked_div(#y).unwrap_or(0)),
                    BinOp::Rem => quote!((#x).checked_rem(#y).unwrap_or(0)),
                    BinOp::Shl => quote!({ let s = #y; if s < 64 { (#x) << s } else { 0 } }),
                    BinOp::Shr => quote!({ let s = #y; if s < 64 { (#x) >> s } else { 0 } }),
                    BinOp::Lt => quote!(((#x) < (#y)) as u64),
                    BinOp::Le => quote!(((#x) <= (#y)) as u64),
                    BinOp::Gt => quote!(((#x) > (#y)) as u64),
                    BinOp::Ge => quote!(((#x) >= (#y)) as u64),
                    BinOp::Eq => quote!(((#x) == (#y)) as u64),
                    BinOp::Ne => quote!(((#x) != (#y)) as u64),
                    BinOp::BitAnd => quote!((#x) & (#y)),
                    BinOp::BitOr => quote!((#x) | (#y)),
                    BinOp::BitXor => quote!((#x) ^ (#y)),
                    BinOp::And => quote!((((#x) != 0) && ((#y) != 0)) as u64),
                    BinOp::Or => quote!((((#x) != 0) || ((#y) != 0)) as u64),
                    BinOp::Concat => quote!(0u64),
                }
            }
            Expr::Ternary(c, a, b) => {
                let c = self.int(c, ctx);
                let a = self.int(a, ctx);
                let b = self.int(b, ctx);
                quote!(if (#c) != 0 { #a } else { #b })
            }
            Expr::SizeOf(r) => match (ctx, r) {
                (Ctx::Parse, Region::Whole) => quote!((self_end as u64)),
                (Ctx::Parse, Region::Header) => quote!((hdr_lim.min(self_end) as u64)),
                (Ctx::Parse, Region::Field(f)) => {
                    let s = format_ident!("sz{}", f);
                    quote!((#s as u64))
                }
                (Ctx::View, Region::Whole) => quote!((self.end as u64)),
                (Ctx::View, Region::Header) => quote!((self.hdr as u64)),
                (Ctx::View, Region::Payload) => quote!(((self.pend - self.hdr) as u64)),
                (Ctx::View, Region::Field(f)) => {
                    let s = format_ident!("span{}", f);
                    quote!({ let (a, b) = self.#s(); (b - a) as u64 })
                }
                (Ctx::Write, Region::Whole) => quote!(((end - start) as u64)),
                (Ctx::Write, Region::Header) => quote!(((hdr_end - start) as u64)),
                (Ctx::Write, Region::Payload) => quote!(((pend - hdr_end) as u64)),
                (Ctx::Write, Region::Field(f)) => {
                    let s = format_ident!("sz{}", f);
                    quote!((#s as u64))
                }
                _ => quote!(0u64),
            },
            Expr::CountOf(f) => match ctx {
                Ctx::View => {
                    let fi = format_ident!("{}", self.st.fields[*f].ident);
                    if self.st.fields[*f].guards.is_empty() {
                        quote!((self.#fi().count() as u64))
                    } else {
                        quote!((self.#fi().map(|x| x.count()).unwrap_or(0) as u64))
                    }
                }
                Ctx::Builder | Ctx::Write => {
                    let fi = format_ident!("{}", self.st.fields[*f].ident);
                    quote!((self.#fi.len() as u64))
                }
                Ctx::Parse | Ctx::Static => quote!(0u64),
            },
            Expr::Present(f) => {
                let c = match ctx {
                    Ctx::Builder | Ctx::Write => {
                        self.builder_presence(*f, &self.st.fields[*f].guards)
                    }
                    _ => self.presence(&self.st.fields[*f].guards, ctx),
                };
                quote!((#c) as u64)
            }
            Expr::Call(b @ (Builtin::Hi64 | Builtin::Lo64), args) => {
                let Some(Expr::Field(f)) = args.first() else {
                    return quote!(0u64);
                };
                let fl = &self.st.fields[*f];
                let add = if *b == Builtin::Lo64 { 8usize } else { 0 };
                let addl = super::usize_lit(add);
                match (ctx, fl.loc) {
                    (Ctx::Builder | Ctx::Write, _) => {
                        let fi = format_ident!("{}", fl.ident);
                        let sh = if *b == Builtin::Hi64 { 64u32 } else { 0 };
                        quote!((self.#fi.map(|a| (u128::from(a) >> #sh) as u64).unwrap_or(0)))
                    }
                    (Ctx::Static, _) => match fl.static_offset {
                        Some(o) => {
                            let pos = super::usize_lit(o as usize + add);
                            quote!(#p::rd_be::<8>(buf, #pos))
                        }
                        None => quote!(0u64),
                    },
                    (_, Some(loc)) => {
                        let pos = self.pos(&loc, ctx);
                        let buf = if ctx == Ctx::Parse {
                            quote!(buf)
                        } else {
                            quote!(self.buf)
                        };
                        quote!(#p::rd_be::<8>(#buf, #pos + #addl))
                    }
                    _ => quote!(0u64),
                }
            }
            Expr::Call(b, args) => {
                let a: Vec<TokenStream> = args.iter().map(|x| self.int(x, ctx)).collect();
                match b {
                    Builtin::Min => {
                        let (x, y) = (&a[0], &a[1]);
                        quote!(core::cmp::min(#x, #y))
                    }
                    Builtin::Max => {
                        let (x, y) = (&a[0], &a[1]);
                        quote!(core::cmp::max(#x, #y))
                    }
                    Builtin::Swap16 => {
                        let x = &a[0];
                        quote!(((#x) as u16).swap_bytes() as u64)
                    }
                    Builtin::Swap32 => {
                        let x = &a[0];
                        quote!(((#x) as u32).swap_bytes() as u64)
                    }
                    Builtin::Hi64 | Builtin::Lo64 => quote!(0u64),
                }
            }
            Expr::Peek(bits) => match ctx {
                Ctx::View => {
                    let n = (*bits as usize).div_ceil(8);
                    let nl = super::usize_lit(n);
                    let sh = (n * 8 - *bits as usize) as u32;
                    let m = super::u64_lit(if *bits >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << bits) - 1
                    });
                    quote!(((#p::rd_be::<#nl>(self.buf, self.hdr as usize) >> #sh) & #m))
                }
                _ => quote!(0u64),
            },
            Expr::Bytes(_) | Expr::Cast(..) | Expr::Under { .. } => quote!(0u64),
        }
    }

    /// Code evaluating to `bool`: all guards hold.
    pub(crate) fn presence(&self, guards: &[Guard], ctx: Ctx) -> TokenStream {
        if guards.is_empty() {
            return quote!(true);
        }
        let parts: Vec<TokenStream> = guards
            .iter()
            .map(|g| match (g, ctx) {
                (Guard::Arm { index, arm }, Ctx::Parse) => {
                    let i = super::usize_lit(*index as usize);
                    let a = *arm as u8;
                    quote!(arm[#i] == #a)
                }
                (Guard::Arm { index, arm }, Ctx::View) => {
                    let v = self.arm_value(*index);
                    let a = *arm as u8;
                    quote!(#v == #a)
                }
                (Guard::Arm { index, arm }, Ctx::Builder | Ctx::Write) => {
                    let m = format_ident!("arm{}", index);
                    let a = *arm as u8;
                    quote!(self.#m() == #a)
                }
                (Guard::Cond { index }, Ctx::Parse) => {
                    let b = *index as u32;
                    quote!((pres[0] >> #b) & 1 == 1)
                }
                (Guard::Cond { index }, Ctx::View) => {
                    let b = *index as u32;
                    quote!((self.pres[0] >> #b) & 1 == 1)
                }
                (_, Ctx::Static) => quote!(false),
                (Guard::Cond { index }, Ctx::Builder | Ctx::Write) => {
                    let c = self.int(&self.st.conds[*index as usize], Ctx::Builder);
                    quote!((#c) != 0)
                }
            })
            .collect();
        quote!(#(#parts)&&*)
    }

    /// Whether a builder writes field `f`. A condition that reads a derived
    /// field cannot be evaluated before the bytes it derives from exist
    /// (`linkaddr : mac if length == 1` with `length = derive(sizeof(self)/8)`),
    /// so while any such field is unset the guarded field is present exactly
    /// when the user set it; once they are all set, the condition decides.
    pub(crate) fn builder_presence(&self, f: usize, guards: &[Guard]) -> TokenStream {
        let fl = &self.st.fields[f];
        let mut parts = Vec::new();
        for g in guards {
            let Guard::Cond { index } = g else {
                parts.push(self.presence(std::slice::from_ref(g), Ctx::Builder));
                continue;
            };
            let cond = &self.st.conds[*index as usize];
            let c = self.int(cond, Ctx::Builder);
            let mut derived = Vec::new();
            self.derived_refs(cond, &mut derived);
            if derived.is_empty() {
                parts.push(quote!((#c) != 0));
                continue;
            }
            let all_set = derived.iter().map(|d| {
                let id = format_ident!("{}", self.st.fields[*d].ident);
                quote!(self.#id.is_some())
            });
            let id = format_ident!("{}", fl.ident);
            let is_set = match fl.ty {
                crate::ir::Type::Array(..) => quote!(!self.#id.is_empty()),
                _ => quote!(self.#id.is_some()),
            };
            parts.push(quote!((if #(#all_set)&&* { (#c) != 0 } else { #is_set })));
        }
        if parts.is_empty() {
            return quote!(true);
        }
        quote!(#(#parts)&&*)
    }

    /// Derived or checksum fields an expression reads (through `let`s).
    fn derived_refs(&self, e: &Expr, out: &mut Vec<usize>) {
        use crate::ir::{FieldKind, Init};
        let mut stack = vec![e];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Field(f) => {
                    let fl = &self.st.fields[*f];
                    if let FieldKind::Let(x) = &fl.kind {
                        stack.push(x);
                    } else if matches!(fl.init, Init::Derived(_) | Init::Checksum(_))
                        && !out.contains(f)
                    {
                        out.push(*f);
                    }
                }
                Expr::Unary(_, a) | Expr::Cast(_, a) => stack.push(a),
                Expr::Binary(_, a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Expr::Ternary(a, b, c) => {
                    stack.push(a);
                    stack.push(b);
                    stack.push(c);
                }
                Expr::Call(_, args) | Expr::Under { args, .. } => stack.extend(args),
                _ => {}
            }
        }
    }

    /// Statements feeding the bytes of a byte-string expression to `sink`
    /// (a `FnMut(&[u8])` in scope). `region` maps a region to a slice expression.
    pub(crate) fn bytes(
        &self,
        e: &Expr,
        ctx: Ctx,
        sink: &TokenStream,
        region: &dyn Fn(Region) -> TokenStream,
    ) -> TokenStream {
        let p = &self.g.p;
        match e {
            Expr::Binary(BinOp::Concat, a, b) => {
                let a = self.bytes(a, ctx, sink, region);
                let b = self.bytes(b, ctx, sink, region);
                quote!(#a #b)
            }
            Expr::Bytes(r) => {
                let s = region(*r);
                quote!(#sink(#s);)
            }
            Expr::Cast(n, x) => {
                let v = self.int(x, ctx);
                let n = super::usize_lit(*n as usize);
                quote!({ let v: u64 = #v; let b = v.to_be_bytes(); #sink(&b[8 - #n..]); })
            }
            Expr::Field(f) => {
                let fi = format_ident!("{}", self.st.fields[*f].ident);
                let builder = matches!(ctx, Ctx::Builder | Ctx::Write);
                match (builder, &self.st.fields[*f].ty) {
                    (true, crate::ir::Type::Bytes(_)) => {
                        quote!(#sink(self.#fi.as_deref().unwrap_or(&[]));)
                    }
                    (true, crate::ir::Type::Mac | crate::ir::Type::Eui64) => {
                        quote!(#sink(&self.#fi.unwrap_or_default().0);)
                    }
                    (true, _) => {
                        quote!(#sink(&self.#fi.map(|a| a.octets()).unwrap_or_default());)
                    }
                    (_, crate::ir::Type::Bytes(_)) => {
                        let s = format_ident!("span{}", f);
                        quote!({ let (a, b) = self.#s(); #sink(#p::slice(self.buf, a, b)); })
                    }
                    (_, crate::ir::Type::Mac | crate::ir::Type::Eui64) => {
                        quote!(#sink(&self.#fi().0);)
                    }
                    _ => quote!(#sink(&self.#fi().octets());),
                }
            }
            Expr::Under {
                interface,
                func,
                args,
            } => {
                let m = self.g.under_method(*interface);
                let fname =
                    format_ident!("{}", self.g.schema.interfaces[*interface].fns[*func].name);
                let args: Vec<TokenStream> = args.iter().map(|a| self.int(a, ctx)).collect();
                quote! {
                    match under.#m() {
                        Some(u) => u.#fname(#(#args,)* &mut |b: &[u8]| #sink(b)),
                        None => return None,
                    }
                }
            }
            Expr::Ternary(c, a, b) => {
                let c = self.int(c, ctx);
                let a = self.bytes(a, ctx, sink, region);
                let b = self.bytes(b, ctx, sink, region);
                quote!(if (#c) != 0 { #a } else { #b })
            }
            _ => quote!(),
        }
    }
}
