//! The one error type of the model layer.

use thiserror::Error;

/// Everything that can go wrong in the model: bad input to a command, a
/// document this version may not change, or bytes that are not a dossier.
#[derive(Debug, Error)]
pub enum ModelError {
    #[error("{field} must not be empty")]
    EmptyText { field: &'static str },

    #[error("{field} is too long: {len} characters, at most {max}")]
    TextTooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },

    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    #[error("date out of range: {0}")]
    DateOutOfRange(String),

    #[error("time out of range: {0} ms since 1970")]
    TimeOutOfRange(i64),

    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: String },

    #[error("a {kind} with id {id} already exists")]
    AlreadyExists { kind: &'static str, id: String },

    #[error("the {kind} with id {id} was deleted")]
    Deleted { kind: &'static str, id: String },

    #[error("{person} is not a member of this dossier")]
    NotAMember { person: String },

    #[error("only its author may change this {kind}")]
    NotAuthor { kind: &'static str },

    #[error("{value} is not a {field} this version can write")]
    UnknownValue { field: &'static str, value: String },

    #[error("text range {pos}..{end} lies outside the text of length {len}")]
    RangeOutOfBounds { pos: usize, end: usize, len: usize },

    #[error(
        "this dossier was written by a newer version of the app (schema {found}, this version knows {supported}); it opens read-only"
    )]
    NewerSchema { found: u64, supported: u64 },

    #[error("this document is not a dossier")]
    NotADossier,

    #[error("the document already has content; a dossier is created only once")]
    AlreadyCreated,

    #[error("the document has uncommitted changes from outside the model")]
    UncommittedChanges,

    #[error("the document has no {0} container; it is never created after the first change")]
    MissingContainer(&'static str),

    #[error("the text field was filled from changes this document does not have")]
    UnknownHeads,

    #[error("there are no bytes to load")]
    EmptyBytes,

    #[error("the bytes are not a driehoek frame")]
    ForeignBytes,

    #[error("frame version {0} is not supported")]
    UnsupportedFrameVersion(u8),

    #[error("frame kind {0} is not known")]
    UnknownFrameKind(u8),

    #[error("the frame is truncated: {expected} bytes expected, {actual} present")]
    Truncated { expected: u64, actual: u64 },

    #[error("the frame has {0} trailing bytes")]
    TrailingBytes(u64),

    #[error("the frame checksum does not match: the bytes are damaged")]
    Damaged,

    #[error("no random bytes available: {0}")]
    Random(String),

    // Boxed: these are rare, and inline they would make every `Result` of
    // the model four times larger.
    #[error("document error: {0}")]
    Automerge(Box<automerge::AutomergeError>),

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
