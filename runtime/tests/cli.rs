//! End-to-end tests of the `strata` binary: every command is run as a real
//! process (ripgrep style) and its stdout, stderr and exit status checked.
//!
//! The comparisons with tshark (`-x` hex lines, `-T fields`) are skipped with
//! a message when tshark is not installed, unless `STRATA_REQUIRE_TSHARK=1`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use strata::pcap::{CaptureReader, CaptureWriter, Frame, Timestamp};

// ---------------------------------------------------------------- helpers

/// The workspace root: commands run there, so paths read as in the README.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// What one run of the binary produced.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Asserts exit status 0 and returns stdout.
    fn ok(&self) -> &str {
        assert!(
            self.status.success(),
            "expected success, got {:?}\nstderr:\n{}",
            self.status,
            self.stderr
        );
        &self.stdout
    }

    /// Asserts exit status 2 and a diagnostic on stderr; returns stderr.
    fn fails(&self) -> &str {
        assert_eq!(
            self.code(),
            Some(2),
            "expected exit status 2\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(!self.stderr.trim().is_empty(), "no message on stderr");
        assert!(
            !self.stderr.contains("panicked"),
            "panic on stderr:\n{}",
            self.stderr
        );
        &self.stderr
    }
}

fn strata_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.current_dir(root());
    c
}

/// Runs `strata ARGS…` from the workspace root.
fn strata<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let out = strata_cmd().args(args).output().expect("run strata");
    Run {
        status: out.status,
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// True when tshark can be used; prints why a comparison is skipped otherwise,
/// and fails when `STRATA_REQUIRE_TSHARK=1`.
fn need_tshark(what: &str) -> bool {
    if tshark_available() {
        return true;
    }
    if std::env::var("STRATA_REQUIRE_TSHARK").is_ok_and(|v| v == "1") {
        panic!("tshark is required (STRATA_REQUIRE_TSHARK=1) but not installed");
    }
    eprintln!("skipping the tshark comparison of {what}: tshark is not installed");
    false
}

/// tshark's stdout for `-r FILE ARGS…` (stderr is dropped: it warns about root).
fn tshark(file: &Path, args: &[&str]) -> String {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(args)
        .output()
        .expect("run tshark");
    assert!(
        out.status.success(),
        "tshark failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tshark output is UTF-8")
}

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "strata-cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every capture under tests/data/{real,crafted}.
fn captures() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["real", "crafted"] {
        for e in std::fs::read_dir(data(sub)).expect("data dir") {
            let p = e.expect("dir entry").path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext == "pcap" || ext == "pcapng" {
                v.push(p);
            }
        }
    }
    v.sort();
    assert!(v.len() >= 20, "test captures missing");
    v
}

/// An owned copy of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OwnedFrame {
    interface_id: u32,
    linktype: u32,
    timestamp: Timestamp,
    orig_len: u32,
    data: Vec<u8>,
}

/// Every frame of a capture, through the library; panics on a read error.
fn frames(path: &Path) -> Vec<OwnedFrame> {
    let mut r = CaptureReader::open(path).expect("open capture");
    let mut v = Vec::new();
    while let Some(f) = r.next_frame() {
        let f = f.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        v.push(OwnedFrame {
            interface_id: f.interface_id,
            linktype: f.linktype,
            timestamp: f.timestamp,
            orig_len: f.orig_len,
            data: f.data.to_vec(),
        });
    }
    v
}

/// The lines of a hex dump (`0000  xx xx …  ascii`), as tshark -x prints them.
fn hex_lines(s: &str) -> Vec<&str> {
    s.lines()
        .filter(|l| {
            let b = l.as_bytes();
            b.len() > 6 && b[..4].iter().all(u8::is_ascii_hexdigit) && &b[4..6] == b"  "
        })
        .collect()
}

const TCP: &str = "tests/data/crafted/eth_ipv4_tcp.pcap";
/// Frames in eth_ipv4_tcp.pcap (`capinfos -c`, `tshark -r … | wc -l`).
const TCP_FRAMES: usize = 29;

// ---------------------------------------------------------------- dissect

#[test]
fn dissect_prints_one_summary_line_per_packet() {
    let run = strata(&["dissect", TCP]);
    let out = run.ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), TCP_FRAMES);
    for (i, l) in lines.iter().enumerate() {
        let n: usize = l.split_whitespace().next().unwrap().parse().unwrap();
        assert_eq!(n, i + 1, "line {l:?}");
        assert!(l.contains(" TCP "), "line {l:?}");
    }
    assert!(
        lines[0].contains("192.0.2.10 → 198.51.100.20"),
        "{}",
        lines[0]
    );
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    if need_tshark("the frame count") {
        assert_eq!(tshark(&root().join(TCP), &[]).lines().count(), TCP_FRAMES);
    }
}

/// Summary lines with runs of spaces collapsed (tshark pads its columns).
fn squeezed(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn dissect_summaries_match_tshark() {
    // Lines pinned from `tshark -r` (4.0): TCP flags, relative numbers,
    // options; UDP payload length; ICMP and ICMPv6 types, codes, echo
    // tracking; ARP with link-layer addresses; fragments; cut frames.
    let cases: &[(&str, usize, &str)] = &[
        ("crafted/eth_ipv4_tcp.pcap", 1, "1 0.000000 192.0.2.10 → 198.51.100.20 TCP 74 51000 → 40123 [SYN, ECE, CWR] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1000000 TSecr=0 WS=128"),
        ("crafted/eth_ipv4_udp_icmp.pcap", 2, "2 0.001250 192.0.2.10 → 198.51.100.20 UDP 74 51002 → 9 Len=32"),
        ("crafted/eth_ipv4_udp_icmp.pcap", 7, "7 0.007500 198.51.100.20 → 192.0.2.10 ICMP 98 Echo (ping) reply id=0x1234, seq=1/256, ttl=57 (request in 6)"),
        ("crafted/eth_ipv4_udp_icmp.pcap", 12, "12 0.013750 203.0.113.30 → 192.0.2.10 ICMP 78 Destination unreachable (Port unreachable)"),
        ("crafted/eth_ipv4_udp_icmp.pcap", 23, "23 0.027500 192.0.2.10 → 198.51.100.20 IPv4 138 Fragmented IP protocol (proto=UDP 17, off=0, ID=abcd)"),
        ("crafted/ipv6.pcap", 21, "21 0.025000 fe80::5eff:fe10:14 → fe80::5eff:fe10:a ICMPv6 86 Neighbor Advertisement fe80::5eff:fe10:14 (sol, ovr) is at 02:00:5e:10:00:14"),
        ("crafted/icmp_echo.pcap", 31, "31 12.554779289 2001:db8:b::20 → 2001:db8:a::10 ICMPv6 118 Echo (ping) reply id=0x6001, seq=1, hop limit=64 (request in 30)"),
        ("crafted/vlan_arp.pcap", 1, "1 0.000000 02:00:5e:10:00:0a → Broadcast ARP 60 Who has 192.0.2.254? Tell 192.0.2.10"),
        ("crafted/vlan_arp.pcap", 5, "5 0.005000 02:00:5e:10:00:1e → Broadcast ARP 60 Who has 203.0.113.30? (ARP Probe)"),
        ("crafted/malformed.pcap", 2, "2 0.001250 02:00:5e:10:00:0a → 02:00:5e:10:00:14 IPv4 26 [Malformed Packet]"),
        ("crafted/snaplen.pcap", 4, "4 0.003750 192.0.2.10 → 198.51.100.20 ICMP 1042 Echo (ping) request id=0x0009, seq=9/2304, ttl=64"),
        ("real/zeek__tcp-reassembly.pcap", 17, "17 0.450473 128.3.97.175 → 63.193.213.194 TCP 54 [TCP Dup ACK 15#1] 80 → 2564 [ACK] Seq=2 Ack=4655 Win=16430 Len=0"),
    ];
    for (file, n, want) in cases {
        let run = strata(&["dissect".to_string(), format!("tests/data/{file}")]);
        let got = &squeezed(run.ok())[n - 1];
        assert_eq!(got, want, "{file} frame {n}");
    }
    // Whole captures that match tshark line for line.
    if need_tshark("summary lines") {
        for file in [
            "crafted/icmp_echo.pcap",
            "crafted/vlan_arp.pcap",
            "crafted/eth_mixed_nanos.pcap",
            "real/tcpdump__tcp-handshake-nano.pcap",
            "real/tcpdump__icmpv6.pcap",
            "real/zeek__ipv4-fragmented-3.pcap",
        ] {
            let run = strata(&["dissect".to_string(), format!("tests/data/{file}")]);
            assert_eq!(
                squeezed(run.ok()),
                squeezed(&tshark(&data(file), &[])),
                "{file}"
            );
        }
    }
}

#[test]
fn dissect_line_count_matches_every_capture() {
    for path in captures() {
        let run = strata(&[Path::new("dissect"), &path]);
        let n = run.ok().lines().count();
        assert_eq!(n, frames(&path).len(), "{}", path.display());
    }
}

#[test]
fn dissect_count_limits_output() {
    let run = strata(&["dissect", "-c", "3", TCP]);
    let lines: Vec<&str> = run.ok().lines().collect();
    assert_eq!(lines.len(), 3);
    for (i, l) in lines.iter().enumerate() {
        assert!(l.trim_start().starts_with(&format!("{} ", i + 1)), "{l:?}");
    }
    // -c 0 prints nothing; a count above the frame count prints them all.
    assert_eq!(strata(&["dissect", "-c", "0", TCP]).ok(), "");
    assert_eq!(
        strata(&["dissect", "-c", "1000", TCP]).ok().lines().count(),
        TCP_FRAMES
    );
}

#[test]
fn dissect_verbose_prints_the_layer_tree() {
    let run = strata(&["dissect", "-V", "-c", "1", TCP]);
    let out = run.ok();
    let titles: Vec<&str> = out
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .collect();
    assert_eq!(
        titles,
        [
            "Frame 1: 74 bytes on wire (592 bits), 74 bytes captured (592 bits)",
            "Ethernet II, Src: 02:00:5e:10:00:0a (02:00:5e:10:00:0a), Dst: 02:00:5e:10:00:14 (02:00:5e:10:00:14)",
            "Internet Protocol Version 4, Src: 192.0.2.10, Dst: 198.51.100.20",
            "Transmission Control Protocol, Src Port: 51000, Dst Port: 40123, Seq: 0, Len: 0",
        ]
    );
    for field in [
        "    Source Port: 51000",
        "    Destination Port: 40123",
        "    Time to Live: 64",
        "    Type: IPv4 (0x0800)",
        "    0100 .... = Version: 4",
        "    .... 0101 = Header Length: 20 bytes (5)",
        "    Sequence Number: 0    (relative sequence number)",
        "            MSS Value: 1460",
    ] {
        assert!(out.lines().any(|l| l == field), "{field:?} missing:\n{out}");
    }
    assert!(!out.contains("Frame 2"));
}

#[test]
fn dissect_hexdump_matches_tshark() {
    let tshark_ok = need_tshark("-x");
    let files = [
        TCP,
        "tests/data/crafted/ipv6.pcap",
        "tests/data/crafted/vlan_arp.pcap",
        "tests/data/crafted/linktypes_null.pcap",
        "tests/data/real/zeek__linux_dlt_sll2.pcap",
    ];
    // One thread per capture: tshark takes a while to start.
    std::thread::scope(|s| {
        for file in files {
            s.spawn(move || {
                let path = root().join(file);
                let run = strata(&["dissect", "-x", "-c", "1", file]);
                let ours = hex_lines(run.ok());
                // Independently of tshark: the dump holds the frame's bytes, 16 a line.
                let bytes = &frames(&path)[0].data;
                assert_eq!(ours.len(), bytes.len().div_ceil(16), "{file}");
                let dumped: Vec<u8> = ours
                    .iter()
                    .flat_map(|l| {
                        l[6..]
                            .split("   ")
                            .next()
                            .unwrap()
                            .split(' ')
                            .filter(|x| !x.is_empty())
                            .map(|x| u8::from_str_radix(x, 16).unwrap())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                assert_eq!(&dumped, bytes, "{file}: hex dump bytes");
                if tshark_ok {
                    let theirs = tshark(&path, &["-x", "-c", "1"]);
                    assert_eq!(ours, hex_lines(&theirs), "{file}: hex lines differ");
                }
            });
        }
    });
}

#[test]
fn dissect_json_is_an_array_of_frames() {
    let run = strata(&["dissect", "--format", "json", TCP]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("valid JSON");
    let a = v.as_array().expect("a JSON array");
    assert_eq!(a.len(), TCP_FRAMES);
    for (i, f) in a.iter().enumerate() {
        assert_eq!(f["frame"]["number"], (i + 1) as u64, "element {i}");
        assert!(f["layers"].is_array(), "element {i}: {f}");
    }
    // -c applies too, and an empty selection is still a valid (empty) array.
    let one: serde_json::Value =
        serde_json::from_str(strata(&["dissect", "--format", "json", "-c", "1", TCP]).ok())
            .unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    let none: serde_json::Value =
        serde_json::from_str(strata(&["dissect", "--format", "json", "-c", "0", TCP]).ok())
            .unwrap();
    assert_eq!(none.as_array().unwrap().len(), 0);
}

#[test]
fn dissect_ndjson_is_one_object_per_line() {
    let run = strata(&["dissect", "--format", "ndjson", TCP]);
    let out = run.ok();
    assert!(out.ends_with('\n'));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), TCP_FRAMES);
    for (i, l) in lines.iter().enumerate() {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}: {l}", i + 1));
        assert!(v.is_object(), "line {}", i + 1);
        assert_eq!(v["frame"]["number"], (i + 1) as u64);
    }
}

#[test]
fn dissect_fields_match_tshark() {
    let args = [
        "-T",
        "fields",
        "-e",
        "ip.src",
        "-e",
        "tcp.srcport",
        "-e",
        "tcp.seq_raw",
    ];
    let files = [
        "tests/data/real/tcpdump__print-flags.pcap",
        "tests/data/real/zeek__tcp-reassembly.pcap",
        "tests/data/real/tcpdump__ipv4_tcp_http_xml.pcap",
        "tests/data/real/zeek__vlan-qinqinq.pcap",
        "tests/data/real/zeek__pcapng-multi-interface.pcapng",
        "tests/data/real/suricata__mqtt311-pub-qos1.pcap",
    ];
    let tshark_ok = need_tshark("-T fields");
    std::thread::scope(|s| {
        for file in files {
            s.spawn(move || {
                let run = strata(&[&["dissect"], &args[..], &[file]].concat());
                let ours = run.ok();
                let path = root().join(file);
                assert_eq!(ours.lines().count(), frames(&path).len(), "{file}");
                for l in ours.lines() {
                    assert_eq!(l.split('\t').count(), 3, "{file}: {l:?}");
                }
                if tshark_ok {
                    let theirs = tshark(&path, &[&args[..], &["-E", "occurrence=a"]].concat());
                    assert_eq!(ours, theirs, "{file}: -T fields output differs from tshark");
                }
            });
        }
    });
    // A known value, tshark or not.
    let run = strata(&[&["dissect", "-c", "1"], &args[..], &[TCP]].concat());
    assert_eq!(run.ok(), "192.0.2.10\t51000\t2199476726\n");
}

// ---------------------------------------------------------------- errors

#[test]
fn missing_file_is_an_error() {
    let run = strata(&["dissect", "tests/data/no-such-capture.pcap"]);
    let err = run.fails();
    assert!(err.contains("no-such-capture.pcap"), "{err}");
    assert!(err.contains("No such file"), "{err}");
    assert!(run.stdout.is_empty());
}

#[test]
fn garbage_file_is_an_error() {
    let run = strata(&["dissect", "Cargo.toml"]);
    let err = run.fails();
    assert!(err.contains("not a pcap or pcapng file"), "{err}");

    let tmp = TempDir::new("garbage");
    let empty = tmp.path("empty.pcap");
    std::fs::write(&empty, b"").unwrap();
    let err = strata(&[Path::new("dissect"), &empty]).fails().to_string();
    assert!(err.contains("truncated"), "{err}");

    // A directory cannot be read as a capture either.
    let run = strata(&[Path::new("dissect"), &tmp.0]);
    run.fails();
}

#[test]
fn unknown_field_is_an_error() {
    let run = strata(&["dissect", "-T", "fields", "-e", "foo.bar", TCP]);
    let err = run.fails();
    assert!(err.contains("unknown field"), "{err}");
    assert!(err.contains("foo.bar"), "{err}");
    assert!(run.stdout.is_empty());
    // One bad field among good ones is still an error.
    let run = strata(&[
        "dissect", "-T", "fields", "-e", "ip.src", "-e", "foo.bar", TCP,
    ]);
    assert!(run.fails().contains("foo.bar"));
}

#[test]
fn fields_without_e_is_an_error() {
    let run = strata(&["dissect", "-T", "fields", TCP]);
    let err = run.fails();
    assert!(err.contains("-e"), "{err}");
    assert!(run.stdout.is_empty());
}

#[test]
fn unknown_subcommand_or_flag_is_an_error() {
    let err = strata(&["frobnicate"]).fails().to_string();
    assert!(err.contains("unrecognized subcommand"), "{err}");
    let err = strata(&["dissect", "--bogus", TCP]).fails().to_string();
    assert!(err.contains("--bogus"), "{err}");
    let err = strata(&["dissect", "-c", "many", TCP]).fails().to_string();
    assert!(err.contains("many"), "{err}");
    let err = strata(&["dissect", "--format", "xml", TCP])
        .fails()
        .to_string();
    assert!(err.contains("xml"), "{err}");
    // No subcommand at all.
    strata::<&str>(&[]).fails();
    // --help is not an error.
    assert!(strata(&["--help"]).ok().contains("dissect"));
}

#[test]
fn truncated_capture_prints_frames_before_the_cut() {
    let src = root().join(TCP);
    let all = frames(&src);
    let bytes = std::fs::read(&src).unwrap();
    // Cut in the middle of the data of the 8th record.
    let mut off = 24usize;
    for f in &all[..7] {
        off += 16 + f.data.len();
    }
    let cut = off + 16 + all[7].data.len() / 2;
    let tmp = TempDir::new("trunc");
    let path = tmp.path("cut.pcap");
    std::fs::write(&path, &bytes[..cut]).unwrap();

    let run = strata(&[Path::new("dissect"), &path]);
    let err = run.fails();
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains("frame 8"), "{err}");
    let full = strata(&["dissect", TCP]).ok().to_string();
    let expected: String = full.lines().take(7).map(|l| format!("{l}\n")).collect();
    assert_eq!(run.stdout, expected);

    // Cut inside a record header: same story.
    std::fs::write(&path, &bytes[..off + 5]).unwrap();
    let run = strata(&[Path::new("dissect"), &path]);
    run.fails();
    assert_eq!(run.stdout, expected);
}

// ---------------------------------------------------------------- broken pipe

/// Runs `strata ARGS`, reads one line of its output, closes the pipe, and
/// checks the process ends with success and no panic.
fn closes_pipe_quietly(args: &[&std::ffi::OsStr]) {
    let mut child = strata_cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata");
    let mut stderr = child.stderr.take().unwrap();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "no output");
        // `out` dropped here: the read end of the pipe closes.
    }
    let status = child.wait().unwrap();
    let mut err = String::new();
    stderr.read_to_string(&mut err).unwrap();
    assert!(
        status.success(),
        "{args:?}: status {status:?} after the pipe closed\nstderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(
        !err.to_lowercase().contains("broken pipe"),
        "{args:?}: {err}"
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    let largest = captures()
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let l = largest.as_os_str();
    closes_pipe_quietly(&["dissect".as_ref(), l]);
    // Output much larger than a pipe buffer, so the writes do fail.
    closes_pipe_quietly(&["dissect".as_ref(), "-V".as_ref(), l]);
    closes_pipe_quietly(&["dissect".as_ref(), "--format".as_ref(), "json".as_ref(), l]);

    // Summary lines of a capture far bigger than the pipe buffer.
    let tmp = TempDir::new("pipe");
    let big = tmp.path("big.pcap");
    {
        let r = CaptureReader::open(&largest).unwrap();
        let mut w = CaptureWriter::create(&big, r.format(), r.interfaces()).unwrap();
        let all = frames(&largest);
        for _ in 0..40 {
            for f in &all {
                w.write_frame(&Frame {
                    interface_id: f.interface_id,
                    linktype: f.linktype,
                    timestamp: f.timestamp,
                    orig_len: f.orig_len,
                    data: &f.data,
                })
                .unwrap();
            }
        }
        w.finish().unwrap();
    }
    closes_pipe_quietly(&["dissect".as_ref(), big.as_os_str()]);
    closes_pipe_quietly(&[
        "dissect".as_ref(),
        "-T".as_ref(),
        "fields".as_ref(),
        "-e".as_ref(),
        "frame.number".as_ref(),
        big.as_os_str(),
    ]);
}

// ---------------------------------------------------------------- rebuild

/// `N packets: R rebuilt from their fields (I identical, D different), C copied …`
fn parse_report(s: &str) -> (u64, u64, u64, u64, u64) {
    let nums: Vec<u64> = s
        .lines()
        .next()
        .unwrap_or("")
        .split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(nums.len() >= 5, "unexpected report: {s}");
    (nums[0], nums[1], nums[2], nums[3], nums[4])
}

#[test]
fn rebuild_reproduces_every_capture() {
    let tmp = TempDir::new("rebuild");
    for input in captures() {
        let name = input.file_name().unwrap().to_str().unwrap().to_string();
        let output = tmp.path(&name);
        let run = strata(&[Path::new("rebuild"), &input, &output]);
        run.ok();
        let (total, rebuilt, identical, different, copied) = parse_report(&run.stderr);
        let original = frames(&input);
        let again = frames(&output);
        assert_eq!(total as usize, original.len(), "{name}: {}", run.stderr);
        assert_eq!(rebuilt + copied, total, "{name}: {}", run.stderr);
        assert_eq!(identical, rebuilt, "{name}: {}", run.stderr);
        assert_eq!(different, 0, "{name}: {}", run.stderr);
        assert_eq!(original.len(), again.len(), "{name}: frame count");
        for (i, (a, b)) in original.iter().zip(&again).enumerate() {
            assert_eq!(a, b, "{name}: frame {} differs", i + 1);
        }
        // Classic pcap: the file itself comes back byte for byte, header
        // included (the FCS bits above the link type too).
        if name.ends_with(".pcap") {
            let (a, b) = (
                std::fs::read(&input).unwrap(),
                std::fs::read(&output).unwrap(),
            );
            assert_eq!(a.len(), b.len(), "{name}: size");
            assert_eq!(a[..24], b[..24], "{name}: header");
            assert!(a[24..] == b[24..], "{name}: records differ");
        }
    }
}

#[test]
fn rebuild_errors() {
    let tmp = TempDir::new("rebuild-err");
    let run = strata(&[
        Path::new("rebuild"),
        Path::new("tests/data/nope.pcap"),
        &tmp.path("out.pcap"),
    ]);
    assert!(run.fails().contains("nope.pcap"));
    let run = strata(&[Path::new("rebuild"), &root().join(TCP)]);
    run.fails();
}

// ---------------------------------------------------------------- check, protocols

#[test]
fn check_accepts_the_builtin_protocols() {
    let mut args = vec![PathBuf::from("check")];
    for e in std::fs::read_dir(root().join("protocols")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdl") {
            args.push(p);
        }
    }
    assert!(args.len() > 5);
    let run = strata(&args);
    run.ok();
    assert!(run.stderr.starts_with("ok:"), "{}", run.stderr);
}

#[test]
fn check_reports_errors_with_code_and_caret() {
    let tmp = TempDir::new("check");
    let bad = tmp.path("bad.pdl");
    std::fs::write(
        &bad,
        "pdl 1;\n\nlayer Foo \"Foo\" (filter = \"foo\", name = \"Foo\") {\n    a : u8;\n    b : u8 if nosuch == 1;\n}\n",
    )
    .unwrap();
    let run = strata(&[Path::new("check"), &bad]);
    let err = run.fails();
    assert!(err.contains("error[E0013]"), "{err}");
    assert!(err.contains("nosuch"), "{err}");
    assert!(err.contains("bad.pdl:5:15"), "{err}");
    // The caret line underlines `nosuch` (6 characters) under its column.
    let src_line = err
        .lines()
        .find(|l| l.contains("b : u8 if nosuch"))
        .expect("source line quoted");
    let caret_line = err.lines().find(|l| l.contains('^')).expect("caret line");
    let col = src_line.find("nosuch").unwrap();
    assert_eq!(caret_line.find('^'), Some(col), "{err}");
    assert!(caret_line[col..].starts_with("^^^^^^ "), "{err}");

    // A syntax error.
    std::fs::write(&bad, "pdl 1;\nlayer {\n").unwrap();
    let err = strata(&[Path::new("check"), &bad]).fails().to_string();
    assert!(err.contains("error[E0001]"), "{err}");
    // A missing file.
    strata(&[Path::new("check"), &tmp.path("missing.pdl")]).fails();
}

#[test]
fn protocols_lists_fields() {
    let run = strata(&["protocols", "--fields"]);
    let out = run.ok();
    assert!(
        out.lines().any(|l| l.starts_with("\tip.src\t")),
        "ip.src not listed"
    );
    assert!(out.lines().any(|l| l.starts_with("\ttcp.seq_raw\t")));
    assert!(out.lines().any(|l| l.starts_with("ip\tIpv4\t")));
    let short = strata(&["protocols"]).ok().to_string();
    assert!(short.lines().any(|l| l.starts_with("tcp\t")));
    assert!(!short.contains("ip.src"));
}
