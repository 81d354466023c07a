//! The analyzer: ordered passes from AST to IR, each reporting every error it
//! finds (the driver stops between passes when a pass reported an error).
//!
//! Passes, in order:
//! 1. `collect`  — module names, declarations, duplicates;
//! 2. `enums`    — widths, variant values and names;
//! 3. `tables`   — table and interface signatures;
//! 4. `structs`  — fields, types, bit runs, segments, derived bounds, checksums,
//!    conditions, matches, payload dispatch (see [`structs`]);
//! 5. `binds`    — bind targets, key types and collisions over the linked set;
//! 6. `tests`    — in-language test blocks.

mod expr;
mod structs;

use crate::ast::{self, Decl, Span};
use crate::diag::{Diagnostic, Diagnostics, ErrorCode};
use crate::ir;
use std::collections::HashMap;

/// What a top-level name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Symbol {
    Enum(usize),
    Bits(usize),
    Struct(usize),
    Interface(usize),
}

/// A built-in scalar type, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    UInt(u8, Option<ast::Endian>),
    Int(u8, Option<ast::Endian>),
    Bool,
    Mac,
    Ipv4,
    Ipv6,
    Eui64,
    Bytes,
}

/// Parses a built-in type name (`u16`, `u16le`, `i32`, `bool`, `mac`, …).
/// Returns `Err(())` for a malformed integer width (so the caller can report E0020).
pub(crate) fn builtin_type(name: &str) -> Option<Result<Builtin, String>> {
    match name {
        "bool" => return Some(Ok(Builtin::Bool)),
        "mac" => return Some(Ok(Builtin::Mac)),
        "ipv4" => return Some(Ok(Builtin::Ipv4)),
        "ipv6" => return Some(Ok(Builtin::Ipv6)),
        "eui64" => return Some(Ok(Builtin::Eui64)),
        "bytes" => return Some(Ok(Builtin::Bytes)),
        _ => {}
    }
    let (signed, rest) = if let Some(r) = name.strip_prefix('u') {
        (false, r)
    } else if let Some(r) = name.strip_prefix('i') {
        (true, r)
    } else {
        return None;
    };
    let (digits, endian) = if let Some(d) = rest.strip_suffix("le") {
        (d, Some(ast::Endian::Little))
    } else if let Some(d) = rest.strip_suffix("be") {
        (d, Some(ast::Endian::Big))
    } else {
        (rest, None)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let bits: u32 = match digits.parse() {
        Ok(b) => b,
        Err(_) => return Some(Err(format!("integer width `{digits}` is out of range"))),
    };
    if bits == 0 || bits > 64 {
        return Some(Err(format!("integer width {bits} is outside 1..=64 bits")));
    }
    if endian.is_some() && !bits.is_multiple_of(8) {
        return Some(Err(format!(
            "byte order suffix on `{name}`: {bits} bits is not a whole number of bytes"
        )));
    }
    if signed && ![8, 16, 32, 64].contains(&bits) {
        return Some(Err(format!(
            "signed integers must be 8, 16, 32 or 64 bits, not {bits}"
        )));
    }
    let bits = bits as u8;
    Some(Ok(if signed {
        Builtin::Int(bits, endian)
    } else {
        Builtin::UInt(bits, endian)
    }))
}

/// Shared analyzer state.
pub(crate) struct Analyzer<'f> {
    pub files: &'f [ast::File],
    pub sources: Vec<String>,
    pub texts: Vec<String>,
    pub diags: Diagnostics,
    pub symbols: HashMap<String, (Symbol, Span)>,
    /// AST of each enum, bits, struct, interface, by symbol index.
    pub enum_decls: Vec<(usize, &'f ast::EnumDecl)>,
    pub bits_decls: Vec<(usize, &'f ast::BitsDecl)>,
    pub struct_decls: Vec<(usize, &'f ast::StructDecl)>,
    pub iface_decls: Vec<(usize, &'f ast::InterfaceDecl)>,
    pub table_decls: Vec<(usize, &'f ast::TableDecl)>,
    pub schema: ir::Schema,
}

impl<'f> Analyzer<'f> {
    pub(crate) fn err(&mut self, code: ErrorCode, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, span, msg));
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Width of an enum type by name, if it is one.
    pub(crate) fn enum_id(&self, name: &str) -> Option<usize> {
        match self.symbols.get(name) {
            Some((Symbol::Enum(i), _)) => Some(*i),
            _ => None,
        }
    }
}

/// Runs every pass over a linked set of parsed files.
///
/// `sources` names each file and `texts` holds its text (same order), for
/// messages, test line numbers and the IR's module list.
pub fn analyze(
    files: &[ast::File],
    sources: &[String],
    texts: &[String],
) -> Result<ir::Schema, Diagnostics> {
    let mut an = Analyzer {
        files,
        sources: sources.to_vec(),
        texts: texts.to_vec(),
        diags: Diagnostics::default(),
        symbols: HashMap::new(),
        enum_decls: Vec::new(),
        bits_decls: Vec::new(),
        struct_decls: Vec::new(),
        iface_decls: Vec::new(),
        table_decls: Vec::new(),
        schema: ir::Schema {
            ir_version: ir::IR_VERSION,
            ..Default::default()
        },
    };
    let passes: &[fn(&mut Analyzer)] =
        &[collect, enums, tables, structs::lower_structs, binds, tests];
    for pass in passes {
        pass(&mut an);
        if an.diags.has_errors() {
            return Err(an.diags);
        }
    }
    Ok(an.schema)
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Pass 1: module names and declarations.
fn collect(an: &mut Analyzer) {
    let files = an.files;
    let mut modules: HashMap<&str, Span> = HashMap::new();
    for (mi, f) in files.iter().enumerate() {
        if !is_snake_case(&f.module) {
            an.push(
                Diagnostic::error(
                    ErrorCode::BadModuleName,
                    f.version_span,
                    format!("file name `{}` is not a valid module name", f.module),
                )
                .label("in this file")
                .note(
                    "file stems become Rust modules: use snake_case (`ipv4.pdl`, `link_types.pdl`)",
                ),
            );
        } else if let Some(prev) = modules.get(f.module.as_str()) {
            let prev = *prev;
            an.push(
                Diagnostic::error(
                    ErrorCode::DuplicateDecl,
                    f.version_span,
                    format!("two files define module `{}`", f.module),
                )
                .with_secondary(prev, "first defined here"),
            );
        } else {
            modules.insert(&f.module, f.version_span);
        }
        an.schema.modules.push(ir::Module {
            name: f.module.clone(),
            source: an.sources.get(mi).cloned().unwrap_or_default(),
        });
        for d in &f.decls {
            let (name, sym) = match d {
                Decl::Enum(e) => {
                    an.enum_decls.push((mi, e));
                    (&e.name, Symbol::Enum(an.enum_decls.len() - 1))
                }
                Decl::Bits(b) => {
                    an.bits_decls.push((mi, b));
                    (&b.name, Symbol::Bits(an.bits_decls.len() - 1))
                }
                Decl::Struct(s) => {
                    an.struct_decls.push((mi, s));
                    (&s.name, Symbol::Struct(an.struct_decls.len() - 1))
                }
                Decl::Interface(i) => {
                    an.iface_decls.push((mi, i));
                    (&i.name, Symbol::Interface(an.iface_decls.len() - 1))
                }
                Decl::Table(t) => {
                    an.table_decls.push((mi, t));
                    continue;
                }
                Decl::Bind(_) | Decl::Test(_) => continue,
            };
            if builtin_type(&name.name).is_some() {
                an.push(
                    Diagnostic::error(
                        ErrorCode::DuplicateDecl,
                        name.span,
                        format!("`{}` is a built-in type name", name.name),
                    )
                    .label("choose another name"),
                );
                continue;
            }
            if let Some((_, prev)) = an.symbols.get(&name.name) {
                let prev = *prev;
                an.push(
                    Diagnostic::error(
                        ErrorCode::DuplicateDecl,
                        name.span,
                        format!("`{}` is declared twice", name.name),
                    )
                    .label("second declaration")
                    .with_secondary(prev, "first declared here"),
                );
                continue;
            }
            an.symbols.insert(name.name.clone(), (sym, name.span));
        }
    }
    // Tables live in their own namespace (dotted names). Names that differ
    // only in separators (`ip.proto`, `ip_proto`) would generate one Rust name.
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut canon: HashMap<String, (String, Span)> = HashMap::new();
    for (_, t) in an.table_decls.clone() {
        let c: String = t
            .name
            .name
            .split(['.', '_'])
            .map(|p| p.to_ascii_lowercase())
            .collect();
        if let Some((other, prev)) = canon.get(&c) {
            if other != &t.name.name {
                let (other, prev) = (other.clone(), *prev);
                an.push(
                    Diagnostic::error(
                        ErrorCode::DuplicateDecl,
                        t.name.span,
                        format!("table `{}` clashes with table `{other}`", t.name.name),
                    )
                    .label("same name up to `.` and `_`")
                    .with_secondary(prev, "declared here"),
                );
                continue;
            }
        } else {
            canon.insert(c, (t.name.name.clone(), t.name.span));
        }
        if let Some(prev) = seen.get(&t.name.name) {
            let prev = *prev;
            an.push(
                Diagnostic::error(
                    ErrorCode::DuplicateDecl,
                    t.name.span,
                    format!("table `{}` is declared twice", t.name.name),
                )
                .with_secondary(prev, "first declared here"),
            );
        } else {
            seen.insert(t.name.name.clone(), t.name.span);
        }
    }
}

/// Resolves an integer-like type name to a width and optional enum.
pub(crate) fn int_type(an: &mut Analyzer, name: &ast::Ident) -> Option<(u8, Option<usize>)> {
    match builtin_type(&name.name) {
        Some(Ok(Builtin::UInt(b, _))) | Some(Ok(Builtin::Int(b, _))) => Some((b, None)),
        Some(Ok(Builtin::Bool)) => Some((1, None)),
        Some(Ok(_)) => {
            an.err(
                ErrorCode::TypeMismatch,
                name.span,
                format!("`{}` is not an integer type", name.name),
            );
            None
        }
        Some(Err(msg)) => {
            let code = if msg.contains("byte order") {
                ErrorCode::BadEndianSuffix
            } else {
                ErrorCode::BadWidth
            };
            an.err(code, name.span, msg);
            None
        }
        None => {
            if let Some(e) = an.enum_id(&name.name) {
                let bits = an.schema.enums.get(e).map(|e| e.bits).unwrap_or(0);
                Some((bits, Some(e)))
            } else {
                an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownType,
                        name.span,
                        format!("unknown type `{}`", name.name),
                    )
                    .label("not a built-in integer type or a declared enum"),
                );
                None
            }
        }
    }
}

pub(crate) fn fits(value: u64, bits: u8) -> bool {
    bits >= 64 || value < (1u64 << bits)
}

/// Pass 2: enums.
fn enums(an: &mut Analyzer) {
    for (mi, e) in an.enum_decls.clone() {
        let bits = match builtin_type(&e.repr.name) {
            Some(Ok(Builtin::UInt(b, _))) => b,
            Some(Err(msg)) => {
                an.err(ErrorCode::BadWidth, e.repr.span, msg);
                8
            }
            _ => {
                an.push(
                    Diagnostic::error(
                        ErrorCode::TypeMismatch,
                        e.repr.span,
                        format!("enum `{}` must have an unsigned integer type", e.name.name),
                    )
                    .label("expected `u1` .. `u64`"),
                );
                8
            }
        };
        let mut closed = false;
        for a in &e.attrs {
            match a.name.name.as_str() {
                "closed" => closed = true,
                _ => an.err(
                    ErrorCode::UnknownAttribute,
                    a.name.span,
                    format!("unknown enum attribute `@{}`", a.name.name),
                ),
            }
        }
        let mut variants: Vec<ir::Variant> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for it in &e.items {
            if it.hi < it.lo {
                an.err(
                    ErrorCode::ValueTooWide,
                    it.span,
                    format!("empty range {}..={}", it.lo, it.hi),
                );
            }
            if !fits(it.hi, bits) {
                an.push(
                    Diagnostic::error(
                        ErrorCode::ValueTooWide,
                        it.span,
                        format!(
                            "value {} of `{}` does not fit in {} bits",
                            it.hi, it.name.name, bits
                        ),
                    )
                    .label(format!("the enum is `{}`", e.repr.name)),
                );
            }
            for (v, s) in variants.iter().zip(&spans) {
                if v.name == it.name.name {
                    an.push(
                        Diagnostic::error(
                            ErrorCode::DuplicateVariant,
                            it.name.span,
                            format!("variant `{}` is declared twice", it.name.name),
                        )
                        .with_secondary(*s, "first declared here"),
                    );
                } else if it.lo <= v.hi && v.lo <= it.hi {
                    an.push(
                        Diagnostic::error(
                            ErrorCode::DuplicateVariant,
                            it.span,
                            format!("value of `{}` overlaps variant `{}`", it.name.name, v.name),
                        )
                        .with_secondary(*s, "overlapping variant"),
                    );
                }
            }
            spans.push(it.span);
            variants.push(ir::Variant {
                name: it.name.name.clone(),
                lo: it.lo,
                hi: it.hi,
                label: it.label.clone().unwrap_or_else(|| it.name.name.clone()),
                doc: it.doc.clone(),
            });
        }
        an.schema.enums.push(ir::Enum {
            name: e.name.name.clone(),
            module: mi,
            doc: e.doc.clone(),
            bits,
            closed,
            variants,
        });
    }
}

/// Pass 3: tables and interfaces.
fn tables(an: &mut Analyzer) {
    for (mi, t) in an.table_decls.clone() {
        let (bits, key_enum) = int_type(an, &t.key_type).unwrap_or((8, None));
        let mut protocol = None;
        let mut seen: Option<Span> = None;
        for p in &t.props {
            if p.key.name != "protocol" {
                an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownProperty,
                        p.key.span,
                        format!("unknown table property `{}`", p.key.name),
                    )
                    .label("not a property")
                    .note("properties here: protocol"),
                );
                continue;
            }
            if let Some(prev) = seen {
                an.push(
                    Diagnostic::error(
                        ErrorCode::DuplicateAttribute,
                        p.key.span,
                        "property `protocol` is given twice",
                    )
                    .with_secondary(prev, "first given here"),
                );
                continue;
            }
            seen = Some(p.key.span);
            match &p.value {
                ast::PropValue::Str(s) if !s.is_empty() => protocol = Some(s.clone()),
                _ => an.push(
                    Diagnostic::error(
                        ErrorCode::BadAttribute,
                        p.span,
                        "bad value for property `protocol`",
                    )
                    .label("expected a non-empty string"),
                ),
            }
        }
        an.schema.tables.push(ir::Table {
            name: t.name.name.clone(),
            module: mi,
            key_bits: bits,
            key_enum,
            protocol,
            doc: t.doc.clone(),
        });
    }
    for (mi, i) in an.iface_decls.clone() {
        an.schema.interfaces.push(ir::Interface {
            name: i.name.name.clone(),
            module: mi,
            doc: i.doc.clone(),
            fns: i
                .fns
                .iter()
                .map(|(n, p)| ir::InterfaceFn {
                    name: n.name.clone(),
                    params: p.iter().map(|x| x.name.clone()).collect(),
                })
                .collect(),
        });
    }
}

/// Resolves a key pattern (int, range or enum variant) against an optional enum.
pub(crate) fn resolve_key(
    an: &mut Analyzer,
    pat: &ast::Pattern,
    bits: u8,
    key_enum: Option<usize>,
    what: &str,
) -> Option<(u64, u64)> {
    let (lo, hi) = match pat {
        ast::Pattern::Int(v, _) => (*v, *v),
        ast::Pattern::Range(a, b, _) => (*a, *b),
        ast::Pattern::Wildcard(_) => return None,
        ast::Pattern::Name(id) => {
            let found = key_enum.and_then(|e| {
                an.schema.enums[e]
                    .variants
                    .iter()
                    .find(|v| v.name == id.name)
                    .map(|v| (v.lo, v.hi))
            });
            match found {
                Some(r) => r,
                None => {
                    let msg = match key_enum {
                        Some(e) => format!(
                            "`{}` is not a variant of enum `{}`",
                            id.name, an.schema.enums[e].name
                        ),
                        None => format!("`{}` is not a value: {what} is not an enum", id.name),
                    };
                    an.push(
                        Diagnostic::error(ErrorCode::UnknownVariant, id.span, msg)
                            .label("unknown variant"),
                    );
                    return None;
                }
            }
        }
    };
    if hi < lo || !fits(hi, bits) {
        an.push(
            Diagnostic::error(
                ErrorCode::ValueTooWide,
                pat.span(),
                format!("key {lo}..={hi} does not fit {what} ({bits} bits)"),
            )
            .label("out of range"),
        );
        return None;
    }
    Some((lo, hi))
}

/// Pass 5: binds.
fn binds(an: &mut Analyzer) {
    let files = an.files;
    // (table, lo, hi, layer, span)
    let mut claimed: Vec<(usize, u64, u64, usize, Span)> = Vec::new();
    for (mi, f) in files.iter().enumerate() {
        for d in &f.decls {
            let Decl::Bind(b) = d else { continue };
            let Some(table) = an.schema.table_by_name(&b.table.name) else {
                an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownTable,
                        b.table.span,
                        format!("unknown table `{}`", b.table.name),
                    )
                    .label("no `table` declaration has this name"),
                );
                continue;
            };
            let layer = match an.schema.struct_by_name(&b.layer.name) {
                Some(s) if an.schema.structs[s].layer.is_some() => s,
                Some(_) => {
                    an.push(
                        Diagnostic::error(
                            ErrorCode::UnknownLayer,
                            b.layer.span,
                            format!("`{}` is a struct, not a layer", b.layer.name),
                        )
                        .label("only layers can be bound into tables"),
                    );
                    continue;
                }
                None => {
                    an.push(
                        Diagnostic::error(
                            ErrorCode::UnknownLayer,
                            b.layer.span,
                            format!("unknown layer `{}`", b.layer.name),
                        )
                        .label("not declared in any file"),
                    );
                    continue;
                }
            };
            let (bits, key_enum) = (
                an.schema.tables[table].key_bits,
                an.schema.tables[table].key_enum,
            );
            let what = format!("the key of table `{}`", b.table.name);
            let mut keys = Vec::new();
            for k in &b.keys {
                let Some((lo, hi)) = resolve_key(an, k, bits, key_enum, &what) else {
                    continue;
                };
                for (t, clo, chi, cl, cspan) in &claimed {
                    if *t == table && lo <= *chi && *clo <= hi && *cl != layer {
                        let other = an.schema.structs[*cl].name.clone();
                        an.push(
                            Diagnostic::error(
                                ErrorCode::BindCollision,
                                k.span(),
                                format!(
                                    "key {} of table `{}` is already bound to `{}`",
                                    if lo == hi {
                                        format!("{lo:#x}")
                                    } else {
                                        format!("{lo:#x}..={hi:#x}")
                                    },
                                    b.table.name,
                                    other
                                ),
                            )
                            .label(format!("bound to `{}` here", b.layer.name))
                            .with_secondary(*cspan, format!("bound to `{other}` here")),
                        );
                    }
                }
                claimed.push((table, lo, hi, layer, k.span()));
                keys.push((lo, hi));
            }
            an.schema.binds.push(ir::Bind {
                table,
                keys,
                layer,
                module: mi,
            });
        }
    }
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':' && *c != '_')
        .collect();
    // Only hex digits: slicing below is then on char boundaries, and
    // `from_str_radix` does not get a chance to accept a sign.
    if !clean.len().is_multiple_of(2) || !clean.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).ok())
        .collect()
}

fn line_of(an: &Analyzer, span: Span) -> usize {
    an.texts
        .get(span.file)
        .map(|t| t[..span.start.min(t.len())].matches('\n').count() + 1)
        .unwrap_or(0)
}

/// Pass 6: test blocks.
fn tests(an: &mut Analyzer) {
    let files = an.files;
    for (mi, f) in files.iter().enumerate() {
        for d in &f.decls {
            let Decl::Test(t) = d else { continue };
            let Some(target) = an.schema.struct_by_name(&t.target.name) else {
                an.push(
                    Diagnostic::error(
                        ErrorCode::UnknownLayer,
                        t.target.span,
                        format!("test of unknown layer or struct `{}`", t.target.name),
                    )
                    .label("not declared"),
                );
                continue;
            };
            let mut cases = Vec::new();
            for c in &t.cases {
                match c {
                    ast::TestCase::Parse { hex, expect, span } => {
                        let Some(bytes) = hex_bytes(hex) else {
                            an.push(
                                Diagnostic::error(ErrorCode::BadTest, *span, "invalid hex string")
                                    .label("expected pairs of hex digits"),
                            );
                            continue;
                        };
                        let expect = match expect {
                            ast::TestExpect::Error(k) => {
                                let kinds = ["truncated", "malformed"];
                                if !kinds.contains(&k.name.as_str()) {
                                    an.push(
                                        Diagnostic::error(
                                            ErrorCode::BadTest,
                                            k.span,
                                            format!("unknown error kind `{}`", k.name),
                                        )
                                        .label("expected `truncated` or `malformed`"),
                                    );
                                    continue;
                                }
                                ir::TestExpect::Error(k.name.clone())
                            }
                            ast::TestExpect::Fields(kvs) => {
                                ir::TestExpect::Fields(test_kvs(an, target, kvs))
                            }
                        };
                        cases.push(ir::TestCase::Parse {
                            bytes,
                            expect,
                            line: line_of(an, *span),
                        });
                    }
                    ast::TestCase::Build {
                        fields,
                        payload,
                        hex,
                        span,
                    } => {
                        let bytes = hex_bytes(hex);
                        let pay = payload
                            .as_deref()
                            .map(hex_bytes)
                            .unwrap_or(Some(Vec::new()));
                        let (Some(bytes), Some(payload)) = (bytes, pay) else {
                            an.push(
                                Diagnostic::error(ErrorCode::BadTest, *span, "invalid hex string")
                                    .label("expected pairs of hex digits"),
                            );
                            continue;
                        };
                        let fields = test_kvs(an, target, fields);
                        cases.push(ir::TestCase::Build {
                            fields,
                            payload,
                            bytes,
                            line: line_of(an, *span),
                        });
                    }
                }
            }
            an.schema.tests.push(ir::Test {
                target,
                cases,
                origin: an.sources.get(mi).cloned().unwrap_or_default(),
            });
        }
    }
}

fn test_kvs(an: &mut Analyzer, target: usize, kvs: &[ast::TestKv]) -> Vec<(String, ir::TestValue)> {
    let mut out = Vec::new();
    for kv in kvs {
        let st = &an.schema.structs[target];
        let Some(fid) = st.field_by_name(&kv.path.name) else {
            let d = Diagnostic::error(
                ErrorCode::BadTest,
                kv.path.span,
                format!("`{}` has no field `{}`", st.name, kv.path.name),
            )
            .label("unknown field");
            an.push(d);
            continue;
        };
        let field = &st.fields[fid];
        let value = match (&kv.value, &field.ty) {
            (ast::TestValue::Int(v), _) => Some(ir::TestValue::Int(*v)),
            (ast::TestValue::Bool(b), _) => Some(ir::TestValue::Int(*b as u64)),
            (ast::TestValue::Name(n), _) if matches!(field.init, ir::Init::Checksum(_)) => {
                if ["good", "bad", "none", "unverified"].contains(&n.as_str()) {
                    Some(ir::TestValue::Status(n.clone()))
                } else {
                    None
                }
            }
            (ast::TestValue::Name(n), ir::Type::Enum(e)) => an.schema.enums[*e]
                .variants
                .iter()
                .find(|v| &v.name == n)
                .map(|v| ir::TestValue::Int(v.lo)),
            (ast::TestValue::Str(s), ir::Type::Ipv4) => s
                .parse::<std::net::Ipv4Addr>()
                .ok()
                .map(|a| ir::TestValue::Bytes(a.octets().to_vec())),
            (ast::TestValue::Str(s), ir::Type::Ipv6) => s
                .parse::<std::net::Ipv6Addr>()
                .ok()
                .map(|a| ir::TestValue::Bytes(a.octets().to_vec())),
            (ast::TestValue::Str(s), ir::Type::Mac | ir::Type::Eui64 | ir::Type::Bytes(_)) => {
                hex_bytes(s).map(ir::TestValue::Bytes)
            }
            _ => None,
        };
        match value {
            Some(v) => out.push((kv.path.name.clone(), v)),
            None => {
                let d = Diagnostic::error(
                    ErrorCode::BadTest,
                    kv.path.span,
                    format!("value for `{}` does not fit its type", kv.path.name),
                )
                .label("unusable test value");
                an.push(d);
            }
        }
    }
    out
}
