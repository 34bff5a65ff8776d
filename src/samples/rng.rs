//! A small seedable PRNG owned by kqlhunt: xoshiro256** seeded through
//! splitmix64. We do not use the `rand` crate because its streams may change
//! between versions, and the bundled samples must be reproducible byte for
//! byte from a seed, forever.

/// One step of splitmix64: a strong 64-bit mixer, used to expand a seed and
/// to derive stable values (hashes, ids) from names.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a text, for turning names into stable sub-seeds.
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// xoshiro256** (Blackman & Vigna), a fast generator with a 2^256 period.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        Rng { s: [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)] }
    }

    /// An independent generator for a named purpose, so that adding draws to
    /// one stream (say, network noise) leaves every other stream unchanged.
    pub fn derive(seed: u64, purpose: &str) -> Rng {
        Rng::new(seed ^ fnv1a(purpose).rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform integer in `0..n` (0 when `n` is 0), without modulo bias
    /// (Lemire's multiply-shift with rejection).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform integer in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add_unsigned(self.below(span))
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniformly chosen element (`None` for an empty slice).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An element chosen by weight; `None` when every weight is zero.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> Option<&'a T> {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (item, w) in items {
            if x < u64::from(*w) {
                return Some(item);
            }
            x -= u64::from(*w);
        }
        None
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut out = vec![0; n];
        self.fill_hex(&mut out);
        // Hex digits only: always UTF-8.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Fills `out` with lowercase hex digits (the digits [`Rng::hex`] makes).
    pub fn fill_hex(&mut self, out: &mut [u8]) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut bits = 0u64;
        for (i, digit) in out.iter_mut().enumerate() {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            *digit = DIGITS[(bits & 0xF) as usize];
            bits >>= 4;
        }
    }

    /// A random (version 4, RFC 4122 variant) GUID in canonical lowercase text.
    pub fn guid(&mut self) -> String {
        let mut out = [0; 36];
        self.guid_into(&mut out);
        String::from_utf8(out.to_vec()).unwrap_or_default()
    }

    /// [`Rng::guid`]'s text, into a buffer.
    pub fn guid_into(&mut self, out: &mut [u8; 36]) {
        let mut h = [0; 32];
        self.fill_hex(&mut h);
        let variant = b"89ab"[self.below(4) as usize];
        out[0..8].copy_from_slice(&h[0..8]);
        out[8] = b'-';
        out[9..13].copy_from_slice(&h[8..12]);
        out[13] = b'-';
        out[14] = b'4';
        out[15..18].copy_from_slice(&h[13..16]);
        out[18] = b'-';
        out[19] = variant;
        out[20..23].copy_from_slice(&h[17..20]);
        out[23] = b'-';
        out[24..36].copy_from_slice(&h[20..32]);
    }

    /// A generator for chunk `chunk` of a stream: chunks of one stream are
    /// independent, so they can be made on any thread in any order.
    pub fn derive_chunk(seed: u64, purpose: &str, chunk: u64) -> Rng {
        let mut mix = seed ^ fnv1a(purpose).rotate_left(17);
        let salt = splitmix64(&mut mix) ^ chunk.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng::new(salt)
    }
}

/// `n` hex digits fixed by a name: the same binary gets the same hash on
/// every device and in every run.
pub fn stable_hex(name: &str, n: usize) -> String {
    Rng::new(fnv1a(name)).hex(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_fixed_forever() {
        // Reference values of this exact algorithm; if they change, every
        // bundled sample changes with them.
        let mut sm = 0u64;
        assert_eq!(splitmix64(&mut sm), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::new(1);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::new(1);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(Rng::new(2).next_u64(), first[0]);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = Rng::new(7);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let x = r.below(5) as usize;
            seen[x] = true;
            let y = r.range(-3, 3);
            assert!((-3..=3).contains(&y));
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 5), 5);
    }

    #[test]
    fn hex_and_guid_shapes() {
        let mut r = Rng::new(3);
        let h = r.hex(40);
        assert_eq!(h.len(), 40);
        assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
        let g = r.guid();
        assert_eq!(g.len(), 36);
        // The text the bundled samples were made with (format! of hex(32) slices).
        let mut again = Rng::new(3);
        let _ = again.hex(40);
        let h = again.hex(32);
        let variant = char::from(b"89ab"[again.below(4) as usize]);
        let old = format!("{}-{}-4{}-{variant}{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32]);
        assert_eq!(g, old);
        assert_ne!(Rng::derive_chunk(1, "x", 0).next_u64(), Rng::derive_chunk(1, "x", 1).next_u64());
        assert_eq!(stable_hex("cmd.exe", 64), stable_hex("cmd.exe", 64));
        assert_ne!(stable_hex("cmd.exe", 64), stable_hex("cmd2.exe", 64));
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut r = Rng::new(9);
        let items = [("a", 0), ("b", 3)];
        for _ in 0..50 {
            assert_eq!(r.weighted(&items), Some(&"b"));
        }
        assert_eq!(r.weighted::<&str>(&[("x", 0)]), None);
    }
}
