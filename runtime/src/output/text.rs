//! Human-readable output: the one-line summary and the `-V` tree.

use super::Sink;
use crate::field::{FieldDesc, FieldKind, Value};

/// Prints the layer tree (`-V`), tshark style: a title line per protocol,
/// indented `Label: value` lines for fields and their children.
pub struct TreePrinter<'o> {
    out: &'o mut String,
    depth: usize,
    /// Also print fields marked hidden.
    pub show_hidden: bool,
    /// The last field was hidden: its children (if any) are shown in its
    /// place (Wireshark has no container item for, e.g., ND options).
    transparent_next: bool,
    /// Per open `push`: whether it was transparent (did not indent).
    levels: Vec<bool>,
}

impl<'o> TreePrinter<'o> {
    /// Appends to `out`.
    pub fn new(out: &'o mut String) -> Self {
        TreePrinter {
            out,
            depth: 0,
            show_hidden: false,
            transparent_next: false,
            levels: Vec::new(),
        }
    }
}

impl Sink for TreePrinter<'_> {
    fn begin_layer(&mut self, _desc: &'static FieldDesc, title: &str, _offset: u32, _len: u32) {
        self.out.push_str(title);
        self.out.push('\n');
        self.depth = 1;
        self.transparent_next = false;
        self.levels.clear();
    }

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _offset: u32, _len: u32) {
        self.transparent_next = false;
        if desc.hidden && !self.show_hidden {
            self.transparent_next = true;
            return;
        }
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(desc.label);
        match (desc.kind, value) {
            (FieldKind::Struct, _) => {}
            (FieldKind::Marker, _) => {}
            (_, Value::None) => {}
            _ => {
                self.out.push_str(": ");
                if desc.kind == FieldKind::Status {
                    let v = value.as_u64().unwrap_or(2);
                    self.out
                        .push_str(crate::__private::status_label(v).unwrap_or("?"));
                } else {
                    value.display(desc, self.out);
                }
            }
        }
        self.out.push('\n');
    }

    fn push(&mut self) {
        let transparent = std::mem::take(&mut self.transparent_next);
        self.levels.push(transparent);
        if !transparent {
            self.depth += 1;
        }
    }

    fn pop(&mut self) {
        self.transparent_next = false;
        if self.levels.pop() != Some(true) {
            self.depth = self.depth.saturating_sub(1).max(1);
        }
    }
}

/// Collects what a summary line needs.
#[derive(Default)]
pub struct SummaryCollector {
    /// Source and destination of the innermost layer that has addresses.
    pub src: String,
    /// Destination.
    pub dst: String,
    /// Protocol of the last layer.
    pub protocol: String,
    /// Info text.
    pub info: String,
}
