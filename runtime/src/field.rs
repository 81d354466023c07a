//! Field metadata and values: the reflection every output format, filter and
//! generator uses. Generated code emits one static [`FieldDesc`] per field.

use std::fmt;
use std::net::Ipv6Addr;

/// A 6-byte IEEE 802 MAC address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddr(pub [u8; 6]);

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl std::str::FromStr for MacAddr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split([':', '-']).collect();
        if parts.len() != 6 {
            return Err(format!("`{s}` is not a MAC address"));
        }
        let mut out = [0u8; 6];
        for (o, p) in out.iter_mut().zip(parts) {
            *o = u8::from_str_radix(p, 16).map_err(|_| format!("`{s}` is not a MAC address"))?;
        }
        Ok(MacAddr(out))
    }
}

impl From<[u8; 6]> for MacAddr {
    fn from(b: [u8; 6]) -> Self {
        MacAddr(b)
    }
}

/// An 8-byte EUI-64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Eui64(pub [u8; 8]);

impl fmt::Display for Eui64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Unsigned integer.
    UInt,
    /// Signed integer.
    Int,
    /// One bit.
    Bool,
    /// Integer with named values.
    Enum,
    /// MAC address.
    Mac,
    /// IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// EUI-64.
    Eui64,
    /// Byte string.
    Bytes,
    /// Array of elements (children follow).
    Array,
    /// A struct instance (children follow).
    Struct,
    /// A checksum verification status (0 bad, 1 good, 2 unverified, 3 not present).
    Status,
    /// Text.
    Text,
    /// A time: relative (seconds with 9 decimals) or epoch.
    Time,
    /// A marker whose presence is its value (Wireshark FT_NONE, printed `1`).
    Marker,
}

/// Number base for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// Decimal.
    Dec,
    /// Hexadecimal.
    Hex,
    /// Decimal, then hex in parentheses.
    DecHex,
    /// Hex, then decimal in parentheses.
    HexDec,
    /// Octal.
    Oct,
}

/// Where a field sits when its position never changes (for partial dissection
/// of a layer cut short by the capture).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticLoc {
    /// Byte offset from the layer start.
    pub offset: u32,
    /// Bytes to read (1..=8 for integers; 4/6/8/16 for addresses).
    pub bytes: u8,
    /// Little-endian run.
    pub little: bool,
    /// Right shift of the run value.
    pub shift: u8,
}

/// One piece of a layer's `info` or `title` template (docs/pdl.md §5): the
/// compiler parses the template, the output formats render it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(&'static str),
    /// A field's value: schema name (`srcport`) or field path (`tcp.seq`).
    Field(&'static str),
    /// Prints nothing; its group is dropped unless the field is present and non-zero.
    Cond(&'static str),
    /// `[a|b]`: the first alternative whose placeholders all have values and
    /// whose conditions hold; nothing when none does.
    Group(&'static [&'static [TemplatePart]]),
    /// `{name*8}`, `{name-8}`, `{name:x}`: a field's value times a factor
    /// plus an offset (integers only), shown in a format: `""` (as `-T fields` prints it), `"label"`
    /// (the enum label, else the value), `"x"` (lower-case hex zero-padded
    /// to the field's width, without `0x`) or `"d"` (the number in decimal).
    Value(&'static str, i64, i64, &'static str),
    /// `{?!name}`: a condition: the field is absent or zero.
    NotCond(&'static str),
    /// `{?name==8}`: a condition: the field is an integer comparing so with the number.
    /// The operator is one of `==`, `!=`, `<`, `<=`, `>`, `>=`.
    Cmp(&'static str, &'static str, u64),
    /// `[*a|b*]`: every alternative that holds, joined by `, `.
    List(&'static [&'static [TemplatePart]]),
}

/// Static description of one field.
#[derive(Debug)]
pub struct FieldDesc {
    /// Schema name (`flags.df`).
    pub name: &'static str,
    /// Display-filter path (`ip.flags.df`).
    pub path: &'static str,
    /// Other paths matching this field (`ip.addr`).
    pub aliases: &'static [&'static str],
    /// Label for trees.
    pub label: &'static str,
    /// Value kind.
    pub kind: FieldKind,
    /// Width in bits for integers.
    pub bits: u8,
    /// Display base.
    pub base: Base,
    /// Hex digits to print (0: from the width).
    pub hex_digits: u8,
    /// Unit suffix.
    pub unit: Option<&'static str>,
    /// Not shown in outputs.
    pub hidden: bool,
    /// Names of enum values.
    pub enum_label: Option<fn(u64) -> Option<&'static str>>,
    /// Fixed position, when the field never moves.
    pub static_loc: Option<StaticLoc>,
}

impl FieldDesc {
    /// Hex digits used when printing in hex (Wireshark pads to the field's byte width).
    pub fn hex_width(&self) -> usize {
        if self.hex_digits > 0 {
            self.hex_digits as usize
        } else {
            (self.bits as usize).div_ceil(8).max(1) * 2
        }
    }

    /// True when `path` names this field (its path or an alias).
    pub fn matches(&self, path: &str) -> bool {
        self.path == path || self.aliases.contains(&path)
    }
}

/// A field value borrowed from the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// Unsigned integer, enum or status.
    UInt(u64),
    /// Signed integer.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// MAC address.
    Mac([u8; 6]),
    /// IPv4 address.
    Ipv4([u8; 4]),
    /// IPv6 address.
    Ipv6([u8; 16]),
    /// EUI-64.
    Eui64([u8; 8]),
    /// Byte string.
    Bytes(&'a [u8]),
    /// Text.
    Str(&'a str),
    /// Nanoseconds (relative times, epoch times).
    Nanos(i128),
    /// No value (arrays, structs).
    None,
}

/// Appends `v` in decimal without going through `fmt`.
pub fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // ASCII digits: one copy instead of a `char` push per digit.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Writes `[-]S.nnnnnnnnn`.
pub fn write_nanos(out: &mut String, n: i128) {
    use std::fmt::Write;
    let neg = n < 0;
    let a = n.unsigned_abs();
    let _ = write!(
        out,
        "{}{}.{:09}",
        if neg { "-" } else { "" },
        a / 1_000_000_000,
        a % 1_000_000_000
    );
}

impl Value<'_> {
    /// The value as an unsigned integer, when it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::UInt(v) => Some(v),
            Value::Int(v) => Some(v as u64),
            Value::Bool(b) => Some(b as u64),
            _ => None,
        }
    }

    /// Formats the value the way `tshark -T fields` prints it.
    pub fn tshark(&self, desc: &FieldDesc, out: &mut String) {
        use std::fmt::Write;
        match *self {
            Value::UInt(v) => match desc.base {
                Base::Hex | Base::HexDec => {
                    let _ = write!(out, "0x{:0w$x}", v, w = desc.hex_width());
                }
                Base::Oct => {
                    let _ = write!(out, "0{v:o}");
                }
                _ => push_u64(out, v),
            },
            Value::Int(v) => {
                if v < 0 {
                    out.push('-');
                }
                push_u64(out, v.unsigned_abs());
            }
            Value::Bool(b) => out.push_str(if b { "1" } else { "0" }),
            Value::Mac(m) => {
                let _ = write!(out, "{}", MacAddr(m));
            }
            Value::Ipv4(a) => {
                for (i, b) in a.iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    push_u64(out, *b as u64);
                }
            }
            Value::Ipv6(a) => {
                let _ = write!(out, "{}", Ipv6Addr::from(a));
            }
            Value::Eui64(a) => {
                let _ = write!(out, "{}", Eui64(a));
            }
            Value::Bytes(b) => {
                if b.is_empty() {
                    out.push_str("<none>");
                }
                for x in b {
                    let _ = write!(out, "{x:02x}");
                }
            }
            Value::Str(s) => out.push_str(s),
            Value::Nanos(n) => write_nanos(out, n),
            Value::None => {
                if desc.kind == FieldKind::Marker {
                    out.push('1');
                }
            }
        }
    }

    /// Formats the value for humans (trees, summaries): enum names, addresses.
    pub fn display(&self, desc: &FieldDesc, out: &mut String) {
        use std::fmt::Write;
        match *self {
            Value::UInt(v) => {
                let label = desc.enum_label.and_then(|f| f(v));
                match desc.base {
                    Base::Hex => {
                        let _ = write!(out, "0x{:0w$x}", v, w = desc.hex_width());
                    }
                    Base::HexDec => {
                        let _ = write!(out, "0x{:0w$x} ({v})", v, w = desc.hex_width());
                    }
                    Base::DecHex => {
                        let _ = write!(out, "{v} (0x{:0w$x})", v, w = desc.hex_width());
                    }
                    Base::Oct => {
                        let _ = write!(out, "0{v:o}");
                    }
                    Base::Dec => {
                        let _ = write!(out, "{v}");
                    }
                }
                if let Some(l) = label {
                    let _ = write!(out, " ({l})");
                }
                if let Some(u) = desc.unit {
                    let _ = write!(out, " {u}");
                }
            }
            Value::Bool(b) => out.push_str(if b { "True" } else { "False" }),
            Value::Bytes(b) => {
                for x in b {
                    let _ = write!(out, "{x:02x}");
                }
            }
            Value::Nanos(n) => {
                write_nanos(out, n);
                out.push_str(" seconds");
            }
            _ => self.tshark(desc, out),
        }
    }
}

/// Receives a layer's fields in wire order. `push`/`pop` bracket the children
/// of the field just reported (container sub-fields, array elements).
pub trait Visitor<'a> {
    /// One field; `offset`/`len` are bytes from the packet start.
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, offset: u32, len: u32);
    /// The children of the last field follow.
    fn push(&mut self) {}
    /// The children are done.
    fn pop(&mut self) {}
}

/// Checksum verification result, numbered as Wireshark numbers `*.checksum.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumStatus {
    /// Wrong.
    Bad = 0,
    /// Correct.
    Good = 1,
    /// Not checked (preference off, or bytes missing).
    Unverified = 2,
    /// Zero means "no checksum" (UDP over IPv4).
    NotPresent = 3,
}
