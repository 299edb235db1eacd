//! Invite links: `https://school.example/#join=<secret>&as=parent`, and
//! `&epoch=<n>` once the dossier was re-founded.
//!
//! The secret sits in the fragment, which a browser never sends to a
//! server (and the relay serves the app with `Referrer-Policy:
//! no-referrer`). `as` says whom the link was made for, so the join screen
//! can suggest the role; it is a hint, never a permission. `epoch` is the
//! key epoch the secret's log is written at (0, and left out, until a
//! member is removed); a wrong one opens nothing, as it is authenticated
//! in every blob.
//!
//! Links travel through chat apps and e-mail, which wrap, truncate and add
//! punctuation, so parsing is forgiving about what surrounds the link and
//! strict about the secret itself: a secret one character short is an
//! incomplete link, not another dossier.

use crate::keys::DossierSecret;

/// The fragment key of the secret.
const JOIN: &str = "join=";
/// The fragment key of the role hint.
const FOR: &str = "as=";
/// The fragment key of the key epoch.
const EPOCH: &str = "epoch=";
/// base64url of 32 bytes, without padding.
const SECRET_CHARS: usize = 43;

/// Whom an invite was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteFor {
    Parent,
    Child,
    Teacher,
}

impl InviteFor {
    pub const ALL: [InviteFor; 3] = [InviteFor::Parent, InviteFor::Child, InviteFor::Teacher];

    pub fn as_str(self) -> &'static str {
        match self {
            InviteFor::Parent => "parent",
            InviteFor::Child => "child",
            InviteFor::Teacher => "teacher",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// What an invite link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub secret: DossierSecret,
    /// `None` in links from before role hints, or with a hint this version
    /// does not know.
    pub made_for: Option<InviteFor>,
    /// The key epoch of the secret's log.
    pub epoch: u32,
}

/// Why a text is not a usable invite link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("the text holds no invite link")]
    NotAnInvite,
    /// Shorter than a secret: the end of the link was cut off on the way.
    #[error("the invite link is incomplete")]
    Incomplete,
    /// The right place, but not a secret: characters changed or added.
    #[error("the invite link is damaged")]
    Damaged,
}

impl Invite {
    /// An invite to a dossier that was never re-founded (epoch 0).
    pub fn new(secret: DossierSecret, made_for: Option<InviteFor>) -> Self {
        Self::at_epoch(secret, made_for, 0)
    }

    pub fn at_epoch(secret: DossierSecret, made_for: Option<InviteFor>, epoch: u32) -> Self {
        Self {
            secret,
            made_for,
            epoch,
        }
    }

    /// The fragment, with its `#`.
    pub fn fragment(&self) -> String {
        let mut out = format!("#{JOIN}{}", self.secret.to_link_text());
        if let Some(f) = self.made_for {
            out.push('&');
            out.push_str(FOR);
            out.push_str(f.as_str());
        }
        if self.epoch > 0 {
            out.push('&');
            out.push_str(EPOCH);
            out.push_str(&self.epoch.to_string());
        }
        out
    }

    /// The whole link on the app at `origin` (`https://school.example`,
    /// without a path): it opens the dossier list, which joins.
    pub fn to_url(&self, origin: &str) -> String {
        format!("{}/{}", origin.trim_end_matches('/'), self.fragment())
    }

    /// Reads a pasted link, an address bar's fragment, or a QR code's text.
    pub fn parse(text: &str) -> Result<Self, InviteError> {
        let text = text.trim();
        let start = find_join(text).ok_or(InviteError::NotAnInvite)?;
        let rest = &text[start + JOIN.len()..];
        // The secret runs to the first character that cannot be in
        // base64url; what follows may be `&as=..` or a chat's punctuation.
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let (secret_text, after) = rest.split_at(end);
        if secret_text.len() < SECRET_CHARS {
            // A link cut off in the middle of the secret, or a character in
            // it that does not belong there (`+`, `/`, a space).
            let cut_off = after.is_empty() || after.starts_with(char::is_whitespace);
            return Err(if cut_off {
                InviteError::Incomplete
            } else {
                InviteError::Damaged
            });
        }
        if secret_text.len() > SECRET_CHARS {
            return Err(InviteError::Damaged);
        }
        let secret = DossierSecret::from_link_text(secret_text).ok_or(InviteError::Damaged)?;
        // The parameters run to the end of the link: the first space, or
        // what a chat or an e-mail puts around a link. `&amp;` is how an
        // HTML e-mail may write `&`.
        let params: Vec<&str> = after
            .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
            .next()
            .unwrap_or("")
            .strip_prefix('&')
            .map(|p| {
                p.split('&')
                    .map(|x| x.strip_prefix("amp;").unwrap_or(x))
                    .collect()
            })
            .unwrap_or_default();
        // A link cut off inside `&epoch=`: its epoch is lost.
        if let Some(last) = params.last()
            && !last.is_empty()
            && EPOCH.starts_with(*last)
            && *last != EPOCH
        {
            return Err(InviteError::Incomplete);
        }
        let param = |name: &str| params.iter().find_map(|p| p.strip_prefix(name));
        let made_for = param(FOR).and_then(|hint| {
            let end = hint
                .find(|c: char| !c.is_ascii_lowercase())
                .unwrap_or(hint.len());
            InviteFor::parse(&hint[..end])
        });
        // Without the right epoch the link opens nothing, so a mangled one
        // is a damaged link, not epoch 0.
        let epoch = match param(EPOCH) {
            None => 0,
            Some(text) => {
                let end = text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(text.len());
                text[..end].parse().map_err(|_| InviteError::Damaged)?
            }
        };
        Ok(Self {
            secret,
            made_for,
            epoch,
        })
    }
}

/// Where `join=` starts as a fragment (or the parameter of one): after a
/// `#` or `&`, or at the very start of the text.
fn find_join(text: &str) -> Option<usize> {
    if text.starts_with(JOIN) {
        return Some(0);
    }
    text.match_indices(JOIN)
        .map(|(i, _)| i)
        .find(|&i| matches!(text.as_bytes().get(i.wrapping_sub(1)), Some(b'#' | b'&')))
}
