//! The syntax tree of a `.pdl` file, with a source span on every node.
//!
//! The AST is what the parser produces and what the analyzer consumes; it is
//! deliberately close to the text (names are unresolved strings).

use serde::Serialize;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Index of the file in the [`crate::source::SourceDb`].
    pub file: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A name with its span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// One parsed `.pdl` file.
#[derive(Clone, Debug, Serialize)]
pub struct File {
    /// The file stem (`ipv4` for `protocols/ipv4.pdl`): the Rust module name.
    pub module: String,
    /// The language version from `pdl N;`.
    pub version: u64,
    /// Span of the version declaration.
    pub version_span: Span,
    /// `endian big|little;` (big when absent).
    pub endian: Option<(Endian, Span)>,
    /// Top-level declarations in source order.
    pub decls: Vec<Decl>,
}

/// Byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endian {
    /// Network order.
    Big,
    /// Little-endian.
    Little,
}

/// Bit numbering inside a `bits` container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BitOrder {
    /// First declared field takes the most significant bits (RFC diagrams).
    Msb0,
    /// First declared field takes bit 0 (IEEE 802.15.4 tables).
    Lsb0,
}

/// A top-level declaration.
#[derive(Clone, Debug, Serialize)]
pub enum Decl {
    /// `enum`
    Enum(EnumDecl),
    /// `bits`
    Bits(BitsDecl),
    /// `struct` or `layer`
    Struct(StructDecl),
    /// `table`
    Table(TableDecl),
    /// `bind`
    Bind(BindDecl),
    /// `interface`
    Interface(InterfaceDecl),
    /// `test`
    Test(TestDecl),
}

/// `enum Name : uN { A = 1, B = 2..=5 "label" }`
#[derive(Clone, Debug, Serialize)]
pub struct EnumDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name.
    pub name: Ident,
    /// Underlying integer type name.
    pub repr: Ident,
    /// Attributes (`@closed`).
    pub attrs: Vec<Attr>,
    /// Variants.
    pub items: Vec<EnumItem>,
    /// Whole declaration.
    pub span: Span,
}

/// One enum variant.
#[derive(Clone, Debug, Serialize)]
pub struct EnumItem {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Variant name.
    pub name: Ident,
    /// First value.
    pub lo: u64,
    /// Last value (equal to `lo` for a single value).
    pub hi: u64,
    /// Display label.
    pub label: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// `bits Name : u16 lsb0 { ... }`
#[derive(Clone, Debug, Serialize)]
pub struct BitsDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name.
    pub name: Ident,
    /// Container integer type (`u16le`, `u12`).
    pub repr: Ident,
    /// Bit numbering.
    pub order: Option<BitOrder>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Sub-fields.
    pub fields: Vec<FieldDecl>,
    /// Whole declaration.
    pub span: Span,
}

/// `struct` or `layer`.
#[derive(Clone, Debug, Serialize)]
pub struct StructDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// `layer` (a dissection unit) rather than `struct`.
    pub is_layer: bool,
    /// Name.
    pub name: Ident,
    /// Long display name.
    pub long_name: Option<String>,
    /// `(key = value, ...)`.
    pub props: Vec<Prop>,
    /// `implements A, B`.
    pub implements: Vec<Ident>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Body.
    pub body: Vec<Stmt>,
    /// Whole declaration.
    pub span: Span,
}

/// `key = value` in a layer header.
#[derive(Clone, Debug, Serialize)]
pub struct Prop {
    /// Key.
    pub key: Ident,
    /// Value.
    pub value: PropValue,
    /// Whole property.
    pub span: Span,
}

/// A property value.
#[derive(Clone, Debug, Serialize)]
pub enum PropValue {
    /// `"text"`
    Str(String),
    /// `123`
    Int(u64),
    /// `(a, b)`
    List(Vec<Ident>),
    /// `name` or `a.b`
    Path(String),
}

/// A statement in a struct or layer body.
#[derive(Clone, Debug, Serialize)]
#[allow(clippy::large_enum_variant)] // built once per statement; boxing buys nothing
pub enum Stmt {
    /// A field on the wire.
    Field(FieldDecl),
    /// `let name: type = expr;`
    Let(LetDecl),
    /// `match expr { ... }`
    Match(MatchStmt),
    /// `require expr else "msg";`
    Require(RequireStmt),
    /// `payload -> ...;`
    Payload(PayloadStmt),
    /// `pad align(N);`
    Pad(PadStmt),
    /// `fn name(args) = expr;`
    Fn(FnDecl),
}

/// `name : type [= init] [if cond] @attrs ;`
#[derive(Clone, Debug, Serialize)]
pub struct FieldDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name (`_` for reserved).
    pub name: Ident,
    /// Type.
    pub ty: TypeRef,
    /// Fixed value, derivation or checksum.
    pub init: Option<FieldInit>,
    /// Presence condition.
    pub cond: Option<Expr>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Whole field.
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug, Serialize)]
pub enum TypeRef {
    /// A named type (`u16`, `mac`, `IpProto`), optionally an array.
    Named {
        /// The name.
        name: Ident,
        /// `[...]` suffix.
        array: Option<ArraySpec>,
        /// Whole type.
        span: Span,
    },
    /// `bits u8 { ... }` written inline.
    InlineBits {
        /// Container type.
        repr: Ident,
        /// Bit numbering.
        order: Option<BitOrder>,
        /// Sub-fields.
        fields: Vec<FieldDecl>,
        /// Whole type.
        span: Span,
    },
}

impl TypeRef {
    /// The span of the type.
    pub fn span(&self) -> Span {
        match self {
            TypeRef::Named { span, .. } | TypeRef::InlineBits { span, .. } => *span,
        }
    }
}

/// How many elements an array has.
#[derive(Clone, Debug, Serialize)]
pub enum ArraySpec {
    /// `[n]`: element count (byte count for `bytes`).
    Count(Expr),
    /// `[size: n]`: byte size.
    Size(Expr),
    /// `[until: pred]`: until the predicate holds for the element just read (`it`).
    Until(Expr),
    /// `[..]`: to the end of the innermost bounded region.
    ToEnd(Span),
}

/// What follows `=` in a field.
#[derive(Clone, Debug, Serialize)]
pub enum FieldInit {
    /// `= 4`: a fixed value, checked on parse, written by builders.
    Fixed(Expr),
    /// `= derive(expr)`: computed by builders, inverted by parsers.
    Derive(Expr),
    /// `= checksum(algo, coverage)`.
    Checksum {
        /// Algorithm name.
        algo: Ident,
        /// Covered bytes.
        cover: Expr,
    },
}

/// `let name: type = expr @attrs;`
#[derive(Clone, Debug, Serialize)]
pub struct LetDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name.
    pub name: Ident,
    /// Type name.
    pub ty: Ident,
    /// Value.
    pub value: Expr,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Whole statement.
    pub span: Span,
}

/// `match discr { arms }`
#[derive(Clone, Debug, Serialize)]
pub struct MatchStmt {
    /// Discriminant.
    pub discr: Expr,
    /// Arms in order; the first match wins.
    pub arms: Vec<MatchArm>,
    /// Whole statement.
    pub span: Span,
}

/// `pat | pat => body`
#[derive(Clone, Debug, Serialize)]
pub struct MatchArm {
    /// Alternatives.
    pub patterns: Vec<Pattern>,
    /// Statements of the arm.
    pub body: Vec<Stmt>,
    /// Whole arm.
    pub span: Span,
}

/// A match or bind pattern.
#[derive(Clone, Debug, Serialize)]
pub enum Pattern {
    /// `_`
    Wildcard(Span),
    /// `5`
    Int(u64, Span),
    /// `1..=5`
    Range(u64, u64, Span),
    /// An enum variant name.
    Name(Ident),
}

impl Pattern {
    /// Where the pattern is written.
    pub fn span(&self) -> Span {
        match self {
            Pattern::Wildcard(s) | Pattern::Int(_, s) | Pattern::Range(_, _, s) => *s,
            Pattern::Name(i) => i.span,
        }
    }
}

/// `require cond else "message";`
#[derive(Clone, Debug, Serialize)]
pub struct RequireStmt {
    /// Must hold.
    pub cond: Expr,
    /// Message for the malformed error.
    pub message: Option<String>,
    /// Whole statement.
    pub span: Span,
}

/// `payload -> target else target if cond;`
#[derive(Clone, Debug, Serialize)]
pub struct PayloadStmt {
    /// Targets tried in order.
    pub targets: Vec<DispatchTarget>,
    /// When false, the payload is raw data.
    pub cond: Option<Expr>,
    /// Whole statement.
    pub span: Span,
}

/// Where a payload goes.
#[derive(Clone, Debug, Serialize)]
pub enum DispatchTarget {
    /// Raw data.
    Raw(Span),
    /// A table lookup with one or more keys tried in order.
    Table {
        /// Table name.
        table: Ident,
        /// Keys.
        keys: Vec<Expr>,
        /// Whole target.
        span: Span,
    },
    /// A fixed layer.
    Layer(Ident),
}

/// `pad align(N);`
#[derive(Clone, Debug, Serialize)]
pub struct PadStmt {
    /// Alignment in bytes.
    pub align: u64,
    /// Whole statement.
    pub span: Span,
}

/// `fn name(a, b) = expr;` (implements an interface function).
#[derive(Clone, Debug, Serialize)]
pub struct FnDecl {
    /// Name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<Ident>,
    /// Body.
    pub body: Expr,
    /// Whole statement.
    pub span: Span,
}

/// `@name(args)`
#[derive(Clone, Debug, Serialize)]
pub struct Attr {
    /// Name.
    pub name: Ident,
    /// Arguments.
    pub args: Vec<AttrArg>,
    /// Whole attribute.
    pub span: Span,
}

/// One attribute argument, optionally named.
#[derive(Clone, Debug, Serialize)]
pub struct AttrArg {
    /// `key =` part.
    pub key: Option<Ident>,
    /// Value.
    pub value: Expr,
}

/// `table name : type [(props)];`
#[derive(Clone, Debug, Serialize)]
pub struct TableDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name (may be dotted: `ip.proto`).
    pub name: Ident,
    /// Key type.
    pub key_type: Ident,
    /// `(protocol = "…")`.
    pub props: Vec<Prop>,
    /// Whole declaration.
    pub span: Span,
}

/// `bind table[keys] => Layer;`
#[derive(Clone, Debug, Serialize)]
pub struct BindDecl {
    /// Table.
    pub table: Ident,
    /// Keys (values, ranges or enum variants).
    pub keys: Vec<Pattern>,
    /// Bound layer.
    pub layer: Ident,
    /// Whole declaration.
    pub span: Span,
}

/// `interface Name { fn f(a, b); }`
#[derive(Clone, Debug, Serialize)]
pub struct InterfaceDecl {
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Name.
    pub name: Ident,
    /// Functions: name and parameter names.
    pub fns: Vec<(Ident, Vec<Ident>)>,
    /// Whole declaration.
    pub span: Span,
}

/// `test Layer { cases }`
#[derive(Clone, Debug, Serialize)]
pub struct TestDecl {
    /// Layer or struct under test.
    pub target: Ident,
    /// Cases.
    pub cases: Vec<TestCase>,
    /// Whole declaration.
    pub span: Span,
}

/// One test case.
#[derive(Clone, Debug, Serialize)]
pub enum TestCase {
    /// `parse "hex" => { field: value } | error Kind;`
    Parse {
        /// Input bytes as hex.
        hex: String,
        /// Expected outcome.
        expect: TestExpect,
        /// Whole case.
        span: Span,
    },
    /// `build { field: value } payload "hex" => "hex";`
    Build {
        /// Field values.
        fields: Vec<TestKv>,
        /// Payload bytes as hex.
        payload: Option<String>,
        /// Expected bytes as hex.
        hex: String,
        /// Whole case.
        span: Span,
    },
}

/// Expected parse outcome.
#[derive(Clone, Debug, Serialize)]
pub enum TestExpect {
    /// Field values.
    Fields(Vec<TestKv>),
    /// An error kind name.
    Error(Ident),
}

/// `path: value` in a test.
#[derive(Clone, Debug, Serialize)]
pub struct TestKv {
    /// Field path (`ttl`, `flags.df`).
    pub path: Ident,
    /// Value as written.
    pub value: TestValue,
}

/// A literal in a test.
#[derive(Clone, Debug, Serialize)]
pub enum TestValue {
    /// Integer.
    Int(u64),
    /// Boolean.
    Bool(bool),
    /// String (addresses, bytes as hex, text).
    Str(String),
    /// A bare name (enum variant, checksum status).
    Name(String),
}

/// An expression.
#[derive(Clone, Debug, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// Expression forms.
#[derive(Clone, Debug, Serialize)]
pub enum ExprKind {
    /// Integer literal.
    Int(u64),
    /// Boolean literal.
    Bool(bool),
    /// String literal.
    Str(String),
    /// A name or dotted path (`ttl`, `flags.df`, `self`).
    Path(String),
    /// `f(args)` or `a.f(args)`.
    Call(String, Vec<Expr>),
    /// Unary operator.
    Unary(UnOp, Box<Expr>),
    /// Binary operator.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum UnOp {
    /// `!`
    Not,
    /// `-`
    Neg,
    /// `~`
    BitNot,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum BinOp {
    /// `++` byte concatenation
    Concat,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `&`
    BitAnd,
    /// `^`
    BitXor,
    /// `|`
    BitOr,
    /// `&&`
    And,
    /// `||`
    Or,
}

impl BinOp {
    /// Binding power (higher binds tighter), C-like.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::BitOr => 3,
            BinOp::BitXor => 4,
            BinOp::BitAnd => 5,
            BinOp::Eq | BinOp::Ne => 6,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 7,
            BinOp::Concat => 8,
            BinOp::Shl | BinOp::Shr => 9,
            BinOp::Add | BinOp::Sub => 10,
            BinOp::Mul | BinOp::Div | BinOp::Rem => 11,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Concat => "++",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::BitAnd => "&",
            BinOp::BitXor => "^",
            BinOp::BitOr => "|",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}
