//! Property tests: no input makes the compiler panic. Random bytes, random
//! token soups and random mutations of the shipped schemas must all end in
//! either an IR or diagnostics that render; when a mutated schema still
//! compiles, the Rust backend must not panic on it either.

use proptest::prelude::*;
use proptest::sample::select;
use std::path::Path;
use std::sync::OnceLock;
use strata_compiler::compile_sources;
use strata_compiler::rust::{generate_tokens, RustOptions};

/// `(file name, text)` of every shipped schema, sorted by name.
fn protocols() -> &'static [(String, String)] {
    static P: OnceLock<Vec<(String, String)>> = OnceLock::new();
    P.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocols");
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("protocols/ exists")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "pdl"))
            .map(|p| {
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).expect("readable"))
            })
            .collect();
        out.sort();
        out
    })
}

/// Compiles, renders the diagnostics and, on success, generates code: none of
/// it may panic. Diagnostics must have spans inside their file.
fn check(sources: &[(String, String)], generate: bool) {
    let c = compile_sources(sources);
    match &c.result {
        Ok(schema) => {
            assert!(c.render().is_empty());
            if generate {
                let _ = generate_tokens(schema, &RustOptions::default());
            }
        }
        Err(d) => {
            assert!(!d.items.is_empty(), "an error result without diagnostics");
            for item in &d.items {
                let span = item.primary.0;
                let text = &sources[span.file].1;
                assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "span {}..{} outside {} ({} bytes): {}",
                    span.start,
                    span.end,
                    sources[span.file].0,
                    text.len(),
                    item.message
                );
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
            let rendered = c.render();
            assert!(rendered.contains("error["), "{rendered}");
        }
    }
}

/// Tokens of the language, plus a few troublemakers.
const TOKENS: &[&str] = &[
    "pdl",
    "1",
    "2",
    ";",
    ":",
    ",",
    ".",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "=",
    "==",
    "=>",
    "->",
    "..",
    "..=",
    "@",
    "|",
    "||",
    "&&",
    "&",
    "^",
    "+",
    "++",
    "-",
    "*",
    "/",
    "%",
    "<<",
    ">>",
    "<",
    "<=",
    ">",
    ">=",
    "!",
    "!=",
    "~",
    "?",
    "_",
    "enum",
    "bits",
    "struct",
    "layer",
    "table",
    "bind",
    "interface",
    "test",
    "fn",
    "let",
    "match",
    "require",
    "else",
    "payload",
    "raw",
    "pad",
    "align",
    "if",
    "derive",
    "checksum",
    "sizeof",
    "count",
    "present",
    "min",
    "under",
    "peek",
    "self",
    "header",
    "implements",
    "parse",
    "build",
    "error",
    "truncated",
    "true",
    "u1",
    "u4",
    "u8",
    "u12",
    "u16",
    "u16le",
    "u24",
    "u32",
    "u64",
    "u65",
    "i8",
    "i12",
    "bool",
    "mac",
    "ipv4",
    "ipv6",
    "eui64",
    "bytes",
    "msb0",
    "lsb0",
    "internet16",
    "crc32",
    "xor8",
    "A",
    "B",
    "x",
    "y",
    "len",
    "kind",
    "0",
    "0x10",
    "0b101",
    "255",
    "65536",
    "18446744073709551615",
    "18446744073709551616",
    "\"s\"",
    "\"ab\"",
    "\"",
    "///",
    "//",
    "/*",
    "*/",
    "\n",
    "é",
    "\u{0}",
    "filter",
    "name",
    "addresses",
    "@label(\"l\")",
    "@hidden",
    "@display(hex)",
    "@default(1)",
    "it",
    "it.x",
    "until",
    "size",
];

/// A random sequence of tokens after a valid version line.
fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(select(TOKENS), 0..80)
        .prop_map(|toks| format!("pdl 1;\n{}", toks.join(" ")))
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, &'static str),
    Replace(usize, char),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..24usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<usize>(), select(TOKENS)).prop_map(|(p, t)| Mutation::Insert(p, t)),
        (any::<usize>(), any::<char>()).prop_map(|(p, c)| Mutation::Replace(p, c)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// The char boundary at or before `pos % (len + 1)`.
fn boundary(text: &str, pos: usize) -> usize {
    let mut p = pos % (text.len() + 1);
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match m {
        Mutation::Delete(p, n) => {
            let a = boundary(text, *p);
            let b = boundary(text, (a + n).min(text.len()));
            let b = b.max(a);
            format!("{}{}", &text[..a], &text[b..])
        }
        Mutation::Insert(p, t) => {
            let a = boundary(text, *p);
            format!("{}{}{}", &text[..a], t, &text[a..])
        }
        Mutation::Replace(p, c) => {
            let a = boundary(text, *p);
            match text[a..].chars().next() {
                Some(old) => format!("{}{}{}", &text[..a], c, &text[a + old.len_utf8()..]),
                None => format!("{text}{c}"),
            }
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines.insert(i, lines[i]);
            lines.concat()
        }
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % lines.len());
            lines.concat()
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.concat()
        }
        _ => text.to_string(),
    }
}

fn mutate(text: &str, ms: &[Mutation]) -> String {
    ms.iter().fold(text.to_string(), |t, m| apply(&t, m))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check(&[("fuzz.pdl".to_string(), text)], true);
    }

    #[test]
    fn random_bytes_after_a_header_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let text = format!("pdl 1;\nstruct A {{ {} }}", String::from_utf8_lossy(&bytes));
        check(&[("fuzz.pdl".to_string(), text)], true);
    }

    #[test]
    fn token_soup_does_not_panic(text in token_soup()) {
        check(&[("fuzz.pdl".to_string(), text)], true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// One schema, mutated, compiled alone. Alone, every schema stops at its
    /// binds to tables of other files, so this mostly exercises the parser
    /// and the early passes; the linked-set variant below goes further.
    #[test]
    fn mutated_protocol_does_not_panic(
        file in 0..64usize,
        ms in proptest::collection::vec(mutation(), 1..5),
    ) {
        let all = protocols();
        let (name, text) = &all[file % all.len()];
        check(&[(name.clone(), mutate(text, &ms))], true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// One schema of the linked set mutated, the whole set compiled (slower:
    /// fewer cases). Reaches the bind and test passes.
    #[test]
    fn mutated_protocol_set_does_not_panic(
        file in 0..64usize,
        ms in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut all = protocols().to_vec();
        let i = file % all.len();
        all[i].1 = mutate(&all[i].1, &ms);
        check(&all, false);
    }
}

/// The unmutated set compiles: the mutation tests start from valid input.
#[test]
fn unmutated_protocols_compile() {
    let c = compile_sources(protocols());
    assert!(c.result.is_ok(), "{}", c.render());
}
