//! Errors of the capture-file layer.

use std::io;

/// What went wrong reading or writing a capture file.
///
/// Read errors carry the byte offset of the record (pcap) or block (pcapng)
/// being read and the 1-based number of the frame being looked for, so a
/// message points at the spot in a multi-gigabyte file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PcapError {
    /// The underlying reader failed.
    #[error("I/O error at byte offset {offset}: {source}")]
    Io {
        /// Offset of the record being read.
        offset: u64,
        /// The I/O error.
        #[source]
        source: io::Error,
    },

    /// The first four bytes are not a pcap or pcapng magic number.
    #[error(
        "not a pcap or pcapng file: unknown magic number {magic:#010x} \
         (expected a1b2c3d4 / a1b23c4d in either byte order, or pcapng 0a0d0d0a)"
    )]
    UnknownFormat {
        /// The first four bytes, read big-endian.
        magic: u32,
    },

    /// The file ends in the middle of a header, record or block.
    #[error(
        "truncated {what} at byte offset {offset} (frame {frame}): \
         file ends after {got} of {needed} bytes"
    )]
    Truncated {
        /// What was being read ("pcap file header", "record data", ...).
        what: &'static str,
        /// Offset where that structure starts.
        offset: u64,
        /// 1-based number of the frame being read.
        frame: u64,
        /// Bytes of it that were present.
        got: u64,
        /// Bytes it needs.
        needed: u64,
    },

    /// A record or block claims a length above [`MAX_RECORD_LEN`](super::MAX_RECORD_LEN).
    /// Refused before reading, so a corrupt length never causes a huge
    /// allocation or a multi-gigabyte read.
    #[error(
        "{what} at byte offset {offset} (frame {frame}) claims {len} bytes, \
         more than the {max}-byte limit (corrupt length field?)"
    )]
    TooLarge {
        /// What claimed the length.
        what: &'static str,
        /// Offset of the record or block.
        offset: u64,
        /// 1-based number of the frame being read.
        frame: u64,
        /// The claimed length.
        len: u64,
        /// The limit.
        max: u64,
    },

    /// A structurally invalid header, record or block.
    #[error("malformed {what} at byte offset {offset} (frame {frame}): {reason}")]
    Malformed {
        /// What was being parsed.
        what: &'static str,
        /// Offset of the record or block.
        offset: u64,
        /// 1-based number of the frame being read.
        frame: u64,
        /// Why it is invalid.
        reason: String,
    },

    /// A frame cannot be written (unknown interface, link type mismatch,
    /// timestamp out of the format's range, ...).
    #[error("cannot write frame {frame}: {reason}")]
    InvalidFrame {
        /// 1-based number of the frame within the output.
        frame: u64,
        /// Why it was refused.
        reason: String,
    },

    /// An interface cannot be represented in the output format.
    #[error("cannot write interface {id}: {reason}")]
    InvalidInterface {
        /// Index the interface would have had in the output.
        id: u32,
        /// Why it was refused.
        reason: String,
    },

    /// The underlying writer failed.
    #[error("write failed: {source}")]
    Write {
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

impl PcapError {
    /// Converts an error from `pcap-file`'s writers (always an I/O failure
    /// for the calls made here, but mapped defensively).
    pub(crate) fn from_writer(err: pcap_file::PcapError) -> PcapError {
        match err {
            pcap_file::PcapError::IoError(source) => PcapError::Write { source },
            other => PcapError::Write {
                source: io::Error::other(other.to_string()),
            },
        }
    }
}
