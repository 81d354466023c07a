//! The intermediate representation: a resolved, backend-independent layout plan.
//!
//! Every front-end (`.pdl` text, `#[derive(Layer)]`) lowers to this and every
//! backend (Rust, Lua, the run-time interpreter, JSON) reads only this. It is
//! serializable to JSON (`strata gen json-ir`); `IR_VERSION` changes whenever
//! the JSON shape does.
//!
//! Layout model: a struct is a tree of [`Item`]s. Wire fields are located by a
//! [`Loc`]: a *segment* plus a constant byte offset. Segment 0 starts at the
//! struct start; a new segment starts after every item whose size or presence
//! is only known at parse time, and parsers record each segment's start. All
//! integers, bit fields and bits containers are read as one *run* (1..=8 bytes,
//! big or little endian) and extracted with a shift and a mask.

use crate::ast::{BinOp, Endian, UnOp};
use serde::{Deserialize, Serialize};

/// Version of the JSON shape of [`Schema`].
pub const IR_VERSION: u32 = 1;

/// Index into [`Schema::structs`].
pub type StructId = usize;
/// Index into [`Schema::enums`].
pub type EnumId = usize;
/// Index into [`Schema::tables`].
pub type TableId = usize;
/// Index into [`Schema::interfaces`].
pub type InterfaceId = usize;
/// Index into [`Struct::fields`].
pub type FieldId = usize;

/// A linked set of protocol files.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Schema {
    /// [`IR_VERSION`].
    pub ir_version: u32,
    /// One per source file, in input order.
    pub modules: Vec<Module>,
    /// All enums.
    pub enums: Vec<Enum>,
    /// All structs and layers.
    pub structs: Vec<Struct>,
    /// All dispatch tables.
    pub tables: Vec<Table>,
    /// All binds, in source order.
    pub binds: Vec<Bind>,
    /// All interfaces.
    pub interfaces: Vec<Interface>,
    /// In-language test blocks.
    pub tests: Vec<Test>,
}

impl Schema {
    /// Finds a struct or layer by name.
    pub fn struct_by_name(&self, name: &str) -> Option<StructId> {
        self.structs.iter().position(|s| s.name == name)
    }
    /// Finds a table by name.
    pub fn table_by_name(&self, name: &str) -> Option<TableId> {
        self.tables.iter().position(|t| t.name == name)
    }
    /// The layers, in declaration order.
    pub fn layers(&self) -> impl Iterator<Item = (StructId, &Struct)> {
        self.structs
            .iter()
            .enumerate()
            .filter(|(_, s)| s.layer.is_some())
    }
}

/// One source file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Module {
    /// Module name (file stem).
    pub name: String,
    /// Source file name as given to the compiler.
    pub source: String,
}

/// An open (or closed) enumeration of integer values.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Enum {
    /// Name.
    pub name: String,
    /// Owning module.
    pub module: usize,
    /// Doc comment.
    pub doc: Vec<String>,
    /// Width in bits of the underlying integer.
    pub bits: u8,
    /// Unknown values are a parse error instead of being kept.
    pub closed: bool,
    /// Variants in declaration order.
    pub variants: Vec<Variant>,
}

/// One enum variant: a value or an inclusive range.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Variant {
    /// Name.
    pub name: String,
    /// First value.
    pub lo: u64,
    /// Last value.
    pub hi: u64,
    /// Display label (defaults to the name).
    pub label: String,
    /// Doc comment.
    pub doc: Vec<String>,
}

/// A dispatch table: layers bind into it by key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Table {
    /// Name (`ethertype`, `ip.proto`).
    pub name: String,
    /// Owning module.
    pub module: usize,
    /// Width in bits of the key.
    pub key_bits: u8,
    /// Key enum, when the key type is one.
    pub key_enum: Option<EnumId>,
    /// The pseudo-protocol a payload passing through this table shows in a
    /// protocol path (`eth:ethertype:ip`), like Wireshark's `ethertype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Doc comment.
    pub doc: Vec<String>,
}

/// `bind table[keys] => layer`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bind {
    /// Table.
    pub table: TableId,
    /// Inclusive key ranges; the first key is what builders write.
    pub keys: Vec<(u64, u64)>,
    /// Bound layer.
    pub layer: StructId,
    /// Module that declared the bind.
    pub module: usize,
}

/// A set of functions a lower layer offers to upper layers (pseudo-headers).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Interface {
    /// Name.
    pub name: String,
    /// Owning module.
    pub module: usize,
    /// Functions.
    pub fns: Vec<InterfaceFn>,
    /// Doc comment.
    pub doc: Vec<String>,
}

/// A function of an interface: returns bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InterfaceFn {
    /// Name.
    pub name: String,
    /// Parameter names (integers).
    pub params: Vec<String>,
}

/// A struct or a layer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Struct {
    /// Name (Rust type name).
    pub name: String,
    /// Owning module.
    pub module: usize,
    /// Doc comment.
    pub doc: Vec<String>,
    /// Present for layers.
    pub layer: Option<LayerMeta>,
    /// Filter-name prefix of the fields (`ip`, `tcp.options`).
    pub filter: String,
    /// Long name (`Internet Protocol Version 4`).
    pub long_name: String,
    /// Default byte order.
    pub endian: Endian,
    /// Every named thing: wire fields, bit sub-fields, `let` values; declaration order.
    pub fields: Vec<Field>,
    /// The layout tree.
    pub body: Vec<Item>,
    /// Number of segments after the first (slots parsers must record).
    pub segments: u16,
    /// Number of `match` items (arm slots parsers must record).
    pub matches: u16,
    /// Conditions of the conditional (`if`) fields, by presence bit.
    pub conds: Vec<Expr>,
    /// Bytes every instance has: the static prefix that is always present.
    pub min_size: u32,
    /// Derived fields that bound regions, in wire order.
    pub bounds: Vec<Bound>,
    /// Where the payload goes (layers only).
    pub payload: Option<Payload>,
    /// Interface functions this struct implements.
    pub impls: Vec<FnImpl>,
    /// Table keys this layer's builder fills from the layer stacked on it.
    pub reverse_keys: Vec<(TableId, FieldId)>,
}

impl Struct {
    /// Finds a field by its schema name (`ttl`, `flags.df`).
    pub fn field_by_name(&self, name: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// Layer-only metadata.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LayerMeta {
    /// Short protocol name for summaries (`IPv4`, `TCP`).
    pub short_name: String,
    /// Summary-line template (`{src} → {dst}`), when given.
    pub info: Option<String>,
    /// Title template appended to the long name in layer trees (`, Src Port:
    /// {srcport}`); `None`: the addresses, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Fields shown as source and destination in summaries.
    pub addresses: Option<(FieldId, FieldId)>,
    /// `atomic = (first, last)`: when the capture cuts the layer before the
    /// end of `last`, nothing from `first` on is shown (Wireshark reads those
    /// bytes before it shows any of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atomic: Option<(FieldId, FieldId)>,
    /// Length fields marked `@bad_length`: the expert reported when the
    /// length does not fit the frame.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bad_length: Vec<BadLength>,
}

/// `@bad_length("ip.bogus_ip_length", "Bogus IP length")` on a length field:
/// the expert item reported when the length is too small for the header or
/// claims more bytes than the frame carried (not a snap-length cut).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BadLength {
    /// The length field.
    pub field: FieldId,
    /// Display-filter path of the expert item.
    pub path: String,
    /// Its label.
    pub label: String,
}

/// A named value of a struct.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Field {
    /// Schema name, dotted for sub-fields (`flags.df`).
    pub name: String,
    /// Accessor name in generated code (`flags_df`).
    pub ident: String,
    /// Display-filter path (`ip.flags.df`).
    pub path: String,
    /// Other paths that also match this field (`ip.addr`).
    pub aliases: Vec<String>,
    /// Human label.
    pub label: String,
    /// Doc comment.
    pub doc: Vec<String>,
    /// Value type.
    pub ty: Type,
    /// Wire field, sub-field of a container, or computed.
    pub kind: FieldKind,
    /// Where it is on the wire (wire fields and sub-fields).
    pub loc: Option<Loc>,
    /// Conditions under which the field exists.
    pub guards: Vec<Guard>,
    /// How builders and parsers treat the value.
    pub init: Init,
    /// Containing bits container.
    pub parent: Option<FieldId>,
    /// Sub-fields of a bits container.
    pub children: Vec<FieldId>,
    /// How to display the value.
    pub display: Display,
    /// Not shown in outputs (still reachable from code).
    pub hidden: bool,
    /// Byte offset from the struct start when it never moves (for partial dissection).
    pub static_offset: Option<u32>,
    /// Default value for builders.
    pub default: Option<u64>,
}

impl Field {
    /// True for a field that exists in every instance.
    pub fn always_present(&self) -> bool {
        self.guards.is_empty()
    }
}

/// Kind of a field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FieldKind {
    /// Bytes on the wire.
    Wire,
    /// A slice of a bits container's value.
    Sub,
    /// `let`: computed from other fields.
    Let(Expr),
}

/// A condition for a field to exist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Guard {
    /// Arm `arm` of match `index` was taken.
    Arm {
        /// Match index in the struct.
        index: u16,
        /// Arm index.
        arm: u16,
    },
    /// Conditional field number `index` is present (its `if` held).
    Cond {
        /// Presence bit.
        index: u16,
    },
}

/// Value types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Type {
    /// Unsigned integer of 1..=64 bits.
    UInt(u8),
    /// Signed integer of 8/16/32/64 bits.
    Int(u8),
    /// One bit.
    Bool,
    /// Enum value of the enum's width.
    Enum(EnumId),
    /// 6-byte MAC address.
    Mac,
    /// 4-byte IPv4 address.
    Ipv4,
    /// 16-byte IPv6 address.
    Ipv6,
    /// 8-byte EUI-64.
    Eui64,
    /// A byte string of the given size.
    Bytes(ArraySize),
    /// An array of elements.
    Array(Box<Type>, ArraySize),
    /// One nested struct.
    Struct(StructId),
}

impl Type {
    /// Width in bits of a scalar type.
    pub fn scalar_bits(&self, schema_enums: &[Enum]) -> Option<u32> {
        Some(match self {
            Type::UInt(b) | Type::Int(b) => *b as u32,
            Type::Bool => 1,
            Type::Enum(e) => schema_enums.get(*e).map(|e| e.bits as u32).unwrap_or(0),
            Type::Mac => 48,
            Type::Ipv4 => 32,
            Type::Ipv6 => 128,
            Type::Eui64 => 64,
            _ => return None,
        })
    }

    /// True for integer-valued types (usable in arithmetic).
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            Type::UInt(_) | Type::Int(_) | Type::Bool | Type::Enum(_)
        )
    }
}

/// How many bytes or elements an array has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ArraySize {
    /// A fixed or computed element count.
    Count(Expr),
    /// A computed byte size.
    Size(Expr),
    /// Until the predicate holds for the element just read.
    Until(Expr),
    /// To the end of the innermost bounded region.
    ToEnd,
    /// Bounded by a derived field elsewhere (`len = derive(sizeof(data))`).
    Bound(FieldId),
}

/// Where a wire field lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loc {
    /// Segment (0 = struct start).
    pub seg: u16,
    /// Byte offset within the segment.
    pub offset: u32,
    /// Scalar extraction: the run the value sits in.
    pub run: Option<Run>,
}

/// An integer run read in one go, and where the value sits in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// Bytes read (1..=8).
    pub bytes: u8,
    /// Byte order of the read.
    pub endian: Endian,
    /// Right shift applied to the run value.
    pub shift: u8,
    /// Width of the value in bits.
    pub bits: u8,
}

/// Display metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Display {
    /// Number base.
    pub base: Base,
    /// Hex digits when printing in hex (0 = from the width).
    pub hex_digits: u8,
    /// Unit suffix.
    pub unit: Option<String>,
}

/// Number base for display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Decimal.
    #[default]
    Dec,
    /// Hexadecimal (`0x0800`).
    Hex,
    /// Decimal with hex in parentheses.
    DecHex,
    /// Hex with decimal in parentheses.
    HexDec,
    /// Octal.
    Oct,
}

/// How a field's value is produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Init {
    /// An ordinary value.
    Plain,
    /// Must equal this value (parse error otherwise).
    Fixed(u64),
    /// `_`: reserved; builders write the default.
    Reserved,
    /// Computed by builders from the size or count of something.
    Derived(usize),
    /// A checksum.
    Checksum(Checksum),
}

/// A derived field that bounds a region: `field = ops(measure)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// The derived field.
    pub field: FieldId,
    /// What it measures.
    pub measure: Measure,
    /// Operations applied, in order, to the measure to get the field value.
    pub ops: Vec<AffineOp>,
}

/// What a derived field measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    /// Size in bytes of a region.
    Size(Region),
    /// Number of elements of an array field.
    Count(FieldId),
}

/// A region of a struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    /// The whole struct or layer, payload included.
    Whole,
    /// Everything before the payload.
    Header,
    /// The payload.
    Payload,
    /// One field's bytes.
    Field(FieldId),
}

/// An invertible step of a derived expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AffineOp {
    /// `+ c`
    Add(u64),
    /// `- c`
    Sub(u64),
    /// `* c`
    Mul(u64),
    /// `/ c` (exact: builders fail when not divisible)
    Div(u64),
}

/// A checksum field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checksum {
    /// Algorithm.
    pub algo: Algo,
    /// Covered bytes, concatenated in order; the checksum field itself reads as zero.
    pub cover: Vec<Expr>,
    /// A stored zero means "no checksum" (UDP over IPv4); builders write all-ones
    /// when the computed value is zero.
    pub zero_means_none: bool,
    /// Verified by default (Wireshark verifies ICMP but not IPv4/TCP/UDP).
    pub verify_default: bool,
}

/// Checksum algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algo {
    /// RFC 1071 ones'-complement sum.
    Internet16,
    /// CRC-32 (IEEE 802.3).
    Crc32,
    /// CRC-16/KERMIT (IEEE 802.15.4).
    Crc16Kermit,
    /// CRC-16/CCITT-FALSE.
    Crc16Ccitt,
    /// XOR of all bytes, initial 0xff (Z-Wave R1/R2).
    Xor8,
}

impl Algo {
    /// Parses an algorithm name.
    pub fn from_name(s: &str) -> Option<Algo> {
        Some(match s {
            "internet16" => Algo::Internet16,
            "crc32" => Algo::Crc32,
            "crc16_kermit" => Algo::Crc16Kermit,
            "crc16_ccitt" => Algo::Crc16Ccitt,
            "xor8" => Algo::Xor8,
            _ => return None,
        })
    }
    /// Width in bits of the result.
    pub fn bits(self) -> u8 {
        match self {
            Algo::Internet16 | Algo::Crc16Kermit | Algo::Crc16Ccitt => 16,
            Algo::Crc32 => 32,
            Algo::Xor8 => 8,
        }
    }
    /// The name as written in schemas.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Internet16 => "internet16",
            Algo::Crc32 => "crc32",
            Algo::Crc16Kermit => "crc16_kermit",
            Algo::Crc16Ccitt => "crc16_ccitt",
            Algo::Xor8 => "xor8",
        }
    }
}

/// A node of the layout tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Item {
    /// A wire field (its sub-fields come with it).
    Field(FieldId),
    /// Records the current offset as the start of segment `n` (1-based slot `n - 1`).
    Segment(u16),
    /// A computed (`let`) field, at its place in declaration order (no bytes).
    Let(FieldId),
    /// Sum type: the first arm whose patterns match the discriminant.
    Match {
        /// Match index (arm slot).
        index: u16,
        /// Discriminant.
        discr: Expr,
        /// Arms.
        arms: Vec<Arm>,
    },
    /// Malformed unless the condition holds.
    Require {
        /// Condition.
        cond: Expr,
        /// Message.
        message: String,
    },
    /// Skip to the next multiple of `align` bytes from the struct start.
    Pad {
        /// Alignment.
        align: u32,
    },
    /// The payload starts here (layers only; always last).
    Payload,
}

/// One arm of a match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    /// Inclusive ranges; empty means wildcard.
    pub patterns: Vec<(u64, u64)>,
    /// Items of the arm.
    pub body: Vec<Item>,
}

/// Payload dispatch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// Targets tried in order.
    pub targets: Vec<Target>,
    /// When false the payload is raw.
    pub cond: Option<Expr>,
}

/// One dispatch target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// Raw data.
    Raw,
    /// Look the keys up in a table, in order.
    Table {
        /// Table.
        table: TableId,
        /// Keys.
        keys: Vec<Expr>,
    },
    /// A fixed layer.
    Layer(StructId),
}

/// An interface function implemented by a struct.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FnImpl {
    /// Interface.
    pub interface: InterfaceId,
    /// Function index in the interface.
    pub func: usize,
    /// Body (a byte-string expression; parameters are [`Expr::Param`]).
    pub body: Expr,
}

/// A resolved expression. Integers are 64-bit unsigned with wrapping
/// arithmetic; division by zero gives zero; booleans are 0 and 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// Integer constant.
    Int(u64),
    /// A field of this struct (zero when absent).
    Field(FieldId),
    /// A field of the element just read (`it.x` in `until:`).
    Elem(StructId, FieldId),
    /// A function parameter (interface implementations).
    Param(usize),
    /// Unary operator.
    Unary(UnOp, Box<Expr>),
    /// Binary operator (`++` concatenates bytes).
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Size in bytes of a region.
    SizeOf(Region),
    /// Element count of an array field.
    CountOf(FieldId),
    /// 1 when the field is present.
    Present(FieldId),
    /// A built-in function.
    Call(Builtin, Vec<Expr>),
    /// The bytes of a region (in `++` contexts).
    Bytes(Region),
    /// An integer written as `n` big-endian bytes (in `++` contexts).
    Cast(u8, Box<Expr>),
    /// Calls an interface function of the nearest lower layer implementing it.
    Under {
        /// Interface.
        interface: InterfaceId,
        /// Function index.
        func: usize,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// The next `bits` bits at the current position, not consumed.
    Peek(u8),
}

/// Built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Builtin {
    /// Smaller of two.
    Min,
    /// Larger of two.
    Max,
    /// Byte-swap the low 16 bits.
    Swap16,
    /// Byte-swap the low 32 bits.
    Swap32,
    /// High 64 bits of a 128-bit address field.
    Hi64,
    /// Low 64 bits of a 128-bit address field.
    Lo64,
}

/// An in-language test block.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Test {
    /// Struct or layer under test.
    pub target: StructId,
    /// Cases.
    pub cases: Vec<TestCase>,
    /// Source file and line, for messages.
    pub origin: String,
}

/// One test case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TestCase {
    /// Parse the bytes and compare.
    Parse {
        /// Input.
        bytes: Vec<u8>,
        /// Expected field values (by schema name) or an error kind.
        expect: TestExpect,
        /// Source line.
        line: usize,
    },
    /// Build from values and compare the bytes.
    Build {
        /// Field values by schema name.
        fields: Vec<(String, TestValue)>,
        /// Payload appended after the header.
        payload: Vec<u8>,
        /// Expected bytes.
        bytes: Vec<u8>,
        /// Source line.
        line: usize,
    },
}

/// Expected outcome of a parse test.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TestExpect {
    /// Field name → value.
    Fields(Vec<(String, TestValue)>),
    /// Error kind name (`truncated`, `malformed`).
    Error(String),
}

/// A test value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TestValue {
    /// Integer (also enums and booleans).
    Int(u64),
    /// Bytes (addresses, byte strings).
    Bytes(Vec<u8>),
    /// A checksum status name (`good`, `bad`, `none`).
    Status(String),
}
