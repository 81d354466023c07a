//! Support for generated code. Not a stable API: only generated code and the
//! derive macro use it (the name says so, as serde's does).
#![allow(missing_docs)]

pub use crate::checksum::Checksummer;
pub use crate::error::{BuildError, Error, ErrorKind};
pub use crate::field::{
    Base, ChecksumStatus, Eui64, FieldDesc, FieldKind, MacAddr, StaticLoc, TemplatePart, Value,
    Visitor,
};
pub use crate::packet::{Packet, Part};
pub use std::net::{Ipv4Addr, Ipv6Addr};

/// Reads `N` bytes big-endian at `off`; 0 when out of range (never panics).
#[inline(always)]
pub fn rd_be<const N: usize>(buf: &[u8], off: usize) -> u64 {
    match buf.get(off..off.wrapping_add(N)) {
        // One load and a byte swap instead of a loop over the bytes.
        Some(s) if N <= 8 => {
            let mut a = [0u8; 8];
            if let Ok(x) = <&[u8; N]>::try_from(s) {
                a[8 - N..].copy_from_slice(x);
            }
            u64::from_be_bytes(a)
        }
        Some(s) => s.iter().fold(0u64, |v, &b| (v << 8) | b as u64),
        None => 0,
    }
}

/// Reads `N` bytes little-endian at `off`; 0 when out of range.
#[inline(always)]
pub fn rd_le<const N: usize>(buf: &[u8], off: usize) -> u64 {
    match buf.get(off..off.wrapping_add(N)) {
        Some(s) if N <= 8 => {
            let mut a = [0u8; 8];
            if let Ok(x) = <&[u8; N]>::try_from(s) {
                a[..N].copy_from_slice(x);
            }
            u64::from_le_bytes(a)
        }
        Some(s) => s.iter().rev().fold(0u64, |v, &b| (v << 8) | b as u64),
        None => 0,
    }
}

/// Writes the low `N` bytes of `v` big-endian at `off` (ignored when out of range).
#[inline]
pub fn wr_be<const N: usize>(buf: &mut [u8], off: usize, v: u64) {
    if let Some(s) = buf.get_mut(off..off.wrapping_add(N)) {
        for (i, b) in s.iter_mut().enumerate() {
            *b = (v >> (8 * (N - 1 - i))) as u8;
        }
    }
}

/// Writes the low `N` bytes of `v` little-endian at `off`.
#[inline]
pub fn wr_le<const N: usize>(buf: &mut [u8], off: usize, v: u64) {
    if let Some(s) = buf.get_mut(off..off.wrapping_add(N)) {
        for (i, b) in s.iter_mut().enumerate() {
            *b = (v >> (8 * i)) as u8;
        }
    }
}

/// Replaces `bits` bits at `shift` of an N-byte run with `v`.
#[inline]
pub fn put_bits<const N: usize>(
    buf: &mut [u8],
    off: usize,
    little: bool,
    shift: u8,
    bits: u8,
    v: u64,
) {
    let mask = mask(bits) << shift;
    let old = if little {
        rd_le::<N>(buf, off)
    } else {
        rd_be::<N>(buf, off)
    };
    let new = (old & !mask) | ((v << shift) & mask);
    if little {
        wr_le::<N>(buf, off, new)
    } else {
        wr_be::<N>(buf, off, new)
    }
}

/// `bits` low bits set.
#[inline(always)]
pub const fn mask(bits: u8) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// Bytes `[a, b)` of `buf`, empty when out of range.
#[inline(always)]
pub fn slice(buf: &[u8], a: usize, b: usize) -> &[u8] {
    buf.get(a..b).unwrap_or(&[])
}

/// Fixed-size array at `off`, zeros when out of range.
#[inline(always)]
pub fn arr<const N: usize>(buf: &[u8], off: usize) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(s) = buf.get(off..off.wrapping_add(N)) {
        out.copy_from_slice(s);
    }
    out
}

#[cold]
pub fn trunc(
    layer: &'static str,
    field: &'static str,
    offset: usize,
    needed: usize,
    available: usize,
) -> Error {
    Error {
        kind: ErrorKind::Truncated {
            needed: needed.min(u32::MAX as usize) as u32,
            available: available.min(u32::MAX as usize) as u32,
        },
        layer,
        field,
        offset: offset.min(u32::MAX as usize) as u32,
    }
}

/// A truncation error naming the first static field that does not fit.
#[cold]
pub fn trunc_min(
    layer: &'static str,
    fields: &'static [FieldDesc],
    min: usize,
    available: usize,
) -> Error {
    let mut name = "";
    let mut at = 0usize;
    for f in fields {
        if let Some(l) = f.static_loc {
            let end = l.offset as usize + l.bytes as usize;
            if end > available {
                name = f.name;
                at = l.offset as usize;
                break;
            }
        }
    }
    trunc(layer, name, at, min, available)
}

#[cold]
pub fn err(layer: &'static str, field: &'static str, offset: usize, kind: ErrorKind) -> Error {
    Error {
        kind,
        layer,
        field,
        offset: offset.min(u32::MAX as usize) as u32,
    }
}

/// Element types of arrays of structs.
pub trait Element<'a>: Sized + Copy {
    fn parse_elem(buf: &'a [u8]) -> Result<Self, Error>;
    fn elem_len(&self) -> usize;
}

/// Iterator over the elements of a struct array. Stops at the first element that
/// does not parse and keeps the error (see [`StructIter::error`]).
#[derive(Clone, Copy, Debug)]
pub struct StructIter<'a, T> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    err: Option<Error>,
    _t: core::marker::PhantomData<T>,
}

impl<'a, T: Element<'a>> StructIter<'a, T> {
    /// Elements packed in `buf`; `base` is `buf`'s offset in its struct (for errors).
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        StructIter {
            buf,
            pos: 0,
            base,
            err: None,
            _t: core::marker::PhantomData,
        }
    }

    /// The error that stopped iteration, if any.
    pub fn error(&self) -> Option<Error> {
        self.err
    }

    /// Offset of the next element from the array start.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Walks every element; the first error.
    pub fn validate(mut self) -> Result<usize, Error> {
        let mut n = 0;
        while self.next().is_some() {
            n += 1;
        }
        match self.err {
            Some(e) => Err(e),
            None => Ok(n),
        }
    }
}

impl<'a, T: Element<'a>> Iterator for StructIter<'a, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        if self.pos >= self.buf.len() || self.err.is_some() {
            return None;
        }
        let rest = &self.buf[self.pos..];
        match T::parse_elem(rest) {
            Ok(e) => {
                let l = e.elem_len();
                if l == 0 {
                    self.err = Some(err(
                        "",
                        "",
                        self.base + self.pos,
                        ErrorKind::ZeroLengthElement,
                    ));
                    return None;
                }
                self.pos += l;
                Some(e)
            }
            Err(e) => {
                self.err = Some(e.add_offset((self.base + self.pos) as u32));
                None
            }
        }
    }
}

/// Iterator over fixed-size scalar elements.
#[derive(Clone, Copy, Debug)]
pub struct ScalarIter<'a, T> {
    buf: &'a [u8],
    size: usize,
    decode: fn(&[u8]) -> T,
}

impl<'a, T> ScalarIter<'a, T> {
    /// Elements of `size` bytes in `buf`.
    pub fn new(buf: &'a [u8], size: usize, decode: fn(&[u8]) -> T) -> Self {
        ScalarIter { buf, size, decode }
    }
}

impl<T> Iterator for ScalarIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        if self.size == 0 || self.buf.len() < self.size {
            return None;
        }
        let (a, b) = self.buf.split_at(self.size);
        self.buf = b;
        Some((self.decode)(a))
    }
}

pub fn dec_ipv4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::from(arr::<4>(b, 0))
}
pub fn dec_ipv6(b: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(arr::<16>(b, 0))
}
pub fn dec_mac(b: &[u8]) -> MacAddr {
    MacAddr(arr::<6>(b, 0))
}
pub fn dec_eui64(b: &[u8]) -> Eui64 {
    Eui64(arr::<8>(b, 0))
}
pub fn dec_be(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |v, &x| (v << 8) | x as u64)
}
pub fn dec_le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0u64, |v, &x| (v << 8) | x as u64)
}

/// Appends the low `n` bytes of `v`, big-endian.
#[inline]
pub fn push_be(out: &mut Vec<u8>, n: usize, v: u64) {
    for i in (0..n).rev() {
        out.push((v >> (8 * i)) as u8);
    }
}

/// Appends the low `n` bytes of `v`, little-endian.
#[inline]
pub fn push_le(out: &mut Vec<u8>, n: usize, v: u64) {
    for i in 0..n {
        out.push((v >> (8 * i)) as u8);
    }
}

/// Applies a derived field's forward operations; `Err` names what failed.
pub fn derive_forward(mut v: u64, ops: &[(u8, u64)]) -> Result<u64, (u64, u64)> {
    for &(op, c) in ops {
        v = match op {
            0 => v.wrapping_add(c),
            1 => v.checked_sub(c).ok_or((v, c))?,
            2 => v.wrapping_mul(c),
            _ => {
                if c == 0 || !v.is_multiple_of(c) {
                    return Err((v, c));
                }
                v / c
            }
        };
    }
    Ok(v)
}

/// Inverts a derived field's operations (parse side): the measured size.
pub fn derive_inverse(mut v: u64, ops: &[(u8, u64)]) -> Option<u64> {
    for &(op, c) in ops.iter().rev() {
        v = match op {
            0 => v.checked_sub(c)?,
            1 => v.checked_add(c)?,
            2 => {
                if c == 0 || !v.is_multiple_of(c) {
                    return None;
                }
                v / c
            }
            _ => v.checked_mul(c)?,
        };
    }
    Some(v)
}

/// Names of checksum status values, as Wireshark labels them.
pub fn status_label(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Bad",
        1 => "Good",
        2 => "Unverified",
        3 => "Not present",
        _ => return None,
    })
}

/// A value for reflective builder setters (`Builder::set`).
#[derive(Clone, Copy, Debug)]
pub enum SetValue<'a> {
    /// Integers, booleans, enums.
    Int(u64),
    /// Addresses and byte strings.
    Bytes(&'a [u8]),
}

/// A field that does not fit its region: truncated when the capture ran out of
/// bytes, malformed when a length field bounded the region short of the bytes.
#[cold]
pub fn short(
    layer: &'static str,
    field: &'static str,
    offset: usize,
    needed: usize,
    limit: usize,
    available: usize,
) -> Error {
    if needed > available {
        trunc(layer, field, offset, needed, available)
    } else {
        err(
            layer,
            field,
            offset,
            ErrorKind::LengthTooLarge {
                value: needed as u64,
                max: limit as u64,
            },
        )
    }
}
