//! Tests of the capture-file layer.
//!
//! Test data (testdata/), copied from /work/shared/captures (MANIFEST.tsv):
//! * `zeek__pcapng-multi-interface.pcapng`: repository zeek/zeek, commit
//!   a13de64fbbdb, path testing/btest/Traces/pcapng-multi-interface.pcapng
//!   (BSD-3-Clause). Two Ethernet interfaces, one with ns, one with µs
//!   resolution.
//! * `tcpdump__tcp-handshake-nano.pcap`: repository the-tcpdump-group/tcpdump,
//!   commit 39b50f76672b, path tests/tcp-handshake-nano.pcap (BSD-3-Clause).
//!   Little-endian nanosecond pcap, Linux SLL.
//!
//! Expected values marked "tshark" were produced with
//! `tshark -r FILE -T fields -e frame.time_epoch -e frame.section_number -e frame.interface_id`
//! (TShark 4.0.17).

use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use proptest::prelude::*;

use super::*;

const MULTI_IFACE: &[u8] = include_bytes!("testdata/zeek__pcapng-multi-interface.pcapng");
const HANDSHAKE_NANO: &[u8] = include_bytes!("testdata/tcpdump__tcp-handshake-nano.pcap");

// ---- helpers -------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
struct Owned {
    interface_id: u32,
    linktype: u32,
    timestamp: Timestamp,
    orig_len: u32,
    data: Vec<u8>,
}

impl Owned {
    fn new(interface_id: u32, linktype: u32, ts: (i64, u32), orig_len: u32, data: &[u8]) -> Self {
        Owned {
            interface_id,
            linktype,
            timestamp: Timestamp::new(ts.0, ts.1).unwrap(),
            orig_len,
            data: data.to_vec(),
        }
    }

    fn frame(&self) -> Frame<'_> {
        Frame {
            interface_id: self.interface_id,
            linktype: self.linktype,
            timestamp: self.timestamp,
            orig_len: self.orig_len,
            data: &self.data,
        }
    }
}

impl From<Frame<'_>> for Owned {
    fn from(f: Frame<'_>) -> Self {
        Owned {
            interface_id: f.interface_id,
            linktype: f.linktype,
            timestamp: f.timestamp,
            orig_len: f.orig_len,
            data: f.data.to_vec(),
        }
    }
}

struct Capture {
    format: FileFormat,
    interfaces: Vec<Interface>,
    frames: Vec<Owned>,
}

fn read_all(bytes: &[u8]) -> Result<Capture, PcapError> {
    let mut reader = CaptureReader::new(bytes)?;
    let mut frames = Vec::new();
    while let Some(frame) = reader.next_frame() {
        frames.push(Owned::from(frame?));
    }
    Ok(Capture {
        format: reader.format(),
        interfaces: reader.interfaces().to_vec(),
        frames,
    })
}

fn write_all(format: FileFormat, interfaces: &[Interface], frames: &[Owned]) -> Vec<u8> {
    let mut writer = CaptureWriter::new(Vec::new(), format, interfaces).unwrap();
    for f in frames {
        writer.write_frame(&f.frame()).unwrap();
    }
    writer.finish().unwrap()
}

/// Copies a capture the way a tool would: streaming, picking up interfaces
/// declared mid-file.
fn copy(bytes: &[u8], format: Option<FileFormat>) -> Vec<u8> {
    let mut reader = CaptureReader::new(bytes).unwrap();
    let format = format.unwrap_or(reader.format());
    let mut writer = CaptureWriter::new(Vec::new(), format, reader.interfaces()).unwrap();
    while let Some(next) = reader.next_frame_with_interfaces() {
        let (frame, interfaces) = next.unwrap();
        writer.sync_interfaces(interfaces).unwrap();
        writer.write_frame(&frame).unwrap();
    }
    writer.finish().unwrap()
}

fn read_err(bytes: &[u8]) -> PcapError {
    let mut reader = match CaptureReader::new(bytes) {
        Ok(reader) => reader,
        Err(e) => return e,
    };
    loop {
        match reader.next_frame() {
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                assert!(
                    reader.next_frame().is_none(),
                    "reader must stop after an error"
                );
                return e;
            }
            None => panic!("expected an error"),
        }
    }
}

fn put16(out: &mut Vec<u8>, v: u16, be: bool) {
    out.extend(if be { v.to_be_bytes() } else { v.to_le_bytes() });
}

fn put32(out: &mut Vec<u8>, v: u32, be: bool) {
    out.extend(if be { v.to_be_bytes() } else { v.to_le_bytes() });
}

fn pcap_header(be: bool, nanos: bool, snaplen: u32, linktype: u32) -> Vec<u8> {
    let mut out = Vec::new();
    put32(&mut out, if nanos { 0xA1B2_3C4D } else { 0xA1B2_C3D4 }, be);
    put16(&mut out, 2, be);
    put16(&mut out, 4, be);
    put32(&mut out, 0, be);
    put32(&mut out, 0, be);
    put32(&mut out, snaplen, be);
    put32(&mut out, linktype, be);
    out
}

fn pcap_record(
    out: &mut Vec<u8>,
    be: bool,
    sec: u32,
    frac: u32,
    incl: u32,
    orig: u32,
    data: &[u8],
) {
    put32(out, sec, be);
    put32(out, frac, be);
    put32(out, incl, be);
    put32(out, orig, be);
    out.extend_from_slice(data);
}

/// Hand-rolled pcapng, to exercise what our writer never produces.
struct Ng {
    be: bool,
    out: Vec<u8>,
}

impl Ng {
    fn new(be: bool) -> Ng {
        let mut ng = Ng {
            be,
            out: Vec::new(),
        };
        ng.shb(be);
        ng
    }

    fn shb(&mut self, be: bool) {
        self.be = be;
        let mut body = Vec::new();
        put32(&mut body, 0x1A2B_3C4D, be);
        put16(&mut body, 1, be);
        put16(&mut body, 0, be);
        body.extend(if be {
            (-1i64).to_be_bytes()
        } else {
            (-1i64).to_le_bytes()
        });
        self.block(0x0A0D_0D0A, &body);
    }

    fn block(&mut self, block_type: u32, body: &[u8]) {
        let padded = (body.len() + 3) & !3;
        let len = (12 + padded) as u32;
        put32(&mut self.out, block_type, self.be);
        put32(&mut self.out, len, self.be);
        self.out.extend_from_slice(body);
        self.out.resize(self.out.len() + padded - body.len(), 0);
        put32(&mut self.out, len, self.be);
    }

    fn options(&self, opts: &[(u16, &[u8])], end: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for (code, value) in opts {
            put16(&mut out, *code, self.be);
            put16(&mut out, value.len() as u16, self.be);
            out.extend_from_slice(value);
            out.resize((out.len() + 3) & !3, 0);
        }
        if end && !opts.is_empty() {
            out.extend([0; 4]);
        }
        out
    }

    fn idb(&mut self, linktype: u16, snaplen: u32, opts: &[(u16, &[u8])]) {
        self.idb_with(linktype, snaplen, opts, true);
    }

    fn idb_with(&mut self, linktype: u16, snaplen: u32, opts: &[(u16, &[u8])], end: bool) {
        let mut body = Vec::new();
        put16(&mut body, linktype, self.be);
        put16(&mut body, 0, self.be);
        put32(&mut body, snaplen, self.be);
        body.extend(self.options(opts, end));
        self.block(1, &body);
    }

    fn epb(&mut self, iface: u32, units: u64, orig: u32, data: &[u8]) {
        self.epb_opts(iface, units, orig, data, &[]);
    }

    fn epb_opts(&mut self, iface: u32, units: u64, orig: u32, data: &[u8], opts: &[(u16, &[u8])]) {
        let mut body = Vec::new();
        put32(&mut body, iface, self.be);
        put32(&mut body, (units >> 32) as u32, self.be);
        put32(&mut body, units as u32, self.be);
        put32(&mut body, data.len() as u32, self.be);
        put32(&mut body, orig, self.be);
        body.extend_from_slice(data);
        body.resize((body.len() + 3) & !3, 0);
        body.extend(self.options(opts, true));
        self.block(6, &body);
    }

    fn pb(&mut self, iface: u16, units: u64, orig: u32, data: &[u8]) {
        let mut body = Vec::new();
        put16(&mut body, iface, self.be);
        put16(&mut body, 0, self.be);
        put32(&mut body, (units >> 32) as u32, self.be);
        put32(&mut body, units as u32, self.be);
        put32(&mut body, data.len() as u32, self.be);
        put32(&mut body, orig, self.be);
        body.extend_from_slice(data);
        self.block(2, &body);
    }

    fn spb(&mut self, orig: u32, data: &[u8]) {
        let mut body = Vec::new();
        put32(&mut body, orig, self.be);
        body.extend_from_slice(data);
        self.block(3, &body);
    }
}

fn ts(secs: i64, nanos: u32) -> Timestamp {
    Timestamp::new(secs, nanos).unwrap()
}

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn temp_path(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("strata-pcap-{}-{n}-{name}", std::process::id()))
}

/// Per frame: time_epoch, section_number, interface_id, len, cap_len.
fn tshark_fields(path: &Path) -> Vec<[String; 5]> {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(path)
        .args(["-T", "fields", "-E", "separator=/t"])
        .args(["-e", "frame.time_epoch", "-e", "frame.section_number"])
        .args([
            "-e",
            "frame.interface_id",
            "-e",
            "frame.len",
            "-e",
            "frame.cap_len",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tshark rejected {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut cols = line.split('\t').map(str::to_string);
            std::array::from_fn(|_| cols.next().unwrap_or_default())
        })
        .collect()
}

/// Checks that tshark reads `bytes` exactly as we do.
fn assert_tshark_agrees(bytes: &[u8], name: &str) {
    let path = temp_path(name);
    std::fs::write(&path, bytes).unwrap();
    let rows = tshark_fields(&path);
    std::fs::remove_file(&path).ok();
    let ours = read_all(bytes).unwrap();
    assert_eq!(rows.len(), ours.frames.len(), "{name}: frame count");
    for (i, (row, frame)) in rows.iter().zip(&ours.frames).enumerate() {
        let iface = &ours.interfaces[frame.interface_id as usize];
        // tshark shows no time for Simple Packet Blocks; we report the epoch.
        let time = if row[0].is_empty() && frame.timestamp == Timestamp::UNIX_EPOCH {
            String::new()
        } else {
            frame.timestamp.to_string()
        };
        let expected = [
            time,
            if ours.format == FileFormat::PcapNg {
                (iface.section + 1).to_string()
            } else {
                String::new()
            },
            if ours.format == FileFormat::PcapNg {
                iface.local_id.to_string()
            } else {
                String::new()
            },
            frame.orig_len.to_string(),
            frame.data.len().to_string(),
        ];
        assert_eq!(row, &expected, "{name}: frame {}", i + 1);
    }
}

// ---- timestamps --------------------------------------------------------------

#[test]
fn timestamp_helpers() {
    let a = ts(1_700_000_000, 123_456_789);
    assert_eq!(a.to_string(), "1700000000.123456789");
    assert_eq!(format!("{a:.6}"), "1700000000.123456");
    assert_eq!(format!("{a:.0}"), "1700000000");
    assert_eq!(format!("{:>14.3}", ts(1, 5)), "         1.000");
    assert_eq!(format!("{:<6}|", TimeDelta::from_nanos(0)), "0.000000000|");
    assert_eq!(ts(0, 5).to_string(), "0.000000005");
    assert!((a.as_secs_f64() - 1_700_000_000.123_456_8).abs() < 1e-6);

    let b = ts(1_700_000_001, 0);
    let d = b - a;
    assert_eq!(d.as_nanos(), 876_543_211);
    assert_eq!(d.to_string(), "0.876543211");
    assert_eq!((a - b).to_string(), "-0.876543211");
    assert_eq!((a - b).as_nanos(), -876_543_211);
    assert!(((a - b).as_secs_f64() + 0.876_543_211).abs() < 1e-12);
    assert_eq!(a.checked_add(d), Some(b));

    let neg = Timestamp::from_nanos(-250_000_000).unwrap();
    assert_eq!(
        neg,
        Timestamp {
            secs: -1,
            nanos: 750_000_000
        }
    );
    assert_eq!(neg.to_string(), "-0.250000000");
    assert!(neg < Timestamp::UNIX_EPOCH);
    assert_eq!(Timestamp::new(0, 1_000_000_000), None);
    assert_eq!(Timestamp::from_nanos(i128::MAX), None);
    let extreme = Timestamp {
        secs: i64::MIN,
        nanos: 0,
    };
    let _ = extreme
        - Timestamp {
            secs: i64::MAX,
            nanos: 999_999_999,
        };
}

#[test]
fn ts_resolution_conversions() {
    let r = TsResolution::from_if_tsresol;
    // Values checked against tshark on files with these if_tsresol.
    let cases: &[(u8, u64, &str)] = &[
        (6, 1_700_000_000_123_456, "1700000000.123456000"),
        (9, 1_700_000_000_123_456_789, "1700000000.123456789"),
        (3, 1_700_000_000_123, "1700000000.123000000"),
        (0, 1_700_000_000, "1700000000.000000000"),
        (12, 1_700_000_000_123_456_789, "1700000.000123456"),
        (
            0x80 | 20,
            (1_700_000_000 << 20) + 123_457,
            "1700000000.117737770",
        ),
        (
            0x80 | 20,
            (1_700_000_000 << 20) + 123_458,
            "1700000000.117738723",
        ),
        (
            0x80 | 32,
            (1_700_000 << 32) + 3_000_000_001,
            "1700000.698491931",
        ),
    ];
    for &(code, units, text) in cases {
        let t = r(code).units_to_timestamp(units).unwrap();
        assert_eq!(t.to_string(), text, "if_tsresol {code:#x}");
        // Coarser-than-ns units convert back exactly.
        if !r(code).is_finer_than_nanos() {
            assert_eq!(r(code).timestamp_to_units(t), Some(units));
        }
    }
    // Exact math where tshark 4.0 is wrong: it shows 3.011619999 for this
    // 2^-40 s count (and 1.000000000 for 12345678901234567890 at 10^-19 s).
    let t = r(0x80 | 40)
        .units_to_timestamp((3 << 40) + 123_456_789_012)
        .unwrap();
    assert_eq!(t.to_string(), "3.112283295");
    let t = r(19)
        .units_to_timestamp(12_345_678_901_234_567_890)
        .unwrap();
    assert_eq!(t.to_string(), "1.234567890");
    // Absurd resolutions: no panic, sub-nanosecond results.
    for code in [19, 38, 39, 100, 127, 0x80 | 63, 0x80 | 64, 0x80 | 127, 0xFF] {
        let t = r(code).units_to_timestamp(u64::MAX).unwrap();
        assert!(t.secs < 2, "{code:#x}: {t}");
        let _ = r(code).timestamp_to_units(t);
    }
    // 1 unit = 1 s overflows i64 seconds.
    assert_eq!(r(0).units_to_timestamp(u64::MAX), None);
    assert_eq!(r(9).timestamp_to_units(ts(-1, 0)), None);
    assert_eq!(TsResolution::default(), TsResolution::MICROSECONDS);
    assert_eq!(r(0x94).to_string(), "2^-20 s");
}

// ---- classic pcap ------------------------------------------------------------

fn sample_frames(linktype: u32) -> Vec<Owned> {
    vec![
        Owned::new(0, linktype, (1_700_000_000, 123_456_000), 60, &[0xAA; 60]),
        // Truncated by the snaplen: orig_len > captured.
        Owned::new(0, linktype, (1_700_000_000, 999_999_000), 1514, &[0x55; 96]),
        Owned::new(0, linktype, (1_700_000_001, 0), 0, &[]),
        Owned::new(0, linktype, (4_294_967_295, 1_000), 3, &[1, 2, 3]),
    ]
}

#[test]
fn pcap_usec_round_trip() {
    let mut file = pcap_header(false, false, 96, 1);
    for f in sample_frames(1) {
        let frac = f.timestamp.nanos / 1000;
        pcap_record(
            &mut file,
            false,
            f.timestamp.secs as u32,
            frac,
            f.data.len() as u32,
            f.orig_len,
            &f.data,
        );
    }
    let cap = read_all(&file).unwrap();
    assert_eq!(
        cap.format,
        FileFormat::Pcap {
            nanos: false,
            big_endian: false
        }
    );
    assert_eq!(cap.interfaces.len(), 1);
    assert_eq!(cap.interfaces[0].linktype, 1);
    assert_eq!(cap.interfaces[0].snaplen, 96);
    assert_eq!(cap.interfaces[0].ts_resolution, TsResolution::MICROSECONDS);
    assert_eq!(cap.frames, sample_frames(1));
    // Our writer produces the very same bytes.
    assert_eq!(write_all(cap.format, &cap.interfaces, &cap.frames), file);
    assert_eq!(copy(&file, None), file);
}

#[test]
fn pcap_nsec_round_trip_real_capture() {
    let cap = read_all(HANDSHAKE_NANO).unwrap();
    assert_eq!(
        cap.format,
        FileFormat::Pcap {
            nanos: true,
            big_endian: false
        }
    );
    assert_eq!(cap.interfaces[0].linktype, 113); // Linux SLL
    assert_eq!(cap.interfaces[0].snaplen, 262_144);
    assert_eq!(cap.interfaces[0].ts_resolution, TsResolution::NANOSECONDS);
    let times: Vec<String> = cap.frames.iter().map(|f| f.timestamp.to_string()).collect();
    // tshark
    assert_eq!(
        times,
        [
            "1418145369.924505488",
            "1418145370.052027262",
            "1418145370.052115157"
        ]
    );
    let lens: Vec<(u32, usize)> = cap
        .frames
        .iter()
        .map(|f| (f.orig_len, f.data.len()))
        .collect();
    assert_eq!(lens, [(76, 76), (76, 76), (68, 68)]);
    assert_eq!(copy(HANDSHAKE_NANO, None), HANDSHAKE_NANO);

    // ns → µs truncates; µs → ns is exact.
    let micro = copy(
        HANDSHAKE_NANO,
        Some(FileFormat::Pcap {
            nanos: false,
            big_endian: false,
        }),
    );
    let back = read_all(&micro).unwrap();
    assert_eq!(back.frames[0].timestamp, ts(1_418_145_369, 924_505_000));
    let nano = copy(
        &micro,
        Some(FileFormat::Pcap {
            nanos: true,
            big_endian: false,
        }),
    );
    assert_eq!(read_all(&nano).unwrap().frames, back.frames);
}

#[test]
fn pcap_big_endian_round_trip() {
    for nanos in [false, true] {
        let mut file = pcap_header(true, nanos, 65_535, 228);
        for f in sample_frames(228) {
            let frac = if nanos {
                f.timestamp.nanos
            } else {
                f.timestamp.nanos / 1000
            };
            pcap_record(
                &mut file,
                true,
                f.timestamp.secs as u32,
                frac,
                f.data.len() as u32,
                f.orig_len,
                &f.data,
            );
        }
        let cap = read_all(&file).unwrap();
        assert_eq!(
            cap.format,
            FileFormat::Pcap {
                nanos,
                big_endian: true
            }
        );
        assert_eq!(cap.interfaces[0].linktype, 228);
        assert_eq!(cap.frames, sample_frames(228));
        assert_eq!(copy(&file, None), file, "nanos={nanos}");
        // Byte order conversion keeps the frames.
        let le = copy(
            &file,
            Some(FileFormat::Pcap {
                nanos,
                big_endian: false,
            }),
        );
        assert_eq!(read_all(&le).unwrap().frames, cap.frames);
    }
}

#[test]
fn pcap_tolerates_what_libpcap_and_wireshark_accept() {
    // incl_len > snaplen, orig_len > snaplen (pcap-file's PcapReader rejects
    // both; real captures such as tcpdump's 802_15_4-data.pcap do this), and
    // a microsecond fraction >= 1 s (carried into the seconds).
    let mut file = pcap_header(false, false, 8, 1);
    pcap_record(&mut file, false, 10, 1_500_000, 12, 1000, &[7; 12]);
    let cap = read_all(&file).unwrap();
    assert_eq!(
        cap.frames,
        [Owned::new(0, 1, (11, 500_000_000), 1000, &[7; 12])]
    );
    // FCS flags in the link type field are masked off.
    let file = pcap_header(false, false, 8, 0x1000_0001);
    assert_eq!(read_all(&file).unwrap().interfaces[0].linktype, 1);
}

// ---- pcapng -------------------------------------------------------------------

fn two_interfaces() -> Vec<Interface> {
    vec![
        Interface {
            name: Some("eth0".into()),
            ts_resolution: TsResolution::MICROSECONDS,
            ..Interface::new(1, 262_144)
        },
        Interface {
            id: 1,
            local_id: 1,
            name: Some("any".into()),
            description: Some("Linux cooked, ns".into()),
            ..Interface::new(113, 65_535)
        },
    ]
}

fn two_interface_frames() -> Vec<Owned> {
    vec![
        Owned::new(0, 1, (1_700_000_000, 123_456_000), 60, &[1; 60]),
        Owned::new(1, 113, (1_700_000_000, 123_456_789), 1500, &[2; 128]),
        Owned::new(0, 1, (1_700_000_002, 0), 61, &[3; 61]),
        Owned::new(1, 113, (1_700_000_002, 1), 2, &[4, 5]),
    ]
}

#[test]
fn pcapng_two_interfaces_round_trip() {
    let file = write_all(
        FileFormat::PcapNg,
        &two_interfaces(),
        &two_interface_frames(),
    );
    let cap = read_all(&file).unwrap();
    assert_eq!(cap.format, FileFormat::PcapNg);
    assert_eq!(cap.interfaces, two_interfaces());
    assert_eq!(cap.frames, two_interface_frames());
    assert_eq!(copy(&file, None), file);
}

/// µs default, 2^-20 s with a 1000 s offset, and ms interfaces.
fn hand_built_resolutions(be: bool) -> Vec<u8> {
    let mut ng = Ng::new(be);
    let offset = if be {
        1000i64.to_be_bytes()
    } else {
        1000i64.to_le_bytes()
    };
    ng.idb(1, 0, &[]);
    ng.idb(127, 0, &[(9, &[0x80 | 20]), (14, &offset)]);
    ng.idb(105, 0, &[(9, &[3])]);
    ng.epb(0, 1_700_000_000_123_456, 4, &[1, 2, 3, 4]);
    ng.epb(1, (1_700_000_000 << 20) + 123_457, 5, &[5; 5]);
    ng.epb(2, 1_700_000_000_123, 1, &[9]);
    ng.out
}

#[test]
fn pcapng_hand_built_resolutions_and_offsets() {
    for be in [false, true] {
        let file = hand_built_resolutions(be);
        let cap = read_all(&file).unwrap();
        let times: Vec<String> = cap.frames.iter().map(|f| f.timestamp.to_string()).collect();
        // tshark
        assert_eq!(
            times,
            [
                "1700000000.123456000",
                "1700001000.117737770",
                "1700000000.123000000"
            ],
            "be={be}"
        );
        assert_eq!(cap.interfaces[1].ts_offset, 1000);
        assert_eq!(cap.interfaces[1].ts_resolution.if_tsresol(), 0x94);
        // Rewritten with the same resolutions and offset: exact again.
        let again = copy(&file, None);
        let back = read_all(&again).unwrap();
        assert_eq!(back.frames, cap.frames);
        assert_eq!(back.interfaces, cap.interfaces);
    }
}

#[test]
fn pcapng_real_capture_matches_tshark() {
    let cap = read_all(MULTI_IFACE).unwrap();
    assert_eq!(cap.interfaces.len(), 2);
    assert_eq!(cap.interfaces[0].name.as_deref(), Some("eth0"));
    assert_eq!(cap.interfaces[0].ts_resolution, TsResolution::NANOSECONDS);
    assert_eq!(cap.interfaces[1].description.as_deref(), Some("Ethernet 2"));
    assert_eq!(cap.interfaces[1].ts_resolution, TsResolution::MICROSECONDS);
    let rows: Vec<(String, u32, u32)> = cap
        .frames
        .iter()
        .map(|f| (f.timestamp.to_string(), f.interface_id, f.orig_len))
        .collect();
    // tshark (plus frame.len)
    let expected = [
        ("1767663089.500330493", 0, 96),
        ("1767663089.514291940", 0, 214),
        ("1767663437.111897000", 1, 70),
        ("1767663437.126460000", 1, 166),
        ("1767663437.128303000", 1, 70),
        ("1767663437.140942000", 1, 182),
    ];
    let expected: Vec<(String, u32, u32)> = expected
        .iter()
        .map(|(t, i, l)| (t.to_string(), *i, *l))
        .collect();
    assert_eq!(rows, expected);
    let copied = copy(MULTI_IFACE, None);
    let back = read_all(&copied).unwrap();
    assert_eq!(back.frames, cap.frames);
    assert_eq!(back.interfaces, cap.interfaces);
}

#[test]
fn pcapng_multiple_sections() {
    // Two copies of the capture (a valid two-section file, as `cat` makes)
    // plus a big-endian third section.
    let mut file = [MULTI_IFACE, MULTI_IFACE].concat();
    let mut ng = Ng::new(true);
    ng.idb(101, 0, &[(9, &[9])]);
    ng.epb(0, 5_000_000_001, 7, &[0; 7]);
    file.extend(&ng.out);
    let cap = read_all(&file).unwrap();
    assert_eq!(cap.interfaces.len(), 5);
    let ids: Vec<(u32, u32, u32)> = cap
        .interfaces
        .iter()
        .map(|i| (i.id, i.section, i.local_id))
        .collect();
    assert_eq!(ids, [(0, 0, 0), (1, 0, 1), (2, 1, 0), (3, 1, 1), (4, 2, 0)]);
    let per_frame: Vec<u32> = cap.frames.iter().map(|f| f.interface_id).collect();
    // tshark reports (section_number, interface_id) = (1,0)(1,0)(1,1).. (2,0)..
    assert_eq!(per_frame, [0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4]);
    assert_eq!(cap.frames[12].timestamp, ts(5, 1));
    assert_eq!(cap.frames[12].linktype, 101);
    // Flattened into one section, ids and frames survive.
    let back = read_all(&copy(&file, None)).unwrap();
    assert_eq!(back.frames, cap.frames);
    assert_eq!(back.interfaces.len(), 5);
}

fn hand_built_spb_pb(be: bool) -> Vec<u8> {
    let mut ng = Ng::new(be);
    ng.idb(1, 4, &[]); // snaplen 4
    ng.idb(1, 0, &[(9, &[9])]);
    // SPB: 3 bytes + 1 padding byte; and one cut to the snaplen.
    ng.spb(3, &[1, 2, 3]);
    ng.spb(100, &[9, 8, 7, 6]);
    // Obsolete PB: timestamp words high, low (pcap-file reads a
    // little-endian PB timestamp as one u64, swapping them).
    ng.pb(1, 0x0000_0001_0000_0002, 3, &[4, 5, 6]);
    ng.out
}

/// if_tzone (4 bytes; pcap-file 2.0 demands 1), a non-UTF-8 name, an
/// option list without opt_endofopt (all rejected by pcap-file, all
/// legal), packet options, and non-packet blocks. tshark lists custom
/// blocks as records, hence `custom`.
fn hand_built_tolerant(custom: bool) -> Vec<u8> {
    let mut ng = Ng::new(false);
    ng.idb_with(1, 0, &[(2, b"eth\xff"), (10, &[0; 4]), (9, &[9])], false);
    ng.block(4, &[0; 8]); // name resolution
    if custom {
        ng.block(0x0000_0BAD, &[1, 2, 3, 4, 5, 6, 7, 8]);
        ng.block(0x1234_5678, &[]); // unknown
    }
    ng.epb_opts(0, 42, 2, &[1, 2], &[(1, b"comment"), (2, &[0, 0, 0, 1])]);
    ng.block(5, &[0; 12]); // interface statistics
    ng.block(0x0000_000A, &[0; 8]); // decryption secrets
    ng.out
}

#[test]
fn pcapng_simple_and_obsolete_packet_blocks() {
    for be in [false, true] {
        let cap = read_all(&hand_built_spb_pb(be)).unwrap();
        assert_eq!(
            cap.frames,
            [
                Owned::new(0, 1, (0, 0), 3, &[1, 2, 3]),
                Owned::new(0, 1, (0, 0), 100, &[9, 8, 7, 6]),
                Owned::new(1, 1, (4, 294_967_298), 3, &[4, 5, 6]),
            ],
            "be={be}"
        );
    }
    // Extra bytes after an SPB's implicit captured length are ignored.
    let mut ng = Ng::new(false);
    ng.idb(1, 4, &[]);
    ng.spb(100, &[9, 8, 7, 6, 5, 4, 3, 2]);
    assert_eq!(read_all(&ng.out).unwrap().frames[0].data, [9, 8, 7, 6]);
}

#[test]
fn pcapng_skips_other_blocks_and_tolerates_options() {
    let cap = read_all(&hand_built_tolerant(true)).unwrap();
    assert_eq!(cap.interfaces[0].name.as_deref(), Some("eth\u{fffd}"));
    assert_eq!(cap.frames, [Owned::new(0, 1, (0, 42), 2, &[1, 2])]);
}

#[test]
fn pcapng_interfaces_declared_mid_file() {
    let mut ng = Ng::new(false);
    ng.idb(1, 0, &[(9, &[9])]);
    ng.epb(0, 1, 1, &[1]);
    ng.idb(113, 0, &[(2, b"late")]);
    ng.epb(1, 2, 1, &[2]);
    ng.epb(0, 3, 1, &[3]);
    let mut reader = CaptureReader::new(&ng.out[..]).unwrap();
    assert_eq!(
        reader.interfaces().len(),
        1,
        "leading IDBs are read by new()"
    );
    reader.next_frame().unwrap().unwrap();
    assert_eq!(reader.interfaces().len(), 1);
    let (frame, interfaces) = reader.next_frame_with_interfaces().unwrap().unwrap();
    assert_eq!((frame.interface_id, frame.linktype), (1, 113));
    assert_eq!(interfaces[1].name.as_deref(), Some("late"));
    let copied = copy(&ng.out, None);
    let (a, b) = (read_all(&ng.out).unwrap(), read_all(&copied).unwrap());
    assert_eq!(a.frames, b.frames);
    assert_eq!(a.interfaces, b.interfaces);

    // Writer side: add an interface after frames were written.
    let mut w = CaptureWriter::new(Vec::new(), FileFormat::PcapNg, &[]).unwrap();
    assert_eq!(w.add_interface(&Interface::new(1, 0)).unwrap(), 0);
    w.write_frame(&Owned::new(0, 1, (1, 0), 1, &[1]).frame())
        .unwrap();
    assert_eq!(w.add_interface(&Interface::new(105, 0)).unwrap(), 1);
    w.write_frame(&Owned::new(1, 105, (2, 0), 1, &[2]).frame())
        .unwrap();
    assert_eq!(w.frames_written(), 2);
    let cap = read_all(&w.finish().unwrap()).unwrap();
    assert_eq!(cap.frames.len(), 2);
    assert_eq!(cap.frames[1].linktype, 105);
}

// ---- malformed input -----------------------------------------------------------

fn assert_err(bytes: &[u8], check: impl Fn(&PcapError) -> bool, needle: &str) {
    let err = read_err(bytes);
    let text = err.to_string();
    assert!(check(&err), "unexpected error: {err:?}");
    assert!(text.contains(needle), "message {text:?} lacks {needle:?}");
}

#[test]
fn malformed_pcap_inputs_fail_cleanly() {
    use PcapError::*;
    assert_err(
        &[],
        |e| matches!(e, Truncated { got: 0, .. }),
        "file header",
    );
    assert_err(
        b"\xd4\xc3\xb2\xa1\x02\x00",
        |e| matches!(e, Truncated { offset: 0, .. }),
        "pcap file header",
    );
    assert_err(
        b"GARBAGE GARBAGE GARBAGE!",
        |e| matches!(e, UnknownFormat { magic: 0x4741_5242 }),
        "0x47415242",
    );

    let header = pcap_header(false, false, 65_535, 1);
    let mut one = header.clone();
    pcap_record(&mut one, false, 1, 0, 4, 4, &[1, 2, 3, 4]);

    let mut f = one.clone();
    f.extend([0; 7]);
    assert_err(
        &f,
        |e| {
            matches!(
                e,
                Truncated {
                    offset: 44,
                    frame: 2,
                    got: 7,
                    needed: 16,
                    ..
                }
            )
        },
        "byte offset 44 (frame 2)",
    );

    let mut f = one.clone();
    pcap_record(&mut f, false, 1, 0, 100, 100, &[0; 10]);
    assert_err(
        &f,
        |e| {
            matches!(
                e,
                Truncated {
                    offset: 44,
                    got: 26,
                    needed: 116,
                    ..
                }
            )
        },
        "record data",
    );

    let mut f = one.clone();
    pcap_record(&mut f, false, 1, 0, u32::MAX, 10, &[0; 32]);
    assert_err(
        &f,
        |e| {
            matches!(
                e,
                TooLarge {
                    offset: 44,
                    frame: 2,
                    len: 0xFFFF_FFFF,
                    ..
                }
            )
        },
        "4294967295 bytes",
    );
}

#[test]
fn malformed_pcapng_inputs_fail_cleanly() {
    use PcapError::*;
    let valid = {
        let mut ng = Ng::new(false);
        ng.idb(1, 0, &[]);
        ng.epb(0, 1, 4, &[1, 2, 3, 4]);
        ng.out
    };
    assert!(read_all(&valid).is_ok());
    let shb_len = 28;
    let idb_len = 20;
    let epb_at = (shb_len + idb_len) as u64;

    // Truncated section header, and a bad byte-order magic.
    assert_err(
        &valid[..10],
        |e| matches!(e, Truncated { offset: 0, .. }),
        "section header",
    );
    let mut f = valid.clone();
    f[8] = 0x99;
    assert_err(
        &f,
        |e| matches!(e, Malformed { offset: 0, .. }),
        "byte-order magic",
    );
    // Unsupported version.
    let mut f = valid.clone();
    f[12] = 2;
    assert_err(&f, |e| matches!(e, Malformed { .. }), "version 2.0");

    // Truncated final block / block header.
    assert_err(
        &valid[..valid.len() - 3],
        |e| matches!(e, Truncated { offset, .. } if *offset == epb_at),
        "pcapng block",
    );
    let mut f = valid.clone();
    f.extend([6, 0, 0]);
    assert_err(
        &f,
        |e| {
            matches!(
                e,
                Truncated {
                    got: 3,
                    needed: 8,
                    ..
                }
            )
        },
        "frame 2",
    );

    // Block length: absurd, below minimum, not a multiple of 4.
    let len_at = epb_at as usize + 4;
    for (len, needle) in [
        (0xFFFF_FFF0u32, "limit"),
        (8, "minimum"),
        (34, "multiple of 4"),
    ] {
        let mut f = valid.clone();
        f[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
        assert_err(
            &f,
            |e| matches!(e, TooLarge { .. } | Malformed { .. }),
            needle,
        );
    }
    // Trailer mismatch (detected by pcap-file's RawBlock parser).
    let mut f = valid.clone();
    let n = f.len();
    f[n - 4] ^= 4;
    assert_err(
        &f,
        |e| matches!(e, Malformed { offset, .. } if *offset == epb_at),
        "trailer",
    );
    // EPB captured length beyond the block.
    let mut f = valid.clone();
    f[epb_at as usize + 20..epb_at as usize + 24].copy_from_slice(&1000u32.to_le_bytes());
    assert_err(
        &f,
        |e| matches!(e, Malformed { .. }),
        "captured length 1000",
    );
    // EPB naming an undeclared interface.
    let mut f = valid.clone();
    f[epb_at as usize + 8] = 3;
    assert_err(
        &f,
        |e| matches!(e, Malformed { frame: 1, .. }),
        "interface 3",
    );
    // SPB without any interface.
    let mut ng = Ng::new(false);
    ng.spb(1, &[1]);
    assert_err(&ng.out, |e| matches!(e, Malformed { .. }), "no interface");
    // Packet-less file is fine.
    assert_eq!(read_all(&Ng::new(true).out).unwrap().frames, []);
}

/// Reader that counts what was pulled from it.
struct Counting<R> {
    inner: R,
    pulled: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pulled += n as u64;
        Ok(n)
    }
}

#[test]
fn bogus_lengths_cost_neither_memory_nor_reads() {
    // An absurd caplen in front of an endless stream: refused after the
    // 16-byte record header, nothing more is read.
    let mut head = pcap_header(false, false, 65_535, 1);
    pcap_record(&mut head, false, 1, 0, u32::MAX, 10, &[]);
    let endless = Counting {
        inner: Cursor::new(head).chain(io::repeat(0)),
        pulled: 0,
    };
    let mut reader = CaptureReader::new(endless).unwrap();
    assert!(matches!(
        reader.next_frame(),
        Some(Err(PcapError::TooLarge { .. }))
    ));
    assert!(reader.next_frame().is_none());
    assert_eq!(reader.byte_offset(), 40);
    assert_eq!(reader.into_inner().pulled, 40);

    // A plausible but false 200 MB claim in a 1 KB file: the buffer grows
    // with the data actually present, not with the claim.
    let mut file = pcap_header(false, false, 65_535, 1);
    pcap_record(&mut file, false, 1, 0, 200 << 20, 10, &[0; 1000]);
    let mut reader = CaptureReader::new(&file[..]).unwrap();
    assert!(matches!(
        reader.next_frame(),
        Some(Err(PcapError::Truncated { got: 1016, .. }))
    ));
    assert!(
        reader.buffer_capacity() < 1 << 20,
        "{}",
        reader.buffer_capacity()
    );

    // The same for a pcapng block.
    let mut ng = Ng::new(false);
    ng.idb(1, 0, &[]);
    ng.out.extend(6u32.to_le_bytes());
    ng.out.extend((200u32 << 20).to_le_bytes());
    ng.out.extend([0; 100]);
    let mut reader = CaptureReader::new(&ng.out[..]).unwrap();
    assert!(matches!(
        reader.next_frame(),
        Some(Err(PcapError::Truncated { .. }))
    ));
    assert!(reader.buffer_capacity() < 1 << 20);

    // A genuinely large (3 MB) frame is fine.
    let big = vec![0x5A; 3 << 20];
    let frames = [Owned::new(0, 1, (1, 0), big.len() as u32, &big)];
    let file = write_all(
        FileFormat::Pcap {
            nanos: false,
            big_endian: false,
        },
        &[Interface::new(1, 0)],
        &frames,
    );
    assert_eq!(read_all(&file).unwrap().frames, frames);
}

// ---- writer errors ---------------------------------------------------------------

#[test]
fn writer_rejects_what_the_format_cannot_hold() {
    use PcapError::*;
    let pcap = FileFormat::Pcap {
        nanos: true,
        big_endian: false,
    };
    assert!(matches!(
        CaptureWriter::new(Vec::new(), pcap, &[]),
        Err(InvalidInterface { .. })
    ));

    let ifaces = [Interface::new(1, 0), Interface::new(113, 0)];
    let mut w = CaptureWriter::new(Vec::new(), pcap, &ifaces).unwrap();
    let bad = [
        (Owned::new(2, 1, (1, 0), 1, &[1]), "not been added"),
        (Owned::new(0, 105, (1, 0), 1, &[1]), "differs"),
        (Owned::new(1, 113, (1, 0), 1, &[1]), "single link type"),
        (Owned::new(0, 1, (-1, 0), 1, &[1]), "outside pcap's range"),
        (
            Owned::new(0, 1, (1 << 32, 0), 1, &[1]),
            "outside pcap's range",
        ),
    ];
    for (frame, needle) in &bad {
        let err = w.write_frame(&frame.frame()).unwrap_err();
        assert!(matches!(err, InvalidFrame { frame: 1, .. }), "{err:?}");
        assert!(err.to_string().contains(needle), "{err}");
    }
    w.write_frame(&Owned::new(0, 1, (1, 0), 1, &[1]).frame())
        .unwrap();
    let out = w.finish().unwrap();
    assert_eq!(read_all(&out).unwrap().frames.len(), 1);
    // Snaplen 0 (pcapng "unlimited") becomes libpcap's maximum in pcap.
    assert_eq!(read_all(&out).unwrap().interfaces[0].snaplen, 262_144);

    let mut w = CaptureWriter::new(Vec::new(), FileFormat::PcapNg, &[]).unwrap();
    let wide = w.add_interface(&Interface::new(70_000, 0));
    assert!(matches!(wide, Err(InvalidInterface { id: 0, .. })));
    let long = Interface {
        name: Some("x".repeat(70_000)),
        ..Interface::new(1, 0)
    };
    assert!(matches!(
        w.add_interface(&long),
        Err(InvalidInterface { .. })
    ));
    let offset = Interface {
        ts_offset: 100,
        ..Interface::new(1, 0)
    };
    w.add_interface(&offset).unwrap();
    let early = Owned::new(0, 1, (99, 0), 1, &[1]);
    let err = w.write_frame(&early.frame()).unwrap_err();
    assert!(err.to_string().contains("offset (100 s)"), "{err}");
    w.write_frame(&Owned::new(0, 1, (100, 5_000), 1, &[1]).frame())
        .unwrap();
    let cap = read_all(&w.finish().unwrap()).unwrap();
    assert_eq!(cap.frames[0].timestamp, ts(100, 5_000));
}

#[test]
fn writer_keeps_resolution_and_falls_back_to_nanos() {
    let ifaces = [
        Interface {
            ts_resolution: TsResolution::from_if_tsresol(12),
            ..Interface::new(1, 0)
        },
        Interface {
            ts_resolution: TsResolution::from_if_tsresol(0x80 | 10),
            ..Interface::new(1, 0)
        },
    ];
    let frames = [
        Owned::new(0, 1, (5, 123_456_789), 1, &[1]),
        Owned::new(1, 1, (5, 0), 1, &[1]),
    ];
    let file = write_all(FileFormat::PcapNg, &ifaces, &frames);
    let cap = read_all(&file).unwrap();
    assert_eq!(cap.interfaces[0].ts_resolution, TsResolution::NANOSECONDS);
    assert_eq!(cap.interfaces[1].ts_resolution.if_tsresol(), 0x8A);
    assert_eq!(cap.frames, frames);
}

// ---- tshark ------------------------------------------------------------------------

#[test]
fn tshark_accepts_written_files() {
    if !tshark_available() {
        eprintln!("skipping tshark_accepts_written_files: tshark is not on PATH");
        return;
    }
    let ether = sample_frames(1);
    for (nanos, be) in [(false, false), (true, false), (false, true), (true, true)] {
        let format = FileFormat::Pcap {
            nanos,
            big_endian: be,
        };
        let file = write_all(format, &[Interface::new(1, 65_535)], &ether);
        assert_tshark_agrees(&file, &format!("pcap-{nanos}-{be}.pcap"));
    }
    assert_tshark_agrees(
        &write_all(
            FileFormat::PcapNg,
            &two_interfaces(),
            &two_interface_frames(),
        ),
        "two.pcapng",
    );
    // Offsets, power-of-two and millisecond resolutions, late IDB.
    let mut w = CaptureWriter::new(Vec::new(), FileFormat::PcapNg, &[]).unwrap();
    let r20 = Interface {
        ts_resolution: TsResolution::from_if_tsresol(0x94),
        ts_offset: 1_000_000,
        ..Interface::new(1, 0)
    };
    w.add_interface(&r20).unwrap();
    let frame = Owned::new(0, 1, (1_700_000_000, 117_737_770), 4, &[1, 2, 3, 4]);
    w.write_frame(&frame.frame()).unwrap();
    let ms = Interface {
        ts_resolution: TsResolution::from_if_tsresol(3),
        ..Interface::new(101, 0)
    };
    w.add_interface(&ms).unwrap();
    w.write_frame(&Owned::new(1, 101, (1_700_000_000, 5_000_000), 1, &[0x45]).frame())
        .unwrap();
    assert_tshark_agrees(&w.finish().unwrap(), "mixed.pcapng");
    // Copies of the bundled captures and a multi-section file.
    assert_tshark_agrees(&copy(HANDSHAKE_NANO, None), "nano-copy.pcap");
    assert_tshark_agrees(&copy(MULTI_IFACE, None), "multi-copy.pcapng");
    assert_tshark_agrees(&[MULTI_IFACE, MULTI_IFACE].concat(), "two-sections.pcapng");
    // Hand-built files: what our writer never produces.
    for be in [false, true] {
        assert_tshark_agrees(&hand_built_resolutions(be), &format!("resol-{be}.pcapng"));
        assert_tshark_agrees(&hand_built_spb_pb(be), &format!("spb-{be}.pcapng"));
    }
    assert_tshark_agrees(&hand_built_tolerant(false), "tolerant.pcapng");
}

/// Every capture in the shared corpus, when it is present (it sits beside
/// the repository): read, compare with tshark, and round-trip.
#[test]
fn shared_captures_match_tshark_and_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/captures");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let tshark = tshark_available();
    if !tshark {
        eprintln!("tshark is not on PATH: checking round trips only");
    }
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let cap = read_all(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        if tshark {
            assert_tshark_agrees(&bytes, &name);
        }
        let back = read_all(&copy(&bytes, None)).unwrap();
        assert_eq!(back.frames, cap.frames, "{name}");
        let converted = read_all(&copy(&bytes, Some(FileFormat::PcapNg))).unwrap();
        assert_eq!(converted.frames, cap.frames, "{name} as pcapng");
    }
}

// ---- property tests ---------------------------------------------------------------

fn drain(bytes: &[u8]) {
    if let Ok(mut reader) = CaptureReader::new(bytes) {
        let _ = reader.interfaces();
        while let Some(frame) = reader.next_frame() {
            if let Ok(frame) = frame {
                assert!(frame.data.len() <= bytes.len());
                let _ = frame.timestamp.to_string();
            }
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut pcap = pcap_header(true, true, 65_535, 1);
    pcap_record(&mut pcap, true, 1, 2, 3, 3, &[1, 2, 3]);
    let mut ng = Ng::new(false);
    ng.idb(1, 2, &[(9, &[0x94]), (14, &[1; 8]), (2, b"x")]);
    ng.epb(0, 7, 9, &[1; 9]);
    ng.spb(3, &[1, 2, 3]);
    ng.pb(0, 9, 1, &[1]);
    ng.shb(true);
    ng.idb(1, 0, &[]);
    ng.epb(0, u64::MAX, 1, &[1]);
    vec![pcap, ng.out, HANDSHAKE_NANO.to_vec(), MULTI_IFACE.to_vec()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        drain(&bytes);
    }

    #[test]
    fn random_bytes_after_a_valid_header_never_panic(
        pcapng in any::<bool>(),
        be in any::<bool>(),
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = if pcapng { Ng::new(be).out } else { pcap_header(be, false, 65_535, 1) };
        bytes.extend(tail);
        drain(&bytes);
    }

    #[test]
    fn mutated_captures_never_panic(
        seed in 0..4usize,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let mut bytes = seeds()[seed].clone();
        for (at, value) in edits {
            let n = bytes.len();
            bytes[at % n] = value;
        }
        let keep = bytes.len() - cut % (bytes.len() / 4 + 1);
        bytes.truncate(keep);
        drain(&bytes);
    }

    #[test]
    fn random_frames_round_trip(
        frames in proptest::collection::vec(
            (0..3u32, 0..4_294_967_296i64, 0..1_000_000_000u32, proptest::collection::vec(any::<u8>(), 0..64), 0..100u32),
            0..20,
        ),
        nanos in any::<bool>(),
        be in any::<bool>(),
    ) {
        let linktypes = [1, 113, 127];
        let frames: Vec<Owned> = frames
            .into_iter()
            .map(|(i, s, n, data, extra)| Owned::new(i, linktypes[i as usize], (s, n), data.len() as u32 + extra, &data))
            .collect();
        let ifaces: Vec<Interface> = linktypes.iter().map(|&l| Interface::new(l, 0)).collect();
        let ng = read_all(&write_all(FileFormat::PcapNg, &ifaces, &frames)).unwrap();
        prop_assert_eq!(&ng.frames, &frames);

        let ether: Vec<Owned> = frames
            .iter()
            .map(|f| Owned { interface_id: 0, linktype: 1, ..f.clone() })
            .collect();
        let format = FileFormat::Pcap { nanos, big_endian: be };
        let pcap = read_all(&write_all(format, &ifaces[..1], &ether)).unwrap();
        let expected: Vec<Owned> = ether
            .iter()
            .map(|f| {
                let nanos_kept = if nanos { f.timestamp.nanos } else { f.timestamp.nanos / 1000 * 1000 };
                Owned { timestamp: ts(f.timestamp.secs, nanos_kept), ..f.clone() }
            })
            .collect();
        prop_assert_eq!(pcap.frames, expected);
    }
}
