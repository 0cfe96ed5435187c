//! From a hit to a physical position (`secrets.md` §7).
//!
//! The loader gives every scalar the position where it starts (for a block scalar, its first
//! content line; for an alias, the use site). A match inside the scalar is found again by
//! searching its text forward from there; an alias is followed back to its anchor, so a value
//! used through aliases is reported once, where it is defined.

use rampart_manifest::Node;
use rampart_model::Pos;

use crate::value::SecretValue;

/// How far past a scalar's start a match is looked for.
const WINDOW: usize = 256 * 1024;

/// Where inside a scalar a hit points.
#[derive(Debug, Clone)]
pub enum Spot {
    /// The scalar's first content character.
    Start,
    /// The first occurrence of this text at or after the scalar's start.
    Needle(SecretValue),
}

/// Byte offsets of line starts, for one file.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset(&self, text: &str, pos: Pos) -> Option<usize> {
        let line_start = *self
            .starts
            .get(usize::try_from(pos.line).ok()?.checked_sub(1)?)?;
        let col = usize::try_from(pos.column.max(1)).ok()? - 1;
        let rest = text.get(line_start..)?;
        let within = rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i);
        Some(line_start + within)
    }

    /// 1-based line and character column of a byte offset.
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }
}

/// Follows `*name` back to `&name` and returns the offset of the anchored value.
fn resolve_alias(text: &str, off: usize) -> usize {
    let rest = &text[off..];
    let Some(name) = rest.strip_prefix('*') else {
        return off;
    };
    let end = name
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
        .unwrap_or(name.len());
    let anchor = format!("&{}", &name[..end]);
    let before = &text[..off];
    let mut search_end = before.len();
    while let Some(i) = before[..search_end].rfind(&anchor) {
        let after = i + anchor.len();
        let next = text[after..].chars().next();
        if next.is_none_or(char::is_whitespace) {
            return skip_to_content(text, after);
        }
        search_end = i;
    }
    off
}

/// From just after an anchor: skips blanks; for a block scalar indicator, to its first content
/// line.
fn skip_to_content(text: &str, mut off: usize) -> usize {
    let bytes = text.as_bytes();
    while off < bytes.len() && (bytes[off] == b' ' || bytes[off] == b'\t') {
        off += 1;
    }
    if off < bytes.len() && (bytes[off] == b'|' || bytes[off] == b'>') {
        if let Some(nl) = text[off..].find('\n') {
            off += nl + 1;
            while off < bytes.len() && (bytes[off] == b' ' || bytes[off] == b'\n') {
                off += 1;
            }
        }
    }
    off
}

/// The position a hit at `spot` of the scalar `node` is reported at.
pub fn locate(
    text: &str,
    index: &LineIndex,
    node: Option<&Node>,
    fallback: Pos,
    spot: &Spot,
) -> Pos {
    let base = node.map_or(fallback, |n| n.pos);
    let Some(mut off) = index.offset(text, base) else {
        return base;
    };
    off = resolve_alias(text, off);
    let bytes = text.as_bytes();
    if off < bytes.len() && (bytes[off] == b'"' || bytes[off] == b'\'') {
        off += 1;
    }
    if let Spot::Needle(needle) = spot {
        let first_line = needle.expose().lines().next().unwrap_or("").trim();
        if !first_line.is_empty() {
            let end = (off + WINDOW).min(text.len());
            let end = (end..=text.len())
                .find(|&e| text.is_char_boundary(e))
                .unwrap_or(text.len());
            if let Some(i) = text[off..end].find(first_line) {
                return index.pos(text, off + i);
            }
        }
    }
    index.pos(text, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip() {
        let t = "a: 1\nbé: xyz\n";
        let idx = LineIndex::new(t);
        let off = idx.offset(t, Pos::new(2, 5)).unwrap_or(0);
        assert_eq!(&t[off..off + 3], "xyz");
        assert_eq!(idx.pos(t, off), Pos::new(2, 5));
    }

    #[test]
    fn aliases_resolve_to_the_anchor() {
        let t = "a: &pw \"Hk7vQ2x\"\nb: *pw\n";
        let idx = LineIndex::new(t);
        let p = locate(t, &idx, None, Pos::new(2, 4), &Spot::Start);
        assert_eq!(p, Pos::new(1, 9));
        let t = "a: &blk |\n  one\n  two\nb: *blk\n";
        let idx = LineIndex::new(t);
        let p = locate(
            t,
            &idx,
            None,
            Pos::new(4, 4),
            &Spot::Needle(SecretValue::new("two")),
        );
        assert_eq!(p, Pos::new(3, 3));
    }
}
