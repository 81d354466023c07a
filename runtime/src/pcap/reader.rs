//! Streaming pcap / pcapng reader.

use std::fs::File;
use std::io::{self, BufReader, ErrorKind, Read};
use std::ops::Range;
use std::path::Path;

use byteorder::{BigEndian, LittleEndian};
use pcap_file::pcap::{PcapHeader, RawPcapPacket};
use pcap_file::pcapng::RawBlock;

use super::MAX_RECORD_LEN;
use super::{FileFormat, Frame, Interface, PcapError, TimeDelta, Timestamp, TsResolution};

pub(crate) const SHB_TYPE: u32 = 0x0A0D_0D0A;
pub(crate) const IDB_TYPE: u32 = 0x0000_0001;
pub(crate) const PB_TYPE: u32 = 0x0000_0002;
pub(crate) const SPB_TYPE: u32 = 0x0000_0003;
pub(crate) const EPB_TYPE: u32 = 0x0000_0006;

const PCAP_HEADER_LEN: usize = 24;
const PCAP_RECORD_HEADER_LEN: usize = 16;
/// Type + length + trailer.
const BLOCK_OVERHEAD: usize = 12;
/// Block overhead + byte-order magic + version + section length.
const MIN_SHB_LEN: u32 = 28;
/// Upper bound on memory spent on interface descriptions, so that a file
/// made of millions of IDBs cannot exhaust memory either.
const MAX_INTERFACE_BYTES: usize = 16 * 1024 * 1024;
/// Reads grow the record buffer by at most this much beyond what the file
/// has actually delivered, so a truncated file claiming a big record costs
/// no more memory than the bytes it really contains.
const READ_CHUNK: usize = 64 * 1024;

/// Streaming reader for pcap and pcapng files.
///
/// Frames are returned one at a time by [`next_frame`](Self::next_frame);
/// memory use is one buffer the size of the largest record seen, plus the
/// interface list. `R` is read in small pieces, so pass a buffered reader
/// ([`open`](Self::open) does).
///
/// After an error the position in the stream is unknown, so the reader
/// stops: every later call returns `None`.
///
/// Why not `pcap-file`'s own `PcapReader` / `PcapNgReader` (2.0.0)? They
/// reject valid captures (a pcap record longer than the header's snaplen or
/// with `orig_len > snaplen`, pcapng `if_tzone`, option lists without
/// `opt_endofopt`, non-UTF-8 names), read pcapng Enhanced Packet timestamps
/// as nanoseconds whatever `if_tsresol` says, swap the timestamp halves of
/// little-endian obsolete Packet Blocks, keep padding in Simple Packet data,
/// allocate 8 MB per reader, and report both a truncated file and an absurd
/// length as a bare "unexpected EOF" (after buffering up to 8 MB) with no
/// position. This reader does its own framing and bounds checks and uses
/// the crate's slice parsers for the pcap header and records and for pcapng
/// block framing.
pub struct CaptureReader<R> {
    inner: R,
    format: FileFormat,
    interfaces: Vec<Interface>,
    interface_bytes: usize,
    /// Current record or block, header included.
    buf: Vec<u8>,
    /// Bytes consumed from `inner`.
    offset: u64,
    /// Frames returned so far.
    frames: u64,
    done: bool,
    ng: NgState,
}

#[derive(Default)]
struct NgState {
    big_endian: bool,
    /// Sections seen (the current one is `sections - 1`).
    sections: u32,
    /// Index in `interfaces` of the current section's interface 0.
    section_first: usize,
    /// A block read ahead by `new` (which pre-reads the leading IDBs so that
    /// `interfaces()` is complete for typical files), not yet processed.
    pending: Option<BlockInfo>,
    /// An error hit while reading ahead, reported by the next `next_frame`.
    pending_err: Option<PcapError>,
}

#[derive(Clone, Copy, Debug)]
struct BlockInfo {
    block_type: u32,
    offset: u64,
    len: usize,
}

struct FrameMeta {
    interface: usize,
    timestamp: Timestamp,
    orig_len: u32,
    data: Range<usize>,
}

impl CaptureReader<BufReader<File>> {
    /// Opens a capture file (buffered).
    pub fn open<P: AsRef<Path>>(path: P) -> Result<Self, PcapError> {
        let file = File::open(path).map_err(|source| PcapError::Io { offset: 0, source })?;
        CaptureReader::new(BufReader::with_capacity(256 * 1024, file))
    }
}

impl<R: Read> CaptureReader<R> {
    /// Reads the file header and detects the format. For pcapng, the
    /// Interface Description Blocks that directly follow the first section
    /// header are read too, so [`interfaces`](Self::interfaces) is complete
    /// unless more interfaces are declared later in the file.
    pub fn new(reader: R) -> Result<Self, PcapError> {
        let mut this = CaptureReader {
            inner: reader,
            format: FileFormat::PcapNg,
            interfaces: Vec::new(),
            interface_bytes: 0,
            buf: Vec::new(),
            offset: 0,
            frames: 0,
            done: false,
            ng: NgState::default(),
        };
        let mut magic = [0u8; 4];
        let got = this.fill(&mut magic, 0)?;
        if got < magic.len() {
            return Err(this.truncated("file header", 0, got, magic.len()));
        }
        let (nanos, big_endian) = match u32::from_be_bytes(magic) {
            0xA1B2_C3D4 => (false, true),
            0xA1B2_3C4D => (true, true),
            0xD4C3_B2A1 => (false, false),
            0x4D3C_B2A1 => (true, false),
            SHB_TYPE => {
                this.start_pcapng(magic)?;
                return Ok(this);
            }
            magic => return Err(PcapError::UnknownFormat { magic }),
        };
        this.format = FileFormat::Pcap { nanos, big_endian };
        this.buf.extend_from_slice(&magic);
        this.read_to(PCAP_HEADER_LEN, "pcap file header", 0)?;
        let header = match PcapHeader::from_slice(&this.buf) {
            Ok((_, header)) => header,
            Err(e) => return Err(this.malformed("pcap file header", 0, e.to_string())),
        };
        this.interfaces.push(Interface {
            // LT_LINKTYPE(): the upper bits are FCS / reserved flags.
            linktype: u32::from(header.datalink) & 0xFFFF,
            link_flags: u32::from(header.datalink) & 0xFFFF_0000,
            snaplen: header.snaplen,
            ts_resolution: if nanos {
                TsResolution::NANOSECONDS
            } else {
                TsResolution::MICROSECONDS
            },
            ..Interface::new(0, 0)
        });
        Ok(this)
    }

    /// The detected file format.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// Interfaces declared so far. pcap has exactly one; for pcapng the list
    /// grows as Interface Description Blocks are read (sections append, they
    /// do not replace: see [`Interface::id`]).
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// Number of frames returned so far.
    pub fn frames_read(&self) -> u64 {
        self.frames
    }

    /// Bytes consumed from the underlying reader so far.
    pub fn byte_offset(&self) -> u64 {
        self.offset
    }

    /// Capacity of the record buffer (for tests of memory bounds).
    #[cfg(test)]
    pub(crate) fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Gives back the underlying reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The next frame, skipping non-packet blocks; `None` at the end of the
    /// file or after an error.
    pub fn next_frame(&mut self) -> Option<Result<Frame<'_>, PcapError>> {
        self.next_frame_with_interfaces()
            .map(|res| res.map(|(frame, _)| frame))
    }

    /// Like [`next_frame`](Self::next_frame), but also lends the interface
    /// list as it stands after this frame. A frame borrows the reader, so
    /// this is the way to see interfaces declared mid-file while holding the
    /// frame (e.g. to pass them to [`CaptureWriter::sync_interfaces`](super::CaptureWriter::sync_interfaces)).
    #[allow(clippy::type_complexity)]
    pub fn next_frame_with_interfaces(
        &mut self,
    ) -> Option<Result<(Frame<'_>, &[Interface]), PcapError>> {
        if self.done {
            return None;
        }
        let next = match self.format {
            FileFormat::Pcap { nanos, big_endian } => self.next_pcap(nanos, big_endian),
            FileFormat::PcapNg => self.next_pcapng(),
        };
        let meta = match next {
            Ok(Some(meta)) => meta,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        self.frames += 1;
        let (Some(iface), Some(data)) =
            (self.interfaces.get(meta.interface), self.buf.get(meta.data))
        else {
            // Unreachable: the parsers check both. Fail softly regardless.
            self.done = true;
            let offset = self.offset;
            return Some(Err(self.malformed(
                "record",
                offset,
                "internal bounds error".into(),
            )));
        };
        let frame = Frame {
            interface_id: iface.id,
            linktype: iface.linktype,
            timestamp: meta.timestamp,
            orig_len: meta.orig_len,
            data,
        };
        Some(Ok((frame, &self.interfaces)))
    }

    // ---- classic pcap ------------------------------------------------

    fn next_pcap(&mut self, nanos: bool, big_endian: bool) -> Result<Option<FrameMeta>, PcapError> {
        let start = self.offset;
        self.buf.clear();
        if self.read_to(PCAP_RECORD_HEADER_LEN, "pcap record header", start)? == 0 {
            return Ok(None);
        }
        let incl_len = read_u32(&self.buf[8..12], big_endian);
        if incl_len > MAX_RECORD_LEN {
            return Err(self.too_large("pcap record", start, incl_len));
        }
        let total = PCAP_RECORD_HEADER_LEN + incl_len as usize;
        self.read_to(total, "pcap record data", start)?;
        let parsed = if big_endian {
            RawPcapPacket::from_slice::<BigEndian>(&self.buf)
        } else {
            RawPcapPacket::from_slice::<LittleEndian>(&self.buf)
        };
        let raw = match parsed {
            Ok((_, raw)) => raw,
            Err(e) => return Err(self.malformed("pcap record", start, e.to_string())),
        };
        // The fraction is not range-checked by libpcap or Wireshark; carry an
        // out-of-range one into the seconds rather than reject the file.
        let frac_nanos = if nanos {
            i128::from(raw.ts_frac)
        } else {
            i128::from(raw.ts_frac) * 1000
        };
        let nanos_total = i128::from(raw.ts_sec) * 1_000_000_000 + frac_nanos;
        let timestamp = Timestamp::from_nanos(nanos_total).unwrap_or_default();
        Ok(Some(FrameMeta {
            interface: 0,
            timestamp,
            orig_len: raw.orig_len,
            data: PCAP_RECORD_HEADER_LEN..total,
        }))
    }

    // ---- pcapng ------------------------------------------------------

    fn start_pcapng(&mut self, first_type: [u8; 4]) -> Result<(), PcapError> {
        self.format = FileFormat::PcapNg;
        let info = self.read_block_rest(0, first_type)?;
        self.process_block(info)?;
        // Read ahead through the leading IDBs.
        loop {
            match self.read_block() {
                Ok(Some(info)) if info.block_type == IDB_TYPE => {
                    if let Err(e) = self.process_block(info) {
                        self.ng.pending_err = Some(e);
                        break;
                    }
                }
                Ok(Some(info)) => {
                    self.ng.pending = Some(info);
                    break;
                }
                Ok(None) => break,
                Err(e) => {
                    self.ng.pending_err = Some(e);
                    break;
                }
            }
        }
        Ok(())
    }

    fn next_pcapng(&mut self) -> Result<Option<FrameMeta>, PcapError> {
        if let Some(e) = self.ng.pending_err.take() {
            return Err(e);
        }
        loop {
            let info = match self.ng.pending.take() {
                Some(info) => info,
                None => match self.read_block()? {
                    Some(info) => info,
                    None => return Ok(None),
                },
            };
            if let Some(meta) = self.process_block(info)? {
                return Ok(Some(meta));
            }
        }
    }

    /// Reads the next block into `buf`; `None` at a clean end of file.
    fn read_block(&mut self) -> Result<Option<BlockInfo>, PcapError> {
        let start = self.offset;
        let mut block_type = [0u8; 4];
        let got = self.fill(&mut block_type, start)?;
        match got {
            0 => Ok(None),
            4 => self.read_block_rest(start, block_type).map(Some),
            _ => Err(self.truncated("pcapng block header", start, got, 8)),
        }
    }

    /// Reads the rest of a block whose 4 type bytes have been consumed.
    fn read_block_rest(&mut self, start: u64, block_type: [u8; 4]) -> Result<BlockInfo, PcapError> {
        self.buf.clear();
        self.buf.extend_from_slice(&block_type);
        let is_shb = u32::from_be_bytes(block_type) == SHB_TYPE; // a palindrome
        let head_len = if is_shb { 12 } else { 8 };
        let what = if is_shb {
            "pcapng section header block"
        } else {
            "pcapng block header"
        };
        self.read_to(head_len, what, start)?;
        let big_endian = if is_shb {
            // The byte-order magic after the length tells how to read it.
            match self.buf[8..12] {
                [0x1A, 0x2B, 0x3C, 0x4D] => true,
                [0x4D, 0x3C, 0x2B, 0x1A] => false,
                ref other => {
                    let reason = format!("bad byte-order magic {other:02x?}");
                    return Err(self.malformed("pcapng section header block", start, reason));
                }
            }
        } else {
            self.ng.big_endian
        };
        let block_type = read_u32(&self.buf[0..4], big_endian);
        let len = read_u32(&self.buf[4..8], big_endian);
        let min = if is_shb {
            MIN_SHB_LEN
        } else {
            BLOCK_OVERHEAD as u32
        };
        if len < min {
            let reason = format!("block length {len} is below the {min}-byte minimum");
            return Err(self.malformed("pcapng block", start, reason));
        }
        if !len.is_multiple_of(4) {
            let reason = format!("block length {len} is not a multiple of 4");
            return Err(self.malformed("pcapng block", start, reason));
        }
        if len > MAX_RECORD_LEN {
            return Err(self.too_large("pcapng block", start, len));
        }
        self.read_to(len as usize, "pcapng block", start)?;
        // Let pcap-file check the framing (length rules, trailer).
        let framed = if big_endian {
            RawBlock::from_slice::<BigEndian>(&self.buf).map(|_| ())
        } else {
            RawBlock::from_slice::<LittleEndian>(&self.buf).map(|_| ())
        };
        if let Err(e) = framed {
            return Err(self.malformed("pcapng block", start, e.to_string()));
        }
        Ok(BlockInfo {
            block_type,
            offset: start,
            len: len as usize,
        })
    }

    /// Acts on the block in `buf`; returns a frame for packet blocks.
    fn process_block(&mut self, info: BlockInfo) -> Result<Option<FrameMeta>, PcapError> {
        let body = 8..info.len - 4;
        match info.block_type {
            SHB_TYPE => self.process_shb(info, body).map(|()| None),
            IDB_TYPE => self.process_idb(info, body).map(|()| None),
            EPB_TYPE => self.process_epb(info, body).map(Some),
            PB_TYPE => self.process_pb(info, body).map(Some),
            SPB_TYPE => self.process_spb(info, body).map(Some),
            // NRB, ISB, DSB, custom and unknown blocks carry no packets.
            _ => Ok(None),
        }
    }

    fn process_shb(&mut self, info: BlockInfo, body: Range<usize>) -> Result<(), PcapError> {
        let body = &self.buf[body];
        let big_endian = body[0..4] == [0x1A, 0x2B, 0x3C, 0x4D];
        let major = read_u16(&body[4..6], big_endian);
        let minor = read_u16(&body[6..8], big_endian);
        if major != 1 {
            let reason = format!("unsupported pcapng version {major}.{minor}");
            return Err(self.malformed("pcapng section header block", info.offset, reason));
        }
        self.ng.big_endian = big_endian;
        self.ng.sections += 1;
        self.ng.section_first = self.interfaces.len();
        Ok(())
    }

    fn process_idb(&mut self, info: BlockInfo, body: Range<usize>) -> Result<(), PcapError> {
        const WHAT: &str = "pcapng interface description block";
        let be = self.ng.big_endian;
        let body = &self.buf[body];
        if body.len() < 8 {
            return Err(self.malformed(WHAT, info.offset, "body shorter than 8 bytes".into()));
        }
        let linktype = u32::from(read_u16(&body[0..2], be));
        let snaplen = read_u32(&body[4..8], be);
        let mut name = None;
        let mut description = None;
        let mut ts_resolution = TsResolution::MICROSECONDS;
        let mut ts_offset = 0;
        for (code, value) in Options::new(&body[8..], be) {
            match code {
                2 => name = Some(String::from_utf8_lossy(value).into_owned()),
                3 => description = Some(String::from_utf8_lossy(value).into_owned()),
                9 if !value.is_empty() => ts_resolution = TsResolution::from_if_tsresol(value[0]),
                14 if value.len() == 8 => ts_offset = read_u64(value, be) as i64,
                _ => {}
            }
        }
        let cost = std::mem::size_of::<Interface>()
            + name.as_ref().map_or(0, String::len)
            + description.as_ref().map_or(0, String::len);
        self.interface_bytes += cost;
        if self.interface_bytes > MAX_INTERFACE_BYTES {
            let reason = format!(
                "too many interfaces ({} so far, over {MAX_INTERFACE_BYTES} bytes of descriptions)",
                self.interfaces.len()
            );
            return Err(self.malformed(WHAT, info.offset, reason));
        }
        let id = self.interfaces.len() as u32;
        let local_id = (self.interfaces.len() - self.ng.section_first) as u32;
        self.interfaces.push(Interface {
            id,
            section: self.ng.sections.saturating_sub(1),
            local_id,
            linktype,
            link_flags: 0,
            snaplen,
            name,
            description,
            ts_resolution,
            ts_offset,
        });
        Ok(())
    }

    fn process_epb(&mut self, info: BlockInfo, body: Range<usize>) -> Result<FrameMeta, PcapError> {
        const WHAT: &str = "pcapng enhanced packet block";
        let be = self.ng.big_endian;
        let b = &self.buf[body.clone()];
        if b.len() < 20 {
            return Err(self.malformed(WHAT, info.offset, "body shorter than 20 bytes".into()));
        }
        let local = read_u32(&b[0..4], be);
        let units = u64::from(read_u32(&b[4..8], be)) << 32 | u64::from(read_u32(&b[8..12], be));
        let caplen = read_u32(&b[12..16], be);
        let orig_len = read_u32(&b[16..20], be);
        self.packet_meta(
            WHAT,
            info,
            body.start + 20..body.end,
            local,
            units,
            caplen,
            orig_len,
        )
    }

    fn process_pb(&mut self, info: BlockInfo, body: Range<usize>) -> Result<FrameMeta, PcapError> {
        const WHAT: &str = "pcapng packet block";
        let be = self.ng.big_endian;
        let b = &self.buf[body.clone()];
        if b.len() < 20 {
            return Err(self.malformed(WHAT, info.offset, "body shorter than 20 bytes".into()));
        }
        let local = u32::from(read_u16(&b[0..2], be));
        // Like the EPB: two 32-bit words, high first, each in section order.
        let units = u64::from(read_u32(&b[4..8], be)) << 32 | u64::from(read_u32(&b[8..12], be));
        let caplen = read_u32(&b[12..16], be);
        let orig_len = read_u32(&b[16..20], be);
        self.packet_meta(
            WHAT,
            info,
            body.start + 20..body.end,
            local,
            units,
            caplen,
            orig_len,
        )
    }

    fn process_spb(&mut self, info: BlockInfo, body: Range<usize>) -> Result<FrameMeta, PcapError> {
        const WHAT: &str = "pcapng simple packet block";
        let be = self.ng.big_endian;
        let b = &self.buf[body.clone()];
        if b.len() < 4 {
            return Err(self.malformed(WHAT, info.offset, "body shorter than 4 bytes".into()));
        }
        let orig_len = read_u32(&b[0..4], be);
        let Some(iface) = self.interfaces.get(self.ng.section_first) else {
            let reason = "no interface declared in this section".to_string();
            return Err(self.malformed(WHAT, info.offset, reason));
        };
        // The captured length is implicit: the packet, cut to the snaplen,
        // followed by padding to 32 bits.
        let mut caplen = orig_len.min((b.len() - 4) as u32);
        if iface.snaplen != 0 {
            caplen = caplen.min(iface.snaplen);
        }
        let data = body.start + 4..body.start + 4 + caplen as usize;
        // An SPB has no timestamp (tshark shows none); report the epoch.
        Ok(FrameMeta {
            interface: self.ng.section_first,
            timestamp: Timestamp::UNIX_EPOCH,
            orig_len,
            data,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn packet_meta(
        &self,
        what: &'static str,
        info: BlockInfo,
        rest: Range<usize>,
        local: u32,
        units: u64,
        caplen: u32,
        orig_len: u32,
    ) -> Result<FrameMeta, PcapError> {
        let in_section = self.interfaces.len() - self.ng.section_first;
        if local as usize >= in_section {
            let reason = format!(
                "packet refers to interface {local}, but its section declares {in_section}"
            );
            return Err(self.malformed(what, info.offset, reason));
        }
        if caplen as usize > rest.len() {
            let reason = format!(
                "captured length {caplen} exceeds the {} bytes left in the block",
                rest.len()
            );
            return Err(self.malformed(what, info.offset, reason));
        }
        let interface = self.ng.section_first + local as usize;
        let iface = &self.interfaces[interface];
        let timestamp = iface
            .ts_resolution
            .units_to_timestamp(units)
            .and_then(|ts| {
                ts.checked_add(TimeDelta::from_nanos(
                    i128::from(iface.ts_offset) * 1_000_000_000,
                ))
            });
        let Some(timestamp) = timestamp else {
            let reason = format!(
                "timestamp {units} (offset {} s) is out of range",
                iface.ts_offset
            );
            return Err(self.malformed(what, info.offset, reason));
        };
        Ok(FrameMeta {
            interface,
            timestamp,
            orig_len,
            data: rest.start..rest.start + caplen as usize,
        })
    }

    // ---- I/O helpers ---------------------------------------------------

    /// Reads into `dst` until it is full or the input ends; returns the
    /// byte count. `record` is the offset reported on I/O errors.
    fn fill(&mut self, dst: &mut [u8], record: u64) -> Result<usize, PcapError> {
        let got = fill(&mut self.inner, dst).map_err(|source| PcapError::Io {
            offset: record,
            source,
        })?;
        self.offset += got as u64;
        Ok(got)
    }

    /// Extends `buf` to `total` bytes from the input. Returns 0 (leaving
    /// `buf` unchanged) if the input was already at its end and `buf` empty,
    /// `total` on success, and a truncation error otherwise.
    fn read_to(
        &mut self,
        total: usize,
        what: &'static str,
        start: u64,
    ) -> Result<usize, PcapError> {
        let initial = self.buf.len();
        while self.buf.len() < total {
            let have = self.buf.len();
            // Grow geometrically with what has actually arrived, never by
            // the (possibly bogus) claimed length all at once.
            let chunk = (total - have).min(have.max(READ_CHUNK));
            self.buf.resize(have + chunk, 0);
            let got =
                fill(&mut self.inner, &mut self.buf[have..]).map_err(|source| PcapError::Io {
                    offset: start,
                    source,
                });
            let got = match got {
                Ok(got) => got,
                Err(e) => {
                    self.buf.truncate(have);
                    return Err(e);
                }
            };
            self.offset += got as u64;
            self.buf.truncate(have + got);
            if got < chunk {
                if self.buf.is_empty() && initial == 0 {
                    return Ok(0);
                }
                let got = self.buf.len();
                return Err(self.truncated(what, start, got, total));
            }
        }
        Ok(total)
    }

    fn truncated(&self, what: &'static str, offset: u64, got: usize, needed: usize) -> PcapError {
        PcapError::Truncated {
            what,
            offset,
            frame: self.frames + 1,
            got: got as u64,
            needed: needed as u64,
        }
    }

    fn too_large(&self, what: &'static str, offset: u64, len: u32) -> PcapError {
        PcapError::TooLarge {
            what,
            offset,
            frame: self.frames + 1,
            len: u64::from(len),
            max: u64::from(MAX_RECORD_LEN),
        }
    }

    fn malformed(&self, what: &'static str, offset: u64, reason: String) -> PcapError {
        PcapError::Malformed {
            what,
            offset,
            frame: self.frames + 1,
            reason,
        }
    }
}

impl<R> std::fmt::Debug for CaptureReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureReader")
            .field("format", &self.format)
            .field("interfaces", &self.interfaces.len())
            .field("frames_read", &self.frames)
            .field("byte_offset", &self.offset)
            .finish_non_exhaustive()
    }
}

/// `read_exact` that reports how much it got instead of failing at EOF.
fn fill<R: Read>(reader: &mut R, dst: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < dst.len() {
        match reader.read(&mut dst[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

fn read_u16(b: &[u8], big_endian: bool) -> u16 {
    let b = [b[0], b[1]];
    if big_endian {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    }
}

fn read_u32(b: &[u8], big_endian: bool) -> u32 {
    let b = [b[0], b[1], b[2], b[3]];
    if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    }
}

fn read_u64(b: &[u8], big_endian: bool) -> u64 {
    let b = [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]];
    if big_endian {
        u64::from_be_bytes(b)
    } else {
        u64::from_le_bytes(b)
    }
}

/// Tolerant walk over a pcapng option list: stops at `opt_endofopt`, at the
/// end of the data (the end marker is optional in practice), or at an
/// option that overruns the block (ignored rather than failing the block,
/// as only a few options matter here).
struct Options<'a> {
    rest: &'a [u8],
    big_endian: bool,
}

impl<'a> Options<'a> {
    fn new(rest: &'a [u8], big_endian: bool) -> Self {
        Options { rest, big_endian }
    }
}

impl<'a> Iterator for Options<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.len() < 4 {
            return None;
        }
        let code = read_u16(&self.rest[0..2], self.big_endian);
        let len = usize::from(read_u16(&self.rest[2..4], self.big_endian));
        let value = match self.rest.get(4..4 + len) {
            Some(value) if code != 0 => value,
            // opt_endofopt, or an option running past the block.
            _ => {
                self.rest = &[];
                return None;
            }
        };
        let padded = (len + 3) & !3;
        self.rest = self.rest.get(4 + padded..).unwrap_or(&[]);
        Some((code, value))
    }
}
