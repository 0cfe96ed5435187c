//! The little that detection remembers between events: roles seen granting escalation verbs
//! and CSRs seen asking for `system:masters`. Bounded: past [`CAPACITY`] keys the oldest are
//! forgotten, so memory never grows with the log.

use std::collections::{HashSet, VecDeque};

use super::rules::Key;

/// Keys kept at most. Each is a short name; this bounds the state to a few MiB.
pub const CAPACITY: usize = 65_536;

#[derive(Debug, Default)]
pub(crate) struct State {
    keys: HashSet<Key>,
    order: VecDeque<Key>,
}

impl State {
    pub(crate) fn remember(&mut self, key: Key) {
        if self.keys.contains(&key) {
            return;
        }
        if self.order.len() >= CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.keys.remove(&old);
            }
        }
        self.order.push_back(key.clone());
        self.keys.insert(key);
    }

    pub(crate) fn knows(&self, key: &Key) -> bool {
        self.keys.contains(key)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_past_capacity() {
        let mut s = State::default();
        for i in 0..=CAPACITY {
            s.remember(Key::ClusterRole(i.to_string()));
        }
        assert_eq!(s.len(), CAPACITY);
        assert!(!s.knows(&Key::ClusterRole("0".into())));
        assert!(s.knows(&Key::ClusterRole(CAPACITY.to_string())));
    }
}
