//! The one error type of the model layer.

use thiserror::Error;

/// Everything that can go wrong in the model: bad input to a command, a
/// document this version may not change, or bytes that are not a dossier.
#[derive(Debug, Error)]
pub enum ModelError {
    /// A required text was blank, or a conversation had no participants.
    #[error("{field} must not be empty")]
    EmptyText {
        /// The field, as a person would name it.
        field: &'static str,
    },

    /// A text was longer than its field allows.
    #[error("{field} is too long: {len} characters, at most {max}")]
    TextTooLong {
        /// The field, as a person would name it.
        field: &'static str,
        /// How long the text was, in Unicode scalar values.
        len: usize,
        /// The most the field accepts.
        max: usize,
    },

    /// An input had the wrong shape (an id with a forbidden character, a
    /// date not written as `YYYY-MM-DD`, a label over several lines), or a
    /// command would change nothing.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, as a person would name it.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// A date or school year lay outside 2000 to 2099, or the day does not
    /// exist in its month.
    #[error("date out of range: {0}")]
    DateOutOfRange(String),

    /// The caller's clock gave a time before 2000 or after 2100.
    #[error("time out of range: {0} ms since 1970")]
    TimeOutOfRange(i64),

    /// A command named an item that the dossier does not hold.
    #[error("no {kind} with id {id}")]
    NotFound {
        /// What kind of item was sought (entry, comment, person, ...).
        kind: &'static str,
        /// The id that was not found.
        id: String,
    },

    /// A command would create an item under an id that is already taken.
    #[error("a {kind} with id {id} already exists")]
    AlreadyExists {
        /// What kind of item was created.
        kind: &'static str,
        /// The id that is taken.
        id: String,
    },

    /// A command would change an item that was deleted or removed.
    #[error("the {kind} with id {id} was deleted")]
    Deleted {
        /// What kind of item it is.
        kind: &'static str,
        /// The id of the deleted item.
        id: String,
    },

    /// The acting person is not, or no longer, a member of the dossier.
    #[error("{person} is not a member of this dossier")]
    NotAMember {
        /// The person id that acted.
        person: String,
    },

    /// Someone other than its author tried to change an entry, comment or
    /// signature.
    #[error("only its author may change this {kind}")]
    NotAuthor {
        /// What kind of item it is.
        kind: &'static str,
    },

    /// A command met a value only a newer version knows: it was asked to
    /// write it, or the acting member has such a role.
    #[error("{value} is not a {field} this version can write")]
    UnknownValue {
        /// The field, as a person would name it.
        field: &'static str,
        /// The refused value in its stored form.
        value: String,
    },

    /// A text edit addressed positions beyond the end of the text.
    #[error("text range {pos}..{end} lies outside the text of length {len}")]
    RangeOutOfBounds {
        /// Where the edit starts.
        pos: usize,
        /// Where the edit ends.
        end: usize,
        /// How long the text is.
        len: usize,
    },

    /// A command tried to change a dossier written by a newer schema,
    /// which this version only shows.
    #[error(
        "this dossier was written by a newer version of the app (schema {found}, this version knows {supported}); it opens read-only"
    )]
    NewerSchema {
        /// The schema version in the document.
        found: u64,
        /// The newest schema version this build knows.
        supported: u64,
    },

    /// Loaded or read bytes hold an Automerge document without a schema
    /// version or dossier details.
    #[error("this document is not a dossier")]
    NotADossier,

    /// A dossier was to be created in a document that already has content.
    #[error("the document already has content; a dossier is created only once")]
    AlreadyCreated,

    /// A command ran while the document held operations not committed by
    /// the model.
    #[error("the document has uncommitted changes from outside the model")]
    UncommittedChanges,

    /// A container that every dossier has from its first change is
    /// absent: the document is older or foreign.
    #[error("the document has no {0} container; it is never created after the first change")]
    MissingContainer(&'static str),

    /// A text edit was based on heads that this document does not have,
    /// so it cannot be placed.
    #[error("the text field was filled from changes this document does not have")]
    UnknownHeads,

    /// There were no bytes to load, or a frame carried an empty payload.
    #[error("there are no bytes to load")]
    EmptyBytes,

    /// The bytes do not start with the Driehoek frame magic.
    #[error("the bytes are not a driehoek frame")]
    ForeignBytes,

    /// The frame was written in a frame version this build cannot read.
    #[error("frame version {0} is not supported")]
    UnsupportedFrameVersion(u8),

    /// The frame's kind byte is neither a document nor changes.
    #[error("frame kind {0} is not known")]
    UnknownFrameKind(u8),

    /// The bytes end before the frame's header or payload does.
    #[error("the frame is truncated: {expected} bytes expected, {actual} present")]
    Truncated {
        /// How many bytes the frame needs.
        expected: u64,
        /// How many bytes there were.
        actual: u64,
    },

    /// More bytes follow the frame's payload than its length announces.
    #[error("the frame has {0} trailing bytes")]
    TrailingBytes(u64),

    /// The frame's checksum does not match its header and payload.
    #[error("the frame checksum does not match: the bytes are damaged")]
    Damaged,

    /// The platform's random source failed while making a fresh id.
    #[error("no random bytes available: {0}")]
    Random(String),

    // Boxed: these are rare, and inline they would make every `Result` of
    // the model four times larger.
    /// Automerge refused an operation or failed to load bytes.
    #[error("document error: {0}")]
    Automerge(Box<automerge::AutomergeError>),

    /// A part of the document did not have the shape its view expects.
    #[error("document shape error: {0}")]
    Hydrate(Box<autosurgeon::HydrateError>),
}

impl From<automerge::AutomergeError> for ModelError {
    fn from(e: automerge::AutomergeError) -> Self {
        ModelError::Automerge(Box::new(e))
    }
}

impl From<autosurgeon::HydrateError> for ModelError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        ModelError::Hydrate(Box::new(e))
    }
}

/// Shorthand for results of the model layer.
pub type Result<T, E = ModelError> = std::result::Result<T, E>;
