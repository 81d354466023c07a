//! Expression resolution: names to field ids, calls to built-ins, and a light
//! type check (integers versus byte strings).

use super::Analyzer;
use crate::ast::{self, BinOp, ExprKind, Span};
use crate::diag::{Diagnostic, ErrorCode};
use crate::ir::{self, Expr, Region};
use std::collections::{HashMap, HashSet};

/// What an expression produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// An integer (booleans are 0/1).
    Int,
    /// A byte string (regions, casts, concatenations).
    Bytes,
    /// An address field (MAC, IPv4, EUI-64): bytes in `++`, its big-endian
    /// integer value in arithmetic.
    Addr,
}

/// Names visible to an expression.
pub(crate) struct Scope<'a> {
    /// Fields of the struct being lowered, so far.
    pub fields: &'a [ir::Field],
    /// Fields already read by the parser at this point.
    pub read: &'a HashSet<usize>,
    /// Every field name declared anywhere in the struct (for forward-reference errors).
    pub declared_later: &'a HashMap<String, Span>,
    /// Function parameters (interface implementations).
    pub params: &'a [String],
    /// `it` in `until:` predicates.
    pub elem: Option<usize>,
    /// The struct is a layer (has header/payload regions).
    pub is_layer: bool,
}

fn enum_of_field(scope: &Scope, e: &Expr) -> Option<usize> {
    if let Expr::Field(f) = e {
        if let ir::Type::Enum(id) = scope.fields[*f].ty {
            return Some(id);
        }
    }
    None
}

impl Analyzer<'_> {
    /// Resolves an expression that must be an integer.
    pub(crate) fn int_expr(&mut self, scope: &Scope, e: &ast::Expr) -> Expr {
        let (x, ty) = self.expr(scope, e, None);
        if ty == Ty::Bytes {
            self.push(
                Diagnostic::error(ErrorCode::TypeMismatch, e.span, "expected an integer")
                    .label("this is a byte string"),
            );
        }
        x
    }

    /// Resolves an expression; `hint_enum` resolves bare variant names.
    pub(crate) fn expr(
        &mut self,
        scope: &Scope,
        e: &ast::Expr,
        hint_enum: Option<usize>,
    ) -> (Expr, Ty) {
        match &e.kind {
            ExprKind::Int(v) => (Expr::Int(*v), Ty::Int),
            ExprKind::Bool(b) => (Expr::Int(*b as u64), Ty::Int),
            ExprKind::Str(_) => {
                self.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        e.span,
                        "strings are not values here",
                    )
                    .label("unexpected string"),
                );
                (Expr::Int(0), Ty::Int)
            }
            ExprKind::Path(p) => self.path(scope, p, e.span, hint_enum),
            ExprKind::Unary(op, a) => {
                let x = self.int_expr(scope, a);
                (Expr::Unary(*op, Box::new(x)), Ty::Int)
            }
            ExprKind::Ternary(c, a, b) => {
                let c = self.int_expr(scope, c);
                let (a, ta) = self.expr(scope, a, hint_enum);
                let (b, tb) = self.expr(scope, b, hint_enum);
                if (ta == Ty::Bytes) != (tb == Ty::Bytes) {
                    self.push(
                        Diagnostic::error(
                            ErrorCode::TypeMismatch,
                            e.span,
                            "both branches must have the same type",
                        )
                        .label("integer and byte string mixed"),
                    );
                }
                (Expr::Ternary(Box::new(c), Box::new(a), Box::new(b)), ta)
            }
            ExprKind::Binary(BinOp::Concat, a, b) => {
                let (a, ta) = self.expr(scope, a, None);
                let (b, tb) = self.expr(scope, b, None);
                for (t, sp) in [(ta, e.span), (tb, e.span)] {
                    if t == Ty::Int {
                        self.push(
                            Diagnostic::error(
                                ErrorCode::TypeMismatch,
                                sp,
                                "`++` joins byte strings",
                            )
                            .label("an operand is an integer")
                            .note("write integers with a width: `u8(x)`, `u16(x)`, `u32(x)`"),
                        );
                        break;
                    }
                }
                (
                    Expr::Binary(BinOp::Concat, Box::new(a), Box::new(b)),
                    Ty::Bytes,
                )
            }
            ExprKind::Binary(op, a, b) => {
                let (xa, ta) = self.expr(scope, a, hint_enum);
                let hint = enum_of_field(scope, &xa).or(hint_enum);
                let (xb, tb) = self.expr(scope, b, hint);
                if ta == Ty::Bytes || tb == Ty::Bytes {
                    self.push(
                        Diagnostic::error(
                            ErrorCode::TypeMismatch,
                            e.span,
                            format!("`{}` needs integer operands", op.symbol()),
                        )
                        .label("a byte string is used as a number"),
                    );
                }
                (Expr::Binary(*op, Box::new(xa), Box::new(xb)), Ty::Int)
            }
            ExprKind::Call(name, args) => self.call(scope, name, args, e.span),
        }
    }

    fn region(&mut self, scope: &Scope, name: &str, span: Span) -> Option<Region> {
        match name {
            "self" => Some(Region::Whole),
            "header" | "payload" => {
                if !scope.is_layer {
                    self.push(
                        Diagnostic::error(
                            ErrorCode::BadRegion,
                            span,
                            format!("`{name}` only exists in layers"),
                        )
                        .label("structs have no header/payload split; use `self`"),
                    );
                    return None;
                }
                Some(if name == "header" {
                    Region::Header
                } else {
                    Region::Payload
                })
            }
            _ => None,
        }
    }

    fn lookup_field(&mut self, scope: &Scope, name: &str, span: Span) -> Option<usize> {
        if let Some(i) = scope.fields.iter().position(|f| f.name == name) {
            return Some(i);
        }
        if scope.declared_later.contains_key(name) {
            self.push(
                Diagnostic::error(
                    ErrorCode::ForwardReference,
                    span,
                    format!("`{name}` is used before it is read"),
                )
                .label("declared later in this struct")
                .note("expressions may only use fields that come earlier on the wire"),
            );
        } else {
            self.push(
                Diagnostic::error(
                    ErrorCode::UnknownField,
                    span,
                    format!("unknown field `{name}`"),
                )
                .label("no field, variant or region has this name"),
            );
        }
        None
    }

    fn path(&mut self, scope: &Scope, p: &str, span: Span, hint_enum: Option<usize>) -> (Expr, Ty) {
        if let Some(r) = self.region(scope, p, span) {
            return (Expr::Bytes(r), Ty::Bytes);
        }
        if let Some(i) = scope.params.iter().position(|x| x == p) {
            return (Expr::Param(i), Ty::Int);
        }
        if let (Some(rest), Some(sid)) = (p.strip_prefix("it."), scope.elem) {
            let st = &self.schema.structs[sid];
            return match st.field_by_name(rest) {
                Some(f) => (Expr::Elem(sid, f), Ty::Int),
                None => {
                    let msg = format!("element struct `{}` has no field `{rest}`", st.name);
                    self.push(
                        Diagnostic::error(ErrorCode::UnknownField, span, msg)
                            .label("unknown field"),
                    );
                    (Expr::Int(0), Ty::Int)
                }
            };
        }
        // A field of this struct.
        if let Some(i) = scope.fields.iter().position(|f| f.name == p) {
            let f = &scope.fields[i];
            if !scope.read.contains(&i) && !matches!(f.kind, ir::FieldKind::Let(_)) {
                self.push(
                    Diagnostic::error(
                        ErrorCode::ForwardReference,
                        span,
                        format!("`{p}` is used before it is read"),
                    )
                    .label("not yet read here"),
                );
            }
            let ty = match f.ty {
                _ if f.ty.is_integer() => Ty::Int,
                ir::Type::Mac | ir::Type::Ipv4 | ir::Type::Eui64 => Ty::Addr,
                _ => Ty::Bytes,
            };
            if matches!(f.ty, ir::Type::Array(..) | ir::Type::Struct(_)) {
                self.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        span,
                        format!("`{p}` is an array or struct, not a value"),
                    )
                    .label("use count() or sizeof()"),
                );
            }
            return (Expr::Field(i), ty);
        }
        // An enum variant: the hinted enum first, then a unique match.
        if !p.contains('.') {
            if let Some(e) = hint_enum {
                if let Some(v) = self.schema.enums[e].variants.iter().find(|v| v.name == p) {
                    return (Expr::Int(v.lo), Ty::Int);
                }
            }
            let hits: Vec<u64> = self
                .schema
                .enums
                .iter()
                .flat_map(|en| en.variants.iter().filter(|v| v.name == p).map(|v| v.lo))
                .collect();
            if hits.len() == 1 {
                return (Expr::Int(hits[0]), Ty::Int);
            }
            if hits.len() > 1 {
                self.push(
                    Diagnostic::error(
                        ErrorCode::UnknownVariant,
                        span,
                        format!("`{p}` is a variant of several enums"),
                    )
                    .label("ambiguous")
                    .note("compare it with a field of the enum's type so the enum is known"),
                );
                return (Expr::Int(0), Ty::Int);
            }
        }
        self.lookup_field(scope, p, span);
        (Expr::Int(0), Ty::Int)
    }

    fn call(&mut self, scope: &Scope, name: &str, args: &[ast::Expr], span: Span) -> (Expr, Ty) {
        let want = |an: &mut Analyzer, n: usize| -> bool {
            if args.len() != n {
                an.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        span,
                        format!("`{name}` takes {n} argument(s), not {}", args.len()),
                    )
                    .label("wrong number of arguments"),
                );
                false
            } else {
                true
            }
        };
        match name {
            "sizeof" | "count" | "present" => {
                if !want(self, 1) {
                    return (Expr::Int(0), Ty::Int);
                }
                let ExprKind::Path(p) = &args[0].kind else {
                    self.push(
                        Diagnostic::error(
                            ErrorCode::BadRegion,
                            args[0].span,
                            format!("`{name}` takes a field or region name"),
                        )
                        .label("not a name"),
                    );
                    return (Expr::Int(0), Ty::Int);
                };
                if name == "sizeof" {
                    if let Some(r) = self.region(scope, p, args[0].span) {
                        return (Expr::SizeOf(r), Ty::Int);
                    }
                }
                match self.lookup_field(scope, p, args[0].span) {
                    Some(i) => match name {
                        "sizeof" => (Expr::SizeOf(Region::Field(i)), Ty::Int),
                        "count" => (Expr::CountOf(i), Ty::Int),
                        _ => (Expr::Present(i), Ty::Int),
                    },
                    None => (Expr::Int(0), Ty::Int),
                }
            }
            "min" | "max" => {
                if !want(self, 2) {
                    return (Expr::Int(0), Ty::Int);
                }
                let a = self.int_expr(scope, &args[0]);
                let b = self.int_expr(scope, &args[1]);
                let f = if name == "min" {
                    ir::Builtin::Min
                } else {
                    ir::Builtin::Max
                };
                (Expr::Call(f, vec![a, b]), Ty::Int)
            }
            "swap16" | "swap32" => {
                if !want(self, 1) {
                    return (Expr::Int(0), Ty::Int);
                }
                let a = self.int_expr(scope, &args[0]);
                let f = if name == "swap16" {
                    ir::Builtin::Swap16
                } else {
                    ir::Builtin::Swap32
                };
                (Expr::Call(f, vec![a]), Ty::Int)
            }
            "hi64" | "lo64" => {
                if !want(self, 1) {
                    return (Expr::Int(0), Ty::Int);
                }
                let (x, _) = self.expr(scope, &args[0], None);
                match x {
                    Expr::Field(f) if scope.fields[f].ty == ir::Type::Ipv6 => {
                        let b = if name == "hi64" {
                            ir::Builtin::Hi64
                        } else {
                            ir::Builtin::Lo64
                        };
                        (Expr::Call(b, vec![Expr::Field(f)]), Ty::Int)
                    }
                    _ => {
                        self.push(
                            Diagnostic::error(
                                ErrorCode::TypeMismatch,
                                args[0].span,
                                format!("`{name}` takes an ipv6 field"),
                            )
                            .label("not an ipv6 field"),
                        );
                        (Expr::Int(0), Ty::Int)
                    }
                }
            }
            "u8" | "u16" | "u24" | "u32" | "u64" => {
                if !want(self, 1) {
                    return (Expr::Int(0), Ty::Bytes);
                }
                let a = self.int_expr(scope, &args[0]);
                let n: u8 = name[1..].parse::<u8>().unwrap_or(8) / 8;
                (Expr::Cast(n, Box::new(a)), Ty::Bytes)
            }
            "peek" => {
                if !want(self, 1) {
                    return (Expr::Int(0), Ty::Int);
                }
                let bits = match &args[0].kind {
                    ExprKind::Path(t) => match super::builtin_type(t) {
                        Some(Ok(super::Builtin::UInt(b, _))) => Some(b),
                        _ => None,
                    },
                    _ => None,
                };
                match bits {
                    Some(b) => (Expr::Peek(b), Ty::Int),
                    None => {
                        self.push(
                            Diagnostic::error(
                                ErrorCode::TypeMismatch,
                                args[0].span,
                                "`peek` takes an unsigned integer type (`peek(u4)`)",
                            )
                            .label("not an unsigned integer type"),
                        );
                        (Expr::Int(0), Ty::Int)
                    }
                }
            }
            _ => {
                if let Some(f) = name.strip_prefix("under.") {
                    // Find the interface declaring this function.
                    let mut found = None;
                    for (ii, iface) in self.schema.interfaces.iter().enumerate() {
                        if let Some(fi) = iface.fns.iter().position(|x| x.name == f) {
                            found = Some((ii, fi, iface.fns[fi].params.len()));
                        }
                    }
                    let Some((interface, func, nparams)) = found else {
                        self.push(
                            Diagnostic::error(
                                ErrorCode::UnknownInterface,
                                span,
                                format!("no interface declares a function `{f}`"),
                            )
                            .label("unknown lower-layer function"),
                        );
                        return (Expr::Int(0), Ty::Bytes);
                    };
                    if !want(self, nparams) {
                        return (Expr::Int(0), Ty::Bytes);
                    }
                    let args = args.iter().map(|a| self.int_expr(scope, a)).collect();
                    return (
                        Expr::Under {
                            interface,
                            func,
                            args,
                        },
                        Ty::Bytes,
                    );
                }
                self.push(
                    Diagnostic::error(ErrorCode::UnknownField, span, format!("unknown function `{name}`"))
                        .label("not a built-in function")
                        .note("built-ins: sizeof, count, present, min, max, swap16, swap32, hi64, lo64, u8..u64, peek, under.<fn>"),
                );
                (Expr::Int(0), Ty::Int)
            }
        }
    }
}
