//! Profiling aid: dissects the frames of a capture from memory, repeatedly.
fn main() {
    let path = std::env::args().nth(1).expect("capture");
    let mut r = strata::pcap::CaptureReader::open(&path).expect("open");
    let mut frames = Vec::new();
    while let Some(Ok(f)) = r.next_frame() {
        frames.push(f.data.to_vec());
        if frames.len() == 2000 {
            break;
        }
    }
    let mut n = 0usize;
    let iters: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    for _ in 0..iters {
        for f in &frames {
            let mut d = strata::dissect::Dissection::new(1, f, strata::dissect::Options::default());
            strata::dissect::dissect_into(&mut d);
            n += d.layers.len();
        }
    }
    println!("{n}");
}
