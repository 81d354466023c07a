//! `strata rebuild IN OUT`: writes every packet re-serialized from its parsed
//! field values through the builders (not by copying bytes). Packets that did
//! not dissect cleanly are copied as they are and counted.

use super::CliError;
use std::path::PathBuf;
use strata::dissect::{dissect, Options};
use strata::packet::Packet;
use strata::pcap::{CaptureReader, CaptureWriter, Frame};

/// Arguments of `strata rebuild`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Input capture.
    input: PathBuf,
    /// Output capture (same format, link types and interfaces as the input).
    output: PathBuf,
}

pub fn run(a: Args) -> Result<i32, CliError> {
    let mut reader = CaptureReader::open(&a.input)
        .map_err(|e| CliError::Other(format!("{}: {e}", a.input.display())))?;
    let mut writer = CaptureWriter::create(&a.output, reader.format(), reader.interfaces())
        .map_err(|e| CliError::Other(format!("{}: {e}", a.output.display())))?;
    let (mut total, mut rebuilt, mut copied, mut differ) = (0u64, 0u64, 0u64, 0u64);
    let mut first_diff = None;
    let mut read_error = None;
    loop {
        let (frame, ifaces) = match reader.next_frame_with_interfaces() {
            None => break,
            Some(Err(e)) => {
                read_error = Some(e.to_string());
                break;
            }
            Some(Ok(x)) => x,
        };
        total += 1;
        writer
            .sync_interfaces(ifaces)
            .map_err(|e| CliError::Other(e.to_string()))?;
        let d = dissect(
            frame.linktype,
            frame.data,
            Options {
                deep: true,
                verify_checksums: false,
            },
        );
        let bytes = match Packet::from_dissection(&d).map(|p| p.build()) {
            Some(Ok(b)) => {
                rebuilt += 1;
                if b != frame.data {
                    differ += 1;
                    first_diff.get_or_insert(total);
                }
                b
            }
            _ => {
                copied += 1;
                frame.data.to_vec()
            }
        };
        let out = Frame {
            interface_id: frame.interface_id,
            linktype: frame.linktype,
            timestamp: frame.timestamp,
            orig_len: frame.orig_len.max(bytes.len() as u32),
            data: &bytes,
        };
        writer
            .write_frame(&out)
            .map_err(|e| CliError::Other(e.to_string()))?;
    }
    writer
        .finish()
        .map_err(|e| CliError::Other(e.to_string()))?;
    eprintln!(
        "{total} packets: {rebuilt} rebuilt from their fields ({} identical, {differ} different), {copied} copied (an element could not be represented)",
        rebuilt - differ
    );
    if let Some(n) = first_diff {
        eprintln!("first differing packet: {n}");
    }
    if let Some(e) = read_error {
        eprintln!("strata: {}: {e}", a.input.display());
        return Ok(2);
    }
    Ok(if differ > 0 { 1 } else { 0 })
}
