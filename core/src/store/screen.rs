//! Which dossier a person can see now, and whether coming to it starts a
//! new visit: the bookkeeping behind "new since your last visit".
//!
//! What a dossier holds while one of its pages is on screen is seen; what
//! arrives while it is not stays news. A page hidden for a while (another
//! app, a locked phone) and shown again is a return: the dossier's home
//! adds what came meanwhile to its list. Coming to a dossier any other way
//! is a new visit, which starts that list afresh.

use crate::model::Id;

/// How a dossier came on screen or left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// A new visit: the home's list of news starts afresh.
    NewVisit,
    /// Back to the page that was hidden: the list grows.
    Return,
}

/// What a change of screen means for the dossiers involved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScreenChange {
    /// The dossier that left the screen, and how.
    pub left: Option<(Id, Arrival)>,
    /// The dossier that came on screen, and how.
    pub entered: Option<(Id, Arrival)>,
}

/// The address's dossier and whether the page is visible.
#[derive(Clone, Debug, Default)]
pub struct Screen {
    /// The dossier whose page the address shows, if any.
    viewing: Option<Id>,
    /// The page is hidden (another tab, another app, a locked phone).
    hidden: bool,
    /// The dossier that was on screen when the page was hidden.
    hidden_on: Option<Id>,
}

impl Screen {
    /// The dossier a person can see now: the address's, unless the page is
    /// hidden.
    pub fn on_screen(&self) -> Option<&Id> {
        if self.hidden {
            None
        } else {
            self.viewing.as_ref()
        }
    }

    /// The address now shows dossier `id` (or none).
    pub fn set_viewing(&mut self, id: Option<Id>) -> ScreenChange {
        self.change(|s| s.viewing = id, Arrival::NewVisit)
    }

    /// The page was hidden or shown again.
    pub fn set_hidden(&mut self, hidden: bool) -> ScreenChange {
        self.change(|s| s.hidden = hidden, Arrival::Return)
    }

    fn change(&mut self, change: impl FnOnce(&mut Self), arrival: Arrival) -> ScreenChange {
        let before = self.on_screen().cloned();
        change(self);
        let after = self.on_screen().cloned();
        if before == after {
            return ScreenChange::default();
        }
        // Only the dossier that was on screen when the page was hidden
        // comes back to its list; any other is a new visit.
        let entering = if arrival == Arrival::Return && after == self.hidden_on {
            Arrival::Return
        } else {
            Arrival::NewVisit
        };
        self.hidden_on = if self.hidden { before.clone() } else { None };
        ScreenChange {
            left: before.map(|id| (id, arrival)),
            entered: after.map(|id| (id, entering)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Id {
        Id::new(s).expect("id")
    }

    #[test]
    fn hiding_the_page_and_showing_it_again_is_a_return_to_the_same_dossier() {
        let mut s = Screen::default();
        assert_eq!(
            s.set_viewing(Some(id("noor"))),
            ScreenChange {
                left: None,
                entered: Some((id("noor"), Arrival::NewVisit)),
            }
        );
        assert_eq!(
            s.set_hidden(true),
            ScreenChange {
                left: Some((id("noor"), Arrival::Return)),
                entered: None,
            }
        );
        assert_eq!(s.on_screen(), None);
        assert_eq!(
            s.set_hidden(false),
            ScreenChange {
                left: None,
                entered: Some((id("noor"), Arrival::Return)),
            }
        );
    }

    #[test]
    fn another_dossier_after_a_hidden_page_is_a_new_visit() {
        let mut s = Screen::default();
        s.set_viewing(Some(id("noor")));
        s.set_hidden(true);
        // The address changed while hidden (a notification opened another
        // child's dossier): nothing is on screen until the page shows.
        assert_eq!(s.set_viewing(Some(id("daan"))), ScreenChange::default());
        assert_eq!(
            s.set_hidden(false),
            ScreenChange {
                left: None,
                entered: Some((id("daan"), Arrival::NewVisit)),
            }
        );
        // Leaving by address and coming back is a new visit too.
        s.set_viewing(None);
        assert_eq!(
            s.set_viewing(Some(id("daan"))).entered,
            Some((id("daan"), Arrival::NewVisit))
        );
    }

    #[test]
    fn moving_between_dossiers_leaves_one_and_enters_the_other() {
        let mut s = Screen::default();
        s.set_viewing(Some(id("noor")));
        assert_eq!(
            s.set_viewing(Some(id("daan"))),
            ScreenChange {
                left: Some((id("noor"), Arrival::NewVisit)),
                entered: Some((id("daan"), Arrival::NewVisit)),
            }
        );
        assert_eq!(s.set_viewing(Some(id("daan"))), ScreenChange::default());
    }
}
