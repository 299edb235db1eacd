//! Members and the devices they use.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};

use super::{
    MAX_LABEL_CHARS, existing, fresh, member_role, new_map, nothing_to_change, put_str, put_time,
    require_member, run,
};
use crate::model::error::{ModelError, Result};
use crate::model::schema::{container, key};
use crate::model::types::{Ctx, PersonId, Role, check_label, hex};

/// Adds a person to the partnership. A person joining says who they are
/// themselves (`ctx.person == id`); an existing member may also add someone
/// (a parent adds the child).
pub fn add_member(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &PersonId,
    name: &str,
    role: &Role,
) -> Result<()> {
    run(doc, ctx, "add_member", |doc| {
        if &ctx.person != id {
            require_member(doc, &ctx.person)?;
        }
        check_label("name", name, MAX_LABEL_CHARS)?;
        let role = role.writable("role")?;
        let people = container(doc, &[key::MEMBERS, key::PEOPLE])?;
        fresh(doc, &people, "member", id)?;
        let person = new_map(doc, &people, id.as_str())?;
        put_str(doc, &person, "name", name)?;
        put_str(doc, &person, "role", role)?;
        put_time(doc, &person, "joined_at", ctx.now)?;
        Ok(())
    })
}

/// Renames a member or changes their role.
pub fn update_member(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &PersonId,
    name: Option<&str>,
    role: Option<&Role>,
) -> Result<()> {
    run(doc, ctx, "update_member", |doc| {
        require_member(doc, &ctx.person)?;
        if name.is_none() && role.is_none() {
            return Err(nothing_to_change());
        }
        if let Some(name) = name {
            check_label("name", name, MAX_LABEL_CHARS)?;
        }
        let role = role.map(|r| r.writable("role")).transpose()?;
        let people = container(doc, &[key::MEMBERS, key::PEOPLE])?;
        let person = existing(doc, &people, "member", id)?;
        if let Some(name) = name {
            put_str(doc, &person, "name", name)?;
        }
        if let Some(role) = role {
            put_str(doc, &person, "role", role)?;
        }
        Ok(())
    })
}

/// Removes a person from the partnership. They stay in the history (their
/// entries keep their name), but they are no member any more: the store
/// re-founds the dossier under a new secret so their devices read nothing
/// written after this. Removing yourself is leaving, which is refused here.
pub fn remove_member(doc: &mut AutoCommit, ctx: &Ctx, id: &PersonId) -> Result<()> {
    run(doc, ctx, "remove_member", |doc| {
        require_member(doc, &ctx.person)?;
        if &ctx.person == id {
            return Err(ModelError::Invalid {
                field: "member",
                reason: "a member cannot remove themselves; they leave instead".into(),
            });
        }
        member_role(doc, id)?;
        let people = container(doc, &[key::MEMBERS, key::PEOPLE])?;
        let person = existing(doc, &people, "member", id)?;
        put_time(doc, &person, "removed_at", ctx.now)?;
        put_str(doc, &person, "removed_by", ctx.person.as_str())
    })
}

/// Notes the relay id of the log a re-founding leaves, so signatures made
/// before it still check out on devices that join afterwards (they never
/// knew the old secret). Written with the removal, by the device that
/// re-founds.
/// Noting an id that is noted already changes nothing, and is no error.
pub fn note_former_log(doc: &mut AutoCommit, ctx: &Ctx, relay_id: &[u8; 16]) -> Result<()> {
    let k = format!("{}{}", key::FORMER_LOG, hex(relay_id));
    let members = container(doc, &[key::MEMBERS])?;
    if doc.get(&members, k.as_str())?.is_some() {
        return Ok(());
    }
    run(doc, ctx, "note_former_log", |doc| {
        require_member(doc, &ctx.person)?;
        put_time(doc, &members, &k, ctx.now)
    })
}

/// Publishes a device's signed X25519 key (`driehoek_wire::refound`), so a
/// re-founded dossier's new secret can be sealed to it. Only that device
/// writes it; readers check the signature before trusting it.
pub fn publish_box_key(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    device: &[u8; 32],
    record: &[u8],
) -> Result<()> {
    run(doc, ctx, "publish_box_key", |doc| {
        require_member(doc, &ctx.person)?;
        if record.len() != BOX_RECORD_LEN {
            return Err(ModelError::Invalid {
                field: "box key",
                reason: format!("{} bytes, not {BOX_RECORD_LEN}", record.len()),
            });
        }
        let devices = container(doc, &[key::MEMBERS, key::DEVICES])?;
        if !device_registered(doc, &devices, device) {
            return Err(ModelError::NotFound {
                kind: "device",
                id: hex(device),
            });
        }
        let k = box_key(device);
        if let Some((automerge::Value::Scalar(v), _)) = doc.get(&devices, k.as_str())?
            && matches!(v.as_ref(), automerge::ScalarValue::Bytes(b) if b.as_slice() == record)
        {
            return Err(nothing_to_change());
        }
        doc.put(
            &devices,
            k.as_str(),
            automerge::ScalarValue::Bytes(record.to_vec()),
        )?;
        Ok(())
    })
}

/// The length of a box key record: X25519 key (32) and Ed25519 signature (64).
pub const BOX_RECORD_LEN: usize = 96;

/// The flat key of a device's box key record.
pub(crate) fn box_key(device: &[u8; 32]) -> String {
    format!("{}{}", key::BOX, hex(device))
}

/// The flat key of a (device, person) pair. Flat, because a nested map per
/// device could be created by two tabs of one device at once.
pub(crate) fn device_key(device: &[u8; 32], person: &PersonId) -> String {
    format!("{}/{}", hex(device), person)
}

/// Records that `person` uses the device with this Ed25519 public key (a
/// family phone carries a parent and the child).
pub fn register_device(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    device: &[u8; 32],
    person: &PersonId,
) -> Result<()> {
    run(doc, ctx, "register_device", |doc| {
        require_member(doc, &ctx.person)?;
        member_role(doc, person)?;
        let devices = container(doc, &[key::MEMBERS, key::DEVICES])?;
        let k = device_key(device, person);
        if doc.get(&devices, k.as_str())?.is_some() {
            return Err(ModelError::AlreadyExists {
                kind: "device registration",
                id: k,
            });
        }
        put_time(doc, &devices, &k, ctx.now)
    })
}

/// Removes a (device, person) registration.
pub fn unregister_device(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    device: &[u8; 32],
    person: &PersonId,
) -> Result<()> {
    run(doc, ctx, "unregister_device", |doc| {
        require_member(doc, &ctx.person)?;
        let devices = container(doc, &[key::MEMBERS, key::DEVICES])?;
        let k = device_key(device, person);
        if doc.get(&devices, k.as_str())?.is_none() {
            return Err(ModelError::NotFound {
                kind: "device registration",
                id: k,
            });
        }
        doc.delete(&devices, k.as_str())?;
        Ok(())
    })
}

/// The flat key of one member's confirmation of a device:
/// `confirmed:<device hex>:<person>`. Two members confirming at once both
/// stay; readers from before confirmations skip keys without a `/`.
pub(crate) fn confirmation_key(device: &[u8; 32], by: &PersonId) -> String {
    format!("{}{}:{}", key::CONFIRMED, hex(device), by)
}

/// The flat key of the time a device last had everything from the relay.
/// Only that device writes it.
pub(crate) fn seen_key(device: &[u8; 32]) -> String {
    format!("{}{}", key::SEEN, hex(device))
}

/// Whether a device is registered for anyone.
fn device_registered(doc: &AutoCommit, devices: &automerge::ObjId, device: &[u8; 32]) -> bool {
    let prefix = format!("{}/", hex(device));
    doc.keys(devices).any(|k| k.starts_with(&prefix))
}

/// A member vouches for a device: they checked with its owner that the
/// device's code matches. Confirming your own device means nothing, so it
/// is refused.
pub fn confirm_device(doc: &mut AutoCommit, ctx: &Ctx, device: &[u8; 32]) -> Result<()> {
    run(doc, ctx, "confirm_device", |doc| {
        require_member(doc, &ctx.person)?;
        let devices = container(doc, &[key::MEMBERS, key::DEVICES])?;
        if !device_registered(doc, &devices, device) {
            return Err(ModelError::NotFound {
                kind: "device",
                id: hex(device),
            });
        }
        if doc
            .get(&devices, device_key(device, &ctx.person).as_str())?
            .is_some()
        {
            return Err(ModelError::Invalid {
                field: "device",
                reason: "a member cannot confirm their own device".into(),
            });
        }
        let k = confirmation_key(device, &ctx.person);
        if doc.get(&devices, k.as_str())?.is_some() {
            return Err(ModelError::AlreadyExists {
                kind: "device confirmation",
                id: k,
            });
        }
        put_time(doc, &devices, &k, ctx.now)
    })
}

/// Notes that this device has had everything from the relay now.
pub fn note_device_seen(doc: &mut AutoCommit, ctx: &Ctx, device: &[u8; 32]) -> Result<()> {
    run(doc, ctx, "note_device_seen", |doc| {
        require_member(doc, &ctx.person)?;
        let devices = container(doc, &[key::MEMBERS, key::DEVICES])?;
        if !device_registered(doc, &devices, device) {
            return Err(ModelError::NotFound {
                kind: "device",
                id: hex(device),
            });
        }
        put_time(doc, &devices, &seen_key(device), ctx.now)
    })
}
