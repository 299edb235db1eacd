//! The messages between app and relay live in `driehoek-wire`, which the
//! app builds too, so both sides speak exactly the same protocol.

pub use driehoek_wire::message::{ErrorCode, Message, PROTOCOL_VERSION};
