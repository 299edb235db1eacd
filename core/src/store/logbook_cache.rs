//! The hydrated logbook of an open dossier, kept between changes.

use std::collections::{BTreeSet, HashMap};

use automerge::AutoCommit;

use crate::model::read::{self, Logbook, LogbookEntry};
use crate::model::{Id, Section, Touched};

/// The hydrated logbook, kept between changes: a change re-reads only the
/// entries it touched, so saving one entry in a 2,000-entry logbook does not
/// hydrate the other 1,999 again.
#[derive(Debug, Default)]
pub struct LogbookCache {
    /// `None` until the first read, or after a change touched the logbook
    /// as a whole.
    entries: Option<HashMap<Id, LogbookEntry>>,
    unreadable: BTreeSet<String>,
    /// Entries touched since the last read.
    stale: BTreeSet<String>,
}

impl LogbookCache {
    /// Takes note of what a change touched: those entries are read again
    /// next time (all of them when the logbook changed as a whole).
    pub fn note(&mut self, touched: &Touched) {
        match touched.items.get(&Section::Logbook) {
            None => {}
            Some(None) => self.entries = None,
            Some(Some(keys)) => self.stale.extend(keys.iter().cloned()),
        }
    }

    /// The live logbook, newest first, reading only what changed since the
    /// last read.
    pub fn read(&mut self, doc: &AutoCommit) -> Logbook {
        match &mut self.entries {
            None => {
                let book = read::logbook_entries(doc).unwrap_or_default();
                self.unreadable = book.unreadable.iter().cloned().collect();
                self.entries = Some(
                    book.entries
                        .iter()
                        .map(|e| (e.id.clone(), e.clone()))
                        .collect(),
                );
                self.stale.clear();
                book
            }
            Some(entries) => {
                for key in std::mem::take(&mut self.stale) {
                    let Ok(id) = Id::new(key.clone()) else {
                        self.unreadable.insert(key);
                        continue;
                    };
                    match read::logbook_entry(doc, &id) {
                        Ok(Some(entry)) => {
                            self.unreadable.remove(&key);
                            entries.insert(id, entry);
                        }
                        Ok(None) => {
                            entries.remove(&id);
                            // Gone or a tombstone: fine. Anything else under
                            // the key is unreadable, as a full read says.
                            let odd = read::logbook_has(doc, &key)
                                && !read::is_entry_deleted(doc, &id).unwrap_or(false);
                            if odd {
                                self.unreadable.insert(key);
                            } else {
                                self.unreadable.remove(&key);
                            }
                        }
                        Err(_) => {
                            entries.remove(&id);
                            self.unreadable.insert(key);
                        }
                    }
                }
                let mut list: Vec<LogbookEntry> = entries.values().cloned().collect();
                read::newest_first(&mut list);
                Logbook {
                    entries: list,
                    unreadable: self.unreadable.iter().cloned().collect(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;

    use super::*;
    use crate::model::commands::{
        EntryEdit, NewDossier, NewEntry, add_entry, create_dossier, delete_entry, edit_entry,
    };
    use crate::model::{Ctx, Date, EntryKind, Role, SchoolYear, touched_since};

    fn id(s: &str) -> Id {
        Id::new(s).expect("id")
    }

    fn ctx(minute: i64) -> Ctx {
        Ctx::new(id("juf-anna"), 1_756_713_600_000 + minute * 60_000)
    }

    fn new_entry(entry: &str, body: &str, day: u8) -> NewEntry {
        NewEntry {
            id: id(entry),
            date: Date::new(2025, 9, day).expect("date"),
            kind: EntryKind::Discovery,
            body: body.into(),
            by_child: false,
            tags: Vec::new(),
            prompt: None,
        }
    }

    /// Runs `change` and tells the cache what it touched, as the store does.
    fn change(
        doc: &mut AutoCommit,
        cache: &mut LogbookCache,
        change: impl FnOnce(&mut AutoCommit),
    ) {
        let before = doc.get_heads();
        change(doc);
        cache.note(&touched_since(doc, &before));
    }

    #[test]
    fn the_cached_logbook_reads_as_a_full_read_after_adds_edits_and_deletes() {
        let mut doc = AutoCommit::new();
        let new = NewDossier {
            child_name: "Noor".into(),
            group: "groep 5".into(),
            school_year: SchoolYear::parse("2025-2026").expect("year"),
            creator_name: "Juf Anna".into(),
            creator_role: Role::Teacher,
        };
        create_dossier(&mut doc, &ctx(0), &new).expect("create");
        let mut cache = LogbookCache::default();
        assert!(cache.read(&doc).entries.is_empty());
        for n in 1..=5u8 {
            change(&mut doc, &mut cache, |d| {
                add_entry(
                    d,
                    &ctx(i64::from(n)),
                    &new_entry(&format!("e{n}"), "iets", n),
                )
                .expect("add");
            });
            assert_eq!(cache.read(&doc), read::logbook_entries(&doc).expect("read"));
        }
        change(&mut doc, &mut cache, |d| {
            let edit = EntryEdit {
                body: Some("een slak in de tuin".into()),
                ..EntryEdit::default()
            };
            edit_entry(d, &ctx(9), &id("e2"), &edit).expect("edit");
        });
        change(&mut doc, &mut cache, |d| {
            delete_entry(d, &ctx(10), &id("e4")).expect("delete");
        });
        let cached = cache.read(&doc);
        assert_eq!(cached, read::logbook_entries(&doc).expect("read"));
        assert_eq!(cached.entries.len(), 4);
        assert!(
            cached
                .entries
                .iter()
                .any(|e| e.body == "een slak in de tuin")
        );
        // Newest date first.
        assert_eq!(cached.entries[0].id, id("e5"));
    }
}
