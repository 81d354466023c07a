//! Checksum algorithms named by schemas (`checksum(internet16, ...)`), fed in
//! pieces so pseudo-headers and regions need no copying.

/// An incremental checksum over byte pieces.
#[derive(Clone, Debug)]
pub enum Checksummer {
    /// RFC 1071 ones'-complement sum; `odd` holds a pending high byte.
    Internet16 {
        /// Running 32-bit sum.
        sum: u64,
        /// A byte waiting for its pair.
        odd: Option<u8>,
    },
    /// CRC-32 (reflected, poly 0xEDB88320).
    Crc32(u32),
    /// CRC-16/KERMIT (reflected, poly 0x8408, init 0).
    Crc16Kermit(u16),
    /// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF).
    Crc16Ccitt(u16),
    /// XOR of all bytes starting from 0xFF.
    Xor8(u8),
}

impl Checksummer {
    /// Internet checksum.
    pub fn internet16() -> Self {
        Checksummer::Internet16 { sum: 0, odd: None }
    }
    /// CRC-32.
    pub fn crc32() -> Self {
        Checksummer::Crc32(0xFFFF_FFFF)
    }
    /// CRC-16/KERMIT.
    pub fn crc16_kermit() -> Self {
        Checksummer::Crc16Kermit(0)
    }
    /// CRC-16/CCITT-FALSE.
    pub fn crc16_ccitt() -> Self {
        Checksummer::Crc16Ccitt(0xFFFF)
    }
    /// XOR-8.
    pub fn xor8() -> Self {
        Checksummer::Xor8(0xFF)
    }

    /// Adds bytes.
    pub fn feed(&mut self, data: &[u8]) {
        match self {
            Checksummer::Internet16 { sum, odd } => {
                let mut d = data;
                if let Some(h) = odd.take() {
                    if let Some((&l, rest)) = d.split_first() {
                        *sum += u16::from_be_bytes([h, l]) as u64;
                        d = rest;
                    } else {
                        *odd = Some(h);
                        return;
                    }
                }
                let mut chunks = d.chunks_exact(2);
                for c in &mut chunks {
                    *sum += u16::from_be_bytes([c[0], c[1]]) as u64;
                }
                if let [b] = chunks.remainder() {
                    *odd = Some(*b);
                }
            }
            Checksummer::Crc32(c) => {
                for &b in data {
                    *c ^= b as u32;
                    for _ in 0..8 {
                        *c = if *c & 1 != 0 {
                            (*c >> 1) ^ 0xEDB8_8320
                        } else {
                            *c >> 1
                        };
                    }
                }
            }
            Checksummer::Crc16Kermit(c) => {
                for &b in data {
                    *c ^= b as u16;
                    for _ in 0..8 {
                        *c = if *c & 1 != 0 {
                            (*c >> 1) ^ 0x8408
                        } else {
                            *c >> 1
                        };
                    }
                }
            }
            Checksummer::Crc16Ccitt(c) => {
                for &b in data {
                    *c ^= (b as u16) << 8;
                    for _ in 0..8 {
                        *c = if *c & 0x8000 != 0 {
                            (*c << 1) ^ 0x1021
                        } else {
                            *c << 1
                        };
                    }
                }
            }
            Checksummer::Xor8(c) => {
                for &b in data {
                    *c ^= b;
                }
            }
        }
    }

    /// Adds bytes, reading `[mask_start, mask_start + mask_len)` of them as zero
    /// (the checksum field itself).
    pub fn feed_masked(&mut self, data: &[u8], mask_start: usize, mask_len: usize) {
        let a = mask_start.min(data.len());
        let b = mask_start.saturating_add(mask_len).min(data.len());
        self.feed(&data[..a]);
        const ZEROS: [u8; 8] = [0; 8];
        let mut left = b - a;
        while left > 0 {
            let n = left.min(8);
            self.feed(&ZEROS[..n]);
            left -= n;
        }
        self.feed(&data[b..]);
    }

    /// The final value as stored on the wire.
    pub fn finish(&self) -> u64 {
        match self {
            Checksummer::Internet16 { sum, odd } => {
                let mut s = *sum;
                if let Some(h) = odd {
                    s += (*h as u64) << 8;
                }
                while s >> 16 != 0 {
                    s = (s & 0xFFFF) + (s >> 16);
                }
                (!(s as u16)) as u64
            }
            Checksummer::Crc32(c) => (!*c) as u64,
            Checksummer::Crc16Kermit(c) => c.swap_bytes() as u64,
            Checksummer::Crc16Ccitt(c) => *c as u64,
            Checksummer::Xor8(c) => *c as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut c: Checksummer, data: &[u8]) -> u64 {
        c.feed(data);
        c.finish()
    }

    #[test]
    fn known_answers() {
        // Check values of the standard "123456789" test vector.
        assert_eq!(run(Checksummer::crc32(), b"123456789"), 0xCBF4_3926);
        assert_eq!(run(Checksummer::crc16_ccitt(), b"123456789"), 0x29B1);
        // KERMIT check value 0x2189, stored little-endian first byte 0x89.
        assert_eq!(run(Checksummer::crc16_kermit(), b"123456789"), 0x8921);
        // RFC 1071 example bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2, complement 0x220d.
        assert_eq!(
            run(
                Checksummer::internet16(),
                &[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]
            ),
            0x220d
        );
    }

    #[test]
    fn pieces_equal_whole() {
        let data: Vec<u8> = (0u8..=100).collect();
        let whole = run(Checksummer::internet16(), &data);
        let mut c = Checksummer::internet16();
        c.feed(&data[..3]);
        c.feed(&data[3..4]);
        c.feed(&data[4..]);
        assert_eq!(c.finish(), whole);
    }

    #[test]
    fn masked_reads_zero() {
        let data = [1u8, 2, 3, 4, 5, 6];
        let mut a = Checksummer::internet16();
        a.feed_masked(&data, 2, 2);
        assert_eq!(
            a.finish(),
            run(Checksummer::internet16(), &[1, 2, 0, 0, 5, 6])
        );
    }
}
