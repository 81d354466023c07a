//! `#[derive(Layer)]`: a layer written in Rust behaves like the same layer
//! written as a `.pdl` schema (parse, build, checksum, metadata, IR), and
//! attribute mistakes are compile errors at the offending token (trybuild UI
//! tests in `tests/ui/`).

use strata::protocols::NoUnder;
use strata::{ChecksumStatus, Layer};

/// Demo protocol: one message over UDP port 9999.
#[derive(Layer)]
#[layer(
    name = "DEMO",
    filter = "demo",
    long_name = "Demo Protocol",
    info = "kind={kind}",
    bind = "udp.port[9999]"
)]
#[allow(dead_code)]
pub struct Demo {
    /// What the message is.
    #[pdl(
        bits = 4,
        enum = "DemoKind",
        values = "Request = 1, Reply = 2 \"Reply\"",
        label = "Kind"
    )]
    kind: u8,
    #[pdl(
        bits = 4,
        container = "urgent: bool @label(\"Urgent\"); _: u3",
        label = "Flags"
    )]
    flags: u8,
    #[pdl(derive = "sizeof(self)", label = "Length")]
    len: u16,
    #[pdl(checksum = "internet16, self", label = "Checksum")]
    checksum: u16,
    #[pdl(when = "kind == Reply", filter = "demo.cookie_value", display = "hex")]
    cookie: Option<u32>,
    #[pdl(fixed = 0x7e, hidden)]
    magic: u8,
    data: Vec<u8>,
}

/// The same protocol as a schema file, written by hand.
const DEMO_PDL: &str = r#"pdl 1;

enum DemoKind : u4 {
    Request = 1,
    Reply = 2 "Reply",
}

/// Demo protocol: one message over UDP port 9999.
layer Demo "Demo Protocol" (filter = "demo", name = "DEMO", info = "kind={kind}") {
    /// What the message is.
    kind : DemoKind @label("Kind");
    flags : bits u4 {
        urgent : bool @label("Urgent");
        _ : u3;
    } @label("Flags");
    len : u16 = derive(sizeof(self)) @label("Length");
    checksum : u16 = checksum(internet16, self) @label("Checksum");
    cookie : u32 if kind == Reply @filter("demo.cookie_value") @display(hex);
    magic : u8 = 0x7e @hidden;
    data : bytes[..];
}

bind udp.port[9999] => Demo;
"#;

const BYTES: &str = "28 000c c57a deadbeef 7e 6869";

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn parses_known_bytes() {
    let bytes = hex(BYTES);
    let v = demo::Demo::parse(&bytes).unwrap();
    assert_eq!(v.kind(), demo::DemoKind::Reply);
    assert_eq!(v.kind().to_string(), "Reply");
    assert!(v.flags_urgent());
    assert_eq!(v.flags(), 0x8);
    assert_eq!(v.len(), 12);
    assert_eq!(v.checksum(), 0xc57a);
    assert_eq!(v.checksum_status(&NoUnder), ChecksumStatus::Good);
    assert_eq!(v.cookie(), Some(0xdead_beef));
    assert_eq!(v.magic(), 0x7e);
    assert_eq!(v.data(), b"hi");
    assert_eq!(v.layer_len(), 12);

    // A request has no cookie.
    let req = hex("10 0008 0000 7e 6869");
    let v = demo::Demo::parse(&req).unwrap();
    assert_eq!(v.kind(), demo::DemoKind::Request);
    assert_eq!(v.cookie(), None);
    assert_eq!(v.data(), b"hi");
    assert_eq!(v.checksum_status(&NoUnder), ChecksumStatus::Bad);

    // Fixed value and length checks come from the same schema machinery.
    assert!(demo::Demo::parse(&hex("10 0008 0000 7f 6869")).is_err());
    assert!(demo::Demo::parse(&hex("10 0003 0000 7e")).is_err());
    assert!(demo::Demo::parse(&hex("10")).unwrap_err().is_truncation());
}

#[test]
fn builds_bytes() {
    let built = demo::DemoBuilder::new()
        .kind(demo::DemoKind::Reply)
        .flags_urgent(true)
        .cookie(0xdead_beefu32)
        .data(b"hi".to_vec())
        .build()
        .unwrap();
    assert_eq!(built, hex(BYTES));
    let request = demo::DemoBuilder::new()
        .kind(demo::DemoKind::Request)
        .cookie(1u32) // condition false: not written
        .data(b"hi".to_vec())
        .build()
        .unwrap();
    let v = demo::Demo::parse(&request).unwrap();
    assert_eq!(v.len(), 8);
    assert_eq!(v.cookie(), None);
    assert_eq!(v.checksum_status(&NoUnder), ChecksumStatus::Good);
    // Round trip through the builder of a view.
    let again = demo::Demo::parse(&built)
        .unwrap()
        .to_builder()
        .build()
        .unwrap();
    assert_eq!(again, built);
}

#[test]
fn metadata_matches_the_schema_file() {
    let mut sources = strata_compiler::derive::builtin_sources();
    sources.push(("demo.pdl".into(), DEMO_PDL.into()));
    let comp = strata_compiler::compile_sources(&sources);
    let schema = comp
        .result
        .as_ref()
        .unwrap_or_else(|_| panic!("{}", comp.render()));
    let s = schema.structs.iter().find(|s| s.name == "Demo").unwrap();
    let fields = &demo::DEMO_FIELDS;
    assert_eq!(fields.len(), s.fields.len());
    for (d, f) in fields.iter().zip(&s.fields) {
        assert_eq!(d.name, f.name);
        assert_eq!(d.path, f.path);
        assert_eq!(d.label, f.label);
        assert_eq!(d.hidden, f.hidden);
    }
    let paths: Vec<&str> = fields.iter().map(|f| f.path).collect();
    assert_eq!(
        paths,
        [
            "demo.kind",
            "demo.flags",
            "demo.flags.urgent",
            "demo.flags._reserved1",
            "demo.len",
            "demo.checksum",
            "demo.cookie_value",
            "demo.magic",
            "demo.data"
        ]
    );
    assert_eq!(demo::Demo::FILTER, "demo");
    assert_eq!(demo::Demo::LONG_NAME, "Demo Protocol");
    assert_eq!(demo::DEMO_DESC.label, "Demo Protocol");
}

/// The IR of the derived struct equals the IR of the hand-written schema
/// (spans are not in the IR; module ids are equal as both are compiled last).
#[test]
fn ir_equals_the_schema_file() {
    let ir_of = |text: &str| {
        let mut sources = strata_compiler::derive::builtin_sources();
        sources.push(("demo.pdl".into(), text.to_string()));
        let comp = strata_compiler::compile_sources(&sources);
        let schema = comp.result.unwrap();
        let s = schema.structs.iter().find(|s| s.name == "Demo").unwrap();
        let e = schema.enums.iter().find(|e| e.name == "DemoKind").unwrap();
        let b: Vec<_> = schema
            .binds
            .iter()
            .filter(|b| schema.structs[b.layer].name == "Demo")
            .collect();
        (
            serde_json::to_value(s).unwrap(),
            serde_json::to_value(e).unwrap(),
            serde_json::to_value(b).unwrap(),
        )
    };
    let derived = ir_of(Demo::PDL_SOURCE);
    let written = ir_of(DEMO_PDL);
    assert_eq!(derived.0, written.0);
    assert_eq!(derived.1, written.1);
    assert_eq!(derived.2, written.2);
    assert!(!derived.2.as_array().unwrap().is_empty());
}

/// One mistake per file; the expected messages and spans are the `.stderr`
/// files (`TRYBUILD=overwrite` regenerates them).
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}

/// The example of the README.
mod readme {
    use strata::Layer;

    #[derive(Layer)]
    #[layer(name = "DEMO", filter = "demo", bind = "udp.port[9999]")]
    #[allow(dead_code)]
    pub struct Demo {
        #[pdl(bits = 4, enum = "DemoKind", values = "Request = 1, Reply = 2")]
        kind: u8,
        #[pdl(bits = 4)]
        flags: u8,
        #[pdl(derive = "sizeof(self)")]
        len: u16,
        #[pdl(checksum = "internet16, self")]
        checksum: u16,
        #[pdl(when = "kind == Reply")]
        cookie: Option<u32>,
    }

    #[test]
    fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
        let bytes = demo::DemoBuilder::new()
            .kind(demo::DemoKind::Reply)
            .cookie(7u32)
            .build()?;
        let view = demo::Demo::parse(&bytes)?;
        assert_eq!(view.cookie(), Some(7));
        assert_eq!(bytes.len(), 9);
        Ok(())
    }
}

/// A checksum with lower-layer context: UDP's pseudo-header checksum,
/// written in Rust, gives the bytes the UDP schema gives.
mod pseudo {
    use strata::protocols::ipv4::{Ipv4, Ipv4Builder};
    use strata::protocols::udp::{Udp, UdpBuilder};
    use strata::protocols::{AnyBuilder, AnyLayer, BuildStack, NoUnder, Stack};
    use strata::{ChecksumStatus, Layer};

    #[derive(Layer)]
    #[layer(filter = "mini")]
    #[allow(dead_code)]
    pub struct MiniUdp {
        srcport: u16,
        dstport: u16,
        #[pdl(derive = "sizeof(self)")]
        length: u16,
        #[pdl(checksum = "internet16, under.pseudo(17, sizeof(self)) ++ self")]
        checksum: u16,
        data: Vec<u8>,
    }

    #[test]
    fn pseudo_header_checksum_matches_udp() {
        let ip = Ipv4Builder::new()
            .src([10, 0, 0, 1])
            .dst([10, 0, 0, 2])
            .proto(17u8);
        let under = [AnyBuilder::from(ip.clone())];
        let mut ours = Vec::new();
        mini_udp::MiniUdpBuilder::new()
            .srcport(1234u16)
            .dstport(53u16)
            .data(b"hello".to_vec())
            .write_to(&mut ours, &BuildStack(&under), &mut |_| Ok(()))
            .unwrap();
        let mut theirs = Vec::new();
        UdpBuilder::new()
            .srcport(1234u16)
            .dstport(53u16)
            .write_to(&mut theirs, &BuildStack(&under), &mut |out| {
                out.extend_from_slice(b"hello");
                Ok(())
            })
            .unwrap();
        assert_eq!(ours, theirs);
        assert_ne!(&ours[6..8], &[0, 0]);

        // Verified against the IPv4 view below.
        let ip_bytes = ip.build().unwrap();
        let ip_view = Ipv4::parse(&ip_bytes).unwrap();
        let stack = [AnyLayer::Ipv4(ip_view)];
        let v = mini_udp::MiniUdp::parse(&ours).unwrap();
        assert_eq!(v.checksum_status(&Stack(&stack)), ChecksumStatus::Good);
        assert_eq!(v.checksum_status(&NoUnder), ChecksumStatus::Unverified);
        let u = Udp::parse(&theirs).unwrap();
        assert_eq!(
            u.checksum_status(&Stack(&stack)),
            v.checksum_status(&Stack(&stack))
        );
    }
}
