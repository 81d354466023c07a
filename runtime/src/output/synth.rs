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
    TCP_SEQ_QUOTED = ("tcp.seq", "Sequence Number", UInt, 32, Dec);
    TCP_NXTSEQ = ("tcp.nxtseq", "Next Sequence Number", UInt, 32, Dec);
    TCP_ACK = ("tcp.ack", "Acknowledgment Number", UInt, 32, Dec);
    TCP_FLAGS_STR = ("tcp.flags.str", "TCP Flags", Text, 0, Dec);
    TCP_WINDOW_SIZE = ("tcp.window_size", "Calculated window size", UInt, 32, Dec);
    TCP_WINDOW_SCALEFACTOR = ("tcp.window_size_scalefactor", "Window size scaling factor", Int, 32, Dec);
    TCP_TIME_RELATIVE = ("tcp.time_relative", "Time since first frame in this TCP stream", Time, 0, Dec);
    TCP_TIME_DELTA = ("tcp.time_delta", "Time since previous frame in this TCP stream", Time, 0, Dec);
    TCP_COMPLETENESS = ("tcp.completeness", "Conversation completeness", UInt, 8, Dec);
    TCP_ANALYSIS = ("tcp.analysis", "SEQ/ACK analysis", Marker, 0, Dec);
    TCP_ACKS_FRAME = ("tcp.analysis.acks_frame", "This is an ACK to the segment in frame", UInt, 32, Dec);
    TCP_ACK_RTT = ("tcp.analysis.ack_rtt", "The RTT to ACK the segment was", Time, 0, Dec);
    TCP_INITIAL_RTT = ("tcp.analysis.initial_rtt", "iRTT", Time, 0, Dec);
    TCP_BIF = ("tcp.analysis.bytes_in_flight", "Bytes in flight", UInt, 32, Dec);
    TCP_PUSH_BYTES = ("tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag", UInt, 32, Dec);
    TCP_AFLAGS = ("tcp.analysis.flags", "TCP Analysis Flags", Marker, 0, Dec);
    TCP_RETRANSMISSION = ("tcp.analysis.retransmission", "Retransmission", Marker, 0, Dec);
    TCP_FAST_RETRANSMISSION = ("tcp.analysis.fast_retransmission", "Fast retransmission", Marker, 0, Dec);
    TCP_SPURIOUS_RETRANSMISSION = ("tcp.analysis.spurious_retransmission", "Spurious retransmission", Marker, 0, Dec);
    TCP_OUT_OF_ORDER = ("tcp.analysis.out_of_order", "Out-of-order segment", Marker, 0, Dec);
    TCP_LOST_SEGMENT = ("tcp.analysis.lost_segment", "Previous segment not captured", Marker, 0, Dec);
    TCP_ACK_LOST_SEGMENT = ("tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured", Marker, 0, Dec);
    TCP_WINDOW_UPDATE = ("tcp.analysis.window_update", "Window update", Marker, 0, Dec);
    TCP_WINDOW_FULL = ("tcp.analysis.window_full", "Window full", Marker, 0, Dec);
    TCP_KEEP_ALIVE = ("tcp.analysis.keep_alive", "Keep-alive", Marker, 0, Dec);
    TCP_KEEP_ALIVE_ACK = ("tcp.analysis.keep_alive_ack", "Keep-alive ACK", Marker, 0, Dec);
    TCP_DUPLICATE_ACK = ("tcp.analysis.duplicate_ack", "Duplicate ACK", Marker, 0, Dec);
    TCP_DUPLICATE_ACK_NUM = ("tcp.analysis.duplicate_ack_num", "Duplicate ACK #", UInt, 32, Dec);
    TCP_DUPLICATE_ACK_FRAME = ("tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", UInt, 32, Dec);
    TCP_ZERO_WINDOW = ("tcp.analysis.zero_window", "Zero window", Marker, 0, Dec);
    TCP_ZERO_WINDOW_PROBE = ("tcp.analysis.zero_window_probe", "Zero window probe", Marker, 0, Dec);
    TCP_ZERO_WINDOW_PROBE_ACK = ("tcp.analysis.zero_window_probe_ack", "Zero window probe ACK", Marker, 0, Dec);
    TCP_REUSED_PORTS = ("tcp.analysis.reused_ports", "Port numbers reused", Marker, 0, Dec);
    TCP_TFO_SYN = ("tcp.analysis.tfo_syn", "TCP SYN with TFO Cookie", Marker, 0, Dec);
    TCP_RTO = ("tcp.analysis.rto", "The RTO for this segment was", Time, 0, Dec);
    TCP_RTO_FRAME = ("tcp.analysis.rto_frame", "RTO based on delta from frame", UInt, 32, Dec);
    TCP_CONN_SYN = ("tcp.connection.syn", "Connection establish request (SYN)", Marker, 0, Dec);
    TCP_CONN_SYNACK = ("tcp.connection.synack", "Connection establish acknowledge (SYN+ACK)", Marker, 0, Dec);
    TCP_CONN_FIN = ("tcp.connection.fin", "Connection finish (FIN)", Marker, 0, Dec);
    TCP_CONN_FIN_ACTIVE = ("tcp.connection.fin_active", "This frame initiates the connection closing", Marker, 0, Dec);
    TCP_CONN_FIN_PASSIVE = ("tcp.connection.fin_passive", "This frame undergoes the connection closing", Marker, 0, Dec);
    TCP_CONN_RST = ("tcp.connection.rst", "Connection reset (RST)", Marker, 0, Dec);
    TCP_SACK_LE = ("tcp.options.sack_le", "left edge", UInt, 32, Dec);
    TCP_SACK_RE = ("tcp.options.sack_re", "right edge", UInt, 32, Dec);
    TCP_PAYLOAD = ("tcp.payload", "TCP payload", Bytes, 0, Dec);
    UDP_STREAM = ("udp.stream", "Stream index", UInt, 32, Dec);
    UDP_TIME_RELATIVE = ("udp.time_relative", "Time since first frame", Time, 0, Dec);
    UDP_TIME_DELTA = ("udp.time_delta", "Time since previous frame", Time, 0, Dec);
    UDP_PAYLOAD = ("udp.payload", "Payload", Bytes, 0, Dec);
    ICMP_RESP_TO = ("icmp.resp_to", "Request frame", UInt, 32, Dec);
    ICMP_RESPTIME = ("icmp.resptime", "Response time", Text, 0, Dec);
    ICMP_DATA_TIME = ("icmp.data_time", "Timestamp from icmp data", Text, 0, Dec);
    ICMP_DATA_TIME_RELATIVE = ("icmp.data_time_relative", "Timestamp from icmp data (relative)", Time, 0, Dec);
    ICMPV6_RESP_TO = ("icmpv6.resp_to", "Response To", UInt, 32, Dec);
    ICMPV6_RESPTIME = ("icmpv6.resptime", "Response Time", Text, 0, Dec);
    MALFORMED = ("_ws.malformed", "Malformed Packet", Marker, 0, Dec);
    SHORT = ("_ws.short", "Packet size limited during capture", Marker, 0, Dec);
    // Strata's own: what exactly went wrong (layer, field, byte offset).
    STRATA_ERROR = ("strata.error", "Error", Text, 0, Dec);
}

/// `strata.tcp.options`: the TCP options as Wireshark's summary line shows
/// them (` MSS=1460 SACK_PERM WS=128`). Only templates see it: no output
/// format lists it.
pub static STRATA_TCP_OPTIONS: FieldDesc = desc(
    "strata.tcp.options",
    "TCP options summary",
    FieldKind::Text,
    0,
    Base::Dec,
);
