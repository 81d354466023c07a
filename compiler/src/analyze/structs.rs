//! Pass 4: structs and layers. Lowers each body to the IR layout tree:
//! resolves types, groups bit fields into runs, assigns segments and offsets,
//! solves derived equations, checks checksums, conditions, matches and the
//! payload statement.

use super::expr::{Scope, Ty};
use super::{builtin_type, fits, int_type, resolve_key, Analyzer, Builtin, Symbol};
use crate::ast::{self, BitOrder, Endian, ExprKind, Span, Stmt};
use crate::diag::{Diagnostic, ErrorCode};
use crate::ir::{self, AffineOp, Guard, Item, Loc, Measure, Region, Run};
use std::collections::{HashMap, HashSet};

/// Names of generated methods a field accessor must not shadow.
const RESERVED_METHODS: &[&str] = &[
    "parse",
    "payload",
    "header_bytes",
    "as_bytes",
    "trailer",
    "layer_len",
    "header_len",
    "visit",
    "next",
    "to_builder",
    "checksum_status",
    "new",
    "build",
    "write",
    "fields",
    "buf",
    "validate",
    "addresses",
    "is_truncated",
    "set",
    "set_key",
    "write_to",
    "header_extra",
    "visit_partial",
    "trailer",
    "view",
    "as_mut_bytes",
    "fix_lengths",
    "fix_checksums",
    "default",
    "clone",
];

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Generated helpers are named `p0`, `r1`, `c2`, `span3`, `arm4`, `at5`, `sz6`:
/// a field named like one gets a suffix.
fn is_helper_name(s: &str) -> bool {
    [
        "p", "r", "c", "f", "span", "arm", "at", "sz", "cnt", "bnd", "s", "a",
    ]
    .iter()
    .any(|p| {
        s.strip_prefix(p)
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn accessor_ident(name: &str) -> String {
    let base = name.replace('.', "_");
    if is_helper_name(&base) {
        format!("{base}_field")
    } else if RUST_KEYWORDS.contains(&base.as_str()) {
        format!("{base}_")
    } else if RESERVED_METHODS.contains(&base.as_str()) {
        format!("{base}_field")
    } else {
        base
    }
}

fn humanize(name: &str) -> String {
    let last = name.rsplit('.').next().unwrap_or(name);
    let mut s = last.replace('_', " ");
    if let Some(f) = s.get(0..1) {
        let up = f.to_uppercase();
        s.replace_range(0..1, &up);
    }
    s
}

/// Constant-folds an AST expression.
pub(crate) fn const_eval(e: &ast::Expr) -> Option<u64> {
    use ast::BinOp::*;
    Some(match &e.kind {
        ExprKind::Int(v) => *v,
        ExprKind::Bool(b) => *b as u64,
        ExprKind::Unary(ast::UnOp::Neg, a) => const_eval(a)?.wrapping_neg(),
        ExprKind::Unary(ast::UnOp::BitNot, a) => !const_eval(a)?,
        ExprKind::Unary(ast::UnOp::Not, a) => (const_eval(a)? == 0) as u64,
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (const_eval(a)?, const_eval(b)?);
            match op {
                Add => a.wrapping_add(b),
                Sub => a.wrapping_sub(b),
                Mul => a.wrapping_mul(b),
                Div => a.checked_div(b)?,
                Rem => a.checked_rem(b)?,
                Shl => a.checked_shl(b as u32)?,
                Shr => a.checked_shr(b as u32)?,
                BitAnd => a & b,
                BitOr => a | b,
                BitXor => a ^ b,
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// Lowers every struct, element types first so `it.x` can resolve.
pub(crate) fn lower_structs(an: &mut Analyzer) {
    let decls = an.struct_decls.clone();
    // Placeholder structs so ids exist for cross references.
    for (mi, d) in &decls {
        an.schema.structs.push(ir::Struct {
            name: d.name.name.clone(),
            module: *mi,
            doc: d.doc.clone(),
            layer: None,
            filter: String::new(),
            long_name: d.long_name.clone().unwrap_or_else(|| d.name.name.clone()),
            endian: Endian::Big,
            fields: Vec::new(),
            body: Vec::new(),
            segments: 0,
            matches: 0,
            conds: Vec::new(),
            min_size: 0,
            bounds: Vec::new(),
            payload: None,
            impls: Vec::new(),
            reverse_keys: Vec::new(),
        });
    }
    // Dependency order: a struct used as an array element or nested struct first.
    let mut order = Vec::new();
    let mut state = vec![0u8; decls.len()];
    fn visit(
        i: usize,
        decls: &[(usize, &ast::StructDecl)],
        an: &Analyzer,
        state: &mut [u8],
        order: &mut Vec<usize>,
    ) {
        if state[i] != 0 {
            return;
        }
        state[i] = 1;
        let mut deps = Vec::new();
        collect_deps(&decls[i].1.body, an, &mut deps);
        for d in deps {
            visit(d, decls, an, state, order);
        }
        state[i] = 2;
        order.push(i);
    }
    for i in 0..decls.len() {
        visit(i, &decls, an, &mut state, &mut order);
    }
    for i in order {
        let (mi, d) = decls[i];
        let endian = an.files[mi].endian.map(|e| e.0).unwrap_or(Endian::Big);
        let st = Lower::new(an, i, d, endian).run(d);
        let placeholder = &mut an.schema.structs[i];
        let (name, module, doc, long_name) = (
            placeholder.name.clone(),
            placeholder.module,
            placeholder.doc.clone(),
            placeholder.long_name.clone(),
        );
        *placeholder = ir::Struct {
            name,
            module,
            doc,
            long_name,
            ..st
        };
    }
}

fn collect_deps(body: &[Stmt], an: &Analyzer, out: &mut Vec<usize>) {
    for s in body {
        match s {
            Stmt::Field(f) => {
                if let ast::TypeRef::Named { name, .. } = &f.ty {
                    if let Some((Symbol::Struct(i), _)) = an.symbols.get(&name.name) {
                        out.push(*i);
                    }
                }
            }
            Stmt::Match(m) => {
                for a in &m.arms {
                    collect_deps(&a.body, an, out);
                }
            }
            _ => {}
        }
    }
}

fn collect_names(body: &[Stmt], out: &mut HashMap<String, Span>) {
    for s in body {
        match s {
            Stmt::Field(f) if f.name.name != "_" => {
                out.entry(f.name.name.clone()).or_insert(f.name.span);
                if let ast::TypeRef::InlineBits { fields, .. } = &f.ty {
                    for sf in fields {
                        out.entry(format!("{}.{}", f.name.name, sf.name.name))
                            .or_insert(sf.name.span);
                    }
                }
            }
            Stmt::Let(l) => {
                out.entry(l.name.name.clone()).or_insert(l.name.span);
            }
            Stmt::Match(m) => {
                for a in &m.arms {
                    collect_names(&a.body, out);
                }
            }
            _ => {}
        }
    }
}

/// Attributes of a field, parsed.
#[derive(Default)]
struct FieldAttrs {
    filter: Option<String>,
    aliases: Vec<String>,
    label: Option<String>,
    display: ir::Display,
    hidden: bool,
    default: Option<u64>,
    zero_means_none: bool,
    verify: Option<bool>,
    /// `@bad_length("path"[, "label"])`.
    bad_length: Option<(String, Option<String>)>,
}

struct PendingRun {
    seg: u16,
    off: u32,
    endian: Endian,
    /// Top-level members and their widths.
    members: Vec<(usize, u8)>,
    bits: u32,
    span: Span,
}

/// Where the cursor is while lowering.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Pos {
    seg: u16,
    off: u32,
}

struct Lower<'a, 'f> {
    an: &'a mut Analyzer<'f>,
    is_layer: bool,
    endian: Endian,
    filter: String,
    fields: Vec<ir::Field>,
    read: HashSet<usize>,
    declared: HashMap<String, Span>,
    pos: Pos,
    guards: Vec<Guard>,
    nseg: u16,
    nmatch: u16,
    conds: Vec<ir::Expr>,
    run: Option<PendingRun>,
    /// Relative shifts of container children, applied when the run is placed.
    child_shift: HashMap<usize, u8>,
    min_size: u32,
    bounds: Vec<ir::Bound>,
    bounded: HashMap<&'static str, Span>,
    /// (derived field, target field name, is count, ops, span)
    pending_bounds: Vec<(usize, String, bool, Vec<AffineOp>, Span)>,
    payload: Option<ir::Payload>,
    saw_payload: Option<Span>,
    impls: Vec<ir::FnImpl>,
    reserved: u32,
    implements: Vec<(usize, Span)>,
    /// Fields marked `@bad_length`: (field, expert path, label, span).
    bad_lengths: Vec<(usize, String, String, Span)>,
}

impl<'a, 'f> Lower<'a, 'f> {
    fn new(an: &'a mut Analyzer<'f>, sid: usize, d: &ast::StructDecl, endian: Endian) -> Self {
        let mut declared = HashMap::new();
        collect_names(&d.body, &mut declared);
        let module = an.schema.structs[sid].module;
        let default_filter = if d.is_layer {
            d.name.name.to_lowercase()
        } else {
            an.schema.modules[module].name.clone()
        };
        Lower {
            an,
            is_layer: d.is_layer,
            endian,
            filter: default_filter,
            fields: Vec::new(),
            read: HashSet::new(),
            declared,
            pos: Pos { seg: 0, off: 0 },
            guards: Vec::new(),
            nseg: 0,
            nmatch: 0,
            conds: Vec::new(),
            run: None,
            child_shift: HashMap::new(),
            min_size: 0,
            bounds: Vec::new(),
            bounded: HashMap::new(),
            pending_bounds: Vec::new(),
            payload: None,
            saw_payload: None,
            impls: Vec::new(),
            reserved: 0,
            implements: Vec::new(),
            bad_lengths: Vec::new(),
        }
    }

    /// Checks an `info`/`title` template: balanced `{}` and `[]`, groups not
    /// nested, and every `{name}` a field of this layer unless it is a dotted
    /// path the runtime provides (`tcp.seq`). Returns the template.
    fn check_template(&mut self, t: String, span: Span, what: &str) -> String {
        match crate::template::parse(&t) {
            Err(msg) => self.an.push(
                Diagnostic::error(
                    ErrorCode::BadAttribute,
                    span,
                    format!("bad `{what}` template: {msg}"),
                )
                .label("in this template"),
            ),
            Ok(parts) => {
                for name in crate::template::names(&parts) {
                    let known = self.fields.iter().any(|f| f.name == name);
                    if !known && !name.contains('.') {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::UnknownField,
                                span,
                                format!("`{what}` names `{{{name}}}`, which is not a field of this layer"),
                            )
                            .label("unknown field")
                            .note("a dotted name (`tcp.seq`) refers to a field the runtime adds"),
                        );
                    }
                }
            }
        }
        t
    }

    fn run(mut self, d: &ast::StructDecl) -> ir::Struct {
        // Properties.
        let mut short_name = d.name.name.clone();
        let mut info = None;
        let mut title = None;
        let mut addresses: Option<(Vec<ast::Ident>, Span)> = None;
        let mut atomic: Option<(Vec<ast::Ident>, Span)> = None;
        let mut seen: HashMap<String, Span> = HashMap::new();
        for p in &d.props {
            if let Some(prev) = seen.get(&p.key.name) {
                let prev = *prev;
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::DuplicateAttribute,
                        p.key.span,
                        format!("property `{}` is given twice", p.key.name),
                    )
                    .with_secondary(prev, "first given here"),
                );
                continue;
            }
            seen.insert(p.key.name.clone(), p.key.span);
            let allowed: &[&str] = if d.is_layer {
                &["filter", "name", "info", "title", "addresses", "atomic"]
            } else {
                &["filter"]
            };
            if !allowed.contains(&p.key.name.as_str()) {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownProperty,
                        p.key.span,
                        format!(
                            "unknown {} property `{}`",
                            if d.is_layer { "layer" } else { "struct" },
                            p.key.name
                        ),
                    )
                    .label("not a property")
                    .note(format!("properties here: {}", allowed.join(", "))),
                );
                continue;
            }
            match (p.key.name.as_str(), &p.value) {
                ("filter", ast::PropValue::Str(s)) => self.filter = s.clone(),
                ("name", ast::PropValue::Str(s)) => short_name = s.clone(),
                ("info", ast::PropValue::Str(s)) => info = Some((s.clone(), p.span)),
                ("title", ast::PropValue::Str(s)) => title = Some((s.clone(), p.span)),
                ("addresses", ast::PropValue::List(l)) if l.len() == 2 => {
                    addresses = Some((l.clone(), p.span))
                }
                ("atomic", ast::PropValue::List(l)) if l.len() == 2 => {
                    atomic = Some((l.clone(), p.span))
                }
                _ => self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadAttribute,
                        p.span,
                        format!("bad value for property `{}`", p.key.name),
                    )
                    .label(if p.key.name == "addresses" {
                        "expected `(src_field, dst_field)`"
                    } else if p.key.name == "atomic" {
                        "expected `(first_field, last_field)`"
                    } else {
                        "expected a string"
                    }),
                ),
            }
        }
        for a in &d.attrs {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::UnknownAttribute,
                    a.name.span,
                    format!("unknown struct attribute `@{}`", a.name.name),
                )
                .label("structs and layers take properties in `( )`, not attributes"),
            );
        }
        for i in &d.implements {
            match self.an.symbols.get(&i.name) {
                Some((Symbol::Interface(x), _)) => self.implements.push((*x, i.span)),
                _ => self.an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownInterface,
                        i.span,
                        format!("unknown interface `{}`", i.name),
                    )
                    .label("not declared"),
                ),
            }
        }

        let body = self.stmts(&d.body);
        self.finish_run_at_end();

        // Derived sizes of fields declared later.
        for (lenf, target, is_count, ops, span) in std::mem::take(&mut self.pending_bounds) {
            let Some(t) = self.fields.iter().position(|f| f.name == target) else {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadRegion,
                        span,
                        format!("`{target}` is not a field or region of this struct"),
                    )
                    .label("cannot measure this"),
                );
                continue;
            };
            let ok = match &mut self.fields[t].ty {
                ir::Type::Bytes(sz) | ir::Type::Array(_, sz) if *sz == ir::ArraySize::ToEnd => {
                    *sz = ir::ArraySize::Bound(lenf);
                    true
                }
                _ => false,
            };
            if !ok || t < lenf {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadRegion,
                        span,
                        format!(
                            "`{}({target})` must measure a later field declared with `[..]`",
                            if is_count { "count" } else { "sizeof" }
                        ),
                    )
                    .label("the derived field gives this field its size"),
                );
                continue;
            }
            let measure = if is_count {
                Measure::Count(t)
            } else {
                Measure::Size(Region::Field(t))
            };
            self.bounds.push(ir::Bound {
                field: lenf,
                measure,
                ops,
            });
            self.fields[lenf].init = ir::Init::Derived(self.bounds.len() - 1);
        }

        // Interface implementations complete?
        for (iface, span) in self.implements.clone() {
            let fns = self.an.schema.interfaces[iface].fns.clone();
            for (fi, f) in fns.iter().enumerate() {
                if !self
                    .impls
                    .iter()
                    .any(|x| x.interface == iface && x.func == fi)
                {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::UnknownInterface,
                            span,
                            format!(
                                "`{}` does not define `fn {}` of interface `{}`",
                                d.name.name, f.name, self.an.schema.interfaces[iface].name
                            ),
                        )
                        .label("missing function"),
                    );
                }
            }
        }

        let layer = if d.is_layer {
            let addresses = addresses.and_then(|(l, span)| {
                let a = self.fields.iter().position(|f| f.name == l[0].name);
                let b = self.fields.iter().position(|f| f.name == l[1].name);
                match (a, b) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::UnknownField,
                                span,
                                "`addresses` names a field that does not exist",
                            )
                            .label("unknown field"),
                        );
                        None
                    }
                }
            });
            let atomic = atomic.and_then(|(l, span)| {
                let a = self.fields.iter().position(|f| f.name == l[0].name);
                let b = self.fields.iter().position(|f| f.name == l[1].name);
                match (a, b) {
                    (Some(a), Some(b)) if a <= b => Some((a, b)),
                    (Some(_), Some(_)) => {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::BadAttribute,
                                span,
                                "`atomic` names its last field before its first",
                            )
                            .label("expected `(first_field, last_field)` in declaration order"),
                        );
                        None
                    }
                    _ => {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::UnknownField,
                                span,
                                "`atomic` names a field that does not exist",
                            )
                            .label("unknown field"),
                        );
                        None
                    }
                }
            });
            let info = info.map(|(t, span)| self.check_template(t, span, "info"));
            let title = title.map(|(t, span)| self.check_template(t, span, "title"));
            let bad_length = std::mem::take(&mut self.bad_lengths)
                .into_iter()
                .map(|(f, path, label, _)| ir::BadLength {
                    field: f,
                    path,
                    label,
                })
                .collect();
            Some(ir::LayerMeta {
                short_name,
                info,
                title,
                addresses,
                atomic,
                bad_length,
            })
        } else {
            for (_, _, _, span) in std::mem::take(&mut self.bad_lengths) {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadAttribute,
                        span,
                        "`@bad_length` is for the length fields of layers",
                    )
                    .label("in a struct"),
                );
            }
            None
        };

        // Reverse keys: a table dispatch keyed by a plain wire field.
        let mut reverse_keys = Vec::new();
        if let Some(p) = &self.payload {
            for t in &p.targets {
                if let ir::Target::Table { table, keys } = t {
                    if let Some(ir::Expr::Field(f)) = keys.first() {
                        if keys.len() == 1
                            && matches!(self.fields[*f].init, ir::Init::Plain)
                            && self.fields[*f].kind == ir::FieldKind::Wire
                        {
                            reverse_keys.push((*table, *f));
                        }
                    }
                }
            }
        }

        ir::Struct {
            name: String::new(),
            module: 0,
            doc: Vec::new(),
            layer,
            filter: self.filter.clone(),
            long_name: String::new(),
            endian: self.endian,
            fields: self.fields,
            body,
            segments: self.nseg,
            matches: self.nmatch,
            conds: self.conds,
            min_size: self.min_size,
            bounds: self.bounds,
            payload: self.payload,
            impls: self.impls,
            reverse_keys,
        }
    }

    fn scope<'s>(
        fields: &'s [ir::Field],
        read: &'s HashSet<usize>,
        declared: &'s HashMap<String, Span>,
        is_layer: bool,
    ) -> Scope<'s> {
        Scope {
            fields,
            read,
            declared_later: declared,
            params: &[],
            elem: None,
            is_layer,
        }
    }

    fn int_expr(&mut self, e: &ast::Expr) -> ir::Expr {
        let scope = Self::scope(&self.fields, &self.read, &self.declared, self.is_layer);
        self.an.int_expr(&scope, e)
    }

    fn new_segment(&mut self, items: &mut Vec<Item>) {
        self.nseg += 1;
        self.pos = Pos {
            seg: self.nseg,
            off: 0,
        };
        items.push(Item::Segment(self.nseg));
    }

    fn require_aligned(&mut self, span: Span, what: &str) -> bool {
        if let Some(r) = &self.run {
            let rspan = r.span;
            let bits = r.bits;
            self.an.push(
                Diagnostic::error(
                    ErrorCode::UnalignedBits,
                    rspan,
                    format!(
                        "bit fields end {} bit(s) into a byte before {what}",
                        bits % 8
                    ),
                )
                .label("this run of bit fields is not a whole number of bytes")
                .with_secondary(span, format!("{what} starts here"))
                .note("add the missing bits (`_: uN`) so the run ends on a byte boundary"),
            );
            self.run = None;
            return false;
        }
        true
    }

    fn finish_run_at_end(&mut self) {
        if let Some(r) = self.run.take() {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::UnalignedBits,
                    r.span,
                    format!("bit fields end {} bit(s) into a byte", r.bits % 8),
                )
                .label("this run of bit fields is not a whole number of bytes")
                .note("add the missing bits (`_: uN`) so the run ends on a byte boundary"),
            );
        }
    }

    fn stmts(&mut self, body: &[Stmt]) -> Vec<Item> {
        let mut items = Vec::new();
        for s in body {
            if let Some(sp) = self.saw_payload {
                let is_wire = matches!(
                    s,
                    Stmt::Field(_) | Stmt::Match(_) | Stmt::Pad(_) | Stmt::Payload(_)
                );
                if is_wire {
                    let span = match s {
                        Stmt::Field(f) => f.span,
                        Stmt::Match(m) => m.span,
                        Stmt::Pad(p) => p.span,
                        Stmt::Payload(p) => p.span,
                        _ => sp,
                    };
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BadPayload,
                            span,
                            if matches!(s, Stmt::Payload(_)) {
                                "a layer has one payload statement"
                            } else {
                                "the payload must be the last thing on the wire"
                            },
                        )
                        .label("after the payload")
                        .with_secondary(sp, "payload declared here"),
                    );
                    continue;
                }
            }
            match s {
                Stmt::Field(f) => self.field(f, &mut items),
                Stmt::Let(l) => {
                    if let Some(id) = self.let_stmt(l) {
                        items.push(Item::Let(id));
                    }
                }
                Stmt::Match(m) => self.match_stmt(m, &mut items),
                Stmt::Require(r) => {
                    let cond = self.int_expr(&r.cond);
                    items.push(Item::Require {
                        cond,
                        message: r
                            .message
                            .clone()
                            .unwrap_or_else(|| "requirement not met".to_string()),
                    });
                }
                Stmt::Pad(p) => {
                    if !self.require_aligned(p.span, "padding") {
                        continue;
                    }
                    if p.align == 0 || p.align > 4096 {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::BadAttribute,
                                p.span,
                                "alignment must be between 1 and 4096",
                            )
                            .label("bad alignment"),
                        );
                        continue;
                    }
                    items.push(Item::Pad {
                        align: p.align as u32,
                    });
                    if self.pos.seg == 0 && self.guards.is_empty() {
                        let a = p.align as u32;
                        self.pos.off = self.pos.off.div_ceil(a) * a;
                        self.min_size = self.min_size.max(self.pos.off);
                    } else {
                        self.new_segment(&mut items);
                    }
                }
                Stmt::Payload(p) => self.payload_stmt(p, &mut items),
                Stmt::Fn(f) => self.fn_stmt(f),
            }
        }
        items
    }

    fn payload_stmt(&mut self, p: &ast::PayloadStmt, items: &mut Vec<Item>) {
        if !self.is_layer {
            self.an.push(
                Diagnostic::error(ErrorCode::BadPayload, p.span, "only layers have a payload")
                    .label("in a struct")
                    .note("declare a `layer` or use a `bytes[..]` field"),
            );
            return;
        }
        if !self.guards.is_empty() {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::BadPayload,
                    p.span,
                    "the payload statement cannot be inside a match arm",
                )
                .label("conditional payload")
                .note("use `payload -> ... if cond;` instead"),
            );
            return;
        }
        if !self.require_aligned(p.span, "the payload") {
            return;
        }
        let mut targets = Vec::new();
        for t in &p.targets {
            match t {
                ast::DispatchTarget::Raw(_) => targets.push(ir::Target::Raw),
                ast::DispatchTarget::Layer(id) => match self.an.schema.struct_by_name(&id.name) {
                    Some(s) if self.an.struct_decls[s].1.is_layer => {
                        targets.push(ir::Target::Layer(s))
                    }
                    _ => self.an.push(
                        Diagnostic::error(
                            ErrorCode::UnknownLayer,
                            id.span,
                            format!("unknown layer `{}`", id.name),
                        )
                        .label("not a declared layer"),
                    ),
                },
                ast::DispatchTarget::Table { table, keys, .. } => {
                    let Some(tid) = self.an.schema.table_by_name(&table.name) else {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::UnknownTable,
                                table.span,
                                format!("unknown table `{}`", table.name),
                            )
                            .label("no `table` declaration has this name"),
                        );
                        continue;
                    };
                    let key_enum = self.an.schema.tables[tid].key_enum;
                    let mut xs = Vec::new();
                    for k in keys {
                        let x = self.int_expr(k);
                        // An enum-typed key must be of the table's enum.
                        if let (ir::Expr::Field(f), Some(te)) = (&x, key_enum) {
                            if let ir::Type::Enum(fe) = self.fields[*f].ty {
                                if fe != te {
                                    let enums = &self.an.schema.enums;
                                    let msg = format!(
                                        "key `{}` has type `{}`, but table `{}` is keyed by `{}`",
                                        self.fields[*f].name,
                                        enums[fe].name,
                                        table.name,
                                        enums[te].name
                                    );
                                    let label =
                                        format!("expected a key of type `{}`", enums[te].name);
                                    self.an.push(
                                        Diagnostic::error(ErrorCode::KeyTypeMismatch, k.span, msg)
                                            .label(label),
                                    );
                                }
                            }
                        }
                        xs.push(x);
                    }
                    targets.push(ir::Target::Table {
                        table: tid,
                        keys: xs,
                    });
                }
            }
        }
        let cond = p.cond.as_ref().map(|c| self.int_expr(c));
        self.payload = Some(ir::Payload { targets, cond });
        self.saw_payload = Some(p.span);
        items.push(Item::Payload);
    }

    fn fn_stmt(&mut self, f: &ast::FnDecl) {
        let mut found = None;
        for (iface, _) in &self.implements {
            if let Some(fi) = self.an.schema.interfaces[*iface]
                .fns
                .iter()
                .position(|x| x.name == f.name.name)
            {
                found = Some((*iface, fi));
            }
        }
        let Some((interface, func)) = found else {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::UnknownInterface,
                    f.name.span,
                    format!(
                        "`fn {}` is not part of an implemented interface",
                        f.name.name
                    ),
                )
                .label("unknown function")
                .note("declare it in an `interface` and add `implements Name` to the layer"),
            );
            return;
        };
        let expected = self.an.schema.interfaces[interface].fns[func].params.len();
        if expected != f.params.len() {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::UnknownInterface,
                    f.span,
                    format!(
                        "`fn {}` takes {expected} parameter(s) in its interface",
                        f.name.name
                    ),
                )
                .label("wrong number of parameters"),
            );
            return;
        }
        let params: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
        let all: HashSet<usize> = (0..self.fields.len()).collect();
        let scope = Scope {
            fields: &self.fields,
            read: &all,
            declared_later: &self.declared,
            params: &params,
            elem: None,
            is_layer: self.is_layer,
        };
        let (body, ty) = self.an.expr(&scope, &f.body, None);
        if ty == Ty::Int {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::TypeMismatch,
                    f.body.span,
                    "interface functions return bytes",
                )
                .label("this is an integer")
                .note("write integers with a width: `u8(x)`, `u16(x)`"),
            );
        }
        self.impls.push(ir::FnImpl {
            interface,
            func,
            body,
        });
    }

    fn attrs(&mut self, attrs: &[ast::Attr]) -> FieldAttrs {
        let mut out = FieldAttrs::default();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for a in attrs {
            let name = a.name.name.as_str();
            if name != "alias" {
                if let Some(prev) = seen.get(name) {
                    let prev = *prev;
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::DuplicateAttribute,
                            a.span,
                            format!("attribute `@{name}` is given twice"),
                        )
                        .label("duplicate")
                        .with_secondary(prev, "first given here"),
                    );
                    continue;
                }
                seen.insert(name.to_string(), a.span);
            }
            let str_arg = |a: &ast::Attr| -> Option<String> {
                match a.args.as_slice() {
                    [x] if x.key.is_none() => match &x.value.kind {
                        ExprKind::Str(s) => Some(s.clone()),
                        _ => None,
                    },
                    _ => None,
                }
            };
            let bad = |an: &mut Analyzer, what: &str| {
                an.push(
                    Diagnostic::error(
                        ErrorCode::BadAttribute,
                        a.span,
                        format!("bad arguments to `@{}`", a.name.name),
                    )
                    .label(format!("expected {what}")),
                );
            };
            match name {
                "filter" | "alias" | "label" | "unit" => match str_arg(a) {
                    Some(s) => match name {
                        "filter" => out.filter = Some(s),
                        "alias" => out.aliases.push(s),
                        "label" => out.label = Some(s),
                        _ => out.display.unit = Some(s),
                    },
                    None => bad(self.an, "one string"),
                },
                "bad_length" => {
                    let strs: Vec<Option<String>> = a
                        .args
                        .iter()
                        .map(|x| match (&x.key, &x.value.kind) {
                            (None, ExprKind::Str(s)) => Some(s.clone()),
                            _ => None,
                        })
                        .collect();
                    match strs.as_slice() {
                        [Some(path)] => out.bad_length = Some((path.clone(), None)),
                        [Some(path), Some(label)] => {
                            out.bad_length = Some((path.clone(), Some(label.clone())))
                        }
                        _ => bad(self.an, "a filter path and optionally a label"),
                    }
                }
                "hidden" => {
                    if a.args.is_empty() {
                        out.hidden = true
                    } else {
                        bad(self.an, "no arguments")
                    }
                }
                "zero_means_none" => {
                    if a.args.is_empty() {
                        out.zero_means_none = true
                    } else {
                        bad(self.an, "no arguments")
                    }
                }
                "verify" => match a.args.as_slice() {
                    [x] => match x.value.kind {
                        ExprKind::Bool(b) => out.verify = Some(b),
                        _ => bad(self.an, "`true` or `false`"),
                    },
                    _ => bad(self.an, "`true` or `false`"),
                },
                "default" => match a.args.as_slice() {
                    [x] => match const_eval(&x.value) {
                        Some(v) => out.default = Some(v),
                        None => bad(self.an, "a constant"),
                    },
                    _ => bad(self.an, "a constant"),
                },
                "display" => {
                    let mut ok = !a.args.is_empty() && a.args.len() <= 2;
                    if let Some(x) = a.args.first() {
                        match &x.value.kind {
                            ExprKind::Path(p) => {
                                out.display.base = match p.as_str() {
                                    "dec" => ir::Base::Dec,
                                    "hex" => ir::Base::Hex,
                                    "dec_hex" => ir::Base::DecHex,
                                    "hex_dec" => ir::Base::HexDec,
                                    "oct" => ir::Base::Oct,
                                    _ => {
                                        ok = false;
                                        ir::Base::Dec
                                    }
                                }
                            }
                            _ => ok = false,
                        }
                    }
                    if let Some(x) = a.args.get(1) {
                        match const_eval(&x.value) {
                            Some(d) if d > 0 && d <= 16 => out.display.hex_digits = d as u8,
                            _ => ok = false,
                        }
                    }
                    if !ok {
                        bad(
                            self.an,
                            "a base (`dec`, `hex`, `dec_hex`, `hex_dec`, `oct`) and optionally hex digits",
                        );
                    }
                }
                _ => self.an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownAttribute,
                        a.name.span,
                        format!("unknown attribute `@{name}`"),
                    )
                    .label("not a field attribute")
                    .note("field attributes: filter, alias, label, unit, display, hidden, default, verify, zero_means_none, bad_length"),
                ),
            }
        }
        out
    }

    fn path_for(&self, name: &str, parent: Option<usize>, attrs: &FieldAttrs) -> String {
        if let Some(f) = &attrs.filter {
            return f.clone();
        }
        let last = name.rsplit('.').next().unwrap_or(name);
        match parent {
            Some(p) => format!("{}.{}", self.fields[p].path, last),
            None => format!("{}.{}", self.filter, last),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_field(
        &mut self,
        name: String,
        doc: &[String],
        ty: ir::Type,
        kind: ir::FieldKind,
        parent: Option<usize>,
        attrs: FieldAttrs,
        span: Span,
    ) -> usize {
        if self.fields.iter().any(|f| f.name == name) {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::DuplicateField,
                    span,
                    format!("field `{name}` is declared twice"),
                )
                .label("duplicate name")
                .with_secondary(
                    self.declared.get(&name).copied().unwrap_or(span),
                    "first declared here",
                )
                .note("fields in different match arms also need distinct names"),
            );
        }
        let path = self.path_for(&name, parent, &attrs);
        let label = attrs.label.clone().unwrap_or_else(|| humanize(&name));
        if let Some((p, l)) = attrs.bad_length.clone() {
            let l = l.unwrap_or_else(|| format!("Bad {}", label.to_lowercase()));
            self.bad_lengths.push((self.fields.len(), p, l, span));
        }
        self.fields.push(ir::Field {
            ident: accessor_ident(&name),
            name,
            path,
            aliases: attrs.aliases,
            label,
            doc: doc.to_vec(),
            ty,
            kind,
            loc: None,
            guards: self.guards.clone(),
            init: ir::Init::Plain,
            parent,
            children: Vec::new(),
            display: attrs.display,
            hidden: attrs.hidden,
            static_offset: None,
            default: attrs.default,
        });
        self.fields.len() - 1
    }

    fn let_stmt(&mut self, l: &ast::LetDecl) -> Option<usize> {
        let attrs = self.attrs(&l.attrs);
        if l.ty.name == "bytes" {
            // A named view of a region's bytes (Wireshark's per-option byte items).
            let scope = Self::scope(&self.fields, &self.read, &self.declared, self.is_layer);
            let (value, _) = self.an.expr(&scope, &l.value, None);
            if !matches!(value, ir::Expr::Bytes(_)) {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        l.value.span,
                        "a `bytes` let names a region",
                    )
                    .label("expected `self`, `header` or `payload`"),
                );
                return None;
            }
            let id = self.new_field(
                l.name.name.clone(),
                &l.doc,
                ir::Type::Bytes(ir::ArraySize::ToEnd),
                ir::FieldKind::Let(value),
                None,
                attrs,
                l.span,
            );
            self.read.insert(id);
            return Some(id);
        }
        let addr_ty = match l.ty.name.as_str() {
            "mac" => Some(ir::Type::Mac),
            "ipv4" => Some(ir::Type::Ipv4),
            "eui64" => Some(ir::Type::Eui64),
            _ => None,
        };
        if let Some(ty) = addr_ty {
            // An address computed from integers (its big-endian value).
            let all: HashSet<usize> = (0..self.fields.len()).collect();
            let scope = Self::scope(&self.fields, &all, &self.declared, self.is_layer);
            let value = self.an.int_expr(&scope, &l.value);
            let id = self.new_field(
                l.name.name.clone(),
                &l.doc,
                ty,
                ir::FieldKind::Let(value),
                None,
                attrs,
                l.span,
            );
            self.read.insert(id);
            return Some(id);
        }
        let (bits, en) = int_type(self.an, &l.ty)?;
        let ty = match en {
            Some(e) => ir::Type::Enum(e),
            None if l.ty.name == "bool" => ir::Type::Bool,
            None => ir::Type::UInt(bits),
        };
        // A let is computed on demand, after parsing: fields still in a
        // pending bit run are fine.
        let all: HashSet<usize> = (0..self.fields.len()).collect();
        let scope = Self::scope(&self.fields, &all, &self.declared, self.is_layer);
        let value = self.an.int_expr(&scope, &l.value);
        let id = self.new_field(
            l.name.name.clone(),
            &l.doc,
            ty,
            ir::FieldKind::Let(value),
            None,
            attrs,
            l.span,
        );
        self.read.insert(id);
        Some(id)
    }

    /// Resolves the scalar width/enum/bool of a bits member type name.
    fn scalar_of(&mut self, name: &ast::Ident) -> Option<(ir::Type, u8, Option<Endian>)> {
        match builtin_type(&name.name) {
            Some(Ok(Builtin::UInt(b, e))) => Some((ir::Type::UInt(b), b, e)),
            Some(Ok(Builtin::Int(b, e))) => Some((ir::Type::Int(b), b, e)),
            Some(Ok(Builtin::Bool)) => Some((ir::Type::Bool, 1, None)),
            Some(Ok(_)) => None,
            Some(Err(msg)) => {
                let code = if msg.contains("byte order") {
                    ErrorCode::BadEndianSuffix
                } else {
                    ErrorCode::BadWidth
                };
                self.an.err(code, name.span, msg);
                None
            }
            None => self.an.enum_id(&name.name).map(|e| {
                let bits = self.an.schema.enums[e].bits;
                (ir::Type::Enum(e), bits, None)
            }),
        }
    }

    /// Lowers the sub-fields of a bits container; returns false on error.
    fn bits_children(
        &mut self,
        container: usize,
        width: u8,
        order: BitOrder,
        fields: &[ast::FieldDecl],
        span: Span,
    ) -> bool {
        let mut pos: u32 = 0;
        let mut ok = true;
        for sf in fields {
            let (name, reserved) = if sf.name.name == "_" {
                self.reserved += 1;
                (
                    format!("{}._reserved{}", self.fields[container].name, self.reserved),
                    true,
                )
            } else {
                (
                    format!("{}.{}", self.fields[container].name, sf.name.name),
                    false,
                )
            };
            let mut attrs = self.attrs(&sf.attrs);
            if reserved {
                attrs.hidden = true;
            }
            let (ty, bits, inner): (ir::Type, u8, Option<(BitOrder, &[ast::FieldDecl])>) = match &sf
                .ty
            {
                ast::TypeRef::InlineBits {
                    repr,
                    order: o,
                    fields: ff,
                    ..
                } => match self.scalar_of(repr) {
                    Some((ir::Type::UInt(b), _, _)) => (
                        ir::Type::UInt(b),
                        b,
                        Some((o.unwrap_or(BitOrder::Msb0), ff.as_slice())),
                    ),
                    _ => {
                        self.an.err(
                            ErrorCode::TypeMismatch,
                            repr.span,
                            "a bits container must be an unsigned integer",
                        );
                        ok = false;
                        continue;
                    }
                },
                ast::TypeRef::Named {
                    name: tn, array, ..
                } => {
                    if array.is_some() {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::BadArrayElement,
                                sf.ty.span(),
                                "bit fields cannot be arrays",
                            )
                            .label("array in a bits container"),
                        );
                        ok = false;
                        continue;
                    }
                    if let Some((Symbol::Bits(bi), _)) = self.an.symbols.get(&tn.name) {
                        let bd = self.an.bits_decls[*bi].1;
                        match self.scalar_of(&bd.repr) {
                            Some((ir::Type::UInt(b), _, _)) => (
                                ir::Type::UInt(b),
                                b,
                                Some((bd.order.unwrap_or(BitOrder::Msb0), bd.fields.as_slice())),
                            ),
                            _ => {
                                ok = false;
                                continue;
                            }
                        }
                    } else {
                        match self.scalar_of(tn) {
                            Some((t, b, _)) => (t, b, None),
                            None => {
                                if builtin_type(&tn.name).is_none()
                                    && self.an.enum_id(&tn.name).is_none()
                                {
                                    self.an.push(
                                        Diagnostic::error(
                                            ErrorCode::UnknownType,
                                            tn.span,
                                            format!("unknown type `{}`", tn.name),
                                        )
                                        .label("not an integer, bool, enum or bits type"),
                                    );
                                } else {
                                    self.an.push(
                                        Diagnostic::error(
                                            ErrorCode::TypeMismatch,
                                            tn.span,
                                            format!("`{}` cannot be a bit field", tn.name),
                                        )
                                        .label("bit fields are integers, bools, enums or bits"),
                                    );
                                }
                                ok = false;
                                continue;
                            }
                        }
                    }
                }
            };
            let id = self.new_field(
                name,
                &sf.doc,
                ty,
                ir::FieldKind::Sub,
                Some(container),
                attrs,
                sf.span,
            );
            self.fields[container].children.push(id);
            if reserved {
                self.fields[id].init = ir::Init::Reserved;
            }
            match &sf.init {
                None => {}
                Some(ast::FieldInit::Fixed(e)) => match const_eval(e) {
                    Some(v) if fits(v, bits) => self.fields[id].init = ir::Init::Fixed(v),
                    Some(v) => self.an.push(
                        Diagnostic::error(
                            ErrorCode::ValueTooWide,
                            e.span,
                            format!("{v} does not fit in {bits} bits"),
                        )
                        .label("too wide"),
                    ),
                    None => self.an.err(
                        ErrorCode::TypeMismatch,
                        e.span,
                        "a fixed value must be a constant",
                    ),
                },
                Some(_) => self.an.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        sf.span,
                        "bit fields inside a container cannot be derived or checksums",
                    )
                    .label("move it out of the container"),
                ),
            }
            let rel = match order {
                BitOrder::Msb0 => (width as u32).saturating_sub(pos + bits as u32),
                BitOrder::Lsb0 => pos,
            };
            self.child_shift.insert(id, rel as u8);
            if let Some((o, ff)) = inner {
                if !self.bits_children(id, bits, o, ff, sf.span) {
                    ok = false;
                }
            }
            pos += bits as u32;
        }
        if pos != width as u32 && ok {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::BitsWidthMismatch,
                    span,
                    format!("sub-fields add up to {pos} bits, the container has {width}"),
                )
                .label("widths do not add up")
                .note("declare every bit, using `_: uN` for reserved bits"),
            );
            ok = false;
        }
        ok
    }

    /// Places a completed run and its members (and their children).
    fn place_run(&mut self, r: PendingRun) {
        let bytes = (r.bits / 8) as u8;
        let mut pos = 0u32;
        for (fid, bits) in &r.members {
            let shift = (r.bits - pos - *bits as u32) as u8;
            self.place(*fid, r.seg, r.off, bytes, r.endian, shift, *bits);
            pos += *bits as u32;
        }
        let always = self.pos_is_static_for(r.seg);
        if always {
            self.min_size = self.min_size.max(r.off + bytes as u32);
        }
    }

    fn pos_is_static_for(&self, seg: u16) -> bool {
        seg == 0 && self.guards.is_empty()
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        &mut self,
        fid: usize,
        seg: u16,
        off: u32,
        bytes: u8,
        endian: Endian,
        shift: u8,
        bits: u8,
    ) {
        self.fields[fid].loc = Some(Loc {
            seg,
            offset: off,
            run: Some(Run {
                bytes,
                endian,
                shift,
                bits,
            }),
        });
        if seg == 0 && self.fields[fid].guards.is_empty() {
            self.fields[fid].static_offset = Some(off);
        }
        self.read.insert(fid);
        for c in self.fields[fid].children.clone() {
            let rel = self.child_shift.get(&c).copied().unwrap_or(0);
            let cbits = match self.fields[c].ty {
                ir::Type::UInt(b) | ir::Type::Int(b) => b,
                ir::Type::Bool => 1,
                ir::Type::Enum(e) => self.an.schema.enums[e].bits,
                _ => 0,
            };
            self.place(c, seg, off, bytes, endian, shift + rel, cbits);
        }
    }

    fn field(&mut self, f: &ast::FieldDecl, items: &mut Vec<Item>) {
        let reserved = f.name.name == "_";
        let name = if reserved {
            self.reserved += 1;
            format!("_reserved{}", self.reserved)
        } else {
            f.name.name.clone()
        };
        let mut attrs = self.attrs(&f.attrs);
        if reserved {
            attrs.hidden = true;
        }
        let zero_means_none = attrs.zero_means_none;
        let verify = attrs.verify;

        // What kind of thing is the type?
        enum Shape<'x> {
            /// Integer-like, `bits` wide, with optional container children.
            Scalar(
                ir::Type,
                u8,
                Option<Endian>,
                Option<(BitOrder, &'x [ast::FieldDecl])>,
            ),
            /// Fixed-size bytes (mac, ipv4, ...).
            Fixed(ir::Type, u32),
            /// Variable size.
            Var(ir::Type),
        }
        let shape = match &f.ty {
            ast::TypeRef::InlineBits {
                repr,
                order,
                fields,
                ..
            } => match self.scalar_of(repr) {
                Some((ir::Type::UInt(b), _, e)) => Shape::Scalar(
                    ir::Type::UInt(b),
                    b,
                    e,
                    Some((order.unwrap_or(BitOrder::Msb0), fields.as_slice())),
                ),
                Some(_) => {
                    self.an.err(
                        ErrorCode::TypeMismatch,
                        repr.span,
                        "a bits container must be an unsigned integer",
                    );
                    return;
                }
                None => {
                    if builtin_type(&repr.name).is_none() {
                        self.an.err(
                            ErrorCode::UnknownType,
                            repr.span,
                            format!("unknown type `{}`", repr.name),
                        );
                    }
                    return;
                }
            },
            ast::TypeRef::Named {
                name: tn, array, ..
            } => {
                let size = match array {
                    None => None,
                    Some(spec) => match self.array_size(spec, tn) {
                        Some(s) => Some(s),
                        None => return,
                    },
                };
                let base = builtin_type(&tn.name);
                match (base, size) {
                    (Some(Err(msg)), _) => {
                        let code = if msg.contains("byte order") {
                            ErrorCode::BadEndianSuffix
                        } else {
                            ErrorCode::BadWidth
                        };
                        self.an.err(code, tn.span, msg);
                        return;
                    }
                    (Some(Ok(Builtin::Bytes)), Some(sz)) => Shape::Var(ir::Type::Bytes(sz)),
                    (Some(Ok(Builtin::Bytes)), None) => {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::BadArrayElement,
                                tn.span,
                                "`bytes` needs a size",
                            )
                            .label("write `bytes[n]`, `bytes[size: e]` or `bytes[..]`"),
                        );
                        return;
                    }
                    (Some(Ok(b)), None) => match b {
                        Builtin::UInt(w, e) => Shape::Scalar(ir::Type::UInt(w), w, e, None),
                        Builtin::Int(w, e) => Shape::Scalar(ir::Type::Int(w), w, e, None),
                        Builtin::Bool => Shape::Scalar(ir::Type::Bool, 1, None, None),
                        Builtin::Mac => Shape::Fixed(ir::Type::Mac, 6),
                        Builtin::Ipv4 => Shape::Fixed(ir::Type::Ipv4, 4),
                        Builtin::Ipv6 => Shape::Fixed(ir::Type::Ipv6, 16),
                        Builtin::Eui64 => Shape::Fixed(ir::Type::Eui64, 8),
                        Builtin::Bytes => unreachable!(),
                    },
                    (Some(Ok(b)), Some(sz)) => {
                        if let Builtin::UInt(_, Some(e)) | Builtin::Int(_, Some(e)) = b {
                            if e != self.endian {
                                self.an.push(
                                    Diagnostic::error(
                                        ErrorCode::BadEndianSuffix,
                                        tn.span,
                                        "array elements use the file's byte order",
                                    )
                                    .label("a different byte order for elements is not supported")
                                    .note("set `endian little;` for the file, or use a struct element"),
                                );
                                return;
                            }
                        }
                        let elem = match b {
                            Builtin::UInt(w, _) | Builtin::Int(w, _) if w % 8 == 0 => {
                                if matches!(b, Builtin::Int(..)) {
                                    ir::Type::Int(w)
                                } else {
                                    ir::Type::UInt(w)
                                }
                            }
                            Builtin::Mac => ir::Type::Mac,
                            Builtin::Ipv4 => ir::Type::Ipv4,
                            Builtin::Ipv6 => ir::Type::Ipv6,
                            Builtin::Eui64 => ir::Type::Eui64,
                            _ => {
                                self.an.push(
                                    Diagnostic::error(
                                        ErrorCode::BadArrayElement,
                                        tn.span,
                                        format!("`{}` cannot be an array element", tn.name),
                                    )
                                    .label("array elements are whole bytes: uN with N a multiple of 8, addresses, enums of whole bytes, structs"),
                                );
                                return;
                            }
                        };
                        Shape::Var(ir::Type::Array(Box::new(elem), sz))
                    }
                    (None, size) => match self.an.symbols.get(&tn.name).map(|x| x.0) {
                        Some(Symbol::Enum(e)) => {
                            let bits = self.an.schema.enums[e].bits;
                            match size {
                                None => Shape::Scalar(ir::Type::Enum(e), bits, None, None),
                                Some(sz) if bits.is_multiple_of(8) => {
                                    Shape::Var(ir::Type::Array(Box::new(ir::Type::Enum(e)), sz))
                                }
                                Some(_) => {
                                    self.an.push(
                                        Diagnostic::error(
                                            ErrorCode::BadArrayElement,
                                            tn.span,
                                            format!(
                                                "enum `{}` is not a whole number of bytes",
                                                tn.name
                                            ),
                                        )
                                        .label("cannot be an array element"),
                                    );
                                    return;
                                }
                            }
                        }
                        Some(Symbol::Bits(bi)) => {
                            if size.is_some() {
                                self.an.push(
                                    Diagnostic::error(
                                        ErrorCode::BadArrayElement,
                                        tn.span,
                                        "bits containers cannot be array elements",
                                    )
                                    .label("wrap it in a struct"),
                                );
                                return;
                            }
                            let bd = self.an.bits_decls[bi].1;
                            match self.scalar_of(&bd.repr) {
                                Some((ir::Type::UInt(b), _, e)) => Shape::Scalar(
                                    ir::Type::UInt(b),
                                    b,
                                    e,
                                    Some((
                                        bd.order.unwrap_or(BitOrder::Msb0),
                                        bd.fields.as_slice(),
                                    )),
                                ),
                                _ => {
                                    self.an.err(
                                        ErrorCode::TypeMismatch,
                                        bd.repr.span,
                                        "a bits container must be an unsigned integer",
                                    );
                                    return;
                                }
                            }
                        }
                        Some(Symbol::Struct(si)) => {
                            if self.an.struct_decls[si].1.is_layer {
                                self.an.push(
                                    Diagnostic::error(
                                        ErrorCode::TypeMismatch,
                                        tn.span,
                                        format!("`{}` is a layer; fields hold structs", tn.name),
                                    )
                                    .label("layers are reached through `payload ->`"),
                                );
                                return;
                            }
                            match size {
                                None => Shape::Var(ir::Type::Struct(si)),
                                Some(sz) => {
                                    Shape::Var(ir::Type::Array(Box::new(ir::Type::Struct(si)), sz))
                                }
                            }
                        }
                        _ => {
                            self.an.push(
                                Diagnostic::error(
                                    ErrorCode::UnknownType,
                                    tn.span,
                                    format!("unknown type `{}`", tn.name),
                                )
                                .label("not a built-in type and not declared in any file"),
                            );
                            return;
                        }
                    },
                }
            }
        };

        let cond = f.cond.as_ref().map(|c| self.int_expr(c));
        let span = f.span;

        match shape {
            Shape::Scalar(ty, bits, endian, children) => {
                if cond.is_some() && (self.run.is_some() || bits % 8 != 0) {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::UnalignedBits,
                            span,
                            "a conditional field must start and end on byte boundaries",
                        )
                        .label("conditional bit field")
                        .note("wrap the bits in a `bits uN { ... }` container of whole bytes"),
                    );
                    return;
                }
                if let Some(c) = &cond {
                    self.push_cond(c.clone());
                }
                let id = self.new_field(name, &f.doc, ty, ir::FieldKind::Wire, None, attrs, span);
                if reserved {
                    self.fields[id].init = ir::Init::Reserved;
                }
                if let Some((order, ff)) = children {
                    self.bits_children(id, bits, order, ff, f.ty.span());
                }
                self.init(id, f, bits, zero_means_none, verify);
                // Join or start a run. A byte-order suffix only means something
                // for a field that is a run of its own.
                if endian.is_some() && (self.run.is_some() || bits % 8 != 0) {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BadEndianSuffix,
                            f.ty.span(),
                            "a byte-order suffix on a field inside a run of bit fields",
                        )
                        .label("the run is read in one byte order")
                        .note("give the byte order to a `bits uNle {...}` container instead"),
                    );
                }
                let run_endian = endian.unwrap_or(self.endian);
                match &mut self.run {
                    Some(r) => {
                        r.members.push((id, bits));
                        r.bits += bits as u32;
                    }
                    None => {
                        self.run = Some(PendingRun {
                            seg: self.pos.seg,
                            off: self.pos.off,
                            endian: run_endian,
                            members: vec![(id, bits)],
                            bits: bits as u32,
                            span,
                        });
                    }
                }
                let r = self.run.as_ref().expect("run");
                if r.bits > 64 {
                    let rspan = r.span;
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BitRunTooWide,
                            span,
                            "a run of bit fields is wider than 64 bits",
                        )
                        .label("the run reaches past 64 bits here")
                        .with_secondary(rspan, "the run starts here"),
                    );
                    self.run = None;
                } else if r.bits.is_multiple_of(8) {
                    let r = self.run.take().expect("run");
                    let bytes = r.bits / 8;
                    self.place_run(r);
                    self.pos.off += bytes;
                }
                items.push(Item::Field(id));
                if cond.is_some() {
                    self.guards.pop();
                    self.fields[id].static_offset = None;
                    self.new_segment(items);
                }
            }
            Shape::Fixed(ty, size) => {
                if !self.require_aligned(span, "this field") {
                    return;
                }
                if let Some(c) = &cond {
                    self.push_cond(c.clone());
                }
                let id = self.new_field(name, &f.doc, ty, ir::FieldKind::Wire, None, attrs, span);
                self.init(id, f, (size * 8).min(64) as u8, zero_means_none, verify);
                self.fields[id].loc = Some(Loc {
                    seg: self.pos.seg,
                    offset: self.pos.off,
                    run: None,
                });
                if self.pos_is_static_for(self.pos.seg) {
                    self.fields[id].static_offset = Some(self.pos.off);
                    self.min_size = self.min_size.max(self.pos.off + size);
                }
                self.read.insert(id);
                self.pos.off += size;
                items.push(Item::Field(id));
                if cond.is_some() {
                    self.guards.pop();
                    self.new_segment(items);
                }
            }
            Shape::Var(ty) => {
                if !self.require_aligned(span, "this field") {
                    return;
                }
                if let Some(c) = &cond {
                    self.push_cond(c.clone());
                }
                let id = self.new_field(name, &f.doc, ty, ir::FieldKind::Wire, None, attrs, span);
                if let Some(init) = &f.init {
                    let s = match init {
                        ast::FieldInit::Fixed(e) | ast::FieldInit::Derive(e) => e.span,
                        ast::FieldInit::Checksum { algo, .. } => algo.span,
                    };
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::TypeMismatch,
                            s,
                            "only integer fields can be fixed, derived or checksums",
                        )
                        .label("not allowed on a variable-size field"),
                    );
                }
                self.fields[id].loc = Some(Loc {
                    seg: self.pos.seg,
                    offset: self.pos.off,
                    run: None,
                });
                if self.pos_is_static_for(self.pos.seg) {
                    self.fields[id].static_offset = Some(self.pos.off);
                }
                self.read.insert(id);
                items.push(Item::Field(id));
                if cond.is_some() {
                    self.guards.pop();
                }
                self.new_segment(items);
            }
        }
    }

    /// Allocates a presence bit for a conditional field and guards what follows.
    fn push_cond(&mut self, cond: ir::Expr) {
        let index = self.conds.len() as u16;
        self.conds.push(cond);
        self.guards.push(Guard::Cond { index });
    }

    fn array_size(&mut self, spec: &ast::ArraySpec, elem: &ast::Ident) -> Option<ir::ArraySize> {
        Some(match spec {
            ast::ArraySpec::ToEnd(_) => ir::ArraySize::ToEnd,
            ast::ArraySpec::Count(e) => ir::ArraySize::Count(self.int_expr(e)),
            ast::ArraySpec::Size(e) => ir::ArraySize::Size(self.int_expr(e)),
            ast::ArraySpec::Until(e) => {
                let elem_struct = match self.an.symbols.get(&elem.name) {
                    Some((Symbol::Struct(s), _)) => Some(*s),
                    _ => None,
                };
                let Some(es) = elem_struct else {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BadArrayElement,
                            e.span,
                            "`until:` needs struct elements",
                        )
                        .label("the predicate reads fields of the element through `it`"),
                    );
                    return None;
                };
                let scope = Scope {
                    fields: &self.fields,
                    read: &self.read,
                    declared_later: &self.declared,
                    params: &[],
                    elem: Some(es),
                    is_layer: self.is_layer,
                };
                ir::ArraySize::Until(self.an.int_expr(&scope, e))
            }
        })
    }

    /// Fixed values, derived equations and checksums of a scalar field.
    fn init(
        &mut self,
        id: usize,
        f: &ast::FieldDecl,
        bits: u8,
        zero_means_none: bool,
        verify: Option<bool>,
    ) {
        let Some(init) = &f.init else {
            if zero_means_none || verify.is_some() {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadAttribute,
                        f.span,
                        "`@zero_means_none` and `@verify` apply to checksum fields",
                    )
                    .label("not a checksum"),
                );
            }
            return;
        };
        let is_int = self.fields[id].ty.is_integer();
        if matches!(init, ast::FieldInit::Checksum { .. }) && !is_int {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::ChecksumWidth,
                    f.ty.span(),
                    "a checksum field must be an unsigned integer",
                )
                .label("not an integer"),
            );
            return;
        }
        match init {
            ast::FieldInit::Fixed(e) => match const_eval(e) {
                Some(v) if !is_int => {
                    let _ = v;
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::TypeMismatch,
                            e.span,
                            "only integer fields can have a fixed value",
                        )
                        .label("not an integer field"),
                    );
                }
                Some(v) if fits(v, bits) => self.fields[id].init = ir::Init::Fixed(v),
                Some(v) => self.an.push(
                    Diagnostic::error(
                        ErrorCode::ValueTooWide,
                        e.span,
                        format!("{v} does not fit in {bits} bits"),
                    )
                    .label("too wide for the field"),
                ),
                None => {
                    // A variant name of the field's enum is a constant too.
                    let ev = match (&e.kind, &self.fields[id].ty) {
                        (ExprKind::Path(p), ir::Type::Enum(en)) => self.an.schema.enums[*en]
                            .variants
                            .iter()
                            .find(|v| &v.name == p)
                            .map(|v| v.lo),
                        _ => None,
                    };
                    match ev {
                        Some(v) => self.fields[id].init = ir::Init::Fixed(v),
                        None => self.an.push(
                            Diagnostic::error(
                                ErrorCode::TypeMismatch,
                                e.span,
                                "a fixed value must be a constant",
                            )
                            .label("not a constant")
                            .note("use `derive(...)` for computed values"),
                        ),
                    }
                }
            },
            ast::FieldInit::Derive(e) => {
                if !is_int {
                    self.an.err(
                        ErrorCode::TypeMismatch,
                        e.span,
                        "only integer fields can be derived",
                    );
                    return;
                }
                self.derive(id, e);
            }
            ast::FieldInit::Checksum { algo, cover } => {
                let Some(a) = ir::Algo::from_name(&algo.name) else {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::UnknownChecksum,
                            algo.span,
                            format!("unknown checksum algorithm `{}`", algo.name),
                        )
                        .label("not a checksum algorithm")
                        .note("algorithms: internet16, crc32, crc16_kermit, crc16_ccitt, xor8"),
                    );
                    return;
                };
                if a.bits() != bits {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::ChecksumWidth,
                            f.ty.span(),
                            format!(
                                "`{}` produces {} bits, the field has {bits}",
                                a.name(),
                                a.bits()
                            ),
                        )
                        .label("width mismatch"),
                    );
                    return;
                }
                let all: HashSet<usize> = self.read.clone();
                let scope = Scope {
                    fields: &self.fields,
                    read: &all,
                    declared_later: &self.declared,
                    params: &[],
                    elem: None,
                    is_layer: self.is_layer,
                };
                let (x, ty) = self.an.expr(&scope, cover, None);
                if ty == Ty::Int {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BadChecksumCoverage,
                            cover.span,
                            "a checksum covers bytes",
                        )
                        .label("this is an integer")
                        .note("cover regions (`self`, `header`, `payload`), fields, `u16(x)` or `under.f(...)`, joined with `++`"),
                    );
                    return;
                }
                let mut pieces = Vec::new();
                flatten_concat(x, &mut pieces);
                for p in &pieces {
                    let ok = match p {
                        ir::Expr::Bytes(_) | ir::Expr::Cast(..) | ir::Expr::Under { .. } => true,
                        ir::Expr::Field(fid) => matches!(
                            self.fields[*fid].ty,
                            ir::Type::Mac
                                | ir::Type::Ipv4
                                | ir::Type::Ipv6
                                | ir::Type::Eui64
                                | ir::Type::Bytes(_)
                        ),
                        _ => false,
                    };
                    if !ok {
                        self.an.push(
                            Diagnostic::error(
                                ErrorCode::BadChecksumCoverage,
                                cover.span,
                                "a checksum can only cover regions, byte fields, casts and lower-layer functions",
                            )
                            .label("unsupported piece of coverage"),
                        );
                        return;
                    }
                }
                self.fields[id].init = ir::Init::Checksum(ir::Checksum {
                    algo: a,
                    cover: pieces,
                    zero_means_none,
                    verify_default: verify.unwrap_or(true),
                });
                if self.fields[id].display == ir::Display::default() {
                    self.fields[id].display.base = ir::Base::Hex;
                }
            }
        }
    }

    /// Solves `field = derive(expr)` for an affine `expr` of one measure.
    fn derive(&mut self, id: usize, e: &ast::Expr) {
        let mut ops = Vec::new();
        let Some((measure, is_count, mspan)) = self.affine(e, &mut ops) else {
            return;
        };
        if ops
            .iter()
            .any(|o| matches!(o, AffineOp::Div(0) | AffineOp::Mul(0)))
        {
            self.an.push(
                Diagnostic::error(
                    ErrorCode::NotInvertible,
                    e.span,
                    "multiplying or dividing by zero is not invertible",
                )
                .label("not invertible"),
            );
            return;
        }
        let region = match (measure.as_str(), is_count) {
            ("self", false) => Some(Region::Whole),
            ("header", false) | ("payload", false) if !self.is_layer => {
                self.an.push(
                    Diagnostic::error(
                        ErrorCode::BadRegion,
                        mspan,
                        format!("`{measure}` only exists in layers"),
                    )
                    .label("structs have no header/payload split; use `self`"),
                );
                return;
            }
            ("header", false) => Some(Region::Header),
            ("payload", false) => Some(Region::Payload),
            _ => None,
        };
        match region {
            Some(r) => {
                let key: &'static str = match r {
                    Region::Whole => "self",
                    Region::Header => "header",
                    _ => "payload",
                };
                if let Some(prev) = self.bounded.get(key) {
                    let prev = *prev;
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::RegionBoundTwice,
                            e.span,
                            format!("the size of `{key}` is already derived by another field"),
                        )
                        .label("second bound")
                        .with_secondary(prev, "first bound here"),
                    );
                    return;
                }
                if !self.guards.is_empty() && r != Region::Whole {
                    self.an.push(
                        Diagnostic::error(
                            ErrorCode::BadRegion,
                            e.span,
                            "a conditional field can only bound `self`",
                        )
                        .label("header and payload bounds must always be present"),
                    );
                    return;
                }
                self.bounded.insert(key, e.span);
                self.bounds.push(ir::Bound {
                    field: id,
                    measure: Measure::Size(r),
                    ops,
                });
                self.fields[id].init = ir::Init::Derived(self.bounds.len() - 1);
            }
            None => {
                // A later field: resolved once the struct is complete.
                self.fields[id].init = ir::Init::Plain;
                self.pending_bounds
                    .push((id, measure, is_count, ops, mspan));
            }
        }
    }

    /// Decomposes an affine expression; returns the measured name.
    fn affine(&mut self, e: &ast::Expr, ops: &mut Vec<AffineOp>) -> Option<(String, bool, Span)> {
        use ast::BinOp::*;
        let not_inv = |an: &mut Analyzer, span: Span| {
            an.push(
                Diagnostic::error(
                    ErrorCode::NotInvertible,
                    span,
                    "a derived value must be an affine function of one `sizeof` or `count`",
                )
                .label("cannot be inverted")
                .note("allowed: sizeof(x), count(x), combined with + - * / by constants (e.g. `sizeof(header) / 4`)"),
            );
        };
        match &e.kind {
            ExprKind::Call(n, args) if (n == "sizeof" || n == "count") && args.len() == 1 => {
                if let ExprKind::Path(p) = &args[0].kind {
                    Some((p.clone(), n == "count", args[0].span))
                } else {
                    not_inv(self.an, e.span);
                    None
                }
            }
            ExprKind::Binary(op @ (Add | Sub | Mul | Div), a, b) => {
                let (ca, cb) = (const_eval(a), const_eval(b));
                match (ca, cb) {
                    (None, Some(c)) => {
                        let m = self.affine(a, ops)?;
                        ops.push(match op {
                            Add => AffineOp::Add(c),
                            Sub => AffineOp::Sub(c),
                            Mul => AffineOp::Mul(c),
                            _ => AffineOp::Div(c),
                        });
                        Some(m)
                    }
                    (Some(c), None) if matches!(op, Add | Mul) => {
                        let m = self.affine(b, ops)?;
                        ops.push(if *op == Add {
                            AffineOp::Add(c)
                        } else {
                            AffineOp::Mul(c)
                        });
                        Some(m)
                    }
                    _ => {
                        not_inv(self.an, e.span);
                        None
                    }
                }
            }
            _ => {
                not_inv(self.an, e.span);
                None
            }
        }
    }

    fn match_stmt(&mut self, m: &ast::MatchStmt, items: &mut Vec<Item>) {
        if !self.require_aligned(m.span, "the match") {
            return;
        }
        let scope = Self::scope(&self.fields, &self.read, &self.declared, self.is_layer);
        let (discr, ty) = self.an.expr(&scope, &m.discr, None);
        if ty == Ty::Bytes {
            self.an.err(
                ErrorCode::TypeMismatch,
                m.discr.span,
                "a match discriminant must be an integer",
            );
            return;
        }
        let (bits, key_enum) = match &discr {
            ir::Expr::Field(f) => match &self.fields[*f].ty {
                ir::Type::Enum(e) => (self.an.schema.enums[*e].bits, Some(*e)),
                ir::Type::UInt(b) => (*b, None),
                ir::Type::Bool => (1, None),
                _ => (64, None),
            },
            _ => (64, None),
        };
        let index = self.nmatch;
        self.nmatch += 1;
        let start = self.pos;
        let mut ends = Vec::new();
        let mut arms = Vec::new();
        // Arms are exclusive: their segments share slots.
        let seg_base = self.nseg;
        let mut seg_max = seg_base;
        let what = "the match discriminant".to_string();
        for (ai, arm) in m.arms.iter().enumerate() {
            let mut patterns = Vec::new();
            let mut wildcard = false;
            for p in &arm.patterns {
                if matches!(p, ast::Pattern::Wildcard(_)) {
                    wildcard = true;
                    continue;
                }
                if let Some(r) = resolve_key(self.an, p, bits, key_enum, &what) {
                    patterns.push(r);
                }
            }
            if wildcard {
                patterns.clear();
            }
            self.guards.push(Guard::Arm {
                index,
                arm: ai as u16,
            });
            self.pos = start;
            self.nseg = seg_base;
            let body = self.stmts(&arm.body);
            seg_max = seg_max.max(self.nseg);
            if self.run.is_some() {
                self.require_aligned(arm.span, "the end of the arm");
            }
            self.guards.pop();
            ends.push(self.pos);
            arms.push(ir::Arm { patterns, body });
        }
        self.nseg = seg_max;
        items.push(Item::Match { index, discr, arms });
        let same = ends.windows(2).all(|w| w[0] == w[1]);
        match ends.first() {
            Some(end) if same && end.seg == start.seg => self.pos = *end,
            None => self.pos = start,
            _ => self.new_segment(items),
        }
    }
}

fn flatten_concat(e: ir::Expr, out: &mut Vec<ir::Expr>) {
    match e {
        ir::Expr::Binary(ast::BinOp::Concat, a, b) => {
            flatten_concat(*a, out);
            flatten_concat(*b, out);
        }
        other => out.push(other),
    }
}
