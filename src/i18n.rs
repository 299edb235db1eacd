//! Dutch (plain, B1 level) and English texts.
//!
//! Every text the UI shows is a [`Text`] variant and [`Text::get`] matches on
//! both the key and the language, so a text without a translation does not
//! compile. That is the check an i18n crate would give us, without a build
//! step or runtime lookups in the wasm.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Dutch is the default: the product is made for Dutch schools.
    #[default]
    #[serde(rename = "nl")]
    Nl,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag, for the `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Reads a tag as stored in preferences; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag() == tag)
    }
}

/// Every text of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    AppName,
    Tagline,
    Online,
    Offline,
    OfflineExplained,
    LanguageLabel,
    DossiersTitle,
    NoDossiersYet,
    HowToStartTitle,
    HowToStartTeacher,
    HowToStartParent,
    HowToStartInvite,
    UpdateReady,
    UpdateNow,
    Version,
    NotFoundTitle,
    NotFoundBody,
    BackToStart,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        match (self, lang) {
            (Text::AppName, _) => "Driehoek",
            (Text::Tagline, Nl) => "Ouders, kind en school samen",
            (Text::Tagline, En) => "Parents, child and school together",
            (Text::Online, Nl) => "Online",
            (Text::Online, En) => "Online",
            (Text::Offline, Nl) => "Offline",
            (Text::Offline, En) => "Offline",
            (Text::OfflineExplained, Nl) => {
                "Je bent offline. Je kunt gewoon verder werken. Alles wordt gedeeld als je weer online bent."
            }
            (Text::OfflineExplained, En) => {
                "You are offline. You can keep working. Everything is shared when you are back online."
            }
            (Text::LanguageLabel, Nl) => "Taal",
            (Text::LanguageLabel, En) => "Language",
            (Text::DossiersTitle, Nl) => "Dossiers",
            (Text::DossiersTitle, En) => "Dossiers",
            (Text::NoDossiersYet, Nl) => "Er staan nog geen dossiers op dit apparaat.",
            (Text::NoDossiersYet, En) => "There are no dossiers on this device yet.",
            (Text::HowToStartTitle, Nl) => "Zo begin je",
            (Text::HowToStartTitle, En) => "How to start",
            (Text::HowToStartTeacher, Nl) => {
                "Ben je leerkracht? Maak voor elk kind een dossier en nodig de ouders uit."
            }
            (Text::HowToStartTeacher, En) => {
                "Are you a teacher? Make a dossier for each child and invite the parents."
            }
            (Text::HowToStartParent, Nl) => {
                "Ben je ouder? Maak een dossier voor je kind en nodig de leerkracht uit."
            }
            (Text::HowToStartParent, En) => {
                "Are you a parent? Make a dossier for your child and invite the teacher."
            }
            (Text::HowToStartInvite, Nl) => {
                "Heb je een uitnodiging gekregen? Open de link of scan de QR-code met je telefoon."
            }
            (Text::HowToStartInvite, En) => {
                "Did you get an invitation? Open the link or scan the QR code with your phone."
            }
            (Text::UpdateReady, Nl) => "Er is een nieuwe versie van Driehoek.",
            (Text::UpdateReady, En) => "A new version of Driehoek is ready.",
            (Text::UpdateNow, Nl) => "Nu bijwerken",
            (Text::UpdateNow, En) => "Update now",
            (Text::Version, Nl) => "Versie",
            (Text::Version, En) => "Version",
            (Text::NotFoundTitle, Nl) => "Deze pagina bestaat niet",
            (Text::NotFoundTitle, En) => "This page does not exist",
            (Text::NotFoundBody, Nl) => {
                "Misschien is de link niet goed overgenomen. Ga terug naar het begin."
            }
            (Text::NotFoundBody, En) => {
                "Maybe the link was not copied completely. Go back to the start."
            }
            (Text::BackToStart, Nl) => "Naar het begin",
            (Text::BackToStart, En) => "Back to the start",
        }
    }
}

/// The language the UI speaks now, shared through context.
#[derive(Clone, Copy)]
pub struct Locale {
    lang: RwSignal<Lang>,
}

impl Locale {
    pub fn new(lang: Lang) -> Self {
        Locale {
            lang: RwSignal::new(lang),
        }
    }

    pub fn lang(&self) -> Signal<Lang> {
        self.lang.into()
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
    }

    /// A reactive text: the closure re-reads the language each time it runs,
    /// so a view using it follows the language switch.
    pub fn t(self, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || text.get(lang.get())
    }
}

/// The locale the app provides; a component rendered on its own (in a test)
/// falls back to the default language.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale::new(Lang::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_round_trip_and_unknown_tags_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn dutch_is_the_default_language() {
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn languages_serialise_as_their_tags() {
        for lang in Lang::ALL {
            let json = serde_json::to_string(&lang).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", lang.tag()));
        }
    }
}
