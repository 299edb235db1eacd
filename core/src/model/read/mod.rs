//! Views: each function hydrates only the section it shows.
//!
//! Fields a document from an older schema lacks get defaults here
//! (`missing = ..`); nothing on this side ever writes, so two devices
//! reading an old document can never both "migrate" it.

mod agreement;
mod comments;
mod conversations;
mod expectations;
mod hydrate;
mod logbook;
mod members;
mod summary;
mod terms;
mod together;

pub use agreement::*;
pub use comments::Comment;
pub use conversations::*;
pub use expectations::*;
pub(crate) use hydrate::opt;
pub use logbook::*;
pub use members::*;
pub use summary::*;
pub use terms::*;
pub use together::*;
