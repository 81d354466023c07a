//! Rendering of layer templates: the summary line's `info` and the tree
//! title (`title = "…"` in the schema, parsed by the compiler into
//! [`TemplatePart`]s). Placeholders name a field of the layer by schema name
//! (`srcport`, `flags.ack`) or by path, including what the runtime adds
//! (`tcp.seq`, `eth.src_resolved`).

use super::Sink;
use crate::field::{FieldDesc, TemplatePart, Value};
use crate::protocols::LayerKind;

/// One value a template may show.
struct Entry {
    desc: &'static FieldDesc,
    /// As `-T fields` prints it.
    text: String,
    /// The enum label, when the value has one.
    label: Option<&'static str>,
    /// Present and non-zero (a marker counts as true).
    truthy: bool,
    /// The integer value, when it is one.
    num: Option<u64>,
}

/// Collects the fields one layer emits, for templates to pick from.
#[derive(Default)]
pub(crate) struct Values {
    entries: Vec<Entry>,
}

impl Values {
    fn get(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.desc.name == name || e.desc.path == name)
            .or_else(|| self.entries.iter().find(|e| e.desc.aliases.contains(&name)))
    }

    /// Whether the placeholders of `alt` all have values and its conditions hold.
    fn holds(&self, alt: &[TemplatePart]) -> bool {
        alt.iter().all(|x| match x {
            TemplatePart::Field(n) | TemplatePart::Value(n, ..) => self.get(n).is_some(),
            TemplatePart::Cond(n) => self.get(n).is_some_and(|e| e.truthy),
            TemplatePart::NotCond(n) => !self.get(n).is_some_and(|e| e.truthy),
            TemplatePart::Cmp(n, op, v) => {
                self.get(n).and_then(|e| e.num).is_some_and(|x| match *op {
                    "==" => x == *v,
                    "!=" => x != *v,
                    "<" => x < *v,
                    "<=" => x <= *v,
                    ">" => x > *v,
                    ">=" => x >= *v,
                    _ => false,
                })
            }
            _ => true,
        })
    }

    /// Renders `parts`; `labels` shows enum labels instead of numbers (titles).
    pub(crate) fn render(&self, parts: &[TemplatePart], labels: bool, out: &mut String) {
        for p in parts {
            match p {
                TemplatePart::Text(t) => out.push_str(t),
                TemplatePart::Field(n) => match self.value(n, labels) {
                    Some(v) => out.push_str(v),
                    None => out.push('?'),
                },
                TemplatePart::Value(n, factor, offset, fmt) => match self.get(n) {
                    Some(e) => Self::format(e, (*factor, *offset), fmt, labels, out),
                    None => out.push('?'),
                },
                TemplatePart::Cond(_) | TemplatePart::NotCond(_) | TemplatePart::Cmp(..) => {}
                TemplatePart::Group(alts) => {
                    if let Some(a) = alts.iter().find(|a| self.holds(a)) {
                        self.render(a, labels, out);
                    }
                }
                TemplatePart::List(alts) => {
                    let mut first = true;
                    for a in alts.iter().filter(|a| self.holds(a)) {
                        if !first {
                            out.push_str(", ");
                        }
                        first = false;
                        self.render(a, labels, out);
                    }
                }
            }
        }
    }

    /// `{name*M+N:fmt}`: an integer scaled and shifted, in hex or decimal,
    /// as its label, or padded.
    fn format(e: &Entry, (factor, offset): (i64, i64), fmt: &str, labels: bool, out: &mut String) {
        use std::fmt::Write;
        let scaled = (factor, offset) != (1, 0);
        let n = e
            .num
            .map(|n| (n as i128 * factor as i128 + offset as i128) as u64);
        match (fmt, n) {
            ("x", Some(n)) => {
                let width = match e.desc.hex_digits {
                    0 => (e.desc.bits as usize).div_ceil(4).max(1),
                    d => d as usize,
                };
                let _ = write!(out, "{n:0width$x}");
            }
            (_, Some(n)) if scaled || fmt == "d" => {
                let _ = write!(out, "{n}");
            }
            ("label", _) => out.push_str(e.label.unwrap_or(&e.text)),
            (f, _) if f.starts_with('<') => {
                let w = f[1..].parse::<usize>().unwrap_or(0);
                let v = match e.label {
                    Some(l) if labels => l,
                    _ => &e.text,
                };
                let _ = write!(out, "{v:<w$}");
            }
            _ => out.push_str(&e.text),
        }
    }

    fn value(&self, name: &str, labels: bool) -> Option<&str> {
        let e = self.get(name)?;
        Some(match e.label {
            Some(l) if labels => l,
            _ => &e.text,
        })
    }
}

impl Sink for Values {
    fn begin_layer(&mut self, _: &'static FieldDesc, _: &str, _: u32, _: u32) {}

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _: u32, _: u32) {
        let mut text = String::new();
        value.tshark(desc, &mut text);
        let n = value.as_u64();
        let label = match (desc.enum_label, n) {
            (Some(f), Some(x)) => f(x),
            _ => None,
        };
        self.entries.push(Entry {
            desc,
            text,
            label,
            truthy: n != Some(0),
            num: n,
        });
    }

    fn wants_titles(&self) -> bool {
        false
    }
}

/// The title of a layer in trees: the long name, then the schema's `title`
/// template, or the source and destination when the layer declares addresses.
pub(crate) fn title(kind: LayerKind, vals: &Values, addresses: Option<(String, String)>) -> String {
    let mut s = kind.long_name().to_string();
    match (kind.title_parts(), addresses) {
        (Some(parts), _) => vals.render(parts, true, &mut s),
        (None, Some((a, b))) => {
            s.push_str(", Src: ");
            s.push_str(&a);
            s.push_str(", Dst: ");
            s.push_str(&b);
        }
        (None, None) => {}
    }
    s
}
