//! Command-line interface: argument parsing (clap) and the commands.
//!
//! Exit status: 0 success, 2 error (bad arguments, unreadable files, invalid
//! schemas). A closed output pipe (`| head`) ends the run quietly with 0.

mod check;
mod dissect;
mod rebuild;

use clap::{Parser, Subcommand};
use std::io::{self, Write};

/// Strata: protocol schemas compiled to dissectors and builders.
#[derive(Parser, Debug)]
#[command(name = "strata", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Dissect a capture file (pcap or pcapng).
    Dissect(dissect::Args),
    /// Re-serialize every packet from its parsed values through the builders.
    Rebuild(rebuild::Args),
    /// Validate .pdl schema files and print diagnostics.
    Check(check::Args),
    /// List the protocols and their fields.
    Protocols(ProtocolsArgs),
}

/// Arguments of `strata protocols`.
#[derive(clap::Args, Debug)]
struct ProtocolsArgs {
    /// Also list every field with its type.
    #[arg(long)]
    fields: bool,
}

/// Errors that end a command.
#[derive(Debug)]
pub enum CliError {
    /// The output pipe closed: not an error for the user.
    BrokenPipe,
    /// Anything else: message for stderr.
    Other(String),
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Other(e.to_string())
        }
    }
}

/// Runs the CLI; returns the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let r = match cli.command {
        Command::Dissect(a) => dissect::run(a),
        Command::Rebuild(a) => rebuild::run(a),
        Command::Check(a) => check::run(a),
        Command::Protocols(a) => protocols(a),
    };
    match r {
        Ok(code) => code,
        Err(CliError::BrokenPipe) => 0,
        Err(CliError::Other(m)) => {
            eprintln!("strata: {m}");
            2
        }
    }
}

fn protocols(a: ProtocolsArgs) -> Result<i32, CliError> {
    use strata::protocols::LayerKind;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for &k in LayerKind::ALL {
        writeln!(out, "{}\t{}\t{}", k.filter(), k.name(), k.long_name())?;
        if a.fields {
            for f in k.fields().iter().chain(k.status_fields()) {
                writeln!(out, "\t{}\t{:?}\t{}", f.path, f.kind, f.label)?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}
