//! Snapshots of what the compiler produces for the shipped protocol set
//! (`protocols/*.pdl`), compiled together as one linked set: the IR, one
//! snapshot per module, and the generated Rust for the whole set.

use serde::Serialize;
use std::path::Path;
use std::sync::OnceLock;
use strata_compiler::compile_sources;
use strata_compiler::ir::{self, Schema};
use strata_compiler::rust::{generate, generate_tokens, RustOptions};

/// `(name, text)` of every protocol file, sorted by name. Names are relative
/// to the workspace (`protocols/ipv4.pdl`) so snapshots do not depend on
/// where the checkout lives.
fn protocol_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocols");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("protocols/ exists")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".pdl"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no protocols/*.pdl files");
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).expect("readable protocol file");
            (format!("protocols/{n}"), text)
        })
        .collect()
}

/// The protocol set compiled once per test binary.
fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(compile_all)
}

/// The generated Rust for [`schema`], generated once per test binary.
fn rust_code() -> &'static str {
    static CODE: OnceLock<String> = OnceLock::new();
    CODE.get_or_init(|| generate(schema(), &RustOptions::default()))
}

fn compile_all() -> Schema {
    let c = compile_sources(&protocol_sources());
    match c.result {
        Ok(schema) => schema,
        Err(_) => panic!("the protocol set does not compile:\n{}", c.render()),
    }
}

/// An IR item with its global index first, so cross references
/// (`"layer": 12`, `"table": 3`) can be followed in the snapshots.
#[derive(Serialize)]
struct Entry<'a, T> {
    id: usize,
    #[serde(flatten)]
    item: &'a T,
}

#[derive(Serialize)]
struct ModuleRef<'a> {
    index: usize,
    name: &'a str,
    source: &'a str,
}

/// The part of the IR that one module declares. Serialized directly (not
/// through `serde_json::Value`) so keys keep their declaration order.
#[derive(Serialize)]
struct ModuleSlice<'a> {
    ir_version: u32,
    module: ModuleRef<'a>,
    enums: Vec<Entry<'a, ir::Enum>>,
    tables: Vec<Entry<'a, ir::Table>>,
    interfaces: Vec<Entry<'a, ir::Interface>>,
    structs: Vec<Entry<'a, ir::Struct>>,
    binds: Vec<Entry<'a, ir::Bind>>,
    tests: Vec<Entry<'a, ir::Test>>,
}

fn entries<'a, T>(items: &'a [T], keep: impl Fn(&T) -> bool) -> Vec<Entry<'a, T>> {
    items
        .iter()
        .enumerate()
        .filter(|(_, x)| keep(x))
        .map(|(id, item)| Entry { id, item })
        .collect()
}

fn module_slice(schema: &Schema, mi: usize) -> ModuleSlice<'_> {
    let m = &schema.modules[mi];
    ModuleSlice {
        ir_version: schema.ir_version,
        module: ModuleRef {
            index: mi,
            name: &m.name,
            source: &m.source,
        },
        enums: entries(&schema.enums, |x| x.module == mi),
        tables: entries(&schema.tables, |x| x.module == mi),
        interfaces: entries(&schema.interfaces, |x| x.module == mi),
        structs: entries(&schema.structs, |x| x.module == mi),
        binds: entries(&schema.binds, |x| x.module == mi),
        tests: entries(&schema.tests, |x| x.origin == m.source),
    }
}

/// True for a pretty-printed line that holds a whole value or entry (it
/// neither opens nor closes an array or object).
fn is_whole(line: &str) -> bool {
    let t = line.trim();
    !(t.starts_with('}') || t.starts_with(']') || t.ends_with('{') || t.ends_with('['))
}

/// True for a whole array element that is a number, string, bool or null.
fn is_scalar(line: &str) -> bool {
    let t = line.trim();
    is_whole(t) && !t.starts_with('{') && !t.starts_with('[')
}

/// Puts arrays of scalars (`[17, 17]`) and short arrays and objects
/// (`{ "Field": 3 }`) on one line: the pretty JSON stays diffable but gets
/// several times shorter.
fn compact_json(pretty: &str) -> String {
    let mut lines: Vec<String> = pretty.lines().map(str::to_string).collect();
    loop {
        let mut out: Vec<String> = Vec::with_capacity(lines.len());
        let mut changed = false;
        let mut i = 0;
        while i < lines.len() {
            let l = &lines[i];
            let open = if l.ends_with('[') {
                Some(']')
            } else if l.ends_with('{') {
                Some('}')
            } else {
                None
            };
            if let Some(close) = open {
                let mut j = i + 1;
                while j < lines.len() && is_whole(&lines[j]) {
                    j += 1;
                }
                if j < lines.len() && lines[j].trim_start().starts_with(close) {
                    let items: Vec<&str> = lines[i + 1..j].iter().map(|x| x.trim()).collect();
                    let joined = if close == ']' {
                        format!("{}{}{}", l, items.join(" "), lines[j].trim())
                    } else {
                        format!("{} {} {}", l, items.join(" "), lines[j].trim())
                    };
                    let scalars = close == ']' && lines[i + 1..j].iter().all(|x| is_scalar(x));
                    if scalars || joined.len() <= 100 {
                        out.push(joined);
                        changed = true;
                        i = j + 1;
                        continue;
                    }
                }
            }
            out.push(l.clone());
            i += 1;
        }
        lines = out;
        if !changed {
            break;
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The IR of the linked set, one snapshot per module
/// (`snapshots/codegen__ir_per_module@<file>.snap`); every mismatching module
/// is reported, not just the first.
#[test]
fn ir_per_module() {
    let schema = schema();
    let sources = protocol_sources();
    assert_eq!(schema.modules.len(), sources.len());
    for (m, (name, _)) in schema.modules.iter().zip(&sources) {
        assert_eq!(&m.source, name, "modules keep the input order");
    }
    insta::glob!("../../protocols", "*.pdl", |path| {
        let file = path.file_name().expect("file name").to_string_lossy();
        let source = format!("protocols/{file}");
        let mi = schema
            .modules
            .iter()
            .position(|m| m.source == source)
            .unwrap_or_else(|| panic!("{source} is not a module of the set"));
        let pretty = serde_json::to_string_pretty(&module_slice(schema, mi)).expect("json");
        let text = compact_json(&pretty);
        let back: serde_json::Value = serde_json::from_str(&text).expect("compacted JSON is JSON");
        let orig: serde_json::Value = serde_json::from_str(&pretty).expect("JSON");
        assert_eq!(back, orig, "compacting changed the JSON");
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(text);
        });
    });
}

/// Every item of the IR belongs to exactly one module slice.
#[test]
fn module_slices_cover_the_whole_ir() {
    let schema = schema();
    let slices: Vec<ModuleSlice> = (0..schema.modules.len())
        .map(|mi| module_slice(schema, mi))
        .collect();
    let sum = |f: &dyn Fn(&ModuleSlice) -> usize| -> usize { slices.iter().map(f).sum() };
    assert_eq!(sum(&|s| s.enums.len()), schema.enums.len());
    assert_eq!(sum(&|s| s.tables.len()), schema.tables.len());
    assert_eq!(sum(&|s| s.interfaces.len()), schema.interfaces.len());
    assert_eq!(sum(&|s| s.structs.len()), schema.structs.len());
    assert_eq!(sum(&|s| s.binds.len()), schema.binds.len());
    assert_eq!(sum(&|s| s.tests.len()), schema.tests.len());
}

#[test]
fn generated_rust() {
    let code = rust_code();
    // `generate` falls back to the raw token stream when the tokens do not
    // parse as a Rust file; the formatted output starts with this header.
    assert!(
        code.starts_with("// @generated by strata-compiler"),
        "the generated tokens did not parse as a Rust file"
    );
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_snapshot!("rust_all_protocols", code);
    });
}

/// The generated code names its runtime through the configured path only.
#[test]
fn runtime_path_is_configurable() {
    let tokens = |runtime: &str| {
        let opts = RustOptions {
            runtime: runtime.to_string(),
        };
        generate_tokens(schema(), &opts).to_string()
    };
    let code = tokens("::strata");
    assert!(code.contains(":: strata :: __private"));
    assert!(!code.contains("crate :: __private"));
    assert!(tokens("crate").contains("crate :: __private"));
}

/// Compiling and generating twice gives identical output (no hash-map
/// iteration order leaks into the IR or the code). Each compilation and each
/// generation builds its own hash maps with fresh random seeds.
#[test]
fn output_is_deterministic() {
    let fresh = compile_all();
    let ja = serde_json::to_string(schema()).expect("json");
    let jb = serde_json::to_string(&fresh).expect("json");
    assert_eq!(ja, jb, "IR differs between two compilations");
    let opts = RustOptions::default();
    let a = generate_tokens(schema(), &opts).to_string();
    let b = generate_tokens(&fresh, &opts).to_string();
    assert!(a == b, "generated Rust differs between two runs");
}

/// The IR survives a JSON round trip (`strata gen json-ir` consumers).
#[test]
fn ir_round_trips_through_json() {
    let text = serde_json::to_string_pretty(schema()).expect("json");
    let back: Schema = serde_json::from_str(&text).expect("IR deserializes");
    assert_eq!(serde_json::to_string_pretty(&back).expect("json"), text);
}
