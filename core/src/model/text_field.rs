//! A text field on screen over an Automerge text object that others edit at
//! the same time.
//!
//! A field keeps what it showed when it was last in step with the document
//! (its *base*, at the document's heads then) and what the person has typed
//! since. Committing turns the difference into one splice and moves that
//! splice over whatever others changed in between, with Automerge cursors,
//! so both people's words stay. The selection is moved the same way, so the
//! caret stays where the person was typing when someone else's words arrive.
//!
//! Positions are in the document's text units (UTF-16 code units in the
//! browser, which is also what a textarea's selection counts).

use automerge::{AutoCommit, ChangeHash, CursorPosition, MoveCursor, ObjId, ReadDoc, TextEncoding};

use super::error::{ModelError, Result};

/// One replacement: delete `delete` units at `pos`, then insert `insert`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Where the replacement starts, in the document's text units.
    pub pos: usize,
    /// How many units are deleted there.
    pub delete: usize,
    /// The text inserted in their place.
    pub insert: String,
}

/// Units of `s` in the given encoding.
pub fn width(s: &str, encoding: TextEncoding) -> usize {
    match encoding {
        TextEncoding::Utf8CodeUnit => s.len(),
        TextEncoding::Utf16CodeUnit => s.encode_utf16().count(),
        // Grapheme clusters are not used by this app; code points are the
        // closest safe count.
        TextEncoding::UnicodeCodePoint | TextEncoding::GraphemeCluster => s.chars().count(),
    }
}

/// The one splice that turns `base` into `value`: the common start and end
/// are kept, what differs between them is replaced. `None` when equal.
/// Compares whole characters, so a splice never cuts a surrogate pair.
pub fn splice_between(base: &str, value: &str, encoding: TextEncoding) -> Option<Splice> {
    if base == value {
        return None;
    }
    let prefix: usize = base
        .char_indices()
        .zip(value.chars())
        .take_while(|((_, a), b)| a == b)
        .map(|((_, a), _)| a.len_utf8())
        .sum();
    let (base_rest, value_rest) = (&base[prefix..], &value[prefix..]);
    let suffix: usize = base_rest
        .chars()
        .rev()
        .zip(value_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let deleted = &base_rest[..base_rest.len() - suffix];
    let inserted = &value_rest[..value_rest.len() - suffix];
    Some(Splice {
        pos: width(&base[..prefix], encoding),
        delete: width(deleted, encoding),
        insert: inserted.to_string(),
    })
}

/// Where a position in `text` as it was at `heads` is now. A position at
/// the end stays at the end; one whose character was deleted moves to
/// where the deletion was.
pub fn position_now(
    doc: &AutoCommit,
    text: &ObjId,
    heads: &[ChangeHash],
    pos: usize,
) -> Result<usize> {
    let then = doc.length_at(text, heads);
    let at = if pos >= then {
        CursorPosition::End
    } else {
        CursorPosition::Index(pos)
    };
    let cursor = doc.get_cursor_moving(text, at, Some(heads), MoveCursor::After)?;
    Ok(doc.get_cursor_position(text, &cursor, None)?)
}

/// A splice made against the text at `heads`, moved over everything that
/// changed since. Text others deleted inside the range is not deleted
/// twice; text others inserted inside it is kept.
pub fn rebase_splice(
    doc: &AutoCommit,
    text: &ObjId,
    heads: &[ChangeHash],
    splice: &Splice,
) -> Result<Splice> {
    let start = position_now(doc, text, heads, splice.pos)?;
    let delete = if splice.delete == 0 {
        0
    } else {
        // The end is the character after the range: where it is now,
        // minus the start, is what is left of the range.
        let end = position_now(doc, text, heads, splice.pos + splice.delete)?;
        end.saturating_sub(start)
    };
    Ok(Splice {
        pos: start,
        delete,
        insert: splice.insert.clone(),
    })
}

/// The field's own splice: as typed (against the base) and as applied to
/// the document (moved over others' changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnSplice {
    /// The splice as the person typed it, against the field's base.
    pub typed: Splice,
    /// The same splice as written into the document now.
    pub applied: Splice,
}

/// The splice that commits a field holding `value`, typed over `base`
/// (the text at `heads`), moved over what others changed since; `None`
/// when there is nothing to write. Heads this document lacks are refused:
/// the words stay in the field rather than land in a wrong place.
pub fn splice_for_field(
    doc: &mut AutoCommit,
    text: &ObjId,
    heads: &[ChangeHash],
    base: &str,
    value: &str,
) -> Result<Option<OwnSplice>> {
    let Some(typed) = splice_between(base, value, doc.text_encoding()) else {
        return Ok(None);
    };
    if heads.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        return Err(ModelError::UnknownHeads);
    }
    let applied = rebase_splice(doc, text, heads, &typed)?;
    if applied.delete == 0 && applied.insert.is_empty() {
        return Ok(None);
    }
    Ok(Some(OwnSplice { typed, applied }))
}

/// Where a caret at `pos` in what the field holds (typed over the text at
/// `heads`) belongs in the document now, after the field's own splice (if
/// any) was applied.
pub fn caret_now(
    doc: &AutoCommit,
    text: &ObjId,
    heads: &[ChangeHash],
    own: Option<&OwnSplice>,
    pos: usize,
) -> Result<usize> {
    let Some(OwnSplice { typed, applied }) = own else {
        return position_now(doc, text, heads, pos);
    };
    let inserted = width(&typed.insert, doc.text_encoding());
    if pos >= typed.pos && pos <= typed.pos + inserted {
        // Inside the person's own new words: as far into them as before.
        return Ok(applied.pos + (pos - typed.pos));
    }
    let base_pos = if pos < typed.pos {
        pos
    } else {
        pos - inserted + typed.delete
    };
    let now = position_now(doc, text, heads, base_pos)?;
    if base_pos <= typed.pos {
        // Before the own splice, which does not move it.
        Ok(now.min(applied.pos))
    } else {
        Ok(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_splice_between_two_texts_keeps_their_common_start_and_end() {
        let s = splice_between(
            "the cat sat",
            "the black cat sat",
            TextEncoding::UnicodeCodePoint,
        );
        assert_eq!(
            s,
            Some(Splice {
                pos: 4,
                delete: 0,
                insert: "black ".into()
            })
        );
        let s = splice_between("abcdef", "abXYef", TextEncoding::UnicodeCodePoint);
        assert_eq!(
            s,
            Some(Splice {
                pos: 2,
                delete: 2,
                insert: "XY".into()
            })
        );
        assert_eq!(
            splice_between("same", "same", TextEncoding::UnicodeCodePoint),
            None
        );
    }

    #[test]
    fn a_repeated_letter_is_not_counted_twice_in_start_and_end() {
        let s = splice_between("aa", "aaa", TextEncoding::UnicodeCodePoint);
        assert_eq!(
            s,
            Some(Splice {
                pos: 2,
                delete: 0,
                insert: "a".into()
            })
        );
        let s = splice_between("aaa", "a", TextEncoding::UnicodeCodePoint);
        assert_eq!(
            s,
            Some(Splice {
                pos: 1,
                delete: 2,
                insert: String::new()
            })
        );
    }

    #[test]
    fn positions_count_utf16_units_when_the_document_does() {
        let s = splice_between("😀 ok", "😀 oké", TextEncoding::Utf16CodeUnit);
        assert_eq!(
            s,
            Some(Splice {
                pos: 5,
                delete: 0,
                insert: "é".into()
            })
        );
        let s = splice_between("😀 ok", "😀 oké", TextEncoding::UnicodeCodePoint);
        assert_eq!(s.map(|s| s.pos), Some(4));
    }
}
