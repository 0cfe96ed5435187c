//! A fixed-size bit set over pod classes, with the few operations the matrix needs.

/// `len` bits in 64-bit words; bits past `len` are always zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BitSet {
    words: Vec<u64>,
    len: usize,
}

impl BitSet {
    pub fn new(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn full(len: usize) -> Self {
        let mut s = Self {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        s.trim();
        s
    }

    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len;
        if extra > 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= u64::MAX >> extra;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    pub fn get(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn or_with(&mut self, o: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&o.words) {
            *a |= *b;
        }
    }

    pub fn and_with(&mut self, o: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&o.words) {
            *a &= *b;
        }
    }

    pub fn and_not_with(&mut self, o: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&o.words) {
            *a &= !*b;
        }
    }

    /// `self & a & b`, without allocating when the result is empty.
    pub fn and3(&self, a: &BitSet, b: &BitSet) -> Option<BitSet> {
        let mut out: Option<BitSet> = None;
        for (i, ((x, y), z)) in self.words.iter().zip(&a.words).zip(&b.words).enumerate() {
            let w = x & y & z;
            if w != 0 {
                out.get_or_insert_with(|| BitSet::new(self.len)).words[i] = w;
            }
        }
        out
    }

    /// Indexes of the set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        let mut a = BitSet::new(130);
        a.set(0);
        a.set(64);
        a.set(129);
        a.set(500);
        assert_eq!(a.ones().collect::<Vec<_>>(), vec![0, 64, 129]);
        let f = BitSet::full(130);
        assert_eq!(f.count(), 130);
        let mut b = f.clone();
        b.and_not_with(&a);
        assert_eq!(b.count(), 127);
        assert!(!b.get(64) && b.get(65));
        assert!(a.and3(&b, &f).is_none());
        assert_eq!(a.and3(&f, &f).map(|s| s.count()), Some(3));
        let mut c = BitSet::new(130);
        c.or_with(&a);
        c.and_with(&f);
        assert_eq!(c, a);
        assert!(BitSet::new(3).is_empty());
    }
}
