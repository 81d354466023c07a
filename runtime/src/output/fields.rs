//! `-T fields -e FIELD …`: tab-separated values, repeated occurrences joined
//! with commas, in tshark's formats.

use super::{synth, Sink};
use crate::field::{FieldDesc, Value};
use crate::protocols::LayerKind;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes field-description addresses (already unique): one multiply.
#[derive(Default)]
struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

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
    cache: HashMap<usize, smallvec::SmallVec<[u16; 2]>, BuildHasherDefault<PtrHasher>>,
    /// Layers that hold a requested field.
    layers: Vec<bool>,
    /// Per layer kind: the indices in its field table of the requested
    /// fields, when every requested field it can report is a field of the
    /// layer itself (not of a nested struct, not a checksum status).
    only: Vec<Option<Vec<u16>>>,
    /// A column names a protocol itself (its label is printed).
    titles: bool,
    frame: bool,
    data: bool,
    ws: bool,
    /// Separator between columns.
    pub separator: String,
    /// Separator between occurrences.
    pub aggregator: String,
    /// Which occurrences.
    pub occurrence: Occurrence,
    /// Let layers report only the requested fields when they can (on by
    /// default; off walks every field, for comparison).
    pub only_requested: bool,
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
        // Every description that matches a column, known up front: at run time
        // a miss (the common case) is one cheap hash probe.
        let mut cache: HashMap<usize, smallvec::SmallVec<[u16; 2]>, BuildHasherDefault<PtrHasher>> =
            HashMap::default();
        let all = crate::protocols::FIELD_TABLES
            .iter()
            .flat_map(|t| t.iter())
            .chain(synth::ALL.iter().copied())
            .chain(crate::protocols::STRUCT_DESCS.iter().copied());
        for d in all {
            let cols: smallvec::SmallVec<[u16; 2]> = columns
                .iter()
                .enumerate()
                .filter(|(_, c)| d.matches(c))
                .map(|(i, _)| i as u16)
                .collect();
            if !cols.is_empty() {
                cache.insert(d as *const FieldDesc as usize, cols);
            }
        }
        let titles = LayerKind::ALL
            .iter()
            .any(|k| columns.iter().any(|c| c == k.filter()));
        // Columns that a nested struct's field or a checksum status could
        // fill: layers must then be walked whole.
        let layer_tables: Vec<*const FieldDesc> =
            LayerKind::ALL.iter().map(|k| k.fields().as_ptr()).collect();
        let nested = crate::protocols::FIELD_TABLES
            .iter()
            .filter(|t| !layer_tables.contains(&t.as_ptr()))
            .flat_map(|t| t.iter())
            .chain(crate::protocols::STRUCT_DESCS.iter().copied())
            .chain(LayerKind::ALL.iter().flat_map(|k| k.status_fields()))
            .any(|d| columns.iter().any(|c| d.matches(c)));
        let only = LayerKind::ALL
            .iter()
            .map(|k| {
                (!nested).then(|| {
                    k.fields()
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| columns.iter().any(|c| d.matches(c)))
                        .map(|(i, _)| i as u16)
                        .collect()
                })
            })
            .collect();
        FieldsPrinter {
            columns,
            values: vec![String::new(); n],
            counts: vec![0; n],
            cache,
            titles,
            layers,
            only,
            frame,
            data,
            ws,
            separator: "\t".into(),
            aggregator: ",".into(),
            occurrence: Occurrence::All,
            only_requested: true,
            scratch: String::new(),
        }
    }

    /// Whether layers can be asked for just the requested fields (no
    /// requested field belongs to a nested struct or is a checksum status).
    pub fn reports_only_requested(&self) -> bool {
        self.only_requested && self.only.iter().any(Option::is_some)
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

    fn columns_of(&self, desc: &'static FieldDesc) -> Option<smallvec::SmallVec<[u16; 2]>> {
        self.cache
            .get(&(desc as *const FieldDesc as usize))
            .cloned()
    }

    /// True when a requested field comes from the conversation analysis
    /// (stream indexes, relative numbers, `tcp.analysis.*`, ...): only then must
    /// every packet go through [`crate::analysis::Analyzer`].
    pub fn needs_analysis(&self) -> bool {
        let analysis_paths = |c: &str| {
            synth::ALL
                .iter()
                .any(|d| d.matches(c) && (d.path.starts_with("tcp.") || d.path.starts_with("udp.")))
                || c == "tcp.options.sack_le"
                || c == "tcp.options.sack_re"
                // Echo request/reply matching.
                || [
                    &synth::ICMP_RESP_TO,
                    &synth::ICMP_RESPTIME,
                    &synth::ICMPV6_RESP_TO,
                    &synth::ICMPV6_RESPTIME,
                ]
                .iter()
                .any(|d| d.matches(c))
        };
        self.columns.iter().any(|c| analysis_paths(c))
    }
}

impl Sink for FieldsPrinter {
    fn wants_titles(&self) -> bool {
        self.titles
    }

    fn only_fields(&self, kind: LayerKind) -> Option<&[u16]> {
        if !self.only_requested {
            return None;
        }
        self.only.get(kind.index())?.as_deref()
    }

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
        let Some(cols) = self.columns_of(desc) else {
            return;
        };
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
