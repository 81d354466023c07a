//! Source files and their ids, for spans and diagnostics.

use codespan_reporting::files::SimpleFiles;

/// All source files of one compilation; a [`crate::ast::Span`] names a file by index here.
#[derive(Default)]
pub struct SourceDb {
    files: SimpleFiles<String, String>,
    names: Vec<String>,
}

impl SourceDb {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> usize {
        let name = name.into();
        self.names.push(name.clone());
        self.files.add(name, text.into())
    }

    /// The text of a file.
    pub fn text(&self, id: usize) -> &str {
        self.files
            .get(id)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The name of a file.
    pub fn name(&self, id: usize) -> &str {
        self.names.get(id).map(String::as_str).unwrap_or("")
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no file was added.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The codespan view, for rendering.
    pub fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }
}
