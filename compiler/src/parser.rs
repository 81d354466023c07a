//! Text to AST: the pest grammar plus a lowering of pest pairs to [`crate::ast`].

use crate::ast::*;
use crate::diag::{Diagnostic, Diagnostics, ErrorCode};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct PdlParser;

/// The language versions this compiler implements.
pub const SUPPORTED_VERSIONS: &[u64] = &[1];

/// Parses one file. `module` is the module name (the file stem).
pub fn parse_file(file: usize, module: &str, text: &str) -> Result<File, Diagnostics> {
    let mut diags = Diagnostics::default();
    let pairs = match PdlParser::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => {
            diags.push(pest_error(file, text, Rule::file, e));
            return Err(diags);
        }
    };
    let mut cx = Cx {
        file,
        diags: &mut diags,
    };
    let root = pairs.into_iter().next().expect("file rule");
    let out = cx.file(root, module);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// Parses a standalone expression (used by `#[derive(Layer)]` attribute strings).
pub fn parse_expr(file: usize, text: &str) -> Result<Expr, Diagnostics> {
    let mut diags = Diagnostics::default();
    let parsed = PdlParser::parse(Rule::expr, text);
    let pair = match parsed {
        Ok(mut p) => p.next().expect("expr"),
        Err(e) => {
            diags.push(pest_error(file, text, Rule::expr, e));
            return Err(diags);
        }
    };
    // The pair may or may not include trailing whitespace: anything after it
    // other than whitespace is an error.
    let end = pair.as_span().end();
    let rest = &text[end..];
    let trailing = rest.trim_start();
    if !trailing.is_empty() {
        let start = end + (rest.len() - trailing.len());
        diags.push(
            Diagnostic::error(
                ErrorCode::Syntax,
                Span {
                    file,
                    start,
                    end: text.trim_end().len(),
                },
                "unexpected text after the expression",
            )
            .label("not part of the expression"),
        );
        return Err(diags);
    }
    let mut cx = Cx {
        file,
        diags: &mut diags,
    };
    let e = cx.expr(pair);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(e)
    }
}

/// Re-parses failed input with pest's error detail switched on, which also
/// records the literal tokens (`;`, `}`) that would have been accepted: plain
/// pest errors only name grammar rules. The switch is process-wide, so the
/// re-parse holds a lock and switches it off again afterwards.
fn detailed_error(rule: Rule, text: &str) -> Option<pest::error::Error<Rule>> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    pest::set_error_detail(true);
    let e = PdlParser::parse(rule, text).err();
    pest::set_error_detail(false);
    e
}

/// Literal tokens worth naming in "expected ..." lists, in display order.
const EXPECTED_LITERALS: &[&str] = &[";", "}", ")", "]", ",", ":", "=>", "->", "="];

fn pest_error(file: usize, text: &str, rule: Rule, e: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let e = detailed_error(rule, text).unwrap_or(e);
    let (start, end) = match e.location {
        // One character (not one byte: the span must stay on char boundaries).
        InputLocation::Pos(p) => (p, p + text[p..].chars().next().map_or(0, char::len_utf8)),
        InputLocation::Span((a, b)) => (a, b),
    };
    let mut names: Vec<String> = Vec::new();
    if let Some(attempts) = e.parse_attempts() {
        if attempts.max_position == start {
            let tokens: Vec<String> = attempts
                .expected_tokens()
                .iter()
                .map(|t| t.to_string())
                .collect();
            for lit in EXPECTED_LITERALS {
                if tokens.iter().any(|t| t == lit) {
                    names.push(format!("`{lit}`"));
                }
            }
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
        let mut rules: Vec<String> = positives.iter().filter_map(|r| rule_name(*r)).collect();
        rules.sort();
        for r in rules {
            if !names.contains(&r) {
                names.push(r);
            }
        }
    }
    let expected = match &e.variant {
        ErrorVariant::CustomError { message } => message.clone(),
        _ if names.is_empty() => "unexpected input".to_string(),
        _ => format!("expected {}", names.join(", ")),
    };
    let rest = &text[start.min(text.len())..];
    if rest.starts_with('"') && !rest[1..].contains('"') {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        return Diagnostic::error(
            ErrorCode::Syntax,
            Span {
                file,
                start,
                end: start + line_end.max(1),
            },
            "syntax error: unterminated string",
        )
        .label("this string has no closing `\"`");
    }
    if rest.trim().is_empty() {
        // At the end of the file: point just past the last token, not at an
        // empty line after it.
        let last = text.trim_end().len();
        let (start, end) = match text[..last].chars().next_back() {
            Some(c) => (last - c.len_utf8(), last),
            None => (0, text.len().min(1)),
        };
        return Diagnostic::error(
            ErrorCode::Syntax,
            Span { file, start, end },
            format!("syntax error: unexpected end of file, {expected}"),
        )
        .label(format!("{expected} after this"));
    }
    let before = text[..start.min(text.len())].trim_end();
    if names.iter().any(|n| n == "`;`") && text[before.len()..start].contains('\n') {
        // A missing `;` at the end of a line: point at the end of that line
        // rather than at the first token of the next one.
        if let Some(c) = before.chars().next_back() {
            let end = before.len();
            return Diagnostic::error(
                ErrorCode::Syntax,
                Span {
                    file,
                    start: end - c.len_utf8(),
                    end,
                },
                format!("syntax error at the end of the line: {expected}"),
            )
            .label(format!("{expected} after this"));
        }
    }
    let found = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect::<String>();
    let message = format!("syntax error at `{found}`: {expected}");
    Diagnostic::error(ErrorCode::Syntax, Span { file, start, end }, message).label(expected)
}

fn rule_name(r: Rule) -> Option<String> {
    Some(
        match r {
            Rule::ident | Rule::field_name => "a name",
            Rule::path => "a name",
            Rule::int_lit => "an integer",
            Rule::string_lit => "a string",
            Rule::expr | Rule::binary | Rule::unary | Rule::primary => "an expression",
            Rule::decl | Rule::docs => "a declaration",
            Rule::stmt => "a statement",
            Rule::type_ref => "a type",
            Rule::version_decl => "`pdl 1;`",
            Rule::field_init => "`=`",
            Rule::field_cond => "`if`",
            Rule::attr => "an attribute",
            Rule::infix => "an operator",
            Rule::array_suffix => "`[`",
            Rule::EOI => "end of file",
            Rule::enum_item => "an enum variant",
            Rule::match_arm | Rule::patterns | Rule::pattern => "a match arm",
            Rule::bit_field => "a bit field",
            Rule::props => "`(`",
            Rule::block => "`{`",
            Rule::test_case => "`parse` or `build`",
            Rule::dispatch => "a table, layer or `raw`",
            _ => return None,
        }
        .to_string(),
    )
}

struct Cx<'d> {
    file: usize,
    diags: &'d mut Diagnostics,
}

impl Cx<'_> {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span {
            file: self.file,
            start: s.start(),
            end: s.end(),
        }
    }

    fn ident(&self, p: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&p),
            name: p.as_str().to_string(),
        }
    }

    fn int(&mut self, p: Pair<Rule>) -> u64 {
        let span = self.span(&p);
        let s = p.as_str().replace('_', "");
        let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
            (h.to_string(), 16)
        } else if let Some(b) = s.strip_prefix("0b").or(s.strip_prefix("0B")) {
            (b.to_string(), 2)
        } else if let Some(o) = s.strip_prefix("0o").or(s.strip_prefix("0O")) {
            (o.to_string(), 8)
        } else {
            (s.clone(), 10)
        };
        match u64::from_str_radix(&digits, radix) {
            Ok(v) => v,
            Err(_) => {
                self.diags.push(
                    Diagnostic::error(
                        ErrorCode::IntegerOverflow,
                        span,
                        format!("integer literal `{}` does not fit in 64 bits", p.as_str()),
                    )
                    .label("too large"),
                );
                0
            }
        }
    }

    fn string(&self, p: Pair<Rule>) -> String {
        let inner = p.into_inner().next().map(|i| i.as_str()).unwrap_or("");
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn docs(&self, p: Pair<Rule>) -> Vec<String> {
        p.into_inner()
            .map(|d| {
                let t = d.as_str().trim_start_matches("///");
                t.strip_prefix(' ').unwrap_or(t).trim_end().to_string()
            })
            .collect()
    }

    fn file(&mut self, p: Pair<Rule>, module: &str) -> File {
        let mut version = 0;
        let mut version_span = Span::default();
        let mut endian = None;
        let mut decls = Vec::new();
        for item in p.into_inner() {
            match item.as_rule() {
                Rule::version_decl => {
                    version_span = self.span(&item);
                    let lit = item.into_inner().next().expect("version");
                    version = self.int(lit);
                    if !SUPPORTED_VERSIONS.contains(&version) {
                        self.diags.push(
                            Diagnostic::error(
                                ErrorCode::UnsupportedVersion,
                                version_span,
                                format!("language version {version} is not supported"),
                            )
                            .label("this compiler implements `pdl 1;`"),
                        );
                    }
                }
                Rule::file_option => {
                    let span = self.span(&item);
                    let e = item.into_inner().next().expect("endian");
                    let v = if e.as_str() == "little" {
                        Endian::Little
                    } else {
                        Endian::Big
                    };
                    endian = Some((v, span));
                }
                Rule::decl => decls.push(self.decl(item)),
                _ => {}
            }
        }
        File {
            module: module.to_string(),
            version,
            version_span,
            endian,
            decls,
        }
    }

    fn decl(&mut self, p: Pair<Rule>) -> Decl {
        let mut inner = p.into_inner();
        let doc = self.docs(inner.next().expect("docs"));
        let d = inner.next().expect("decl body");
        match d.as_rule() {
            Rule::enum_decl => Decl::Enum(self.enum_decl(d, doc)),
            Rule::bits_decl => Decl::Bits(self.bits_decl(d, doc)),
            Rule::struct_decl => Decl::Struct(self.struct_decl(d, doc, false)),
            Rule::layer_decl => Decl::Struct(self.struct_decl(d, doc, true)),
            Rule::table_decl => {
                let span = self.span(&d);
                let mut it = d.into_inner();
                let name = self.ident(it.next().expect("name"));
                let key_type = self.ident(it.next().expect("type"));
                let props = it
                    .next()
                    .map(|ps| ps.into_inner().map(|pr| self.prop(pr)).collect())
                    .unwrap_or_default();
                Decl::Table(TableDecl {
                    doc,
                    name,
                    key_type,
                    props,
                    span,
                })
            }
            Rule::bind_decl => {
                let span = self.span(&d);
                let mut it = d.into_inner().peekable();
                let table = self.ident(it.next().expect("table"));
                let mut keys = Vec::new();
                let mut layer = None;
                for k in it {
                    match k.as_rule() {
                        Rule::bind_key => keys.push(self.bind_key(k)),
                        Rule::ident => layer = Some(self.ident(k)),
                        _ => {}
                    }
                }
                Decl::Bind(BindDecl {
                    table,
                    keys,
                    layer: layer.expect("layer"),
                    span,
                })
            }
            Rule::interface_decl => {
                let span = self.span(&d);
                let mut it = d.into_inner();
                let name = self.ident(it.next().expect("name"));
                let fns = it
                    .map(|f| {
                        let mut fi = f.into_inner();
                        let n = self.ident(fi.next().expect("fn name"));
                        let params = fi.map(|x| self.ident(x)).collect();
                        (n, params)
                    })
                    .collect();
                Decl::Interface(InterfaceDecl {
                    doc,
                    name,
                    fns,
                    span,
                })
            }
            Rule::test_decl => Decl::Test(self.test_decl(d)),
            r => unreachable!("decl rule {r:?}"),
        }
    }

    fn bind_key(&mut self, p: Pair<Rule>) -> Pattern {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let a = it.next().expect("key");
        match a.as_rule() {
            Rule::int_lit => {
                let lo = self.int(a);
                match it.next() {
                    Some(b) => {
                        let hi = self.int(b);
                        Pattern::Range(lo, hi, span)
                    }
                    None => Pattern::Int(lo, span),
                }
            }
            _ => Pattern::Name(self.ident(a)),
        }
    }

    fn enum_decl(&mut self, p: Pair<Rule>, doc: Vec<String>) -> EnumDecl {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.ident(it.next().expect("name"));
        let repr = self.ident(it.next().expect("repr"));
        let mut attrs = Vec::new();
        let mut items = Vec::new();
        for x in it {
            match x.as_rule() {
                Rule::attr => attrs.push(self.attr(x)),
                Rule::enum_item => {
                    let ispan = self.span(&x);
                    let mut ii = x.into_inner();
                    let idoc = self.docs(ii.next().expect("docs"));
                    let iname = self.ident(ii.next().expect("name"));
                    let val = ii.next().expect("value");
                    let mut vi = val.into_inner();
                    let lo = self.int(vi.next().expect("lo"));
                    let hi = match vi.next() {
                        Some(h) => self.int(h),
                        None => lo,
                    };
                    let label = ii.next().map(|s| self.string(s));
                    items.push(EnumItem {
                        doc: idoc,
                        name: iname,
                        lo,
                        hi,
                        label,
                        span: ispan,
                    });
                }
                _ => {}
            }
        }
        EnumDecl {
            doc,
            name,
            repr,
            attrs,
            items,
            span,
        }
    }

    fn bit_order(&self, p: &Pair<Rule>) -> BitOrder {
        if p.as_str() == "lsb0" {
            BitOrder::Lsb0
        } else {
            BitOrder::Msb0
        }
    }

    fn bits_decl(&mut self, p: Pair<Rule>, doc: Vec<String>) -> BitsDecl {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.ident(it.next().expect("name"));
        let repr = self.ident(it.next().expect("repr"));
        let mut order = None;
        let mut attrs = Vec::new();
        let mut fields = Vec::new();
        for x in it {
            match x.as_rule() {
                Rule::bit_order => order = Some(self.bit_order(&x)),
                Rule::attr => attrs.push(self.attr(x)),
                Rule::bit_field => fields.push(self.bit_field(x)),
                _ => {}
            }
        }
        BitsDecl {
            doc,
            name,
            repr,
            order,
            attrs,
            fields,
            span,
        }
    }

    fn bit_field(&mut self, p: Pair<Rule>) -> FieldDecl {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let doc = self.docs(it.next().expect("docs"));
        let name = self.ident(it.next().expect("name"));
        let ty = self.type_ref(it.next().expect("type"));
        let mut init = None;
        let mut attrs = Vec::new();
        for x in it {
            match x.as_rule() {
                Rule::field_init => init = Some(self.field_init(x)),
                Rule::attr => attrs.push(self.attr(x)),
                _ => {}
            }
        }
        FieldDecl {
            doc,
            name,
            ty,
            init,
            cond: None,
            attrs,
            span,
        }
    }

    fn struct_decl(&mut self, p: Pair<Rule>, doc: Vec<String>, is_layer: bool) -> StructDecl {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.ident(it.next().expect("name"));
        let mut long_name = None;
        let mut props = Vec::new();
        let mut implements = Vec::new();
        let mut attrs = Vec::new();
        let mut body = Vec::new();
        for x in it {
            match x.as_rule() {
                Rule::string_lit => long_name = Some(self.string(x)),
                Rule::props => {
                    for pr in x.into_inner() {
                        props.push(self.prop(pr));
                    }
                }
                Rule::implements => implements = x.into_inner().map(|i| self.ident(i)).collect(),
                Rule::attr => attrs.push(self.attr(x)),
                Rule::block => body = self.block(x),
                _ => {}
            }
        }
        StructDecl {
            doc,
            is_layer,
            name,
            long_name,
            props,
            implements,
            attrs,
            body,
            span,
        }
    }

    fn prop(&mut self, p: Pair<Rule>) -> Prop {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let key = self.ident(it.next().expect("key"));
        let v = it.next().expect("value");
        let mut vi = v.into_inner().peekable();
        let value = match vi.peek().map(|x| x.as_rule()) {
            Some(Rule::string_lit) => PropValue::Str(self.string(vi.next().expect("s"))),
            Some(Rule::int_lit) => PropValue::Int(self.int(vi.next().expect("i"))),
            Some(Rule::path) => PropValue::Path(vi.next().expect("p").as_str().to_string()),
            _ => PropValue::List(vi.map(|i| self.ident(i)).collect()),
        };
        Prop { key, value, span }
    }

    fn block(&mut self, p: Pair<Rule>) -> Vec<Stmt> {
        p.into_inner().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, p: Pair<Rule>) -> Stmt {
        let mut it = p.into_inner();
        let doc = self.docs(it.next().expect("docs"));
        let s = it.next().expect("stmt");
        let span = self.span(&s);
        match s.as_rule() {
            Rule::field => {
                let mut fi = s.into_inner();
                let name = self.ident(fi.next().expect("name").into_inner().next().expect("i"));
                let ty = self.type_ref(fi.next().expect("type"));
                let mut init = None;
                let mut cond = None;
                let mut attrs = Vec::new();
                for x in fi {
                    match x.as_rule() {
                        Rule::field_init => init = Some(self.field_init(x)),
                        Rule::field_cond => {
                            cond = Some(self.expr(x.into_inner().next().expect("cond")))
                        }
                        Rule::attr => attrs.push(self.attr(x)),
                        _ => {}
                    }
                }
                Stmt::Field(FieldDecl {
                    doc,
                    name,
                    ty,
                    init,
                    cond,
                    attrs,
                    span,
                })
            }
            Rule::let_stmt => {
                let mut li = s.into_inner();
                let name = self.ident(li.next().expect("name"));
                let ty = self.ident(li.next().expect("type"));
                let value = self.expr(li.next().expect("value"));
                let attrs = li.map(|a| self.attr(a)).collect();
                Stmt::Let(LetDecl {
                    doc,
                    name,
                    ty,
                    value,
                    attrs,
                    span,
                })
            }
            Rule::match_stmt => {
                let mut mi = s.into_inner();
                let discr = self.expr(mi.next().expect("discr"));
                let arms = mi
                    .map(|a| {
                        let aspan = self.span(&a);
                        let mut ai = a.into_inner();
                        let pats = ai
                            .next()
                            .expect("patterns")
                            .into_inner()
                            .map(|pt| self.pattern(pt))
                            .collect();
                        let body_pair = ai.next().expect("body");
                        let body = match body_pair.as_rule() {
                            Rule::block => self.block(body_pair),
                            _ => vec![self.stmt(body_pair)],
                        };
                        MatchArm {
                            patterns: pats,
                            body,
                            span: aspan,
                        }
                    })
                    .collect();
                Stmt::Match(MatchStmt { discr, arms, span })
            }
            Rule::require_stmt => {
                let mut ri = s.into_inner();
                let cond = self.expr(ri.next().expect("cond"));
                let message = ri.next().map(|m| self.string(m));
                Stmt::Require(RequireStmt {
                    cond,
                    message,
                    span,
                })
            }
            Rule::payload_stmt => {
                let mut targets = Vec::new();
                let mut cond = None;
                for x in s.into_inner() {
                    match x.as_rule() {
                        Rule::dispatch => {
                            let d = x.into_inner().next().expect("target");
                            let dspan = self.span(&d);
                            targets.push(match d.as_rule() {
                                Rule::raw_kw => DispatchTarget::Raw(dspan),
                                Rule::table_dispatch => {
                                    let mut ti = d.into_inner();
                                    let table = self.ident(ti.next().expect("table"));
                                    let keys = ti.map(|k| self.expr(k)).collect();
                                    DispatchTarget::Table {
                                        table,
                                        keys,
                                        span: dspan,
                                    }
                                }
                                _ => DispatchTarget::Layer(self.ident(d)),
                            });
                        }
                        Rule::field_cond => {
                            cond = Some(self.expr(x.into_inner().next().expect("cond")))
                        }
                        _ => {}
                    }
                }
                Stmt::Payload(PayloadStmt {
                    targets,
                    cond,
                    span,
                })
            }
            Rule::pad_stmt => {
                let n = s.into_inner().next().expect("align");
                let align = self.int(n);
                Stmt::Pad(PadStmt { align, span })
            }
            Rule::fn_stmt => {
                let mut fi: Vec<Pair<Rule>> = s.into_inner().collect();
                let body = self.expr(fi.pop().expect("body"));
                let mut fi = fi.into_iter();
                let name = self.ident(fi.next().expect("name"));
                let params = fi.map(|x| self.ident(x)).collect();
                Stmt::Fn(FnDecl {
                    name,
                    params,
                    body,
                    span,
                })
            }
            r => unreachable!("stmt rule {r:?}"),
        }
    }

    fn pattern(&mut self, p: Pair<Rule>) -> Pattern {
        let span = self.span(&p);
        let inner = p.into_inner().next().expect("pattern");
        match inner.as_rule() {
            Rule::wildcard => Pattern::Wildcard(span),
            Rule::range_pat => {
                let mut ri = inner.into_inner();
                let lo = self.int(ri.next().expect("lo"));
                let hi = self.int(ri.next().expect("hi"));
                Pattern::Range(lo, hi, span)
            }
            Rule::int_lit => Pattern::Int(self.int(inner), span),
            _ => Pattern::Name(self.ident(inner)),
        }
    }

    fn type_ref(&mut self, p: Pair<Rule>) -> TypeRef {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let first = it.next().expect("type");
        match first.as_rule() {
            Rule::inline_bits => {
                let mut bi = first.into_inner();
                let repr = self.ident(bi.next().expect("repr"));
                let mut order = None;
                let mut fields = Vec::new();
                for x in bi {
                    match x.as_rule() {
                        Rule::bit_order => order = Some(self.bit_order(&x)),
                        Rule::bit_field => fields.push(self.bit_field(x)),
                        _ => {}
                    }
                }
                TypeRef::InlineBits {
                    repr,
                    order,
                    fields,
                    span,
                }
            }
            _ => {
                let name = self.ident(first);
                let array = it.next().map(|a| {
                    let spec = a.into_inner().next().expect("spec");
                    let inner = spec.into_inner().next().expect("spec inner");
                    let ispan = self.span(&inner);
                    match inner.as_rule() {
                        Rule::to_end => ArraySpec::ToEnd(ispan),
                        Rule::size_spec => {
                            ArraySpec::Size(self.expr(inner.into_inner().next().expect("e")))
                        }
                        Rule::until_spec => {
                            ArraySpec::Until(self.expr(inner.into_inner().next().expect("e")))
                        }
                        _ => ArraySpec::Count(self.expr(inner)),
                    }
                });
                TypeRef::Named { name, array, span }
            }
        }
    }

    fn field_init(&mut self, p: Pair<Rule>) -> FieldInit {
        let x = p.into_inner().next().expect("init");
        match x.as_rule() {
            Rule::derive_init => FieldInit::Derive(self.expr(x.into_inner().next().expect("e"))),
            Rule::checksum_init => {
                let mut ci = x.into_inner();
                let algo = self.ident(ci.next().expect("algo"));
                let cover = self.expr(ci.next().expect("cover"));
                FieldInit::Checksum { algo, cover }
            }
            _ => FieldInit::Fixed(self.expr(x)),
        }
    }

    fn attr(&mut self, p: Pair<Rule>) -> Attr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.ident(it.next().expect("name"));
        let args = it
            .map(|a| {
                let mut ai: Vec<Pair<Rule>> = a.into_inner().collect();
                let value = self.expr(ai.pop().expect("value"));
                let key = ai.pop().map(|k| self.ident(k));
                AttrArg { key, value }
            })
            .collect();
        Attr { name, args, span }
    }

    fn test_decl(&mut self, p: Pair<Rule>) -> TestDecl {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let target = self.ident(it.next().expect("target"));
        let mut cases = Vec::new();
        for c in it {
            let c = c.into_inner().next().expect("case");
            let cspan = self.span(&c);
            match c.as_rule() {
                Rule::parse_case => {
                    let mut ci = c.into_inner();
                    let hex = self.string(ci.next().expect("hex"));
                    let e = ci.next().expect("expect");
                    let expect = match e.as_rule() {
                        Rule::test_error => {
                            TestExpect::Error(self.ident(e.into_inner().next().expect("kind")))
                        }
                        _ => TestExpect::Fields(self.test_fields(e)),
                    };
                    cases.push(TestCase::Parse {
                        hex,
                        expect,
                        span: cspan,
                    });
                }
                _ => {
                    let mut parts: Vec<Pair<Rule>> = c.into_inner().collect();
                    let hex = self.string(parts.pop().expect("hex"));
                    let mut pi = parts.into_iter();
                    let fields = self.test_fields(pi.next().expect("fields"));
                    let payload = pi.next().map(|s| self.string(s));
                    cases.push(TestCase::Build {
                        fields,
                        payload,
                        hex,
                        span: cspan,
                    });
                }
            }
        }
        TestDecl {
            target,
            cases,
            span,
        }
    }

    fn test_fields(&mut self, p: Pair<Rule>) -> Vec<TestKv> {
        p.into_inner()
            .map(|kv| {
                let mut ki = kv.into_inner();
                let path = self.ident(ki.next().expect("path"));
                let v = ki.next().expect("value").into_inner().next().expect("v");
                let value = match v.as_rule() {
                    Rule::string_lit => TestValue::Str(self.string(v)),
                    Rule::bool_lit => TestValue::Bool(v.as_str() == "true"),
                    Rule::int_lit => TestValue::Int(self.int(v)),
                    _ => TestValue::Name(v.as_str().to_string()),
                };
                TestKv { path, value }
            })
            .collect()
    }

    // ------------------------------------------------------------ expressions

    fn expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let head = self.binary(it.next().expect("binary"));
        match (it.next(), it.next()) {
            (Some(a), Some(b)) => {
                let a = self.expr(a);
                let b = self.expr(b);
                Expr {
                    kind: ExprKind::Ternary(Box::new(head), Box::new(a), Box::new(b)),
                    span,
                }
            }
            _ => head,
        }
    }

    /// Precedence climbing over the flat `unary (infix unary)*` list.
    fn binary(&mut self, p: Pair<Rule>) -> Expr {
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        for x in p.into_inner() {
            match x.as_rule() {
                Rule::unary => operands.push(self.unary(x)),
                Rule::infix => ops.push(binop(x.as_str())),
                _ => {}
            }
        }
        let mut operands = operands.into_iter();
        let first = operands.next().expect("operand");
        let rest: Vec<(BinOp, Expr)> = ops.into_iter().zip(operands).collect();
        let mut idx = 0;
        climb(first, &rest, &mut idx, 0)
    }

    fn unary(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut prefixes = Vec::new();
        let mut prim = None;
        for x in p.into_inner() {
            match x.as_rule() {
                Rule::prefix => prefixes.push(x.as_str().to_string()),
                _ => prim = Some(self.primary(x)),
            }
        }
        let mut e = prim.expect("primary");
        for pre in prefixes.into_iter().rev() {
            let op = match pre.as_str() {
                "!" => UnOp::Not,
                "-" => UnOp::Neg,
                _ => UnOp::BitNot,
            };
            e = Expr {
                kind: ExprKind::Unary(op, Box::new(e)),
                span,
            };
        }
        e
    }

    fn primary(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let x = p.into_inner().next().expect("primary");
        let kind = match x.as_rule() {
            Rule::expr => return self.expr(x),
            Rule::bool_lit => ExprKind::Bool(x.as_str() == "true"),
            Rule::int_lit => ExprKind::Int(self.int(x)),
            Rule::string_lit => ExprKind::Str(self.string(x)),
            Rule::call => {
                let mut ci = x.into_inner();
                let name = ci.next().expect("callee").as_str().to_string();
                let args = ci.map(|a| self.expr(a)).collect();
                ExprKind::Call(name, args)
            }
            _ => ExprKind::Path(x.as_str().to_string()),
        };
        Expr { kind, span }
    }
}

fn binop(s: &str) -> BinOp {
    match s {
        "++" => BinOp::Concat,
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Rem,
        "<<" => BinOp::Shl,
        ">>" => BinOp::Shr,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "&" => BinOp::BitAnd,
        "^" => BinOp::BitXor,
        "|" => BinOp::BitOr,
        "&&" => BinOp::And,
        _ => BinOp::Or,
    }
}

fn climb(mut lhs: Expr, rest: &[(BinOp, Expr)], idx: &mut usize, min_prec: u8) -> Expr {
    while *idx < rest.len() {
        let (op, _) = &rest[*idx];
        let op = *op;
        let prec = op.precedence();
        if prec < min_prec {
            break;
        }
        let mut rhs = rest[*idx].1.clone();
        *idx += 1;
        while *idx < rest.len() && rest[*idx].0.precedence() > prec {
            let next_prec = rest[*idx].0.precedence();
            rhs = climb(rhs, rest, idx, next_prec);
        }
        let span = lhs.span.to(rhs.span);
        lhs = Expr {
            kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            span,
        };
    }
    lhs
}
