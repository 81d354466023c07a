//! Descriptions of the fields the runtime adds (frame metadata, trailers,
//! undissected data, conversation analysis): paths as Wireshark names them.

use crate::field::{Base, FieldDesc, FieldKind};

const fn desc(
    path: &'static str,
    label: &'static str,
    kind: FieldKind,
    bits: u8,
    base: Base,
) -> FieldDesc {
    FieldDesc {
        name: path,
        path,
        aliases: &[],
        label,
        kind,
        bits,
        base,
        hex_digits: 0,
        unit: None,
        hidden: false,
        enum_label: None,
        static_loc: None,
    }
}

/// Wireshark hides the resolved-name fields in trees.
const fn is_hidden(path: &str) -> bool {
    let b = path.as_bytes();
    let suffix = b"_resolved";
    if b.len() < suffix.len() {
        return false;
    }
    let mut i = 0;
    while i < suffix.len() {
        if b[b.len() - suffix.len() + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! synth {
    ($($name:ident = ($path:literal, $label:literal, $kind:ident, $bits:literal, $base:ident);)*) => {
        $(
            #[doc = concat!("`", $path, "`")]
            pub static $name: FieldDesc = FieldDesc { hidden: is_hidden($path), ..desc($path, $label, FieldKind::$kind, $bits, Base::$base) };
        )*
        /// Every synthetic field.
        pub static ALL: &[&FieldDesc] = &[$(&$name),*];
    };
}

synth! {
    FRAME = ("frame", "Frame", Struct, 0, Dec);
    FRAME_NUMBER = ("frame.number", "Frame Number", UInt, 32, Dec);
    FRAME_TIME_EPOCH = ("frame.time_epoch", "Epoch Time", Time, 0, Dec);
    FRAME_TIME_RELATIVE = ("frame.time_relative", "Time since reference or first frame", Time, 0, Dec);
    FRAME_TIME_DELTA = ("frame.time_delta", "Time delta from previous captured frame", Time, 0, Dec);
    FRAME_TIME_DELTA_DISPLAYED = ("frame.time_delta_displayed", "Time delta from previous displayed frame", Time, 0, Dec);
    FRAME_LEN = ("frame.len", "Frame Length", UInt, 32, Dec);
    FRAME_CAP_LEN = ("frame.cap_len", "Capture Length", UInt, 32, Dec);
    FRAME_PROTOCOLS = ("frame.protocols", "Protocols in frame", Text, 0, Dec);
    FRAME_INTERFACE_ID = ("frame.interface_id", "Interface id", UInt, 32, Dec);
    FRAME_ENCAP = ("frame.linktype", "Link type", UInt, 32, Dec);
    ETH_DST_RESOLVED = ("eth.dst_resolved", "Destination (resolved)", Text, 0, Dec);
    ETH_SRC_RESOLVED = ("eth.src_resolved", "Source (resolved)", Text, 0, Dec);
    ETH_ADDR_RESOLVED = ("eth.addr_resolved", "Address (resolved)", Text, 0, Dec);
    ETH_DST_OUI_RESOLVED = ("eth.dst.oui_resolved", "Destination OUI (resolved)", Text, 0, Dec);
    ETH_SRC_OUI_RESOLVED = ("eth.src.oui_resolved", "Source OUI (resolved)", Text, 0, Dec);
    ETH_ADDR_OUI_RESOLVED = ("eth.addr.oui_resolved", "Address OUI (resolved)", Text, 0, Dec);
    ETH_PADDING = ("eth.padding", "Padding", Bytes, 0, Dec);
    ETH_TRAILER = ("eth.trailer", "Trailer", Bytes, 0, Dec);
    ETH_FCS = ("eth.fcs", "Frame check sequence", UInt, 32, Hex);
    ETH_FCS_STATUS = ("eth.fcs.status", "FCS Status", Status, 8, Dec);
    VLAN_TRAILER = ("vlan.trailer", "Trailer", Bytes, 0, Dec);
    DATA = ("data", "Data", Struct, 0, Dec);
    DATA_DATA = ("data.data", "Data", Bytes, 0, Dec);
    DATA_LEN = ("data.len", "Length", Int, 32, Dec);
    TCP_STREAM = ("tcp.stream", "Stream index", UInt, 32, Dec);
    TCP_LEN = ("tcp.len", "TCP Segment Len", UInt, 32, Dec);
    TCP_SEQ = ("tcp.seq", "Sequence Number", UInt, 32, Dec);
    TCP_NXTSEQ = ("tcp.nxtseq", "Next Sequence Number", UInt, 32, Dec);
    TCP_ACK = ("tcp.ack", "Acknowledgment Number", UInt, 32, Dec);
    TCP_FLAGS_STR = ("tcp.flags.str", "TCP Flags", Text, 0, Dec);
    TCP_WINDOW_SIZE = ("tcp.window_size", "Calculated window size", UInt, 32, Dec);
    TCP_WINDOW_SCALEFACTOR = ("tcp.window_size_scalefactor", "Window size scaling factor", Int, 32, Dec);
    TCP_TIME_RELATIVE = ("tcp.time_relative", "Time since first frame in this TCP stream", Time, 0, Dec);
    TCP_TIME_DELTA = ("tcp.time_delta", "Time since previous frame in this TCP stream", Time, 0, Dec);
    TCP_PAYLOAD = ("tcp.payload", "TCP payload", Bytes, 0, Dec);
    UDP_STREAM = ("udp.stream", "Stream index", UInt, 32, Dec);
    UDP_TIME_RELATIVE = ("udp.time_relative", "Time since first frame", Time, 0, Dec);
    UDP_TIME_DELTA = ("udp.time_delta", "Time since previous frame", Time, 0, Dec);
    UDP_PAYLOAD = ("udp.payload", "Payload", Bytes, 0, Dec);
    MALFORMED = ("_ws.malformed", "Malformed Packet", Marker, 0, Dec);
    SHORT = ("_ws.short", "Packet size limited during capture", Marker, 0, Dec);
}
