//! `-T fields -e FIELD …`: tab-separated values, repeated occurrences joined
//! with commas, in tshark's formats.

use super::{synth, Sink};
use crate::field::{FieldDesc, Value};
use crate::protocols::LayerKind;
use std::collections::HashMap;

/// Which occurrences of a repeated field to print (tshark's `-E occurrence=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    /// All, joined with the aggregator.
    All,
    /// The first.
    First,
    /// The last.
    Last,
}

/// Collects the requested fields of one frame at a time.
pub struct FieldsPrinter {
    columns: Vec<String>,
    values: Vec<String>,
    counts: Vec<u32>,
    /// Column indices per field description (by address), computed once.
    cache: HashMap<usize, smallvec::SmallVec<[u16; 2]>>,
    /// Layers that hold a requested field.
    layers: Vec<bool>,
    frame: bool,
    data: bool,
    ws: bool,
    /// Separator between columns.
    pub separator: String,
    /// Separator between occurrences.
    pub aggregator: String,
    /// Which occurrences.
    pub occurrence: Occurrence,
    scratch: String,
}

impl FieldsPrinter {
    /// A printer for these field paths.
    pub fn new(columns: Vec<String>) -> Self {
        let wants_path = |p: &str| columns.iter().any(|c| c == p);
        let mut layers = vec![false; LayerKind::COUNT];
        for &k in LayerKind::ALL {
            let f = k.filter();
            let prefix_hit = columns
                .iter()
                .any(|c| c == f || c.strip_prefix(f).is_some_and(|r| r.starts_with('.')));
            let alias_hit = k
                .fields()
                .iter()
                .chain(k.status_fields())
                .any(|d| wants_path(d.path) || d.aliases.iter().any(|a| wants_path(a)));
            layers[k.index()] = prefix_hit || alias_hit;
        }
        let frame = columns.iter().any(|c| c.starts_with("frame"));
        let data = columns.iter().any(|c| c.starts_with("data"));
        let ws = columns.iter().any(|c| c.starts_with("_ws"));
        let n = columns.len();
        FieldsPrinter {
            columns,
            values: vec![String::new(); n],
            counts: vec![0; n],
            cache: HashMap::new(),
            layers,
            frame,
            data,
            ws,
            separator: "\t".into(),
            aggregator: ",".into(),
            occurrence: Occurrence::All,
            scratch: String::new(),
        }
    }

    /// Names every column that no schema or runtime field has.
    pub fn unknown_columns(&self) -> Vec<String> {
        let known = |c: &str| {
            synth::ALL.iter().any(|d| d.matches(c))
                || LayerKind::ALL.iter().any(|k| {
                    k.filter() == c
                        || c.strip_prefix(k.filter())
                            .is_some_and(|r| r.starts_with('.'))
                })
        };
        self.columns.iter().filter(|c| !known(c)).cloned().collect()
    }

    /// Starts a frame.
    pub fn reset(&mut self) {
        for v in &mut self.values {
            v.clear();
        }
        for c in &mut self.counts {
            *c = 0;
        }
    }

    /// Writes the frame's line (without the newline) to `out`.
    pub fn line(&self, out: &mut String) {
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.separator);
            }
            out.push_str(v);
        }
    }

    fn columns_of(&mut self, desc: &'static FieldDesc) -> smallvec::SmallVec<[u16; 2]> {
        let key = desc as *const FieldDesc as usize;
        if let Some(c) = self.cache.get(&key) {
            return c.clone();
        }
        let cols: smallvec::SmallVec<[u16; 2]> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| desc.matches(c))
            .map(|(i, _)| i as u16)
            .collect();
        self.cache.insert(key, cols.clone());
        cols
    }
}

impl Sink for FieldsPrinter {
    fn wants(&self, kind: Option<LayerKind>, filter: &str) -> bool {
        match kind {
            Some(k) => self.layers[k.index()],
            None => match filter {
                "frame" => self.frame,
                "data" => self.data,
                _ => self.ws,
            },
        }
    }

    fn begin_layer(&mut self, desc: &'static FieldDesc, title: &str, _offset: u32, _len: u32) {
        // `-e PROTOCOL` prints the protocol's label; Wireshark prints the
        // abbreviation instead for these.
        const ABBREV_ONLY: &[&str] = &[
            "icmp",
            "icmpv6",
            "null",
            "raw",
            "ipv6.hopopts",
            "ipv6.dstopts",
            "ipv6.fraghdr",
            "llc",
        ];
        for c in 0..self.columns.len() {
            if self.columns[c] != desc.path {
                continue;
            }
            let text = if ABBREV_ONLY.contains(&desc.path) {
                desc.path
            } else {
                title
            };
            let v = &mut self.values[c];
            if self.counts[c] > 0 && self.occurrence == Occurrence::All {
                v.push_str(&self.aggregator);
            } else if self.occurrence != Occurrence::All
                && (self.counts[c] == 0 || self.occurrence == Occurrence::Last)
            {
                v.clear();
            }
            if self.occurrence != Occurrence::First || self.counts[c] == 0 {
                v.push_str(text);
            }
            self.counts[c] += 1;
        }
    }

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _offset: u32, _len: u32) {
        if desc.kind == crate::field::FieldKind::Struct {
            return;
        }
        let cols = self.columns_of(desc);
        for c in cols {
            let c = c as usize;
            self.scratch.clear();
            value.tshark(desc, &mut self.scratch);
            let v = &mut self.values[c];
            match self.occurrence {
                Occurrence::All => {
                    if self.counts[c] > 0 {
                        v.push_str(&self.aggregator);
                    }
                    v.push_str(&self.scratch);
                }
                Occurrence::First => {
                    if self.counts[c] == 0 {
                        v.push_str(&self.scratch);
                    }
                }
                Occurrence::Last => {
                    v.clear();
                    v.push_str(&self.scratch);
                }
            }
            self.counts[c] += 1;
        }
    }
}
