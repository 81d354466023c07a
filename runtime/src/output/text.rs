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
    hidden_depth: Option<usize>,
}

impl<'o> TreePrinter<'o> {
    /// Appends to `out`.
    pub fn new(out: &'o mut String) -> Self {
        TreePrinter {
            out,
            depth: 0,
            show_hidden: false,
            hidden_depth: None,
        }
    }
}

impl Sink for TreePrinter<'_> {
    fn begin_layer(&mut self, _desc: &'static FieldDesc, title: &str, _offset: u32, _len: u32) {
        self.out.push_str(title);
        self.out.push('\n');
        self.depth = 1;
        self.hidden_depth = None;
    }

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _offset: u32, _len: u32) {
        // Children of a hidden field are hidden too.
        if let Some(h) = self.hidden_depth {
            if self.depth > h {
                return;
            }
            self.hidden_depth = None;
        }
        if desc.hidden && !self.show_hidden {
            self.hidden_depth = Some(self.depth);
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
        self.depth += 1;
    }

    fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1).max(1);
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

/// Renders a layer's summary template (`{field}` → the field's display value).
pub fn render_info(d: &crate::dissect::Dissection<'_>, l: &crate::dissect::Layer<'_>) -> String {
    let Some(tpl) = l.kind().info_template() else {
        return String::new();
    };
    struct Get<'n> {
        name: &'n str,
        out: Option<String>,
    }
    impl<'a> crate::field::Visitor<'a> for Get<'_> {
        fn field(&mut self, d: &'static FieldDesc, v: Value<'a>, _: u32, _: u32) {
            if self.out.is_none() && d.name == self.name {
                let mut s = String::new();
                v.tshark(d, &mut s);
                self.out = Some(s);
            }
        }
    }
    let idx = d
        .layers
        .iter()
        .position(|x| std::ptr::eq(x, l))
        .unwrap_or(0);
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(a) = rest.find('{') {
        out.push_str(&rest[..a]);
        let Some(b) = rest[a..].find('}') else { break };
        let name = &rest[a + 1..a + b];
        let mut g = Get { name, out: None };
        d.visit_layer(idx, &mut g);
        out.push_str(g.out.as_deref().unwrap_or("?"));
        rest = &rest[a + b + 1..];
    }
    out.push_str(rest);
    out
}
