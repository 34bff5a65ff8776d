//! A plain fixed-size bitset: validity of nullable columns, exclusion masks.

/// A fixed-length set of bits, packed into u64 words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bitmap {
    words: Vec<u64>,
    len: usize,
}

impl Bitmap {
    /// `len` bits, all zero.
    pub fn zeros(len: usize) -> Bitmap {
        Bitmap { words: vec![0; len.div_ceil(64)], len }
    }

    /// `len` bits, all one.
    pub fn ones(len: usize) -> Bitmap {
        let mut b = Bitmap { words: vec![u64::MAX; len.div_ceil(64)], len };
        b.clear_tail();
        b
    }

    /// Builds a bitmap from an iterator of bools.
    pub fn from_bools(bits: impl IntoIterator<Item = bool>) -> Bitmap {
        let mut b = Bitmap::default();
        for bit in bits {
            b.push(bit);
        }
        b
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }

    /// Number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the bitmap has no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bit at `i` (false when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        i < self.len && (self.words[i / 64] >> (i % 64)) & 1 == 1
    }

    /// Sets the bit at `i`; out-of-range indices are ignored.
    #[inline]
    pub fn set(&mut self, i: usize, bit: bool) {
        if i >= self.len {
            return;
        }
        let w = &mut self.words[i / 64];
        if bit {
            *w |= 1 << (i % 64);
        } else {
            *w &= !(1 << (i % 64));
        }
    }

    /// Appends one bit.
    pub fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        self.len += 1;
        let i = self.len - 1;
        self.set(i, bit);
    }

    /// Number of one bits.
    pub fn count_ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// In-place union with another bitmap of the same length.
    pub fn or_with(&mut self, other: &Bitmap) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// In-place intersection with another bitmap of the same length.
    pub fn and_with(&mut self, other: &Bitmap) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// In-place `self & !other`.
    pub fn and_not_with(&mut self, other: &Bitmap) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// Flips every bit.
    pub fn negate(&mut self) {
        for w in &mut self.words {
            *w = !*w;
        }
        self.clear_tail();
    }

    /// Indices of the one bits, ascending.
    pub fn iter_ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let tz = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + tz)
            })
        })
    }

    /// The packed words (bits past `len` are zero).
    pub fn words(&self) -> &[u64] {
        &self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ones_zeros_and_counts() {
        let mut b = Bitmap::ones(130);
        assert_eq!(b.count_ones(), 130);
        b.set(3, false);
        b.set(129, false);
        assert_eq!(b.count_ones(), 128);
        b.negate();
        assert_eq!(b.iter_ones().collect::<Vec<_>>(), vec![3, 129]);
        assert!(!b.get(500));
    }

    #[test]
    fn push_and_logic() {
        let a = Bitmap::from_bools([true, false, true, true]);
        let mut c = Bitmap::from_bools([false, false, true, false]);
        c.or_with(&a);
        assert_eq!(c, a);
        c.and_not_with(&Bitmap::from_bools([true, true, false, false]));
        assert_eq!(c.iter_ones().collect::<Vec<_>>(), vec![2, 3]);
    }
}
