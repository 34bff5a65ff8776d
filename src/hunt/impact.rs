//! What each exclusion hides: alone, and uniquely (hidden by it and by no
//! other active exclusion); over-broad flags; devices that disappear.

use crate::data::Bitmap;

use super::groups::{DeviceGroup, Hits};

/// Share of a rule's hits at which one exclusion alone is flagged over-broad.
pub const OVER_BROAD_SHARE: f64 = 0.5;

/// The impact of one exclusion.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Impact {
    /// Hits its filter matches (what it hides when it is the only one on).
    pub alone: usize,
    /// Hits it hides that no other *enabled* exclusion hides.
    pub unique: usize,
    /// `alone` as a share of all hits (0–1).
    pub alone_share: f64,
    /// `unique` as a share of all hits (0–1).
    pub unique_share: f64,
    /// True when it alone hides at least half of the hits.
    pub over_broad: bool,
    /// Device groups (indices) whose every hit it hides.
    pub devices_gone: Vec<usize>,
}

/// Computes the impact of every exclusion. `masks[i]` is `None` when
/// exclusion `i` has no usable filter (it hides nothing).
pub fn compute(hits: &Hits, groups: &[DeviceGroup], masks: &[Option<&Bitmap>], enabled: &[bool]) -> Vec<Impact> {
    let total = hits.len();
    let share = |n: usize| if total == 0 { 0.0 } else { n as f64 / total as f64 };
    masks
        .iter()
        .enumerate()
        .map(|(i, mask)| {
            let Some(mask) = mask else { return Impact::default() };
            let mut others = Bitmap::zeros(total);
            for (j, m) in masks.iter().enumerate() {
                if j != i
                    && enabled.get(j).copied().unwrap_or(false)
                    && let Some(m) = m
                {
                    others.or_with(m);
                }
            }
            let alone = mask.count_ones();
            let mut only = (*mask).clone();
            only.and_not_with(&others);
            let unique = only.count_ones();
            let devices_gone = groups
                .iter()
                .enumerate()
                .filter(|(_, g)| !g.hits.is_empty() && g.hits.iter().all(|&h| mask.get(h as usize)))
                .map(|(gi, _)| gi)
                .collect();
            Impact {
                alone,
                unique,
                alone_share: share(alone),
                unique_share: share(unique),
                over_broad: total > 0 && share(alone) >= OVER_BROAD_SHARE,
                devices_gone,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(n: usize) -> Hits {
        Hits { group_of: vec![0; n], timestamps: vec![None; n], report_ids: vec![None; n], rows: vec![] }
    }

    #[test]
    fn alone_unique_and_over_broad() {
        let h = hits(4);
        let a = Bitmap::from_bools([true, true, true, false]);
        let b = Bitmap::from_bools([false, false, true, true]);
        let r = compute(&h, &[], &[Some(&a), Some(&b), None], &[true, true, true]);
        assert_eq!((r[0].alone, r[0].unique), (3, 2));
        assert_eq!((r[1].alone, r[1].unique), (2, 1));
        assert!(r[0].over_broad && r[1].over_broad);
        assert_eq!(r[2], Impact::default());
        // With b disabled, everything a hides is unique to it.
        let r = compute(&h, &[], &[Some(&a), Some(&b)], &[true, false]);
        assert_eq!(r[0].unique, 3);
        assert_eq!(r[1].unique, 1, "a disabled exclusion's unique share is against the enabled ones");
    }
}
