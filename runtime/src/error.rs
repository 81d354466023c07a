//! Dissection errors: what went wrong, in which layer and field, at which byte.

use std::fmt;

/// Why a layer could not be parsed. Small and `Copy`: errors are values on the
/// hot path of lax dissection, not allocations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes end before the field does.
    Truncated {
        /// Bytes the field needs from the layer start.
        needed: u32,
        /// Bytes available from the layer start.
        available: u32,
    },
    /// A fixed field holds another value.
    BadFixed {
        /// The value the schema requires.
        expected: u64,
        /// The value found.
        found: u64,
    },
    /// A length field gives a size smaller than the fields it covers.
    LengthTooSmall {
        /// The size the length field gives.
        value: u64,
        /// The smallest valid size.
        min: u64,
    },
    /// A length field gives a size larger than the enclosing region.
    LengthTooLarge {
        /// The size the length field gives.
        value: u64,
        /// The bytes the enclosing region has.
        max: u64,
    },
    /// A length field value is not a multiple of its unit.
    LengthNotMultiple {
        /// The raw value.
        value: u64,
        /// The unit.
        unit: u64,
    },
    /// Bytes left inside a bounded struct after its last field.
    ExtraBytes {
        /// How many.
        extra: u32,
    },
    /// An array element has zero length (would never progress).
    ZeroLengthElement,
    /// An array's byte size is not a multiple of its element size.
    PartialElement,
    /// A `require` statement failed.
    Requirement(&'static str),
    /// A closed enum holds an unknown value.
    UnknownValue(u64),
}

/// A parse error with its location. `offset` is relative to the start of the
/// layer (views) until the dissector makes it absolute (packet offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// What happened.
    pub kind: ErrorKind,
    /// Layer or struct name (`Ipv4`, `TcpOption`).
    pub layer: &'static str,
    /// Field (schema name) where it happened; empty for the layer as a whole.
    pub field: &'static str,
    /// Byte offset of the field.
    pub offset: u32,
}

impl Error {
    /// True for errors caused by missing bytes (snap length, cut captures)
    /// rather than by invalid values.
    pub fn is_truncation(&self) -> bool {
        matches!(self.kind, ErrorKind::Truncated { .. })
    }

    /// The same error for a layer the capture cut: a length that points past
    /// the captured bytes means they are missing, not that it is wrong.
    pub fn as_capture_cut(mut self) -> Self {
        if let ErrorKind::LengthTooLarge { value, max } = self.kind {
            if value > max {
                self.kind = ErrorKind::Truncated {
                    needed: value.min(u32::MAX as u64) as u32,
                    available: max.min(u32::MAX as u64) as u32,
                };
            }
        }
        self
    }

    /// Shifts the offset by `by` bytes (nested structs, absolute packet offsets).
    pub fn add_offset(mut self, by: u32) -> Self {
        self.offset = self.offset.saturating_add(by);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.field.is_empty() {
            format!("{} at byte {}", self.layer, self.offset)
        } else {
            format!("{}.{} at byte {}", self.layer, self.field, self.offset)
        };
        match self.kind {
            ErrorKind::Truncated { needed, available } => write!(
                f,
                "{at}: truncated: needs {needed} bytes, {available} available"
            ),
            ErrorKind::BadFixed { expected, found } => {
                write!(f, "{at}: expected {expected}, found {found}")
            }
            ErrorKind::LengthTooSmall { value, min } => {
                write!(f, "{at}: length {value} is smaller than the minimum {min}")
            }
            ErrorKind::LengthTooLarge { value, max } => {
                write!(f, "{at}: length {value} exceeds the {max} bytes available")
            }
            ErrorKind::LengthNotMultiple { value, unit } => {
                write!(f, "{at}: length {value} is not a multiple of {unit}")
            }
            ErrorKind::ExtraBytes { extra } => {
                write!(f, "{at}: {extra} unexpected trailing byte(s)")
            }
            ErrorKind::ZeroLengthElement => write!(f, "{at}: element of length zero"),
            ErrorKind::PartialElement => write!(f, "{at}: array ends inside an element"),
            ErrorKind::Requirement(msg) => write!(f, "{at}: {msg}"),
            ErrorKind::UnknownValue(v) => write!(f, "{at}: unknown value {v}"),
        }
    }
}

impl std::error::Error for Error {}

/// Why a builder could not serialize.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A derived value does not fit its field (e.g. a payload too large for a 16-bit length).
    TooLarge {
        /// Layer.
        layer: &'static str,
        /// Field.
        field: &'static str,
        /// The value that did not fit.
        value: u64,
    },
    /// A size is not a multiple of the unit its length field counts in.
    NotAligned {
        /// Layer.
        layer: &'static str,
        /// Field.
        field: &'static str,
        /// The size.
        size: u64,
        /// The unit.
        unit: u64,
    },
    /// A fixed- or field-sized byte string was set to the wrong number of bytes.
    Length {
        /// Layer.
        layer: &'static str,
        /// Field.
        field: &'static str,
        /// The size the schema requires.
        expected: u64,
        /// The size that was set.
        got: u64,
    },
    /// A length or count is smaller than the data it must describe.
    Inconsistent {
        /// Layer.
        layer: &'static str,
        /// Field.
        field: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::TooLarge {
                layer,
                field,
                value,
            } => {
                write!(
                    f,
                    "{layer}.{field}: derived value {value} does not fit the field"
                )
            }
            BuildError::NotAligned {
                layer,
                field,
                size,
                unit,
            } => write!(
                f,
                "{layer}.{field}: size {size} is not a multiple of {unit} (add padding)"
            ),
            BuildError::Length {
                layer,
                field,
                expected,
                got,
            } => write!(
                f,
                "{layer}.{field}: {got} bytes set where the layout needs {expected}"
            ),
            BuildError::Inconsistent { layer, field } => {
                write!(f, "{layer}.{field}: value inconsistent with the data")
            }
        }
    }
}

impl std::error::Error for BuildError {}
