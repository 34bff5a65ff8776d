//! The search for conjunctions: every atom alone, then a beam of the best
//! ones extended by one more atom with `and`, twice. An atom joins only when
//! it hides fewer unmarked hits than both what it joins and itself alone,
//! so every atom of a proposal earns its place. Work is bounded by the beam
//! (atoms × [`BEAM`] bitmap intersections per level), not by the hits.

use std::cmp::Ordering;
use std::collections::HashSet;

use crate::data::Bitmap;

use super::atoms::Atom;

/// Candidates extended at each level.
const BEAM: usize = 24;
/// Most atoms in one proposal.
const MAX_ATOMS: usize = 3;

/// A conjunction of atoms with what it hides.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Indices into the atoms, in reading order.
    pub atoms: Vec<usize>,
    /// The hits it matches.
    pub mask: Bitmap,
    /// Unmarked, still visible hits it matches.
    pub collateral: usize,
    /// Summed atom costs.
    pub cost: f64,
}

/// The ranking: collateral, then cost, then fewer atoms (see [`super::score`]).
pub fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    a.collateral.cmp(&b.collateral).then(a.cost.total_cmp(&b.cost)).then(a.atoms.len().cmp(&b.atoms.len()))
}

/// Unmarked visible hits in `mask`: its ones that are also in `others`.
fn overlap(mask: &Bitmap, others: &Bitmap) -> usize {
    mask.words().iter().zip(others.words()).map(|(a, b)| (a & b).count_ones() as usize).sum()
}

/// True when every atom of `atoms` plus `j` earns its place: leaving any
/// one of `atoms` out hides more unmarked hits than `collateral`.
fn minimal(atoms: &[usize], j: usize, masks: &[Bitmap], others: &Bitmap, collateral: usize) -> bool {
    atoms.len() < 2
        || (0..atoms.len()).all(|skip| {
            let mut m = masks[j].clone();
            for (k, &a) in atoms.iter().enumerate() {
                if k != skip {
                    m.and_with(&masks[a]);
                }
            }
            overlap(&m, others) > collateral
        })
}

/// Every candidate conjunction of up to [`MAX_ATOMS`] atoms, best first.
/// `masks[i]` is atom `i`'s mask (each covers every marked hit); `others`
/// the unmarked hits not already hidden.
pub fn search(atoms: &[Atom], masks: &[Bitmap], others: &Bitmap) -> Vec<Candidate> {
    let single: Vec<Candidate> = (0..atoms.len())
        .map(|i| Candidate {
            atoms: vec![i],
            mask: masks[i].clone(),
            collateral: overlap(&masks[i], others),
            cost: atoms[i].cost,
        })
        .collect();
    let alone: Vec<usize> = single.iter().map(|c| c.collateral).collect();
    let mut pool = single.clone();
    let mut level = single;
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for _ in 1..MAX_ATOMS {
        level.sort_by(rank);
        let beam: Vec<Candidate> = level.into_iter().filter(|c| c.collateral > 0).take(BEAM).collect();
        let mut next = Vec::new();
        for c in &beam {
            for (j, mask) in masks.iter().enumerate() {
                if c.atoms.contains(&j) {
                    continue;
                }
                let mut m = c.mask.clone();
                m.and_with(mask);
                let collateral = overlap(&m, others);
                if collateral >= c.collateral || collateral >= alone[j] {
                    continue;
                }
                let mut key = c.atoms.clone();
                key.push(j);
                key.sort_unstable();
                if !seen.insert(key) || !minimal(&c.atoms, j, masks, others, collateral) {
                    continue;
                }
                let mut ids = c.atoms.clone();
                ids.push(j);
                // Cheapest (most readable) atom first.
                ids.sort_by(|&a, &b| atoms[a].cost.total_cmp(&atoms[b].cost).then(a.cmp(&b)));
                next.push(Candidate { atoms: ids, mask: m, collateral, cost: c.cost + atoms[j].cost });
            }
        }
        pool.extend(next.iter().cloned());
        level = next;
    }
    pool.sort_by(rank);
    pool
}
