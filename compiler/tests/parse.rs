//! Parser tests: the shipped schemas parse, operator precedence builds the
//! expected trees, comments and doc comments, literals, and standalone
//! expressions (`parser::parse_expr`).

use std::path::Path;
use strata_compiler::ast::{Decl, Endian, Expr, ExprKind, FieldInit, File, Stmt, TypeRef, UnOp};
use strata_compiler::diag::ErrorCode;
use strata_compiler::parser::{parse_expr, parse_file};

fn parse(text: &str) -> File {
    match parse_file(0, "test", text) {
        Ok(f) => f,
        Err(d) => panic!("parse failed: {:?}", d.items),
    }
}

fn expr(text: &str) -> Expr {
    match parse_expr(0, text) {
        Ok(e) => e,
        Err(d) => panic!("`{text}` does not parse: {:?}", d.items),
    }
}

/// An expression as an S-expression: `(+ a (* b c))`.
fn sexp(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Path(p) => p.clone(),
        ExprKind::Call(f, args) => {
            let mut s = format!("({f}");
            for a in args {
                s.push(' ');
                s.push_str(&sexp(a));
            }
            s.push(')');
            s
        }
        ExprKind::Unary(op, a) => {
            let o = match op {
                UnOp::Not => "!",
                UnOp::Neg => "neg",
                UnOp::BitNot => "~",
            };
            format!("({o} {})", sexp(a))
        }
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sexp(a), sexp(b)),
        ExprKind::Ternary(c, a, b) => format!("(? {} {} {})", sexp(c), sexp(a), sexp(b)),
    }
}

fn tree(text: &str) -> String {
    sexp(&expr(text))
}

// ---------------------------------------------------------------- schemas

#[test]
fn every_protocol_file_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocols");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("protocols/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "pdl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let module = strata_compiler::module_name(&path.display().to_string());
        let file = parse_file(0, &module, &text)
            .unwrap_or_else(|d| panic!("{}: {:?}", path.display(), d.items));
        assert_eq!(file.version, 1, "{}", path.display());
        assert_eq!(file.module, module);
        assert!(
            !file.decls.is_empty(),
            "{}: no declarations",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 10, "expected the shipped protocol files, found {n}");
}

// ---------------------------------------------------------------- precedence

#[test]
fn precedence_of_the_example() {
    assert_eq!(tree("a + b * c == d && e"), "(&& (== (+ a (* b c)) d) e)");
}

#[test]
fn precedence_levels_from_loosest_to_tightest() {
    // Each operator binds tighter than the one before it: right-nested.
    assert_eq!(
        tree("a || b && c | d ^ e & f == g < h ++ i << j + k * l"),
        "(|| a (&& b (| c (^ d (& e (== f (< g (++ h (<< i (+ j (* k l)))))))))))"
    );
    // The same operators from tightest to loosest: left-nested.
    assert_eq!(
        tree("a * b + c << d ++ e < f == g & h ^ i | j && k || l"),
        "(|| (&& (| (^ (& (== (< (++ (<< (+ (* a b) c) d) e) f) g) h) i) j) k) l)"
    );
}

#[test]
fn operators_of_one_level_associate_to_the_left() {
    assert_eq!(tree("a - b - c"), "(- (- a b) c)");
    assert_eq!(tree("a / b * c % d"), "(% (* (/ a b) c) d)");
    assert_eq!(tree("a << b >> c"), "(>> (<< a b) c)");
    assert_eq!(tree("a == b != c"), "(!= (== a b) c)");
    assert_eq!(tree("a <= b >= c < d > e"), "(> (< (>= (<= a b) c) d) e)");
    assert_eq!(tree("a ++ b ++ c"), "(++ (++ a b) c)");
}

#[test]
fn mixed_levels() {
    assert_eq!(tree("a + b * c - d"), "(- (+ a (* b c)) d)");
    assert_eq!(tree("a * b + c * d"), "(+ (* a b) (* c d))");
    assert_eq!(tree("a & 1 == 0"), "(& a (== 1 0))");
    assert_eq!(tree("a | b & c ^ d"), "(| a (^ (& b c) d))");
    assert_eq!(tree("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(tree("((a))"), "a");
}

#[test]
fn unary_operators_bind_tightest() {
    assert_eq!(tree("-a * b"), "(* (neg a) b)");
    assert_eq!(tree("!a && b"), "(&& (! a) b)");
    assert_eq!(tree("~a & b"), "(& (~ a) b)");
    assert_eq!(tree("!!a"), "(! (! a))");
    assert_eq!(tree("-~a"), "(neg (~ a))");
    assert_eq!(tree("!(a || b)"), "(! (|| a b))");
}

#[test]
fn ternaries_nest_to_the_right() {
    assert_eq!(tree("a ? b : c"), "(? a b c)");
    assert_eq!(tree("a ? b : c ? d : e"), "(? a b (? c d e))");
    assert_eq!(tree("a == 1 ? b + 1 : c"), "(? (== a 1) (+ b 1) c)");
    assert_eq!(tree("a ? (b ? c : d) : e"), "(? a (? b c d) e)");
}

#[test]
fn calls_paths_and_literals() {
    assert_eq!(tree("sizeof(header) / 4"), "(/ (sizeof header) 4)");
    assert_eq!(tree("min(a, b + 1)"), "(min a (+ b 1))");
    assert_eq!(
        tree("under.pseudo(6, sizeof(self)) ++ self"),
        "(++ (under.pseudo 6 (sizeof self)) self)"
    );
    assert_eq!(tree("flags.df == true"), "(== flags.df true)");
    assert_eq!(tree("f()"), "(f)");
    assert_eq!(
        tree("0x08_00 + 0b1010 + 0o17 + 1_000"),
        "(+ (+ (+ 2048 10) 15) 1000)"
    );
    assert_eq!(tree("truely"), "truely", "`true` prefix of a name");
    assert_eq!(tree(r#""a\"b\\c""#), r#""a\"b\\c""#);
}

#[test]
fn binary_spans_cover_both_operands() {
    let text = "a + b * c";
    let e = expr(text);
    assert_eq!((e.span.start, e.span.end), (0, text.len()));
    let ExprKind::Binary(_, lhs, rhs) = &e.kind else {
        panic!("not binary")
    };
    assert_eq!(&text[lhs.span.start..lhs.span.end], "a");
    assert_eq!(&text[rhs.span.start..rhs.span.end], "b * c");
}

// ---------------------------------------------------------------- parse_expr

#[test]
fn standalone_expressions() {
    // Surrounding whitespace is not part of the expression.
    assert_eq!(tree("  a + 1  "), "(+ a 1)");
    assert_eq!(tree("f(x)\n"), "(f x)");
    assert_eq!(tree("a // a comment"), "a");
    assert_eq!(
        tree("count(options) * 4 - 2"),
        "(- (* (count options) 4) 2)"
    );
    let e = expr("it.kind == 0");
    assert_eq!(sexp(&e), "(== it.kind 0)");
}

#[test]
fn standalone_expression_errors_carry_a_span() {
    for text in ["a + b )", "a +", "", "* a", "a b", "f(a,", "1 ? 2"] {
        let d = match parse_expr(3, text) {
            Ok(e) => panic!("`{text}` parsed as {}", sexp(&e)),
            Err(d) => d,
        };
        assert_eq!(d.codes(), vec![ErrorCode::Syntax], "`{text}`");
        let span = d.items[0].primary.0;
        assert_eq!(span.file, 3, "`{text}`: file id is kept");
        assert!(span.start <= span.end && span.end <= text.len(), "`{text}`");
    }
    // Trailing text is reported where it starts.
    let d = parse_expr(0, "a + b )").expect_err("trailing text");
    let span = d.items[0].primary.0;
    assert_eq!(&"a + b )"[span.start..span.end], ")");
}

// ---------------------------------------------------------------- comments

const COMMENTED: &str = r#"pdl 1; // the version
endian little;

/* A block comment
   over several lines. */

//// Four slashes: an ordinary comment, not documentation.
/// The kind of a frame.
/// Second line.
enum Kind : u8 {
    /// The first variant.
    A = 1, // trailing comment
    B = 2 /* inline */ "Bee",
}

/// A header.
struct Header (filter = "hdr") {
    /// The kind.
    kind : Kind; // after a field
    // an ordinary comment between statements
    len : u8 = derive(sizeof(self) /* bytes */ + 0);
    ////not a doc
    data : bytes[..];
}
// last line without a newline"#;

#[test]
fn comments_and_doc_comments() {
    let f = parse(COMMENTED);
    assert_eq!(f.endian.map(|e| e.0), Some(Endian::Little));
    assert_eq!(f.decls.len(), 2);
    let Decl::Enum(e) = &f.decls[0] else {
        panic!("first declaration is the enum")
    };
    assert_eq!(e.doc, vec!["The kind of a frame.", "Second line."]);
    assert_eq!(e.items.len(), 2);
    assert_eq!(e.items[0].doc, vec!["The first variant."]);
    assert!(e.items[1].doc.is_empty());
    assert_eq!(e.items[1].label.as_deref(), Some("Bee"));
    let Decl::Struct(s) = &f.decls[1] else {
        panic!("second declaration is the struct")
    };
    assert_eq!(s.doc, vec!["A header."]);
    assert_eq!(s.body.len(), 3);
    let docs: Vec<Vec<String>> = s
        .body
        .iter()
        .map(|st| match st {
            Stmt::Field(fd) => fd.doc.clone(),
            _ => panic!("only fields"),
        })
        .collect();
    assert_eq!(docs, vec![vec!["The kind.".to_string()], vec![], vec![]]);
    let Stmt::Field(len) = &s.body[1] else {
        unreachable!()
    };
    match &len.init {
        Some(FieldInit::Derive(e)) => assert_eq!(sexp(e), "(+ (sizeof self) 0)"),
        other => panic!("derive expected, got {other:?}"),
    }
}

#[test]
fn a_doc_comment_must_document_something() {
    let text = "pdl 1;\n\nstruct A {\n    a : u8;\n    /// dangling\n}\n";
    let d = parse_file(0, "test", text).expect_err("dangling doc comment");
    assert_eq!(d.codes(), vec![ErrorCode::Syntax]);
}

#[test]
fn unterminated_block_comment_is_an_error() {
    let text = "pdl 1;\n/* never closed\nstruct A { a : u8; }\n";
    let d = parse_file(0, "test", text).expect_err("unterminated comment");
    assert_eq!(d.codes(), vec![ErrorCode::Syntax]);
}

// ---------------------------------------------------------------- declarations

#[test]
fn declarations_of_every_kind() {
    let text = r#"pdl 1;
enum E : u8 { A = 1, R = 2..=5 "range", }
bits B : u16 lsb0 { lo : u8; hi : u8; }
table t.key : E;
interface I { fn f(a, b); }
layer L "Long name" (name = "L", addresses = (s, d)) implements I {
    s : u8;
    d : u8;
    x : bits u8 msb0 { a : u4; _ : u4; };
    arr : u16[2] if s == 1;
    match s { A | 7 => { y : u8; } 8..=9 => z : u8; _ => {} }
    require d != 0 else "zero";
    pad align(4);
    payload -> t.key[d] else raw if s > 0;
    fn f(a, b) = u8(a) ++ u8(b);
}
bind t.key[A, 3..=4, 0x10] => L;
test L {
    parse "0102" => { s: 1, x.a: 0xf, ok: true, k: A, b: "ab" };
    parse "01" => error truncated;
    build { s: 1 } payload "ff" => "01";
}
"#;
    let f = parse(text);
    let kinds: Vec<&str> = f
        .decls
        .iter()
        .map(|d| match d {
            Decl::Enum(_) => "enum",
            Decl::Bits(_) => "bits",
            Decl::Struct(s) if s.is_layer => "layer",
            Decl::Struct(_) => "struct",
            Decl::Table(_) => "table",
            Decl::Bind(_) => "bind",
            Decl::Interface(_) => "interface",
            Decl::Test(_) => "test",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "enum",
            "bits",
            "table",
            "interface",
            "layer",
            "bind",
            "test"
        ]
    );
    let Decl::Enum(e) = &f.decls[0] else {
        unreachable!()
    };
    assert_eq!((e.items[1].lo, e.items[1].hi), (2, 5));
    let Decl::Table(t) = &f.decls[2] else {
        unreachable!()
    };
    assert_eq!(t.name.name, "t.key");
    let Decl::Struct(l) = &f.decls[4] else {
        unreachable!()
    };
    assert_eq!(l.long_name.as_deref(), Some("Long name"));
    assert_eq!(l.implements.len(), 1);
    assert_eq!(l.body.len(), 9);
    let Stmt::Field(x) = &l.body[2] else {
        panic!("x is a field")
    };
    assert!(matches!(&x.ty, TypeRef::InlineBits { fields, .. } if fields.len() == 2));
    let Stmt::Match(m) = &l.body[4] else {
        panic!("a match")
    };
    assert_eq!(m.arms.len(), 3);
    assert_eq!(m.arms[0].patterns.len(), 2);
    let Decl::Bind(b) = &f.decls[5] else {
        unreachable!()
    };
    assert_eq!(b.keys.len(), 3);
    assert_eq!(b.layer.name, "L");
    let Decl::Test(t) = &f.decls[6] else {
        unreachable!()
    };
    assert_eq!(t.cases.len(), 3);
}

#[test]
fn spans_point_at_names() {
    let text = "pdl 1;\nstruct Header { kind : u8; }\n";
    let f = parse(text);
    let Decl::Struct(s) = &f.decls[0] else {
        unreachable!()
    };
    assert_eq!(&text[s.name.span.start..s.name.span.end], "Header");
    let Stmt::Field(fd) = &s.body[0] else {
        unreachable!()
    };
    assert_eq!(&text[fd.name.span.start..fd.name.span.end], "kind");
    assert_eq!(&text[fd.span.start..fd.span.end], "kind : u8;");
    assert_eq!(&text[f.version_span.start..f.version_span.end], "pdl 1;");
}
