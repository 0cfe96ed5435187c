//! Is a cube covered by a union of cubes? Exact, by splitting the cube along the first
//! dimension where a partially overlapping cube cuts it.

use super::space::Cube;

/// Splitting steps allowed before giving up: real policies need a few hundred at most.
const BUDGET: usize = 200_000;

/// The answer of a coverage question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cover {
    Covered,
    /// A non-empty part of the cube that no cube of the union touches.
    Uncovered(Cube),
    /// Too many steps; the caller must not conclude anything.
    Unknown,
}

fn intersects(a: &Cube, b: &Cube) -> bool {
    a.iter().zip(b).all(|(x, y)| x.intersects(y))
}

fn contains(outer: &Cube, inner: &Cube) -> bool {
    inner.iter().zip(outer).all(|(i, o)| i.is_subset(o))
}

/// Whether every point of `cube` lies in some cube of `union`.
pub(crate) fn covered(cube: &Cube, union: &[Cube]) -> Cover {
    if cube.iter().any(super::bits::Bits::is_empty) {
        return Cover::Covered;
    }
    let relevant: Vec<&Cube> = union.iter().filter(|c| intersects(cube, c)).collect();
    let mut budget = BUDGET;
    walk(cube.clone(), &relevant, &mut budget)
}

fn walk(cube: Cube, union: &[&Cube], budget: &mut usize) -> Cover {
    if *budget == 0 {
        return Cover::Unknown;
    }
    *budget -= 1;
    let hits: Vec<&Cube> = union
        .iter()
        .copied()
        .filter(|c| intersects(&cube, c))
        .collect();
    let Some(first) = hits.first() else {
        return Cover::Uncovered(cube);
    };
    if hits.iter().any(|c| contains(c, &cube)) {
        return Cover::Covered;
    }
    // `first` overlaps but does not contain the cube: some dimension sticks out of it.
    let Some(dim) = (0..cube.len()).find(|&d| !cube[d].is_subset(&first[d])) else {
        return Cover::Covered;
    };
    let mut inside = cube.clone();
    inside[dim] = cube[dim].and(&first[dim]);
    let mut outside = cube;
    outside[dim] = outside[dim].minus(&first[dim]);
    match walk(outside, &hits, budget) {
        Cover::Covered => walk(inside, &hits, budget),
        other => other,
    }
}
