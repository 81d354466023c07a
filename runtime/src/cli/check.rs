//! `strata check FILE.pdl…`: compile schemas as one linked set and print
//! diagnostics (codespan style, with codes and source spans).

use super::CliError;
use std::path::PathBuf;

/// Arguments of `strata check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Schema files; they are linked together (tables, binds, types).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Also compile the built-in protocols/*.pdl set with the files (so they can
    /// bind into built-in tables such as `udp.port`).
    #[arg(long)]
    with_builtin: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<i32, CliError> {
    let mut files = a.files.clone();
    if let Some(dir) = &a.with_builtin {
        let cfg = strata_compiler::build::Config::new().protocols_dir(dir);
        let mut extra = cfg.inputs().map_err(|e| CliError::Other(e.to_string()))?;
        extra.retain(|p| !files.contains(p));
        files.extend(extra);
    }
    let comp =
        strata_compiler::compile_files(&files).map_err(|e| CliError::Other(e.to_string()))?;
    match &comp.result {
        Ok(schema) => {
            let layers = schema.layers().count();
            eprintln!(
                "ok: {} file(s), {} layer(s), {} struct(s), {} table(s), {} bind(s), {} test block(s)",
                files.len(),
                layers,
                schema.structs.len() - layers,
                schema.tables.len(),
                schema.binds.len(),
                schema.tests.len()
            );
            Ok(0)
        }
        Err(d) => {
            let mut w = codespan_reporting::term::termcolor::StandardStream::stderr(
                if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                    codespan_reporting::term::termcolor::ColorChoice::Auto
                } else {
                    codespan_reporting::term::termcolor::ColorChoice::Never
                },
            );
            d.emit(&comp.db, &mut w);
            let n = d.items.iter().filter(|x| !x.warning).count();
            eprintln!("error: {n} error(s) in {} file(s)", files.len());
            Ok(2)
        }
    }
}
