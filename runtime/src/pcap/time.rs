//! Exact timestamps and pcapng timestamp resolutions.

use std::fmt;
use std::ops::Sub;

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// A point in time, exact to the nanosecond, counted from the Unix epoch.
///
/// `nanos` must be below 1 000 000 000 (every value produced by this module
/// is normalised that way); `secs` may be negative for instants before 1970,
/// in which case `nanos` still counts *forward* from `secs`
/// (−0.25 s is `{ secs: -1, nanos: 750_000_000 }`), so the derived ordering
/// is chronological.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub secs: i64,
    /// Nanoseconds past `secs`, `0..1_000_000_000`.
    pub nanos: u32,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp { secs: 0, nanos: 0 };

    /// Builds a timestamp, or `None` if `nanos` is not below one second.
    pub const fn new(secs: i64, nanos: u32) -> Option<Timestamp> {
        if nanos < 1_000_000_000 {
            Some(Timestamp { secs, nanos })
        } else {
            None
        }
    }

    /// Builds a timestamp from nanoseconds since the epoch, or `None` if the
    /// seconds do not fit in an `i64`.
    pub fn from_nanos(nanos: i128) -> Option<Timestamp> {
        let secs = i64::try_from(nanos.div_euclid(NANOS_PER_SEC)).ok()?;
        // rem_euclid is in 0..1e9, so the cast is lossless.
        let nanos = nanos.rem_euclid(NANOS_PER_SEC) as u32;
        Some(Timestamp { secs, nanos })
    }

    /// Nanoseconds since the epoch (exact; never overflows).
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * NANOS_PER_SEC + i128::from(self.nanos)
    }

    /// Seconds since the epoch as a float (rounded: an `f64` cannot hold
    /// present-day timestamps to the nanosecond).
    pub fn as_secs_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// `self + delta`, or `None` if the result is out of range.
    pub fn checked_add(self, delta: TimeDelta) -> Option<Timestamp> {
        Timestamp::from_nanos(self.as_nanos().checked_add(delta.as_nanos())?)
    }

    /// The signed time elapsed from `earlier` to `self`.
    pub fn delta_since(self, earlier: Timestamp) -> TimeDelta {
        TimeDelta::from_nanos(self.as_nanos() - earlier.as_nanos())
    }
}

impl Sub for Timestamp {
    type Output = TimeDelta;

    /// Signed difference; never overflows (see [`Timestamp::delta_since`]).
    fn sub(self, rhs: Timestamp) -> TimeDelta {
        self.delta_since(rhs)
    }
}

/// Prints seconds with 9 decimals (`1700000000.123456789`), like tshark's
/// `frame.time_epoch`. A precision (`{:.6}`) keeps fewer decimals,
/// truncating toward negative infinity.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_nanos(self.as_nanos(), f)
    }
}

/// A signed span of time, exact to the nanosecond (the difference of two
/// [`Timestamp`]s).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeDelta {
    nanos: i128,
}

impl TimeDelta {
    /// A span of `nanos` nanoseconds (negative means backwards).
    pub const fn from_nanos(nanos: i128) -> TimeDelta {
        TimeDelta { nanos }
    }

    /// The span in nanoseconds.
    pub const fn as_nanos(self) -> i128 {
        self.nanos
    }

    /// The span in seconds as a float (rounded).
    pub fn as_secs_f64(self) -> f64 {
        let secs = self.nanos.div_euclid(NANOS_PER_SEC) as f64;
        secs + self.nanos.rem_euclid(NANOS_PER_SEC) as f64 / 1e9
    }
}

/// Seconds with 9 decimals, e.g. `-0.250000000`; see [`Timestamp`]'s
/// `Display` for precision handling.
impl fmt::Display for TimeDelta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_nanos(self.nanos, f)
    }
}

fn fmt_nanos(nanos: i128, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let digits = f.precision().unwrap_or(9).min(9);
    // Truncate toward negative infinity at the requested precision so that
    // printing never moves a time across a boundary it has not reached.
    let unit = 10_i128.pow(9 - digits as u32);
    let scaled = nanos.div_euclid(unit) * unit;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let secs = abs / 1_000_000_000;
    let frac = abs % 1_000_000_000 / unit.unsigned_abs();
    let text = if digits == 0 {
        format!("{sign}{secs}")
    } else {
        format!("{sign}{secs}.{frac:0digits$}")
    };
    // Honour a width (right-aligned by default, like numbers); `pad` would
    // also treat the precision as a maximum length.
    let fill = f.width().unwrap_or(0).saturating_sub(text.len());
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Left) => (0, fill),
        Some(fmt::Alignment::Center) => (fill / 2, fill - fill / 2),
        _ => (fill, 0),
    };
    let c = f.fill();
    for _ in 0..before {
        write!(f, "{c}")?;
    }
    f.write_str(&text)?;
    for _ in 0..after {
        write!(f, "{c}")?;
    }
    Ok(())
}

/// The unit of an interface's raw timestamps, in the pcapng `if_tsresol`
/// encoding: the low 7 bits are an exponent, the high bit selects base 2
/// instead of base 10. One unit is `base^-exponent` seconds.
///
/// Classic pcap files use [`MICROSECONDS`](Self::MICROSECONDS) or
/// [`NANOSECONDS`](Self::NANOSECONDS); pcapng interfaces default to
/// microseconds when the option is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TsResolution(u8);

impl TsResolution {
    /// 10^-6 s, the pcapng default and classic pcap's `0xa1b2c3d4` magic.
    pub const MICROSECONDS: TsResolution = TsResolution(6);
    /// 10^-9 s, classic pcap's `0xa1b23c4d` magic.
    pub const NANOSECONDS: TsResolution = TsResolution(9);

    /// Interprets an `if_tsresol` option byte. Every byte is accepted;
    /// absurd resolutions just make every timestamp round to zero.
    pub const fn from_if_tsresol(code: u8) -> TsResolution {
        TsResolution(code)
    }

    /// The `if_tsresol` option byte.
    pub const fn if_tsresol(self) -> u8 {
        self.0
    }

    /// Whether one unit is `2^-exponent` (rather than `10^-exponent`) seconds.
    pub const fn is_power_of_two(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// The exponent (low 7 bits of the option byte).
    pub const fn exponent(self) -> u8 {
        self.0 & 0x7f
    }

    /// Units per second, or `None` when that exceeds `u128` (10^39 and up).
    pub fn units_per_second(self) -> Option<u128> {
        let base: u128 = if self.is_power_of_two() { 2 } else { 10 };
        base.checked_pow(u32::from(self.exponent()))
    }

    /// Whether a unit is shorter than a nanosecond, so converting to
    /// [`Timestamp`] drops precision.
    pub fn is_finer_than_nanos(self) -> bool {
        self.units_per_second()
            .is_none_or(|u| u > NANOS_PER_SEC as u128)
    }

    /// Converts a raw unit count (since the epoch, or since `if_tsoffset`)
    /// into seconds + nanoseconds, truncating sub-nanosecond remainders
    /// (as Wireshark does). `None` if the seconds overflow `i64`.
    pub fn units_to_timestamp(self, units: u64) -> Option<Timestamp> {
        let Some(per_sec) = self.units_per_second() else {
            // Units of less than 10^-38 s: any u64 count is below 1 ns.
            return Some(Timestamp::UNIX_EPOCH);
        };
        let units = u128::from(units);
        let secs = i64::try_from(units / per_sec).ok()?;
        // rem < 2^64 (it is <= units), so rem * 1e9 < 2^94: no overflow.
        let rem = units % per_sec;
        let nanos = (rem * NANOS_PER_SEC as u128 / per_sec) as u32;
        Some(Timestamp { secs, nanos })
    }

    /// Inverse of [`units_to_timestamp`](Self::units_to_timestamp): the unit
    /// count that reads back as exactly `ts` when one exists, otherwise
    /// `ts` truncated to this resolution. `None` if `ts` is negative or the
    /// count does not fit in a `u64`.
    pub fn timestamp_to_units(self, ts: Timestamp) -> Option<u64> {
        let nanos = ts.as_nanos();
        if nanos < 0 {
            return None;
        }
        let per_sec = self.units_per_second()?;
        let secs = (nanos / NANOS_PER_SEC) as u128;
        let sub = (nanos % NANOS_PER_SEC) as u128;
        let whole = secs.checked_mul(per_sec)?;
        // Reading floors, so the exact preimage (if any) is the floor or
        // one above it (the latter when a unit is not a whole number of ns,
        // e.g. 2^-20 s).
        let floor = sub.checked_mul(per_sec)? / NANOS_PER_SEC as u128;
        let mut frac = floor;
        if floor + 1 < per_sec {
            let back = |f: u128| f.checked_mul(NANOS_PER_SEC as u128).map(|n| n / per_sec);
            if back(floor) != Some(sub) && back(floor + 1) == Some(sub) {
                frac = floor + 1;
            }
        }
        u64::try_from(whole.checked_add(frac)?).ok()
    }
}

impl Default for TsResolution {
    /// Microseconds, the pcapng default.
    fn default() -> Self {
        TsResolution::MICROSECONDS
    }
}

impl fmt::Display for TsResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = if self.is_power_of_two() { 2 } else { 10 };
        write!(f, "{base}^-{} s", self.exponent())
    }
}
