//! Small value types shared by the schema, the commands and the views.

use std::fmt;

use autosurgeon::{Hydrate, HydrateError};

use super::MAX_TEXT_CHARS;
use super::error::{ModelError, Result};

/// Milliseconds since the Unix epoch. The model never reads a clock: every
/// command gets the time from its caller, because `SystemTime::now` panics
/// on wasm32.
pub type Timestamp = i64;

/// 2000-01-01T00:00:00Z: nothing in a dossier can be older.
pub const MIN_TIMESTAMP: Timestamp = 946_684_800_000;
/// 2100-01-01T00:00:00Z: a clock further ahead is broken, not early.
pub const MAX_TIMESTAMP: Timestamp = 4_102_444_800_000;

pub(crate) fn check_timestamp(t: Timestamp) -> Result<Timestamp> {
    if (MIN_TIMESTAMP..MAX_TIMESTAMP).contains(&t) {
        Ok(t)
    } else {
        Err(ModelError::TimeOutOfRange(t))
    }
}

/// A stable identifier of an item in the dossier (entry, comment, person,
/// task, ...). Ids are chosen by the caller so that a draft can carry its
/// id before the command commits it, which makes creation idempotent.
///
/// 1 to 64 characters from `A-Z a-z 0-9 _ -`, so ids can be joined with `/`
/// into flat map keys without ambiguity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

/// Maximum length of an [`Id`].
pub const MAX_ID_LEN: usize = 64;

impl Id {
    /// Checks and wraps an id.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        if id.is_empty() || id.len() > MAX_ID_LEN {
            return Err(ModelError::Invalid {
                field: "id",
                reason: format!("must be 1 to {MAX_ID_LEN} characters long"),
            });
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ModelError::Invalid {
                field: "id",
                reason: "only letters, digits, '_' and '-' are allowed".into(),
            });
        }
        Ok(Self(id))
    }

    /// A fresh random id (128 bits, hex) from the platform's random source.
    pub fn random() -> Result<Self> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| ModelError::Random(e.to_string()))?;
        Ok(Self(hex(&bytes)))
    }

    /// The id as text, as stored in the document and joined into map keys.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps an id read from the document as-is (see the `Hydrate` impl).
    pub(crate) fn unchecked(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Hydrate for Id {
    // A malformed id from a foreign writer must not take the whole view down,
    // and it cannot be written back by this version anyway, so it is kept
    // as-is for display.
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Ok(Self::unchecked(s))
    }
}

/// Who a command acts for: a member of the dossier.
pub type PersonId = Id;

/// The caller's context for one command: who acts and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ctx {
    /// The member who acts; the commit is attributed to them.
    pub person: PersonId,
    /// When the command runs (caller's clock, ms).
    pub now: Timestamp,
}

impl Ctx {
    /// The context for `person` acting at `now`.
    pub fn new(person: PersonId, now: Timestamp) -> Self {
        Self { person, now }
    }
}

/// A calendar day, stored as `YYYY-MM-DD` so that it sorts as text and
/// reads well in a raw dump of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// The first year a [`Date`] may have.
pub const MIN_YEAR: u16 = 2000;
/// The last year a [`Date`] may have.
pub const MAX_YEAR: u16 = 2099;

impl Date {
    /// A checked date between 2000-01-01 and 2099-12-31.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self> {
        let out = || ModelError::DateOutOfRange(format!("{year:04}-{month:02}-{day:02}"));
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return Err(out());
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(out());
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self> {
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(ModelError::Invalid {
                field: "date",
                reason: format!("{s:?} is not YYYY-MM-DD"),
            });
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r)
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or_else(|| ModelError::DateOutOfRange(s.to_string()))
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        // Both fit in u8: they are two decimal digits.
        Self::new(year, month as u8, day as u8)
    }

    /// The year, 2000 to 2099.
    pub fn year(&self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Date::parse(s).map_err(|e| HydrateError::unexpected("a date YYYY-MM-DD", e.to_string()))
    }
}

/// A school year such as `2025-2026`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchoolYear {
    start: u16,
}

impl SchoolYear {
    /// The school year that starts in `start` (in the range of [`Date`]).
    pub fn starting(start: u16) -> Result<Self> {
        if (MIN_YEAR..MAX_YEAR).contains(&start) {
            Ok(Self { start })
        } else {
            Err(ModelError::DateOutOfRange(format!("school year {start}")))
        }
    }

    /// Parses `YYYY-YYYY` where the second year follows the first.
    pub fn parse(s: &str) -> Result<Self> {
        let invalid = || ModelError::Invalid {
            field: "school year",
            reason: format!("{s:?} is not YYYY-YYYY"),
        };
        let (a, b) = s.split_once('-').ok_or_else(invalid)?;
        if a.len() != 4 || b.len() != 4 {
            return Err(invalid());
        }
        let a: u16 = a.parse().map_err(|_| invalid())?;
        let b: u16 = b.parse().map_err(|_| invalid())?;
        if b != a.wrapping_add(1) {
            return Err(invalid());
        }
        Self::starting(a)
    }

    /// The calendar year the school year starts in (2025 for `2025-2026`).
    pub fn start(&self) -> u16 {
        self.start
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.start + 1)
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// Parses lowercase or uppercase hex; `None` on any other character.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

/// Validates free text: not blank, at most [`MAX_TEXT_CHARS`].
pub(crate) fn check_text(field: &'static str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(ModelError::EmptyText { field });
    }
    check_len(field, text, MAX_TEXT_CHARS)
}

/// Validates text that may be empty (notes, optional fields).
pub(crate) fn check_len(field: &'static str, text: &str, max: usize) -> Result<()> {
    let len = text.chars().count();
    if len > max {
        return Err(ModelError::TextTooLong { field, len, max });
    }
    Ok(())
}

/// Validates a short one-line label (a name, a tag, a title).
pub(crate) fn check_label(field: &'static str, text: &str, max: usize) -> Result<()> {
    if text.trim().is_empty() {
        return Err(ModelError::EmptyText { field });
    }
    check_len(field, text, max)?;
    if text.chars().any(char::is_control) {
        return Err(ModelError::Invalid {
            field,
            reason: "must be one line without control characters".into(),
        });
    }
    Ok(())
}

/// Declares an enum stored in the document as a string. Every such enum is
/// open: a value written by a newer app hydrates as `Unknown(..)` instead of
/// failing the whole view, and commands refuse to write `Unknown`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value written by a newer version of the app.
            Unknown(String),
        }

        impl $name {
            /// Every value this version knows, in display order.
            pub fn known() -> Vec<Self> {
                vec![$( Self::$variant ),+]
            }

            /// The stored form.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Unknown(s) => s,
                }
            }

            /// Reads the stored form; never fails.
            pub fn parse(s: &str) -> Self {
                match s {
                    $( $text => Self::$variant, )+
                    other => Self::Unknown(other.to_string()),
                }
            }

            /// The stored form, refusing `Unknown` so it is never written back.
            #[allow(dead_code)]
            pub(crate) fn writable(&self, field: &'static str) -> $crate::model::error::Result<&'static str> {
                match self {
                    $( Self::$variant => Ok($text), )+
                    Self::Unknown(s) => Err(ModelError::UnknownValue { field, value: s.clone() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Hydrate for $name {
            fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
                Ok(Self::parse(s))
            }
        }
    };
}

open_enum! {
    /// A member's role in the partnership.
    Role {
        /// A parent or carer of the child.
        Parent => "parent",
        /// The child the dossier is about.
        Child => "child",
        /// The child's teacher or mentor.
        Teacher => "teacher",
        /// Intern begeleider: special-needs coordinator.
        Coordinator => "coordinator",
    }
}

open_enum! {
    /// One of the three sides of the triangle.
    Party {
        /// The child's parents, at home.
        Parents => "parents",
        /// The school: teacher and special-needs coordinator.
        School => "school",
        /// The child, in their own voice.
        Child => "child",
    }
}

impl Role {
    /// The side of the triangle this role speaks for.
    pub fn party(&self) -> Option<Party> {
        match self {
            Role::Parent => Some(Party::Parents),
            Role::Child => Some(Party::Child),
            Role::Teacher | Role::Coordinator => Some(Party::School),
            Role::Unknown(_) => None,
        }
    }
}

open_enum! {
    /// What a logbook entry is about.
    EntryKind {
        /// Something the child discovered.
        Discovery => "discovery",
        /// A question the child asked.
        Question => "question",
        /// Something the child made or did and is proud of.
        ProudOf => "proud_of",
        /// Something the child struggled with.
        FoundDifficult => "found_difficult",
        /// Something the child wants to learn more about.
        WantsToLearn => "wants_to_learn",
        /// Something good the school reports.
        PositiveNote => "positive_note",
        /// Anything that fits none of the other kinds.
        Other => "other",
    }
}

open_enum! {
    /// Where a mutual expectation stands.
    ExpectationStatus {
        /// Put forward by someone, not yet agreed.
        Proposed => "proposed",
        /// Agreed on by the parties.
        Agreed => "agreed",
        /// To be discussed again.
        ToRevisit => "to_revisit",
        /// No longer pursued.
        Dropped => "dropped",
    }
}

open_enum! {
    /// Progress of a task (a parent task or an agreed action). Progress is
    /// not a term of the agreement: changing it does not void signatures.
    TaskStatus {
        /// Still to be done.
        Open => "open",
        /// Carried out.
        Done => "done",
    }
}

open_enum! {
    /// The kind of a conversation between home and school.
    ConversationKind {
        /// The start conversation, before or at the start of the school year.
        Start => "start",
        /// A regular progress conversation (voortgangsgesprek).
        Progress => "progress",
        /// The evaluation of the guidance agreement.
        Evaluation => "evaluation",
        /// Any other conversation between home and school.
        Other => "other",
    }
}

open_enum! {
    /// The kind of a shared source.
    SourceKind {
        /// A website.
        Website => "website",
        /// A book.
        Book => "book",
        /// An event, such as an exhibition, a lecture or a workshop.
        Event => "event",
        /// Any other kind of source.
        Other => "other",
    }
}

open_enum! {
    /// The moment of a partnership measurement.
    Moment {
        /// Nulmeting, at the start.
        Baseline => "baseline",
        /// Eindmeting, later.
        End => "end",
    }
}

/// One of the three mutual-expectation lists. Used as a map key, never
/// stored as a value, so it is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExpectationList {
    /// What the parents expect of the school.
    ParentsOfSchool,
    /// What the school expects of the parents.
    SchoolOfParents,
    /// What is expected of the child.
    OfChild,
}

impl ExpectationList {
    /// All three lists, in the order they are shown.
    pub const ALL: [ExpectationList; 3] = [
        ExpectationList::ParentsOfSchool,
        ExpectationList::SchoolOfParents,
        ExpectationList::OfChild,
    ];

    /// The key of the list's map under `expectations` in the document.
    pub fn key(self) -> &'static str {
        match self {
            ExpectationList::ParentsOfSchool => "parents_of_school",
            ExpectationList::SchoolOfParents => "school_of_parents",
            ExpectationList::OfChild => "of_child",
        }
    }
}

/// A section of the guidance agreement, each a collaboratively edited text.
/// Used as a map key, never stored as a value, so it is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgreementSection {
    /// What the child wants to learn or reach.
    Goals,
    /// For example enrichment or compacting.
    ApproachSchool,
    /// What happens at home to feed the child's curiosity.
    ApproachHome,
    /// How and when school and parents reach each other.
    Reachability,
    /// Who may see or share what about the child.
    Privacy,
}

impl AgreementSection {
    /// All sections in the order they are shown, printed and hashed.
    pub const ALL: [AgreementSection; 5] = [
        AgreementSection::Goals,
        AgreementSection::ApproachSchool,
        AgreementSection::ApproachHome,
        AgreementSection::Reachability,
        AgreementSection::Privacy,
    ];

    /// The key of the section's text under `agreement/sections` in the document.
    pub fn key(self) -> &'static str {
        match self {
            AgreementSection::Goals => "goals",
            AgreementSection::ApproachSchool => "approach_school",
            AgreementSection::ApproachHome => "approach_home",
            AgreementSection::Reachability => "reachability",
            AgreementSection::Privacy => "privacy",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_supported_range_are_refused() {
        assert!(Date::new(1999, 12, 31).is_err());
        assert!(Date::new(2100, 1, 1).is_err());
        assert!(Date::new(2024, 2, 30).is_err());
        assert!(Date::new(2023, 2, 29).is_err());
        assert_eq!(
            Date::new(2024, 2, 29).map(|d| d.to_string()).ok(),
            Some("2024-02-29".into())
        );
        assert!(Date::parse("2024-13-01").is_err());
        assert!(Date::parse("24-01-01").is_err());
        assert!(Date::parse("2024-1-011").is_err());
        assert_eq!(Date::parse("2031-09-01").ok(), Date::new(2031, 9, 1).ok());
    }

    #[test]
    fn ids_allow_only_a_safe_alphabet() {
        assert!(Id::new("entry-1_A").is_ok());
        assert!(Id::new("").is_err());
        assert!(Id::new("a/b").is_err());
        assert!(Id::new("a b").is_err());
        assert!(Id::new("x".repeat(65)).is_err());
        let a = Id::random().ok();
        let b = Id::random().ok();
        assert!(a.is_some() && a != b);
    }

    #[test]
    fn unknown_enum_values_round_trip_as_unknown() {
        assert_eq!(EntryKind::parse("proud_of"), EntryKind::ProudOf);
        let future = EntryKind::parse("drawing");
        assert_eq!(future, EntryKind::Unknown("drawing".into()));
        assert_eq!(future.as_str(), "drawing");
        assert!(future.writable("kind").is_err());
    }

    #[test]
    fn school_years_must_be_consecutive_years() {
        assert_eq!(
            SchoolYear::parse("2025-2026").ok().map(|y| y.start()),
            Some(2025)
        );
        assert!(SchoolYear::parse("2025-2027").is_err());
        assert!(SchoolYear::parse("2025/2026").is_err());
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 0xab, 0xff])),
            Some(vec![0, 1, 0xab, 0xff])
        );
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("abc"), None);
    }
}
