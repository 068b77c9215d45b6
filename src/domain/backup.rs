//! Backups of VM disks as the rules see them: a chain is a full backup followed by incremental
//! ones, each holding only the clusters changed since the one before it (its parent), so
//! restoring one needs its whole chain. Which kind the next backup is, and which backups
//! retention removes without breaking a chain that a kept backup needs.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// A full copy or the changes since the parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Every allocated cluster of the disk.
    Full,
    /// The clusters changed since the parent backup.
    Incremental,
}

impl Kind {
    /// Name on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Full => "full",
            Kind::Incremental => "incremental",
        }
    }
}

/// Where the next backup of a schedule starts: a full one when there is no chain to extend or
/// the chain already holds `keep` backups (so that once the new chain holds `keep` backups,
/// the whole old one can go: at most `2 × keep − 1` are stored).
pub fn next_kind(chain_len: usize, keep: u32) -> Kind {
    let keep = usize::try_from(keep.max(1)).unwrap_or(usize::MAX);
    if chain_len == 0 || chain_len >= keep { Kind::Full } else { Kind::Incremental }
}

/// What retention knows of one stored backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Backup id.
    pub id: u64,
    /// The schedule that made it; `None` for "back up now".
    pub schedule: Option<u64>,
    /// The backup it depends on (incremental), if any.
    pub parent: Option<u64>,
    /// When it was taken.
    pub taken_at: Timestamp,
}

/// The ids retention removes. For each schedule, `keep(schedule)` gives how many of its newest
/// backups to keep (`None`: the schedule is gone, keep them all until the customer deletes
/// them); backups made with "back up now" are kept. Anything a kept backup depends on,
/// through its parents, is kept as well.
pub fn prune(stored: &[Stored], keep: impl Fn(u64) -> Option<u32>) -> Vec<u64> {
    let mut per_schedule: BTreeMap<u64, Vec<&Stored>> = BTreeMap::new();
    let mut kept: HashSet<u64> = HashSet::new();
    for s in stored {
        match s.schedule {
            Some(sched) => per_schedule.entry(sched).or_default().push(s),
            None => {
                kept.insert(s.id);
            }
        }
    }
    for (sched, mut list) in per_schedule {
        list.sort_by_key(|s| std::cmp::Reverse((s.taken_at, s.id)));
        let n = keep(sched).map_or(list.len(), |k| usize::try_from(k).unwrap_or(usize::MAX));
        kept.extend(list.iter().take(n).map(|s| s.id));
    }
    let parent_of: HashMap<u64, Option<u64>> = stored.iter().map(|s| (s.id, s.parent)).collect();
    let mut todo: Vec<u64> = kept.iter().copied().collect();
    while let Some(id) = todo.pop() {
        if let Some(Some(p)) = parent_of.get(&id)
            && kept.insert(*p)
        {
            todo.push(*p);
        }
    }
    let mut out: Vec<u64> = stored.iter().map(|s| s.id).filter(|id| !kept.contains(id)).collect();
    out.sort_unstable();
    out
}

/// The chain a backup needs to be restored, oldest (the full one) first; `None` when a link
/// is missing.
pub fn chain_of(stored: &[Stored], id: u64) -> Option<Vec<u64>> {
    let by_id: HashMap<u64, &Stored> = stored.iter().map(|s| (s.id, s)).collect();
    let mut chain = vec![id];
    let mut at = by_id.get(&id)?;
    while let Some(p) = at.parent {
        if chain.contains(&p) {
            return None;
        }
        chain.push(p);
        at = by_id.get(&p)?;
    }
    chain.reverse();
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schedule's run of backups following `next_kind`, ids from `first`, one hour apart.
    fn run(first: u64, n: u64, schedule: u64, keep: u32) -> Vec<Stored> {
        let mut out: Vec<Stored> = Vec::new();
        let mut chain = 0;
        for i in 0..n {
            let kind = next_kind(chain, keep);
            let parent = match kind {
                Kind::Full => None,
                Kind::Incremental => out.last().map(|s| s.id),
            };
            chain = if kind == Kind::Full { 1 } else { chain + 1 };
            out.push(Stored {
                id: first + i,
                schedule: Some(schedule),
                parent,
                taken_at: Timestamp::from_secs(i64::try_from(i).unwrap() * 3600),
            });
        }
        out
    }

    #[test]
    fn chains_restart_with_a_full_backup_every_keep_backups() {
        let kinds: Vec<Kind> = (0..7).map(|c| next_kind(c, 3)).collect();
        use Kind::*;
        assert_eq!(kinds, [Full, Incremental, Incremental, Full, Full, Full, Full]);
        let s = run(1, 7, 9, 3);
        let parents: Vec<Option<u64>> = s.iter().map(|b| b.parent).collect();
        assert_eq!(parents, [None, Some(1), Some(2), None, Some(4), Some(5), None]);
        assert_eq!(next_kind(5, 0), Full, "keep 0 counts as 1: every backup is full");
    }

    #[test]
    fn retention_keeps_the_newest_and_every_link_they_need() {
        // keep 3: ids 1(F) 2 3 | 4(F) 5 6 | 7(F) 8
        let s = run(1, 8, 9, 3);
        // The newest three are 6, 7, 8: 6 needs 5 and 4; 1–3 can go.
        assert_eq!(prune(&s, |_| Some(3)), [1, 2, 3]);
        // One more backup (9, incremental on 8): newest 7, 8, 9 need nothing older.
        let s = run(1, 9, 9, 3);
        assert_eq!(prune(&s, |_| Some(3)), [1, 2, 3, 4, 5, 6]);
        // Never more than 2 × keep − 1 stored after pruning.
        for n in 1..30 {
            let s = run(1, n, 9, 3);
            let left = s.len() - prune(&s, |_| Some(3)).len();
            assert!(left <= 5, "{n} backups left {left}");
            // And every kept backup can be restored.
            let gone = prune(&s, |_| Some(3));
            let kept: Vec<Stored> = s.iter().copied().filter(|b| !gone.contains(&b.id)).collect();
            for b in &kept {
                assert!(chain_of(&kept, b.id).is_some(), "{n}: {} lost its chain", b.id);
            }
        }
    }

    #[test]
    fn manual_backups_and_those_of_removed_schedules_stay() {
        let mut s = run(1, 4, 9, 1);
        s.push(Stored { id: 50, schedule: None, parent: None, taken_at: Timestamp::from_secs(0) });
        s.extend(run(60, 3, 10, 1));
        // Schedule 9 keeps 1 (all full with keep 1); schedule 10 was removed.
        assert_eq!(prune(&s, |sched| (sched == 9).then_some(1)), [1, 2, 3]);
    }

    #[test]
    fn a_chain_is_listed_oldest_first_and_a_missing_link_is_reported() {
        let s = run(1, 3, 9, 5);
        assert_eq!(chain_of(&s, 3), Some(vec![1, 2, 3]));
        assert_eq!(chain_of(&s[1..], 3), None, "the full backup is missing");
        assert_eq!(chain_of(&s, 99), None);
    }
}
