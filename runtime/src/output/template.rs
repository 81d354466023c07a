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
                TemplatePart::Cond(_) => {}
                TemplatePart::Group(alts) => {
                    let holds = |a: &&&[TemplatePart]| {
                        a.iter().all(|x| match x {
                            TemplatePart::Field(n) => self.get(n).is_some(),
                            TemplatePart::Cond(n) => self.get(n).is_some_and(|e| e.truthy),
                            _ => true,
                        })
                    };
                    if let Some(a) = alts.iter().find(holds) {
                        self.render(a, labels, out);
                    }
                }
            }
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
