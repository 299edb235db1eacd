//! Where everything lives in the document, and which schema version it has.
//!
//! ```text
//! ROOT
//! ├─ schema: uint                      the schema version that wrote the dossier
//! ├─ dossier: { child_name, group, school_year, created_at, created_by }
//! ├─ members: { people: {id -> {name, role, joined_at}},
//! │             devices: {"<device key hex>/<person id>" -> added_at,
//! │                       "confirmed:<device key hex>:<person id>" -> at,
//! │                       "seen:<device key hex>" -> at} }
//! ├─ logbook: {id -> entry {date, author, by_child, kind, body: str, tags: {tag -> true},
//! │                         prompt?, created_at, edited_at?, deleted, deleted_at?,
//! │                         comments: {id -> {author, body, at, deleted}},
//! │                         reactions: {"<person>/<emoji>" -> at}}}
//! ├─ expectations: {parents_of_school, school_of_parents, of_child:
//! │                 {id -> {text, proposed_by, proposed_at, status,
//! │                         marks: {party -> person}, comments: {id -> comment}}}}
//! ├─ agreement: { sections: {goals, approach_school, approach_home, reachability, privacy: Text},
//! │               tasks: {id -> {what, who, due?, status, created_by, created_at, removed}},
//! │               arrangement: {how_often, with_whom}, evaluation_date?,
//! │               signatures: {id -> {person, role, signed_at, heads: [hex], terms_hash,
//! │                                   encoding, device_signature?}} }
//! ├─ conversations: {id -> {kind, date, participants: {person -> true},
//! │                         input: {parents, school, child: str}, notes: Text,
//! │                         actions: {id -> {what, owner, due?, status, created_at}},
//! │                         created_by, created_at, removed}}
//! ├─ prompts: {id -> {title, question, by, created_at, removed}}
//! ├─ sources: {id -> {title, link, kind, note, added_by, added_at, tried: {person -> at}, removed}}
//! └─ measurement: {"<moment>/<person>/<statement>" -> 1..=5}
//! ```
//!
//! Every map that two devices might both want to create at one key exists
//! from the first change (or from the change that created its parent item);
//! everything else is a scalar or lives under a fresh id, because two
//! devices creating the same container concurrently lose one of them.

use std::collections::{BTreeMap, BTreeSet};

use automerge::legacy::{Key, ObjectId};
use automerge::{
    AutoCommit, ChangeHash, ObjId, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc, ScalarValue,
    Value,
};

use super::error::{ModelError, Result};
use super::history::Attribution;

/// The schema version this build writes and fully understands.
///
/// History: version 0 was the pre-release shape kept as a fixture in
/// `tests/fixtures/model/` (no tags, child flag, marks or measurement);
/// version 1 is the shape drawn above.
pub const SCHEMA_VERSION: u64 = 1;

pub(crate) mod key {
    pub const SCHEMA: &str = "schema";
    pub const DOSSIER: &str = "dossier";
    pub const MEMBERS: &str = "members";
    pub const PEOPLE: &str = "people";
    pub const DEVICES: &str = "devices";
    /// In `devices`: `confirmed:<device hex>:<person>` -> time.
    pub const CONFIRMED: &str = "confirmed:";
    /// In `devices`: `seen:<device hex>` -> time.
    pub const SEEN: &str = "seen:";
    /// In `devices`: `box:<device hex>` -> the device's signed X25519 key
    /// (what a re-founded dossier's secret is sealed to).
    pub const BOX: &str = "box:";
    /// In `members`: `former_log:<relay id hex>` -> time. The relay ids of
    /// the logs the dossier left at re-foundings: signatures made before a
    /// re-founding are bound to the id it had then.
    pub const FORMER_LOG: &str = "former_log:";
    pub const LOGBOOK: &str = "logbook";
    pub const EXPECTATIONS: &str = "expectations";
    pub const AGREEMENT: &str = "agreement";
    pub const SECTIONS: &str = "sections";
    pub const TASKS: &str = "tasks";
    pub const ARRANGEMENT: &str = "arrangement";
    pub const EVALUATION_DATE: &str = "evaluation_date";
    pub const SIGNATURES: &str = "signatures";
    pub const CONVERSATIONS: &str = "conversations";
    pub const PROMPTS: &str = "prompts";
    pub const SOURCES: &str = "sources";
    pub const MEASUREMENT: &str = "measurement";
    pub const COMMENTS: &str = "comments";
    pub const REACTIONS: &str = "reactions";
    pub const TAGS: &str = "tags";
    pub const MARKS: &str = "marks";
    pub const PARTICIPANTS: &str = "participants";
    pub const INPUT: &str = "input";
    pub const NOTES: &str = "notes";
    pub const ACTIONS: &str = "actions";
    pub const TRIED: &str = "tried";
    pub const HEADS: &str = "heads";
}

/// The part of the dossier a change touched; the store keeps one trigger
/// per section so that typing in the agreement does not rehydrate the
/// logbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// The logbook entries with their comments and reactions.
    Logbook,
    /// The three lists of mutual expectations.
    Expectations,
    /// The guidance agreement: its texts, tasks, arrangement and signatures.
    Agreement,
    /// The conversations between home and school, with notes and actions.
    Conversations,
    /// The people of the partnership and their devices.
    Members,
    /// The topics the school offers to talk about at home.
    Prompts,
    /// The sources shared about the child's interests.
    Sources,
    /// The answers to the partnership measurement.
    Measurement,
    /// The child's details, the schema version and anything unrecognised.
    Dossier,
}

impl Section {
    /// Every section, in a fixed order.
    pub const ALL: [Section; 9] = [
        Section::Logbook,
        Section::Expectations,
        Section::Agreement,
        Section::Conversations,
        Section::Members,
        Section::Prompts,
        Section::Sources,
        Section::Measurement,
        Section::Dossier,
    ];

    /// A stable name, for what the store keeps about a section.
    pub fn name(self) -> &'static str {
        match self {
            Section::Logbook => "logbook",
            Section::Expectations => "expectations",
            Section::Agreement => "agreement",
            Section::Conversations => "conversations",
            Section::Members => "members",
            Section::Prompts => "prompts",
            Section::Sources => "sources",
            Section::Measurement => "measurement",
            Section::Dossier => "dossier",
        }
    }

    fn of_root_key(key: &str) -> Section {
        match key {
            key::LOGBOOK => Section::Logbook,
            key::EXPECTATIONS => Section::Expectations,
            key::AGREEMENT => Section::Agreement,
            key::CONVERSATIONS => Section::Conversations,
            key::MEMBERS => Section::Members,
            key::PROMPTS => Section::Prompts,
            key::SOURCES => Section::Sources,
            key::MEASUREMENT => Section::Measurement,
            _ => Section::Dossier,
        }
    }
}

/// The section of a patch path (`Patch::path`): decided by its first key
/// below the root. An empty path means the patch is on the root itself;
/// use [`section_of_patch`] for those.
pub fn section_of_path(path: &[(ObjId, Prop)]) -> Section {
    match path.first() {
        Some((_, Prop::Map(k))) => Section::of_root_key(k),
        _ => Section::Dossier,
    }
}

/// The section a patch from `diff_incremental` belongs to, including
/// patches on root keys themselves.
pub fn section_of_patch(patch: &Patch) -> Section {
    if !patch.path.is_empty() {
        return section_of_path(&patch.path);
    }
    match &patch.action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
            Section::of_root_key(key)
        }
        PatchAction::Conflict {
            prop: Prop::Map(key),
        } => Section::of_root_key(key),
        PatchAction::Increment {
            prop: Prop::Map(key),
            ..
        } => Section::of_root_key(key),
        _ => Section::Dossier,
    }
}

/// The sections touched by the changes `doc` has beyond `before`, read
/// from the changes' own operations.
///
/// This answers the same question as mapping `diff_incremental` patches
/// through [`section_of_patch`], far cheaper: on the 2,000-entry benchmark
/// dossier, after adding one entry, `diff_incremental` took 0.89 ms
/// natively and this 24 µs (`cargo bench --bench model -- sections`): it
/// decodes only the new change and looks up the root key above each object
/// it touched. The store calls it after every
/// command and after applying other tabs' chunks; the tests check that
/// both ways agree.
pub fn sections_changed_since(doc: &mut AutoCommit, before: &[ChangeHash]) -> BTreeSet<Section> {
    touched_since(doc, before).sections().collect()
}

/// What changes touched: per section, the keys of the items directly below
/// the section's container (entry ids in the logbook), or `None` when the
/// section as a whole was touched (its container, or something unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Per touched section, the keys of the items touched; `None` when the
    /// section as a whole was.
    pub items: BTreeMap<Section, Option<BTreeSet<String>>>,
}

impl Touched {
    /// The sections that were touched at all.
    pub fn sections(&self) -> impl Iterator<Item = Section> + '_ {
        self.items.keys().copied()
    }

    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn whole(&mut self, section: Section) {
        self.items.insert(section, None);
    }

    fn item(&mut self, section: Section, key: String) {
        if let Some(keys) = self
            .items
            .entry(section)
            .or_insert_with(|| Some(BTreeSet::new()))
        {
            keys.insert(key);
        }
    }

    /// Everything `other` touched, too.
    pub fn merge(&mut self, other: Touched) {
        for (section, keys) in other.items {
            match keys {
                None => self.whole(section),
                Some(keys) => {
                    for k in keys {
                        self.item(section, k);
                    }
                }
            }
        }
    }
}

/// [`sections_changed_since`] with the items touched in each section.
pub fn touched_since(doc: &mut AutoCommit, before: &[ChangeHash]) -> Touched {
    touched_by_others_since(doc, before, &OwnChanges::default())
}

/// What a device counts as its own doing, and so never as news: changes
/// made on it (any session whose actor id starts with its key prefix) and
/// changes by the people who use it, made on any of their devices (a
/// teacher's own entry written at school is no news on the laptop at home).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnChanges {
    /// The device's key prefix; empty: no device.
    pub actor_prefix: Vec<u8>,
    /// Person ids, as the commit messages carry them.
    pub people: BTreeSet<String>,
}

impl OwnChanges {
    fn contains(&self, change: &automerge::Change) -> bool {
        if !self.actor_prefix.is_empty()
            && change.actor_id().to_bytes().starts_with(&self.actor_prefix)
        {
            return true;
        }
        !self.people.is_empty()
            && change
                .message()
                .and_then(Attribution::from_message)
                .is_some_and(|a| self.people.contains(&a.person))
    }
}

/// [`touched_since`] without the changes that are `own`: what others did.
pub fn touched_by_others_since(
    doc: &mut AutoCommit,
    before: &[ChangeHash],
    own: &OwnChanges,
) -> Touched {
    let mut touched = Touched::default();
    let mut seen_objects = BTreeSet::new();
    for change in doc.get_changes(before) {
        if own.contains(&change) {
            continue;
        }
        for op in change.decode().operations {
            match &op.obj {
                ObjectId::Root => match &op.key {
                    Key::Map(k) => touched.whole(Section::of_root_key(k)),
                    Key::Seq(_) => touched.whole(Section::Dossier),
                },
                ObjectId::Id(id) => {
                    let id = id.to_string();
                    // A container directly under the root: the op's key is
                    // an item; anything deeper: the path names the item.
                    match object_place(doc, &id) {
                        Place::SectionContainer(section) => match &op.key {
                            Key::Map(k) => touched.item(section, k.to_string()),
                            Key::Seq(_) => touched.whole(section),
                        },
                        Place::Whole(section) => touched.whole(section),
                        Place::Item(section, item) => {
                            if seen_objects.insert(id) {
                                touched.item(section, item);
                            }
                        }
                        // Not expected (objects are never removed); refresh
                        // everything rather than miss a change.
                        Place::Unknown => {
                            for section in Section::ALL {
                                touched.whole(section);
                            }
                        }
                    }
                }
            }
        }
    }
    touched
}

enum Place {
    SectionContainer(Section),
    /// Below a list or text: items have no keys to name.
    Whole(Section),
    Item(Section, String),
    Unknown,
}

/// Where an object (`counter@actor`) lives: the root key at the top of its
/// path and the item below that. An object that cannot be found counts as
/// unknown, which only means one extra section is refreshed.
fn object_place(doc: &AutoCommit, id: &str) -> Place {
    let Ok(obj) = doc.import_obj(id) else {
        return Place::Unknown;
    };
    let Ok(parents) = doc.parents(&obj) else {
        return Place::Unknown;
    };
    let path: Vec<_> = parents.collect();
    let section = match path.last().map(|p| &p.prop) {
        Some(Prop::Map(k)) => Section::of_root_key(k),
        _ => return Place::Unknown,
    };
    match path.len() {
        1 => Place::SectionContainer(section),
        n => match &path[n - 2].prop {
            Prop::Map(k) => Place::Item(section, k.clone()),
            Prop::Seq(_) => Place::Whole(section),
        },
    }
}

/// The schema version recorded in the document, or `None` if it has none
/// (then it is not a dossier). With concurrent values the highest wins, so
/// a document touched by a newer app stays protected on every device.
pub fn schema_version(doc: &AutoCommit) -> Option<u64> {
    let values = doc.get_all(ROOT, key::SCHEMA).ok()?;
    values
        .iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Uint(u) => Some(*u),
                ScalarValue::Int(i) => u64::try_from(*i).ok(),
                _ => None,
            },
            Value::Object(_) => None,
        })
        .max()
}

/// Whether this version may change the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Written by this schema or an older one: may be changed.
    ReadWrite,
    /// Written by a newer schema: shown, never rewritten.
    ReadOnly {
        /// The schema version in the document.
        found: u64,
        /// The newest schema version this build knows.
        supported: u64,
    },
}

impl Access {
    /// Whether this build may only show the document.
    pub fn is_read_only(&self) -> bool {
        matches!(self, Access::ReadOnly { .. })
    }
}

/// The access this build has to a dossier document.
pub fn access(doc: &AutoCommit) -> Result<Access> {
    let found = schema_version(doc).ok_or(ModelError::NotADossier)?;
    Ok(if found > SCHEMA_VERSION {
        Access::ReadOnly {
            found,
            supported: SCHEMA_VERSION,
        }
    } else {
        Access::ReadWrite
    })
}

/// Refuses to write into a document from a newer schema.
pub(crate) fn check_writable(doc: &AutoCommit) -> Result<()> {
    match access(doc)? {
        Access::ReadWrite => Ok(()),
        Access::ReadOnly { found, supported } => Err(ModelError::NewerSchema { found, supported }),
    }
}

/// Whether the document has the shape of a dossier at all.
pub(crate) fn is_dossier(doc: &AutoCommit) -> bool {
    schema_version(doc).is_some()
        && matches!(
            doc.get(ROOT, key::DOSSIER),
            Ok(Some((Value::Object(ObjType::Map), _)))
        )
}

/// The object at `parent[key]` if it is a container of the given type.
pub(crate) fn child_obj(doc: &AutoCommit, parent: &ObjId, key: &str, ty: ObjType) -> Option<ObjId> {
    match doc.get(parent, key) {
        Ok(Some((Value::Object(t), id))) if t == ty => Some(id),
        _ => None,
    }
}

/// A map that must exist since the first change; absent means an older or
/// foreign document, and the model will not create it.
pub(crate) fn container(doc: &AutoCommit, path: &[&'static str]) -> Result<ObjId> {
    let name = path.last().copied().unwrap_or("root");
    let mut obj = ROOT;
    for k in path {
        obj = child_obj(doc, &obj, k, ObjType::Map).ok_or(ModelError::MissingContainer(name))?;
    }
    Ok(obj)
}

/// The text object of an agreement section.
pub fn section_text(doc: &AutoCommit, section: super::types::AgreementSection) -> Result<ObjId> {
    let sections = container(doc, &[key::AGREEMENT, key::SECTIONS])?;
    child_obj(doc, &sections, section.key(), ObjType::Text)
        .ok_or(ModelError::MissingContainer(section.key()))
}

/// The map of an item under `parent[id]`, if present.
pub(crate) fn item(doc: &AutoCommit, parent: &ObjId, id: &str) -> Option<ObjId> {
    child_obj(doc, parent, id, ObjType::Map)
}

/// A scalar string at `obj[key]` (the winning value).
pub(crate) fn get_str(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => s.as_str().map(str::to_string),
        _ => None,
    }
}

/// A scalar boolean at `obj[key]` (the winning value); absent reads false.
pub(crate) fn get_bool(doc: &AutoCommit, obj: &ObjId, key: &str) -> bool {
    matches!(doc.get(obj, key), Ok(Some((Value::Scalar(s), _))) if matches!(s.as_ref(), ScalarValue::Boolean(true)))
}
