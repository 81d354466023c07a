//! The `.pdl` compiler: grammar → AST → analyzer → IR → backends.
//!
//! Used from a `build.rs` (see [`build::Config`]) and by the `strata` CLI
//! (`strata check`, `strata gen`). The language is documented in `docs/pdl.md`.
//!
//! ```no_run
//! // build.rs
//! strata_compiler::build::Config::new()
//!     .protocols_dir("../protocols")
//!     .out_file("protocols.rs")
//!     .compile()
//!     .unwrap();
//! ```

pub mod analyze;
pub mod ast;
pub mod build;
pub mod derive;
pub mod diag;
pub mod ir;
pub mod parser;
pub mod rust;
pub mod source;
pub mod template;

use diag::Diagnostics;
use source::SourceDb;

/// The result of compiling a set of sources: the source database (for
/// rendering diagnostics) and either the IR or the diagnostics.
pub struct Compilation {
    /// All sources, indexed by span file ids.
    pub db: SourceDb,
    /// The IR, or every error found.
    pub result: Result<ir::Schema, Diagnostics>,
}

impl Compilation {
    /// Renders the diagnostics (empty on success).
    pub fn render(&self) -> String {
        match &self.result {
            Ok(_) => String::new(),
            Err(d) => d.render(&self.db),
        }
    }
}

/// Module name of a source file: its stem.
pub fn module_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compiles `(file name, text)` pairs as one linked set.
pub fn compile_sources(sources: &[(String, String)]) -> Compilation {
    let mut db = SourceDb::new();
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    let mut names = Vec::new();
    let mut texts = Vec::new();
    for (name, text) in sources {
        texts.push(text.clone());
        let id = db.add(name.clone(), text.clone());
        names.push(name.clone());
        match parser::parse_file(id, &module_name(name), text) {
            Ok(f) => files.push(f),
            Err(d) => diags.items.extend(d.items),
        }
    }
    if diags.has_errors() {
        return Compilation {
            db,
            result: Err(diags),
        };
    }
    let result = analyze::analyze(&files, &names, &texts);
    Compilation { db, result }
}

/// Reads and compiles files.
pub fn compile_files(paths: &[std::path::PathBuf]) -> std::io::Result<Compilation> {
    let mut sources = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)?;
        sources.push((p.display().to_string(), text));
    }
    Ok(compile_sources(&sources))
}
