//! Streaming pcap / pcapng writer (on top of `pcap-file`'s writers).

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapWriter, RawPcapPacket};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::blocks::section_header::{SectionHeaderBlock, SectionHeaderOption};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::{DataLink, Endianness};

use super::{FileFormat, Frame, Interface, PcapError, Timestamp, TsResolution, MAX_RECORD_LEN};

/// Snaplen written to a pcap header for an interface whose snaplen is 0
/// ("unlimited" in pcapng, meaningless in pcap): libpcap's maximum.
const PCAP_DEFAULT_SNAPLEN: u32 = 262_144;

/// Streaming writer for pcap and pcapng files.
///
/// Give it a buffered `W` ([`create`](Self::create) does): the underlying
/// `pcap-file` writers issue many small writes.
///
/// * pcap: the header takes the link type and snaplen of the first
///   interface, and the byte order and µs/ns resolution from the
///   [`FileFormat`]. Frames of any interface with that link type are
///   accepted (pcap has no interface numbers, so they all read back as
///   interface 0).
/// * pcapng: one section; each interface becomes an IDB with its link type,
///   snaplen, name, description, `if_tsresol` (omitted when µs, the
///   default; resolutions finer than 1 ns are written as ns, since
///   [`Timestamp`] keeps nothing finer) and `if_tsoffset`. Frames become
///   Enhanced Packet Blocks. Interfaces get ids `0, 1, ...` in the order
///   added, so adding a reader's interfaces in order keeps frame
///   `interface_id`s valid, also for multi-section input.
pub struct CaptureWriter<W: Write> {
    sink: Sink<W>,
    format: FileFormat,
    interfaces: Vec<Interface>,
    frames: u64,
}

enum Sink<W: Write> {
    Pcap {
        writer: PcapWriter<W>,
        nanos: bool,
        linktype: u32,
    },
    PcapNg {
        writer: PcapNgWriter<W>,
    },
}

impl CaptureWriter<BufWriter<File>> {
    /// Creates (or truncates) a file and writes its header.
    pub fn create<P: AsRef<Path>>(
        path: P,
        format: FileFormat,
        interfaces: &[Interface],
    ) -> Result<Self, PcapError> {
        let file = File::create(path).map_err(|source| PcapError::Write { source })?;
        CaptureWriter::new(
            BufWriter::with_capacity(256 * 1024, file),
            format,
            interfaces,
        )
    }
}

impl<W: Write> CaptureWriter<W> {
    /// Writes the file header (and, for pcapng, one IDB per interface).
    /// pcap needs at least one interface; pcapng accepts none and lets
    /// them be added later with [`add_interface`](Self::add_interface).
    pub fn new(writer: W, format: FileFormat, interfaces: &[Interface]) -> Result<Self, PcapError> {
        let sink = match format {
            FileFormat::Pcap { nanos, big_endian } => {
                let Some(first) = interfaces.first() else {
                    return Err(PcapError::InvalidInterface {
                        id: 0,
                        reason: "a pcap file needs an interface: its link type and \
                                 snaplen go in the file header"
                            .into(),
                    });
                };
                let header = PcapHeader {
                    version_major: 2,
                    version_minor: 4,
                    ts_correction: 0,
                    ts_accuracy: 0,
                    snaplen: if first.snaplen == 0 {
                        PCAP_DEFAULT_SNAPLEN
                    } else {
                        first.snaplen
                    },
                    datalink: DataLink::from(first.linktype | (first.link_flags & 0xFFFF_0000)),
                    ts_resolution: if nanos {
                        pcap_file::TsResolution::NanoSecond
                    } else {
                        pcap_file::TsResolution::MicroSecond
                    },
                    endianness: if big_endian {
                        Endianness::Big
                    } else {
                        Endianness::Little
                    },
                };
                let writer =
                    PcapWriter::with_header(writer, header).map_err(PcapError::from_writer)?;
                Sink::Pcap {
                    writer,
                    nanos,
                    linktype: first.linktype,
                }
            }
            FileFormat::PcapNg => {
                let section = SectionHeaderBlock {
                    endianness: Endianness::native(),
                    major_version: 1,
                    minor_version: 0,
                    section_length: -1,
                    options: vec![SectionHeaderOption::UserApplication(Cow::Borrowed(
                        "strata",
                    ))],
                };
                let writer = PcapNgWriter::with_section_header(writer, section)
                    .map_err(PcapError::from_writer)?;
                Sink::PcapNg { writer }
            }
        };
        let mut this = CaptureWriter {
            sink,
            format,
            interfaces: Vec::new(),
            frames: 0,
        };
        this.sync_interfaces(interfaces)?;
        Ok(this)
    }

    /// The output format.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// Interfaces added so far, as written (`id` is the output index; the
    /// resolution is the one actually used).
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// Adds an interface (pcapng: writes its IDB) and returns its id in the
    /// output, which is the number of interfaces added before it. The
    /// interface's own `id` is ignored.
    pub fn add_interface(&mut self, interface: &Interface) -> Result<u32, PcapError> {
        let id = u32::try_from(self.interfaces.len()).map_err(|_| PcapError::InvalidInterface {
            id: u32::MAX,
            reason: "too many interfaces".into(),
        })?;
        let mut stored = Interface {
            id,
            section: 0,
            local_id: id,
            ..interface.clone()
        };
        if let Sink::PcapNg { writer } = &mut self.sink {
            let invalid = |reason: String| PcapError::InvalidInterface { id, reason };
            let linktype = u16::try_from(interface.linktype).map_err(|_| {
                invalid(format!(
                    "link type {} does not fit pcapng's 16 bits",
                    interface.linktype
                ))
            })?;
            if interface.ts_resolution.is_finer_than_nanos() {
                stored.ts_resolution = TsResolution::NANOSECONDS;
            }
            let mut options = Vec::new();
            for (label, text, make) in [
                (
                    "name",
                    &interface.name,
                    InterfaceDescriptionOption::IfName as fn(_) -> _,
                ),
                (
                    "description",
                    &interface.description,
                    InterfaceDescriptionOption::IfDescription,
                ),
            ] {
                if let Some(text) = text {
                    if text.len() > usize::from(u16::MAX) {
                        return Err(invalid(format!("{label} longer than 65535 bytes")));
                    }
                    options.push(make(Cow::Owned(text.clone())));
                }
            }
            if stored.ts_resolution != TsResolution::MICROSECONDS {
                options.push(InterfaceDescriptionOption::IfTsResol(
                    stored.ts_resolution.if_tsresol(),
                ));
            }
            if interface.ts_offset != 0 {
                // The crate models if_tsoffset as u64; the bits are the i64's.
                options.push(InterfaceDescriptionOption::IfTsOffset(
                    interface.ts_offset as u64,
                ));
            }
            let idb = InterfaceDescriptionBlock {
                linktype: DataLink::from(u32::from(linktype)),
                snaplen: interface.snaplen,
                options,
            };
            writer
                .write_pcapng_block(idb)
                .map_err(PcapError::from_writer)?;
        }
        self.interfaces.push(stored);
        Ok(id)
    }

    /// Adds the interfaces of `all` beyond the ones already added, i.e.
    /// `all[self.interfaces().len()..]`. Meant for copying from a
    /// [`CaptureReader`](super::CaptureReader), whose list only grows.
    pub fn sync_interfaces(&mut self, all: &[Interface]) -> Result<(), PcapError> {
        for interface in all.iter().skip(self.interfaces.len()) {
            self.add_interface(interface)?;
        }
        Ok(())
    }

    /// Writes one frame. Its `interface_id` must name an added interface
    /// with the same link type.
    pub fn write_frame(&mut self, frame: &Frame<'_>) -> Result<(), PcapError> {
        let number = self.frames + 1;
        let invalid = |reason: String| PcapError::InvalidFrame {
            frame: number,
            reason,
        };
        let Some(interface) = self.interfaces.get(frame.interface_id as usize) else {
            return Err(invalid(format!(
                "interface {} has not been added (the writer has {})",
                frame.interface_id,
                self.interfaces.len()
            )));
        };
        if frame.linktype != interface.linktype {
            return Err(invalid(format!(
                "link type {} differs from interface {}'s link type {}",
                frame.linktype, frame.interface_id, interface.linktype
            )));
        }
        let caplen = match u32::try_from(frame.data.len()) {
            Ok(len) if len <= MAX_RECORD_LEN => len,
            _ => {
                return Err(invalid(format!(
                    "{} captured bytes exceed the {MAX_RECORD_LEN}-byte limit",
                    frame.data.len()
                )))
            }
        };
        // Normalise in case the public fields hold nanos >= 1e9.
        let timestamp =
            Timestamp::from_nanos(frame.timestamp.as_nanos()).unwrap_or(frame.timestamp);
        match &mut self.sink {
            Sink::Pcap {
                writer,
                nanos,
                linktype,
            } => {
                if frame.linktype != *linktype {
                    return Err(invalid(format!(
                        "a pcap file has a single link type ({linktype}), this frame's is {}; \
                         write pcapng instead",
                        frame.linktype
                    )));
                }
                let Ok(ts_sec) = u32::try_from(timestamp.secs) else {
                    return Err(invalid(format!(
                        "timestamp {timestamp} is outside pcap's range (1970 to 2106)"
                    )));
                };
                let ts_frac = if *nanos {
                    timestamp.nanos
                } else {
                    timestamp.nanos / 1000
                };
                let packet = RawPcapPacket {
                    ts_sec,
                    ts_frac,
                    incl_len: caplen,
                    orig_len: frame.orig_len,
                    data: Cow::Borrowed(frame.data),
                };
                writer
                    .write_raw_packet(&packet)
                    .map_err(PcapError::from_writer)?;
            }
            Sink::PcapNg { writer } => {
                let relative = Timestamp::from_nanos(
                    timestamp.as_nanos() - i128::from(interface.ts_offset) * 1_000_000_000,
                );
                let units = relative.and_then(|ts| interface.ts_resolution.timestamp_to_units(ts));
                let Some(units) = units else {
                    return Err(invalid(format!(
                        "timestamp {timestamp} cannot be stored with interface {}'s \
                         resolution ({}) and offset ({} s)",
                        frame.interface_id, interface.ts_resolution, interface.ts_offset
                    )));
                };
                // pcap-file writes the Duration's nanosecond count as the raw
                // EPB timestamp, whatever if_tsresol says: pass raw units.
                let epb = EnhancedPacketBlock {
                    interface_id: frame.interface_id,
                    timestamp: Duration::from_nanos(units),
                    original_len: frame.orig_len,
                    data: Cow::Borrowed(frame.data),
                    options: Vec::new(),
                };
                writer
                    .write_pcapng_block(epb)
                    .map_err(PcapError::from_writer)?;
            }
        }
        self.frames = number;
        Ok(())
    }

    /// Number of frames written so far.
    pub fn frames_written(&self) -> u64 {
        self.frames
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> Result<W, PcapError> {
        let mut writer = match self.sink {
            Sink::Pcap { writer, .. } => writer.into_writer(),
            Sink::PcapNg { writer } => writer.into_inner(),
        };
        writer
            .flush()
            .map_err(|source| PcapError::Write { source })?;
        Ok(writer)
    }
}

impl<W: Write> std::fmt::Debug for CaptureWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureWriter")
            .field("format", &self.format)
            .field("interfaces", &self.interfaces.len())
            .field("frames_written", &self.frames)
            .finish_non_exhaustive()
    }
}
