//! Dissection throughput on a large, realistic Ethernet capture.
//!
//! ```text
//! cargo bench -p strata --bench dissect
//! ```
//!
//! The capture is written by `examples/make_bench_capture.rs` (included
//! below as a module) with strata's own builders: 200 000 frames of mixed
//! Ethernet / 802.1Q / QinQ, IPv4 / IPv6, TCP / UDP / ICMP traffic. It is
//! generated at start-up into `$TMPDIR/strata-bench/` (about a second; done
//! on every run so that it always reflects the current builders), unless
//! `STRATA_BENCH_PCAP` names an existing Ethernet capture to use instead.
//! `STRATA_BENCH_FRAMES` changes the number of generated frames.
//!
//! Every benchmark handles every frame of the capture once per iteration and
//! reports per-frame throughput (`Throughput::Elements`):
//!
//! * `pcap_read_loop` — `CaptureReader` over the file, touching each frame
//!   (the floor: reading the capture at all);
//! * `etherparse_sliced` — `etherparse::SlicedPacket::from_ethernet` over the
//!   frames held in memory;
//! * `strata_dissect` — `strata::dissect::dissect_into` with default options,
//!   reading the layer count and the TCP source port through the view;
//! * `strata_dissect_deep` — the same with `Options { deep: true, .. }`
//!   (arrays of options walked and validated);
//! * `strata_fields` — dissect, then extract `ip.src`, `tcp.srcport` and
//!   `tcp.seq_raw` through `Dissection::visit_layer` with a visitor that
//!   matches field paths, the way `-T fields` works;
//! * `strata_fields_cached` — the same, remembering per `FieldDesc` (they
//!   are `'static`) whether it matched, so paths are compared once per
//!   field kind instead of once per field visited;
//! * `etherparse_sliced_hot` / `strata_dissect_hot` — the two parsers over
//!   1 000 frames sampled evenly from the capture (about 0.7 MB, so they
//!   stay in cache), as many times as the capture has frames: the parsing
//!   cost without the cache misses of streaming 140 MB through memory.
//!
//! A table of nanoseconds per frame and the ratios between them is printed
//! at the end (from the same samples criterion measured).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use strata::dissect::{dissect, dissect_into, Dissection, Options};
use strata::field::{Value, Visitor};
use strata::pcap::CaptureReader;
use strata::protocols::AnyLayer;
use strata::FieldDesc;

#[path = "../examples/make_bench_capture.rs"]
#[allow(dead_code)]
mod gen;

/// The capture to read: `STRATA_BENCH_PCAP`, or a freshly generated one.
fn capture_path() -> PathBuf {
    if let Some(p) = std::env::var_os("STRATA_BENCH_PCAP") {
        return PathBuf::from(p);
    }
    let n = std::env::var("STRATA_BENCH_FRAMES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(gen::DEFAULT_FRAMES);
    let dir = std::env::temp_dir().join("strata-bench");
    std::fs::create_dir_all(&dir).expect("create the capture directory");
    let path = dir.join(format!("bench-{n}.pcap"));
    let tmp = dir.join(format!("bench-{n}.pcap.{}.tmp", std::process::id()));
    let t = Instant::now();
    let s = gen::write_capture(&tmp, n, false, gen::Checksums::AsBuilt)
        .expect("generate the benchmark capture");
    std::fs::rename(&tmp, &path).expect("move the capture in place");
    eprintln!(
        "generated {} ({} frames, {:.1} MB) in {:.2?}",
        path.display(),
        s.frames,
        s.bytes as f64 / 1e6,
        t.elapsed()
    );
    path
}

/// Every frame of an Ethernet capture, in one buffer.
struct Frames {
    data: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Frames {
    fn load(path: &Path) -> Frames {
        let mut r = CaptureReader::open(path).expect("open the capture");
        let mut data = Vec::new();
        let mut spans = Vec::new();
        while let Some(f) = r.next_frame() {
            let f = f.expect("read a frame");
            assert_eq!(f.linktype, 1, "the benchmark needs an Ethernet capture");
            spans.push((data.len(), f.data.len()));
            data.extend_from_slice(f.data);
        }
        Frames { data, spans }
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.spans.iter().map(|&(at, len)| &self.data[at..at + len])
    }

    /// About `n` frames taken evenly across the capture, in a compact buffer.
    fn sample(&self, n: usize) -> Frames {
        let step = (self.spans.len() / n.max(1)).max(1);
        let mut data = Vec::new();
        let mut spans = Vec::new();
        for f in self.iter().step_by(step).take(n) {
            spans.push((data.len(), f.len()));
            data.extend_from_slice(f);
        }
        Frames { data, spans }
    }
}

// ---------------------------------------------------------------------------
// The measured routines; each returns a value derived from every frame.

fn pcap_read_loop(path: &Path) -> u64 {
    let mut r = CaptureReader::open(path).expect("open the capture");
    let mut acc = 0u64;
    while let Some(f) = r.next_frame() {
        let f = f.expect("read a frame");
        acc = acc.wrapping_add(f.data.len() as u64 + u64::from(f.data[0]));
    }
    acc
}

fn etherparse_sliced(frames: &Frames) -> u64 {
    let mut acc = 0u64;
    for f in frames.iter() {
        match SlicedPacket::from_ethernet(f) {
            Ok(p) => {
                acc += p.link_exts.len() as u64;
                match &p.net {
                    Some(NetSlice::Ipv4(ip)) => acc += u64::from(ip.header().ttl()),
                    Some(NetSlice::Ipv6(ip)) => acc += u64::from(ip.header().hop_limit()),
                    _ => {}
                }
                match &p.transport {
                    Some(TransportSlice::Tcp(t)) => acc += u64::from(t.source_port()),
                    Some(TransportSlice::Udp(u)) => acc += u64::from(u.source_port()),
                    Some(_) => acc += 1,
                    None => {}
                }
            }
            Err(_) => acc += 1_000_000,
        }
    }
    acc
}

fn strata_dissect(frames: &Frames, deep: bool) -> u64 {
    let options = Options {
        deep,
        ..Options::default()
    };
    let mut acc = 0u64;
    for f in frames.iter() {
        let mut d = Dissection::new(1, f, options);
        dissect_into(&mut d);
        acc += d.layers.len() as u64;
        for l in &d.layers {
            if let AnyLayer::Tcp(t) = &l.view {
                acc += u64::from(t.srcport());
            }
        }
    }
    acc
}

/// The fields `-T fields -e ip.src -e tcp.srcport -e tcp.seq_raw` asks for.
const WANTED: [&str; 3] = ["ip.src", "tcp.srcport", "tcp.seq_raw"];

/// Collects the values of [`WANTED`] fields, matching each field's path
/// (and aliases) like the CLI does.
#[derive(Default)]
struct FieldsVisitor {
    acc: u64,
    hits: u64,
}

impl<'a> Visitor<'a> for FieldsVisitor {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, _offset: u32, _len: u32) {
        for (i, w) in WANTED.iter().enumerate() {
            if desc.matches(w) {
                self.hits += 1;
                self.acc = self.acc.wrapping_add(
                    match value {
                        Value::Ipv4(a) => u64::from(u32::from_be_bytes(a)),
                        v => v.as_u64().unwrap_or(0),
                    } << i,
                );
            }
        }
    }
}

fn strata_fields(frames: &Frames) -> u64 {
    let mut v = FieldsVisitor::default();
    for f in frames.iter() {
        let d = dissect(1, f, Options::default());
        for i in 0..d.layers.len() {
            d.visit_layer(i, &mut v);
        }
    }
    v.acc.wrapping_add(v.hits)
}

/// [`FieldsVisitor`] with the path matching done once per `FieldDesc`.
#[derive(Default)]
struct CachedFieldsVisitor {
    /// `FieldDesc` address → bit set of the [`WANTED`] paths it matches.
    seen: HashMap<usize, u8, BuildHasherDefault<AddrHasher>>,
    acc: u64,
    hits: u64,
}

impl<'a> Visitor<'a> for CachedFieldsVisitor {
    fn field(&mut self, desc: &'static FieldDesc, value: Value<'a>, _offset: u32, _len: u32) {
        let mask = *self
            .seen
            .entry(desc as *const FieldDesc as usize)
            .or_insert_with(|| {
                WANTED
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| desc.matches(w))
                    .fold(0u8, |m, (i, _)| m | 1 << i)
            });
        if mask == 0 {
            return;
        }
        for i in 0..WANTED.len() {
            if mask & 1 << i != 0 {
                self.hits += 1;
                self.acc = self.acc.wrapping_add(
                    match value {
                        Value::Ipv4(a) => u64::from(u32::from_be_bytes(a)),
                        v => v.as_u64().unwrap_or(0),
                    } << i,
                );
            }
        }
    }
}

/// Hashes a (pointer-sized) key as itself: the keys are addresses.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        // Spread the address bits (descriptors are 8-byte aligned).
        self.0 = (n as u64 >> 3).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

fn strata_fields_cached(frames: &Frames, v: &mut CachedFieldsVisitor) -> u64 {
    for f in frames.iter() {
        let d = dissect(1, f, Options::default());
        for i in 0..d.layers.len() {
            d.visit_layer(i, v);
        }
    }
    v.acc.wrapping_add(v.hits)
}

/// Runs `f` over the frames `reps` times.
fn repeat(reps: usize, f: impl Fn() -> u64) -> u64 {
    (0..reps).fold(0u64, |a, _| a.wrapping_add(f()))
}

// ---------------------------------------------------------------------------

/// Per-benchmark sample totals, for the summary table: (time, iterations,
/// fastest iteration).
static SAMPLES: Mutex<BTreeMap<&'static str, (Duration, u64, Duration)>> =
    Mutex::new(BTreeMap::new());

fn record(name: &'static str, total: Duration, iters: u64) {
    let mut m = SAMPLES.lock().unwrap();
    let e = m.entry(name).or_insert((Duration::ZERO, 0, Duration::MAX));
    e.0 += total;
    e.1 += iters;
    e.2 = e.2.min(total / iters.max(1) as u32);
}

/// Frames in the cache-resident sample.
const HOT_FRAMES: usize = 1000;

fn bench(c: &mut Criterion, path: &Path, frames: &Frames) {
    let n = frames.spans.len() as u64;
    let hot = frames.sample(HOT_FRAMES);
    // The sample is handled `reps` times per iteration: as many frames as
    // the capture (give or take the rounding).
    let reps = frames.spans.len().div_ceil(hot.spans.len().max(1));
    let hot_scale = n as f64 / (reps * hot.spans.len()) as f64;
    let mut g = c.benchmark_group("dissect");
    g.throughput(Throughput::Elements(n))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    let mut run = |name: &'static str, f: &dyn Fn() -> u64| {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let t = Instant::now();
                for _ in 0..iters {
                    black_box(f());
                }
                let el = t.elapsed();
                record(name, el, iters);
                el
            })
        });
    };
    run("pcap_read_loop", &|| pcap_read_loop(black_box(path)));
    run("etherparse_sliced", &|| {
        etherparse_sliced(black_box(frames))
    });
    run("strata_dissect", &|| {
        strata_dissect(black_box(frames), false)
    });
    run("strata_dissect_deep", &|| {
        strata_dissect(black_box(frames), true)
    });
    run("strata_fields", &|| strata_fields(black_box(frames)));
    let cached = std::cell::RefCell::new(CachedFieldsVisitor::default());
    run("strata_fields_cached", &|| {
        strata_fields_cached(black_box(frames), &mut cached.borrow_mut())
    });
    run("etherparse_sliced_hot", &|| {
        repeat(reps, || etherparse_sliced(black_box(&hot)))
    });
    run("strata_dissect_hot", &|| {
        repeat(reps, || strata_dissect(black_box(&hot), false))
    });
    g.finish();
    HOT_SCALE.lock().unwrap().replace(hot_scale);
}

/// Frames handled by a `_hot` iteration over frames in the capture (the
/// sample does not divide the capture exactly).
static HOT_SCALE: Mutex<Option<f64>> = Mutex::new(None);

/// What the capture holds, as each parser sees it (a sanity check that
/// both parse the same traffic).
fn describe(frames: &Frames) {
    let mut strata_valid = 0u64;
    let mut strata_layers = 0u64;
    let mut strata_tcp = 0u64;
    for f in frames.iter() {
        let d = dissect(1, f, Options::default());
        strata_valid += u64::from(d.is_valid());
        strata_layers += d.layers.len() as u64;
        strata_tcp += u64::from(d.layers.iter().any(|l| matches!(l.view, AnyLayer::Tcp(_))));
    }
    let mut ep_ok = 0u64;
    let mut ep_tcp = 0u64;
    for f in frames.iter() {
        if let Ok(p) = SlicedPacket::from_ethernet(f) {
            ep_ok += 1;
            ep_tcp += u64::from(matches!(p.transport, Some(TransportSlice::Tcp(_))));
        }
    }
    let n = frames.spans.len();
    eprintln!(
        "capture: {n} frames, {:.1} MB, mean {:.0} B/frame; strata: {strata_valid} valid, \
         {:.2} layers/frame, {strata_tcp} with TCP; etherparse: {ep_ok} ok, {ep_tcp} with TCP",
        frames.data.len() as f64 / 1e6,
        frames.data.len() as f64 / n.max(1) as f64,
        strata_layers as f64 / n.max(1) as f64,
    );
}

fn summary(n: u64) {
    let m = SAMPLES.lock().unwrap();
    if m.is_empty() {
        return;
    }
    let hot_scale = HOT_SCALE.lock().unwrap().unwrap_or(1.0);
    // Frames one iteration handled.
    let frames_of = |name: &str| {
        if name.ends_with("_hot") {
            n as f64 / hot_scale
        } else {
            n as f64
        }
    };
    let per_frame = |name: &str| {
        m.get(name)
            .map(|&(t, it, _)| t.as_nanos() as f64 / it.max(1) as f64 / frames_of(name))
    };
    println!("\nper frame ({n} frames; mean over all samples, fastest iteration in brackets):");
    for (name, &(t, it, best)) in m.iter() {
        let ns = t.as_nanos() as f64 / it.max(1) as f64 / frames_of(name);
        println!(
            "  {name:<22} {ns:>8.1} ns  [{:>7.1} ns]  {:>7.2} Mframes/s",
            best.as_nanos() as f64 / frames_of(name),
            1e3 / ns
        );
    }
    let ratio = |a: &str, b: &str| {
        if let (Some(x), Some(y)) = (per_frame(a), per_frame(b)) {
            println!("  {a} / {b}: {:.2}", x / y);
        }
    };
    println!("ratios:");
    ratio("strata_dissect", "etherparse_sliced");
    ratio("strata_dissect_deep", "etherparse_sliced");
    ratio("strata_dissect", "pcap_read_loop");
    ratio("strata_dissect_deep", "strata_dissect");
    ratio("strata_fields", "strata_dissect");
    ratio("strata_fields_cached", "strata_dissect");
    ratio("strata_dissect_hot", "etherparse_sliced_hot");
    ratio("etherparse_sliced", "pcap_read_loop");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let path = capture_path();
    let frames = Frames::load(&path);
    describe(&frames);
    bench(&mut c, &path, &frames);
    c.final_summary();
    summary(frames.spans.len() as u64);
}
