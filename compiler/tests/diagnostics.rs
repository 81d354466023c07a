//! One fixture per diagnostic code: `tests/fixtures/errors/E00NN_short_name.pdl`
//! must make the compiler report `E00NN` first (and nothing else), with a span
//! inside the file. The rendered, colour-free output is snapshotted so the
//! message, the caret and the labels are reviewed with every change.

use std::path::{Path, PathBuf};
use strata_compiler::diag::ErrorCode;
use strata_compiler::{compile_sources, Compilation};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

/// All fixture files, sorted by name.
fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/errors exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdl"))
        .collect();
    out.sort();
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The code a fixture is about, from its file name (`E0012_duplicate_field.pdl`).
fn expected_code(path: &Path) -> ErrorCode {
    let name = file_name(path);
    let prefix = name.split('_').next().unwrap_or_default();
    ErrorCode::ALL
        .iter()
        .copied()
        .find(|c| c.code() == prefix)
        .unwrap_or_else(|| panic!("{name}: file name does not start with a known error code"))
}

/// The name the fixture is compiled under. The module name is the file stem,
/// so every fixture except the one about module names gets a lower-case
/// (valid snake_case) name; E0004 keeps its real, upper-case stem.
fn source_name(path: &Path, code: ErrorCode) -> String {
    let name = file_name(path);
    if code == ErrorCode::BadModuleName {
        name
    } else {
        name.to_lowercase()
    }
}

fn compile_fixture(path: &Path) -> (ErrorCode, String, Compilation) {
    let code = expected_code(path);
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let compilation = compile_sources(&[(source_name(path, code), text.clone())]);
    (code, text, compilation)
}

#[test]
fn error_fixtures() {
    insta::glob!("fixtures/errors/*.pdl", |path| {
        let (code, text, compilation) = compile_fixture(path);
        let name = file_name(path);
        let diags = match &compilation.result {
            Ok(_) => panic!("{name}: compiled without errors, expected {}", code.code()),
            Err(d) => d,
        };
        let codes = diags.codes();
        assert_eq!(
            codes.first().copied(),
            Some(code),
            "{name}: first diagnostic is not {}:\n{}",
            code.code(),
            compilation.render()
        );
        assert!(
            codes.iter().all(|c| *c == code),
            "{name}: the fixture should trigger only {}, got {:?}:\n{}",
            code.code(),
            codes,
            compilation.render()
        );
        for d in &diags.items {
            let (span, _) = &d.primary;
            assert_eq!(span.file, 0, "{name}: span in another file");
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{name}: span {}..{} outside the text ({} bytes)",
                span.start,
                span.end,
                text.len()
            );
            assert!(
                span.start < span.end,
                "{name}: empty span at {} for `{}`",
                span.start,
                d.message
            );
            assert!(!d.message.is_empty(), "{name}: empty message");
        }
        insta::assert_snapshot!(compilation.render());
    });
}

#[test]
fn every_error_code_has_a_fixture() {
    let names: Vec<String> = fixtures().iter().map(|p| file_name(p)).collect();
    let missing: Vec<&str> = ErrorCode::ALL
        .iter()
        .map(|c| c.code())
        .filter(|code| !names.iter().any(|n| n.starts_with(&format!("{code}_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "error codes without a fixture in tests/fixtures/errors: {missing:?}"
    );
}

#[test]
fn every_fixture_names_a_known_code() {
    for p in fixtures() {
        // Panics with the file name when the prefix is not a code.
        expected_code(&p);
    }
}

#[test]
fn error_codes_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for c in ErrorCode::ALL {
        let s = c.code();
        assert!(
            s.len() == 5 && s.starts_with('E') && s[1..].chars().all(|d| d.is_ascii_digit()),
            "malformed code {s}"
        );
        assert!(seen.insert(s), "code {s} is used twice");
    }
}

/// Every pass reports all of its errors: two unrelated mistakes in one pass
/// give two diagnostics, in source order.
#[test]
fn a_pass_reports_every_error() {
    let text = "pdl 1;\n\nstruct A {\n    a : Nope;\n    b : AlsoNope;\n}\n";
    let c = compile_sources(&[("multi.pdl".to_string(), text.to_string())]);
    let d = c.result.as_ref().expect_err("errors");
    assert_eq!(
        d.codes(),
        vec![ErrorCode::UnknownType, ErrorCode::UnknownType]
    );
    assert!(d.items[0].primary.0.start < d.items[1].primary.0.start);
}

/// Diagnostics across a linked set point into the right file.
#[test]
fn diagnostics_point_into_the_right_file() {
    let a = "pdl 1;\n\ntable port : u16;\n".to_string();
    let b = "pdl 1;\n\nbind port[1] => Missing;\n".to_string();
    let c = compile_sources(&[("a.pdl".to_string(), a), ("b.pdl".to_string(), b.clone())]);
    let d = c.result.as_ref().expect_err("errors");
    assert_eq!(d.codes(), vec![ErrorCode::UnknownLayer]);
    let span = d.items[0].primary.0;
    assert_eq!(span.file, 1);
    assert_eq!(&b[span.start..span.end], "Missing");
    assert!(c.render().contains("b.pdl:3:17"), "{}", c.render());
}

/// Two files with the same stem in different directories are one module twice.
#[test]
fn duplicate_module_across_files() {
    let t = "pdl 1;\n".to_string();
    let c = compile_sources(&[
        ("x/link.pdl".to_string(), t.clone()),
        ("y/link.pdl".to_string(), t),
    ]);
    let d = c.result.as_ref().expect_err("errors");
    assert_eq!(d.codes(), vec![ErrorCode::DuplicateDecl]);
    assert_eq!(d.items[0].primary.0.file, 1);
}
