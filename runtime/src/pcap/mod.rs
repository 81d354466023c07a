//! Capture files: streaming reader and writer for pcap and pcapng.
//!
//! [`CaptureReader`] auto-detects classic pcap (micro- or nanosecond
//! timestamps, either byte order) and pcapng (any number of sections and
//! interfaces, per-interface link types and timestamp resolutions, Enhanced,
//! Simple and obsolete Packet Blocks; other blocks are skipped). It works in
//! constant memory: one reusable buffer holds the current record, and each
//! [`Frame`] borrows from it until the next call.
//!
//! [`CaptureWriter`] writes the same formats back, so that
//! read → write → read preserves every frame's bytes, original length,
//! interface and timestamp (to the nanosecond).
//!
//! Framing, bounds and timestamp conversion are done here; the `pcap-file`
//! crate decodes the classic pcap header and records, validates pcapng block
//! framing, and does all the writing. Its high-level readers are not used
//! because they reject valid files and misread timestamps (see the notes on
//! [`CaptureReader`]).
//!
//! ```no_run
//! use strata::pcap::{CaptureReader, CaptureWriter};
//! # fn main() -> Result<(), strata::pcap::PcapError> {
//! let mut reader = CaptureReader::open("in.pcapng")?;
//! let mut writer = CaptureWriter::create("out.pcapng", reader.format(), reader.interfaces())?;
//! while let Some(next) = reader.next_frame_with_interfaces() {
//!     let (frame, interfaces) = next?;
//!     writer.sync_interfaces(interfaces)?; // IDBs that appeared mid-file
//!     writer.write_frame(&frame)?;
//! }
//! writer.finish()?;
//! # Ok(()) }
//! ```

mod error;
mod reader;
mod time;
mod writer;

#[cfg(test)]
mod tests;

pub use error::PcapError;
pub use reader::CaptureReader;
pub use time::{TimeDelta, Timestamp, TsResolution};
pub use writer::CaptureWriter;

/// Largest record (pcap) or block (pcapng) accepted, in bytes: 256 MiB.
///
/// Real link types stay far below this (Wireshark's largest per-packet
/// limit is 128 MiB, for D-Bus), so anything bigger is a corrupt length
/// field; refusing it up front keeps a damaged file from triggering a huge
/// allocation or a read to the end of a multi-gigabyte file.
pub const MAX_RECORD_LEN: u32 = 256 * 1024 * 1024;

/// Capture file format, as detected from the magic number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Classic libpcap format.
    Pcap {
        /// Nanosecond timestamps (magic `a1b23c4d`) instead of microseconds.
        nanos: bool,
        /// Header and record fields are big-endian.
        big_endian: bool,
    },
    /// pcapng. (Written in the machine's byte order.)
    PcapNg,
}

/// A capture interface: a pcapng Interface Description Block, or the single
/// implicit interface of a classic pcap file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Interface {
    /// Index in [`CaptureReader::interfaces`], unique across the whole file.
    /// pcapng numbers interfaces per section; this is that number plus the
    /// count of interfaces in earlier sections, so it stays unambiguous in
    /// multi-section files.
    pub id: u32,
    /// 0-based pcapng section the interface belongs to (0 for pcap).
    /// tshark's `frame.section_number` is this plus one.
    pub section: u32,
    /// Interface number within its section (tshark's `frame.interface_id`).
    pub local_id: u32,
    /// LINKTYPE_* value (<https://www.tcpdump.org/linktypes.html>). For pcap
    /// this is the low 16 bits of the header field; the high bits are in
    /// [`link_flags`](Self::link_flags).
    pub linktype: u32,
    /// pcap only: the high 16 bits of the header's link-type field (FCS length
    /// and reserved flags), kept so that writing reproduces the header.
    pub link_flags: u32,
    /// Maximum captured bytes per packet; 0 means unlimited.
    pub snaplen: u32,
    /// pcapng `if_name` (lossily decoded if not UTF-8).
    pub name: Option<String>,
    /// pcapng `if_description` (lossily decoded if not UTF-8).
    pub description: Option<String>,
    /// Unit of the raw timestamps (`if_tsresol`; pcap: µs or ns).
    pub ts_resolution: TsResolution,
    /// `if_tsoffset`: seconds added to every raw timestamp.
    pub ts_offset: i64,
}

impl Interface {
    /// An interface for writing, with nanosecond timestamps (so no
    /// precision is lost in pcapng), no name and no offset.
    pub fn new(linktype: u32, snaplen: u32) -> Interface {
        Interface {
            id: 0,
            section: 0,
            local_id: 0,
            linktype,
            link_flags: 0,
            snaplen,
            name: None,
            description: None,
            ts_resolution: TsResolution::NANOSECONDS,
            ts_offset: 0,
        }
    }
}

/// One captured packet. `data` borrows the reader's buffer, so a frame
/// lives until the next call to the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Index into the reader's [`interfaces`](CaptureReader::interfaces)
    /// (always 0 for pcap).
    pub interface_id: u32,
    /// The interface's link type, copied here for convenience.
    pub linktype: u32,
    /// Capture time, with `if_tsresol` and `if_tsoffset` applied
    /// (sub-nanosecond remainders truncated). pcapng Simple Packet Blocks
    /// carry no time and read as [`Timestamp::UNIX_EPOCH`].
    pub timestamp: Timestamp,
    /// Length of the packet on the wire; larger than `data.len()` when the
    /// capture was truncated by a snap length.
    pub orig_len: u32,
    /// The captured bytes, starting with the link-layer header.
    pub data: &'a [u8],
}
