//! Which characters a text people type may hold, for the rules here and for
//! the server's account names alike: one definition, so the browser, the
//! live server and `restore` refuse the same things.
//!
//! Control characters and bidirectional controls are invisible or reorder
//! what is shown: a title holding U+202E reads differently from what it is,
//! and a name holding a control character can impersonate another. Single-
//! line fields (titles, names, codes) refuse them all; multi-line texts
//! (descriptions, minutes, comments) keep their line breaks and tabs.

/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character a single-line text must not hold: any control character
/// (C0 with tab and line breaks, DEL, C1), a bidi control, or the Unicode
/// line and paragraph separators.
pub fn forbidden_in_line(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A character a multi-line text must not hold: control characters other
/// than tab and line breaks, and bidi controls.
pub fn forbidden_in_text(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_lines_refuse_controls_bidi_and_line_breaks() {
        for c in [
            '\0', '\t', '\n', '\r', '\u{7f}', '\u{85}', '\u{202E}', '\u{2066}', '\u{2028}',
        ] {
            assert!(forbidden_in_line(c), "{:?}", c);
        }
        for c in ['a', 'ä', ' ', '€', '\u{200D}', '＝'] {
            assert!(!forbidden_in_line(c), "{:?}", c);
        }
    }

    #[test]
    fn long_texts_keep_line_breaks_and_tabs() {
        for c in ['\n', '\r', '\t', 'a'] {
            assert!(!forbidden_in_text(c), "{:?}", c);
        }
        for c in ['\0', '\u{1b}', '\u{202A}', '\u{2069}'] {
            assert!(forbidden_in_text(c), "{:?}", c);
        }
    }
}
