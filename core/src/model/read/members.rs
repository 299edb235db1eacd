//! The people of the partnership, their devices, and the logs a re-founded
//! dossier left behind.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValueRef, Value, ValueRef};
use autosurgeon::Hydrate;

use crate::model::error::Result;
use crate::model::schema::{container, key};

use crate::model::types::{Id, PersonId, Role, Timestamp, unhex};

use super::hydrate::*;
use super::summary::DossierDoc;

#[derive(Hydrate)]
struct PersonDoc {
    #[autosurgeon(missing = "String::new")]
    name: String,
    #[autosurgeon(missing = "unknown_role")]
    role: Role,
    #[autosurgeon(missing = "zero")]
    joined_at: i64,
    #[autosurgeon(missing = "Option::default")]
    removed_at: Option<i64>,
    #[autosurgeon(missing = "Option::default")]
    removed_by: Option<Id>,
}

/// A person in the partnership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The person's id, as commands and commit messages name them.
    pub id: PersonId,
    /// The name the partnership knows them by.
    pub name: String,
    /// Their role in the partnership now.
    pub role: Role,
    /// When they joined (caller's clock, ms).
    pub joined_at: Timestamp,
    /// Removed from the partnership then, by that member. A removed person
    /// stays here so history keeps their name; they are no member.
    pub removed: Option<(Timestamp, Option<PersonId>)>,
}

impl Member {
    /// Whether they take part now (not removed).
    pub fn is_current(&self) -> bool {
        self.removed.is_none()
    }
}

/// A device and the people who use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Ed25519 public key.
    pub key: [u8; 32],
    /// The members who use this device.
    pub persons: Vec<PersonId>,
    /// When the device was first registered.
    pub added_at: Timestamp,
    /// Who vouched for it, and when, oldest first.
    pub confirmed_by: Vec<(PersonId, Timestamp)>,
    /// When it last had everything from the relay, as it noted itself.
    pub last_seen: Option<Timestamp>,
    /// The dossier's creator made the dossier on it: nobody else was there
    /// to confirm it, and nobody needs to.
    pub founding: bool,
    /// Its published box key records (more than one if two were written
    /// at once); only one the device itself signed counts.
    pub box_records: Vec<Vec<u8>>,
}

impl Device {
    /// Vouched for by a member, or the device the dossier was made on.
    pub fn is_confirmed(&self) -> bool {
        self.founding || !self.confirmed_by.is_empty()
    }
}

/// Everyone in the partnership and their devices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Members {
    /// Sorted by joining time.
    pub people: Vec<Member>,
    /// Every device ever registered, in key order.
    pub devices: Vec<Device>,
}

impl Members {
    /// The person with this id, whether current or removed.
    pub fn get(&self, id: &PersonId) -> Option<&Member> {
        self.people.iter().find(|m| &m.id == id)
    }

    /// The people who take part now (not removed).
    pub fn current(&self) -> impl Iterator<Item = &Member> {
        self.people.iter().filter(|m| m.is_current())
    }

    /// Whether `id` takes part now.
    pub fn is_current(&self, id: &PersonId) -> bool {
        self.get(id).is_some_and(Member::is_current)
    }

    /// The devices of people who take part now: a device shared by a
    /// removed parent and the child stays, as the child's.
    pub fn current_devices(&self) -> impl Iterator<Item = &Device> {
        self.devices
            .iter()
            .filter(|d| d.persons.iter().any(|p| self.is_current(p)))
    }

    /// How many devices no member vouched for yet, other than
    /// `this_device` (its owner cannot confirm it, so telling them about
    /// it only worries them).
    pub fn unconfirmed_devices(&self, this_device: Option<[u8; 32]>) -> usize {
        self.devices
            .iter()
            .filter(|d| !d.is_confirmed() && Some(d.key) != this_device)
            .count()
    }
}

/// Members and devices.
pub fn members(doc: &AutoCommit) -> Result<Members> {
    let members = container(doc, &[key::MEMBERS])?;
    let people: Option<BTreeMap<String, PersonDoc>> = opt(doc, &members, key::PEOPLE)?;
    let mut people: Vec<Member> = people
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, p)| {
            Some(Member {
                id: Id::new(id).ok()?,
                name: p.name,
                role: p.role,
                joined_at: p.joined_at,
                removed: p.removed_at.map(|at| (at, p.removed_by)),
            })
        })
        .collect();
    people.sort_by(|a, b| (a.joined_at, &a.id).cmp(&(b.joined_at, &b.id)));

    let mut devices: BTreeMap<[u8; 32], Device> = BTreeMap::new();
    let mut confirmations = Vec::new();
    let mut seen = Vec::new();
    let mut boxes = Vec::new();
    if let Some((Value::Object(ObjType::Map), obj)) = doc.get(&members, key::DEVICES)? {
        for item in doc.map_range(&obj, ..) {
            if let Some(device) = item.key.strip_prefix(key::BOX) {
                if let Some(device) = device_bytes(device) {
                    // Every value written at once, not only the winner: a
                    // forged record must not hide the device's own.
                    for (value, _) in doc.get_all(&obj, item.key)? {
                        if let Value::Scalar(v) = value
                            && let automerge::ScalarValue::Bytes(b) = v.as_ref()
                        {
                            boxes.push((device, b.clone()));
                        }
                    }
                }
                continue;
            }
            let at = match item.value {
                ValueRef::Scalar(ScalarValueRef::Int(t)) => t,
                _ => 0,
            };
            let k = item.key;
            if let Some(rest) = k.strip_prefix(key::CONFIRMED) {
                if let Some((device, by)) = rest.split_once(':')
                    && let (Some(device), Ok(by)) = (device_bytes(device), Id::new(by))
                {
                    confirmations.push((device, by, at));
                }
                continue;
            }
            if let Some(device) = k.strip_prefix(key::SEEN) {
                if let Some(device) = device_bytes(device) {
                    seen.push((device, at));
                }
                continue;
            }
            let Some((device, person)) = k.split_once('/') else {
                continue;
            };
            let (Some(key), Ok(person)) = (device_bytes(device), Id::new(person)) else {
                continue;
            };
            let d = devices.entry(key).or_insert_with(|| Device {
                key,
                persons: Vec::new(),
                added_at: at,
                confirmed_by: Vec::new(),
                last_seen: None,
                founding: false,
                box_records: Vec::new(),
            });
            d.persons.push(person);
            d.added_at = d.added_at.min(at);
        }
    }
    for (device, by, at) in confirmations {
        if let Some(d) = devices.get_mut(&device) {
            d.confirmed_by.push((by, at));
        }
    }
    for (device, at) in seen {
        if let Some(d) = devices.get_mut(&device) {
            d.last_seen = Some(at);
        }
    }
    for (device, record) in boxes {
        if let Some(d) = devices.get_mut(&device) {
            d.box_records.push(record);
        }
    }
    let creator = opt::<DossierDoc>(doc, ROOT, key::DOSSIER)
        .ok()
        .flatten()
        .and_then(|d| d.created_by);
    if let Some(creator) = creator
        && let Some(first) = devices
            .values_mut()
            .filter(|d| d.persons.contains(&creator))
            .min_by_key(|d| (d.added_at, d.key))
    {
        first.founding = true;
    }
    let mut devices: Vec<Device> = devices.into_values().collect();
    for d in &mut devices {
        d.confirmed_by.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    }
    Ok(Members { people, devices })
}

/// The relay ids of the logs the dossier left at re-foundings
/// ([`crate::model::commands::note_former_log`]), oldest first.
pub fn former_logs(doc: &AutoCommit) -> Result<Vec<[u8; 16]>> {
    let members = container(doc, &[key::MEMBERS])?;
    let mut found: Vec<(i64, [u8; 16])> = doc
        .map_range(&members, ..)
        .filter_map(|item| {
            let id = item.key.strip_prefix(key::FORMER_LOG)?;
            let id = <[u8; 16]>::try_from(unhex(id)?.as_slice()).ok()?;
            let at = match item.value {
                ValueRef::Scalar(ScalarValueRef::Int(t)) => t,
                _ => 0,
            };
            Some((at, id))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().map(|(_, id)| id).collect())
}

fn device_bytes(text: &str) -> Option<[u8; 32]> {
    <[u8; 32]>::try_from(unhex(text)?.as_slice()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(key: u8, founding: bool, confirmed: bool) -> Device {
        Device {
            key: [key; 32],
            persons: vec![Id::new("p").expect("id")],
            added_at: 0,
            confirmed_by: if confirmed {
                vec![(Id::new("q").expect("id"), 1)]
            } else {
                Vec::new()
            },
            last_seen: None,
            founding,
            box_records: Vec::new(),
        }
    }

    #[test]
    fn only_other_devices_waiting_for_a_member_count_as_unconfirmed() {
        let members = Members {
            people: Vec::new(),
            devices: vec![
                device(1, true, false),
                device(2, false, true),
                device(3, false, false),
                device(4, false, false),
            ],
        };
        assert_eq!(members.unconfirmed_devices(None), 2);
        assert_eq!(members.unconfirmed_devices(Some([3; 32])), 1);
    }
}
