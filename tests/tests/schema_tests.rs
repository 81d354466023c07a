//! Runs every in-language `test` block of `protocols/*.pdl` against the
//! generated code: parse cases compare field values (by schema name, including
//! checksum status), build cases compare bytes.

use std::collections::HashMap;
use strata::__private::SetValue;
use strata::field::{FieldDesc, FieldKind, Value, Visitor};
use strata_compiler::ir::{TestCase, TestExpect, TestValue};

#[derive(Default)]
struct Collect {
    values: HashMap<String, Vec<Value<'static>>>,
}

impl<'a> Visitor<'a> for Collect {
    fn field(&mut self, d: &'static FieldDesc, v: Value<'a>, _: u32, _: u32) {
        // Tests compare scalars and addresses; byte slices are compared as owned hex.
        let owned: Value<'static> = match v {
            Value::Bytes(_) => Value::None,
            Value::UInt(x) => Value::UInt(x),
            Value::Int(x) => Value::Int(x),
            Value::Bool(b) => Value::Bool(b),
            Value::Mac(m) => Value::Mac(m),
            Value::Ipv4(a) => Value::Ipv4(a),
            Value::Ipv6(a) => Value::Ipv6(a),
            Value::Eui64(a) => Value::Eui64(a),
            Value::Str(_) | Value::Nanos(_) | Value::None => Value::None,
        };
        let key = if d.kind == FieldKind::Status {
            d.name.trim_end_matches(".status").to_string() + "#status"
        } else {
            d.name.to_string()
        };
        self.values.entry(key).or_default().push(owned);
    }
}

fn matches(v: &Value, t: &TestValue) -> bool {
    match (v, t) {
        (Value::UInt(x), TestValue::Int(y)) => x == y,
        (Value::Int(x), TestValue::Int(y)) => *x as u64 == *y,
        (Value::Bool(b), TestValue::Int(y)) => (*b as u64) == *y,
        (Value::Mac(m), TestValue::Bytes(b)) => m[..] == b[..],
        (Value::Ipv4(a), TestValue::Bytes(b)) => a[..] == b[..],
        (Value::Ipv6(a), TestValue::Bytes(b)) => a[..] == b[..],
        (Value::Eui64(a), TestValue::Bytes(b)) => a[..] == b[..],
        _ => false,
    }
}

fn status_name(v: &Value) -> &'static str {
    match v.as_u64() {
        Some(0) => "bad",
        Some(1) => "good",
        Some(2) => "unverified",
        Some(3) => "none",
        _ => "?",
    }
}

#[test]
fn schema_test_blocks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../protocols");
    let files = strata_compiler::build::Config::new()
        .protocols_dir(dir)
        .inputs()
        .expect("protocol files");
    let comp = strata_compiler::compile_files(&files).expect("read");
    let schema = comp
        .result
        .as_ref()
        .unwrap_or_else(|_| panic!("{}", comp.render()));
    let mut failures = Vec::new();
    let mut cases = 0;
    for t in &schema.tests {
        let name = &schema.structs[t.target].name;
        for c in &t.cases {
            cases += 1;
            match c {
                TestCase::Parse {
                    bytes,
                    expect,
                    line,
                } => {
                    let mut col = Collect::default();
                    let r = strata::protocols::visit_by_name(name, bytes, true, &mut col)
                        .expect("known struct");
                    match (expect, r) {
                        (TestExpect::Error(kind), Ok(_)) => failures.push(format!(
                            "{}@{line}: {name}: expected error {kind}, parsed fine",
                            t.origin
                        )),
                        (TestExpect::Error(kind), Err(e)) => {
                            let got = if e.is_truncation() {
                                "truncated"
                            } else {
                                "malformed"
                            };
                            if got != kind {
                                failures.push(format!(
                                    "{}@{line}: {name}: expected {kind}, got {e}",
                                    t.origin
                                ));
                            }
                        }
                        (TestExpect::Fields(_), Err(e)) => failures
                            .push(format!("{}@{line}: {name}: unexpected error {e}", t.origin)),
                        (TestExpect::Fields(kvs), Ok(_)) => {
                            for (k, want) in kvs {
                                if let TestValue::Status(s) = want {
                                    let got = col
                                        .values
                                        .get(&format!("{k}#status"))
                                        .and_then(|v| v.first());
                                    if got.map(status_name) != Some(s.as_str()) {
                                        failures.push(format!(
                                            "{}@{line}: {name}.{k}: status {s} expected, got {:?}",
                                            t.origin,
                                            got.map(status_name)
                                        ));
                                    }
                                    continue;
                                }
                                let got = col.values.get(k.as_str());
                                if !got.is_some_and(|vs| vs.iter().any(|v| matches(v, want))) {
                                    failures.push(format!(
                                        "{}@{line}: {name}.{k}: expected {want:?}, got {got:?}",
                                        t.origin
                                    ));
                                }
                            }
                        }
                    }
                }
                TestCase::Build {
                    fields,
                    payload,
                    bytes,
                    line,
                } => {
                    let sets: Vec<(&str, SetValue)> = fields
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.as_str(),
                                match v {
                                    TestValue::Int(x) => SetValue::Int(*x),
                                    TestValue::Bytes(b) => SetValue::Bytes(b),
                                    TestValue::Status(_) => SetValue::Int(0),
                                },
                            )
                        })
                        .collect();
                    match strata::protocols::build_by_name(name, &sets, payload)
                        .expect("known struct")
                    {
                        Err(f) => {
                            failures.push(format!("{}@{line}: {name}: cannot set `{f}`", t.origin))
                        }
                        Ok(Err(e)) => {
                            failures.push(format!("{}@{line}: {name}: build error {e}", t.origin))
                        }
                        Ok(Ok(out)) => {
                            if &out != bytes {
                                failures.push(format!(
                                    "{}@{line}: {name}: built {} expected {}",
                                    t.origin,
                                    hex(&out),
                                    hex(bytes)
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 20, "too few test cases ({cases})");
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
