//! Build-script API in the prost-build style: compile a directory of `.pdl`
//! files into one Rust file in `OUT_DIR`.

use std::path::{Path, PathBuf};

/// Why a build failed.
#[derive(Debug)]
pub enum Error {
    /// Reading or writing files.
    Io(std::io::Error),
    /// The schemas have errors; the rendered diagnostics.
    Schema(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "{e}"),
            Error::Schema(s) => write!(f, "schema errors:\n{s}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// Configuration of a schema build.
#[derive(Clone, Debug, Default)]
pub struct Config {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    out_file: Option<String>,
    runtime: Option<String>,
}

impl Config {
    /// A configuration with defaults (`OUT_DIR`, `protocols.rs`, runtime `crate`).
    pub fn new() -> Self {
        Self::default()
    }
    /// Compiles every `*.pdl` file of a directory (sorted by name).
    pub fn protocols_dir(mut self, d: impl AsRef<Path>) -> Self {
        self.dirs.push(d.as_ref().to_path_buf());
        self
    }
    /// Adds one file.
    pub fn file(mut self, f: impl AsRef<Path>) -> Self {
        self.files.push(f.as_ref().to_path_buf());
        self
    }
    /// Output directory (default: `$OUT_DIR`).
    pub fn out_dir(mut self, d: impl AsRef<Path>) -> Self {
        self.out_dir = Some(d.as_ref().to_path_buf());
        self
    }
    /// Output file name (default: `protocols.rs`).
    pub fn out_file(mut self, f: impl Into<String>) -> Self {
        self.out_file = Some(f.into());
        self
    }
    /// Path of the runtime crate in generated code (`crate` or `::strata`).
    pub fn runtime(mut self, r: impl Into<String>) -> Self {
        self.runtime = Some(r.into());
        self
    }

    /// The input files, sorted.
    pub fn inputs(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = self.files.clone();
        for d in &self.dirs {
            for e in std::fs::read_dir(d)? {
                let p = e?.path();
                if p.extension().is_some_and(|x| x == "pdl") {
                    files.push(p);
                }
            }
        }
        files.sort();
        Ok(files)
    }

    /// Compiles, writes the Rust file (only when its content changed) and
    /// prints `cargo:rerun-if-changed` lines.
    pub fn compile(self) -> Result<PathBuf, Error> {
        let files = self.inputs()?;
        for d in &self.dirs {
            println!("cargo:rerun-if-changed={}", d.display());
        }
        for f in &files {
            println!("cargo:rerun-if-changed={}", f.display());
        }
        let comp = crate::compile_files(&files)?;
        let schema = match &comp.result {
            Ok(s) => s,
            Err(_) => return Err(Error::Schema(comp.render())),
        };
        let opts = crate::rust::RustOptions {
            runtime: self.runtime.clone().unwrap_or_else(|| "crate".into()),
        };
        let code = crate::rust::generate(schema, &opts);
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => PathBuf::from(std::env::var("OUT_DIR").map_err(|_| {
                Error::Io(std::io::Error::other(
                    "OUT_DIR is not set (not in a build script?)",
                ))
            })?),
        };
        let path = out_dir.join(self.out_file.as_deref().unwrap_or("protocols.rs"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&path, code)?;
        }
        Ok(path)
    }
}
