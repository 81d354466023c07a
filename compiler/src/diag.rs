//! Diagnostics: stable error codes, spans, and codespan rendering.

use crate::ast::Span;
use crate::source::SourceDb;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::term;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// Stable diagnostic codes. A code is never reused for another meaning;
        /// each has a test in `compiler/tests/diagnostics.rs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
        }
        impl ErrorCode {
            /// The code as printed (`E0001`).
            pub fn code(self) -> &'static str {
                match self { $(ErrorCode::$name => $code,)* }
            }
            /// Every code, in order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];
        }
    };
}

error_codes! {
    /// The text does not follow the grammar.
    Syntax = "E0001",
    /// `pdl N;` names a language version this compiler does not implement.
    UnsupportedVersion = "E0002",
    /// An integer literal does not fit in 64 bits.
    IntegerOverflow = "E0003",
    /// The file stem is not a valid module name (snake_case).
    BadModuleName = "E0004",
    /// Two declarations share a name.
    DuplicateDecl = "E0010",
    /// A type name is not a built-in type and not declared.
    UnknownType = "E0011",
    /// Two fields of one struct share a name.
    DuplicateField = "E0012",
    /// An expression names a field that does not exist.
    UnknownField = "E0013",
    /// An expression uses a field before the parser has read it.
    ForwardReference = "E0014",
    /// A dispatch or bind names a table that is not declared.
    UnknownTable = "E0015",
    /// A dispatch, bind or test names a layer that is not declared.
    UnknownLayer = "E0016",
    /// An unknown interface or interface function.
    UnknownInterface = "E0017",
    /// An enum repeats a variant name or value.
    DuplicateVariant = "E0018",
    /// A pattern or key names an enum variant that does not exist.
    UnknownVariant = "E0019",
    /// An integer width outside 1..=64.
    BadWidth = "E0020",
    /// The sub-fields of a bits container do not add up to its width.
    BitsWidthMismatch = "E0021",
    /// A run of bit fields does not end on a byte boundary.
    UnalignedBits = "E0022",
    /// A run of bit fields is wider than 64 bits.
    BitRunTooWide = "E0023",
    /// A constant does not fit the width of its field, enum or table.
    ValueTooWide = "E0024",
    /// A byte-order suffix on a width that is not a whole number of bytes.
    BadEndianSuffix = "E0025",
    /// An array of a type that cannot be an array element.
    BadArrayElement = "E0026",
    /// An operand has the wrong type for its operator or context.
    TypeMismatch = "E0027",
    /// A derived value is not an invertible function of one size or count.
    NotInvertible = "E0030",
    /// A size or count refers to a region or field that cannot be measured.
    BadRegion = "E0031",
    /// Two derived fields bound the same region.
    RegionBoundTwice = "E0032",
    /// Unknown checksum algorithm.
    UnknownChecksum = "E0040",
    /// A checksum covers something that is not bytes of this layer or its lower layer.
    BadChecksumCoverage = "E0041",
    /// A checksum field's width differs from the algorithm's.
    ChecksumWidth = "E0042",
    /// `payload` in a struct, twice in a layer, or not the last wire statement.
    BadPayload = "E0050",
    /// Two binds claim the same key of a table for different layers.
    BindCollision = "E0052",
    /// A dispatch key or bind key does not match the table's key type.
    KeyTypeMismatch = "E0053",
    /// Unknown attribute.
    UnknownAttribute = "E0060",
    /// An attribute has invalid arguments.
    BadAttribute = "E0061",
    /// Unknown layer property.
    UnknownProperty = "E0062",
    /// The same attribute or property given twice.
    DuplicateAttribute = "E0063",
    /// A test names a field that does not exist or gives an unusable value.
    BadTest = "E0080",
}

/// One diagnostic: a code, a message, a primary span and optional notes.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable code.
    pub code: ErrorCode,
    /// Error or warning.
    pub warning: bool,
    /// One-line message.
    pub message: String,
    /// Primary label: where and what.
    pub primary: (Span, String),
    /// Secondary labels.
    pub secondary: Vec<(Span, String)>,
    /// Free-form notes (hints).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error with a primary label.
    pub fn error(code: ErrorCode, span: Span, message: impl Into<String>) -> Self {
        let message = message.into();
        Diagnostic {
            code,
            warning: false,
            primary: (span, String::new()),
            message,
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets the primary label text.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.1 = text.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push((span, text.into()));
        self
    }

    /// Adds a note.
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.notes.push(text.into());
        self
    }

    fn to_codespan(&self) -> CsDiagnostic<usize> {
        let sev = if self.warning {
            Severity::Warning
        } else {
            Severity::Error
        };
        let mut labels = vec![Label::primary(
            self.primary.0.file,
            self.primary.0.start..self.primary.0.end,
        )
        .with_message(self.primary.1.clone())];
        for (s, m) in &self.secondary {
            labels.push(Label::secondary(s.file, s.start..s.end).with_message(m.clone()));
        }
        CsDiagnostic::new(sev)
            .with_code(self.code.code())
            .with_message(self.message.clone())
            .with_labels(labels)
            .with_notes(self.notes.clone())
    }
}

/// A collection of diagnostics. Passes push into it and the driver stops
/// between passes when it holds an error (all errors of a pass are reported).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    /// In push order.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// True when at least one error (not warning) was pushed.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| !d.warning)
    }

    /// Codes of all diagnostics, in order.
    pub fn codes(&self) -> Vec<ErrorCode> {
        self.items.iter().map(|d| d.code).collect()
    }

    /// Renders all diagnostics as plain text (no colour), codespan style.
    pub fn render(&self, db: &SourceDb) -> String {
        let mut out = term::termcolor::NoColor::new(Vec::new());
        let config = term::Config::default();
        for d in &self.items {
            let _ = term::emit(&mut out, &config, db.files(), &d.to_codespan());
        }
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    /// Renders to a terminal writer (colour when the writer supports it).
    pub fn emit(&self, db: &SourceDb, out: &mut dyn term::termcolor::WriteColor) {
        let config = term::Config::default();
        for d in &self.items {
            let _ = term::emit(out, &config, db.files(), &d.to_codespan());
        }
    }
}
