//! `-x`: hex and ASCII dump of the frame bytes, in tshark's layout (offset,
//! 16 bytes in hex, two spaces, the printable characters).

/// Appends the dump of `data` to `out`.
pub fn hexdump(data: &[u8], out: &mut String) {
    use std::fmt::Write;
    for (i, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, "{:04x}  ", i * 16);
        for j in 0..16 {
            match chunk.get(j) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  ");
        for &b in chunk {
            out.push(if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            });
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_line() {
        let mut s = String::new();
        super::hexdump(b"ABCDEFGHIJKLMNOPQ", &mut s);
        assert_eq!(
            s,
            "0000  41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50   ABCDEFGHIJKLMNOP\n0010  51                                                Q\n"
        );
    }
}
