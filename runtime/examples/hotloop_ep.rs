//! Profiling aid: etherparse over the same frames as `hotloop`.
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
            if let Ok(p) = etherparse::SlicedPacket::from_ethernet(f) {
                n += p.vlan().is_some() as usize
                    + p.net.is_some() as usize
                    + p.transport.is_some() as usize;
            }
        }
    }
    println!("{n}");
}
