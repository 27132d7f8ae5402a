//! The words of the work programme: the board and the list, their filters,
//! moving priorities by mouse and keyboard, and what is announced after.

use ara_shared::PriorityStatus;

use super::{Lang, status_name};

messages! {
    pub enum ProgrammeMsg {
        ShowAs { en: "Show as", de: "Anzeigen als" }
        Board { en: "Board", de: "Tafel" }
        List { en: "List", de: "Liste" }
        Filters { en: "Filters", de: "Filter" }
        Search { en: "Search title and summary", de: "Titel und Zusammenfassung durchsuchen" }
        TenPoint { en: "Point of the ten-point position", de: "Punkt der Zehn-Punkte-Position" }
        Term { en: "Horizon", de: "Zeithorizont" }
        Status { en: "Status", de: "Status" }
        Region { en: "Region (lead or supporting)", de: "Region (federführend oder unterstützend)" }
        Dimension { en: "Dimension", de: "Dimension" }
        Initiative { en: "Commission initiative", de: "Initiative der Kommission" }
        Any { en: "All", de: "Alle" }
        ClearFilters { en: "Clear filters", de: "Filter zurücksetzen" }
        NoMatches {
            en: "No priority matches these filters.",
            de: "Keine Priorität entspricht diesen Filtern.",
        }
        EmptyColumn { en: "No priorities", de: "Keine Prioritäten" }
        Lead { en: "Lead", de: "Federführung" }
        NoLead { en: "No lead region yet", de: "Noch keine federführende Region" }
        Move { en: "Move", de: "Verschieben" }
        KeyboardHelp {
            en: "Move a card with its Move button: press it to choose a status or a place, or, while it has focus, use the arrow keys: up and down change its place in the programme, left and right move it to the nearest status it may take. Cards can also be dragged to another column.",
            de: "Karten verschieben Sie mit ihrer Schaltfläche „Verschieben“: Drücken Sie sie, um einen Status oder einen Platz zu wählen, oder nutzen Sie die Pfeiltasten, solange sie den Fokus hat: nach oben und unten ändern den Platz im Programm, nach links und rechts verschieben die Karte in den nächsten Status, den sie annehmen darf. Karten lassen sich auch in eine andere Spalte ziehen.",
        }
        Earlier { en: "Earlier in the programme", de: "Früher im Programm" }
        Later { en: "Later in the programme", de: "Später im Programm" }
        DropNotAllowed { en: "Not possible from this status", de: "Aus diesem Status nicht möglich" }
        DropAllowed { en: "Drop here", de: "Hier ablegen" }
        ReadOnly {
            en: "You can follow the programme here; your role does not allow changes.",
            de: "Sie können das Programm hier verfolgen; Ihre Rolle erlaubt keine Änderungen.",
        }
        Unconfirmed { en: "unconfirmed", de: "unbestätigt" }
        Announcements { en: "What happened", de: "Was geschehen ist" }
    }
}

/// "Showing 5 of 25 priorities".
pub fn matches(lang: Lang, shown: usize, total: usize) -> String {
    let shown = super::format::number(lang, shown as i64);
    let all = super::format::number(lang, total as i64);
    match (lang, total) {
        (Lang::En, 1) => format!("Showing {shown} of 1 priority"),
        (Lang::En, _) => format!("Showing {shown} of {all} priorities"),
        (Lang::De, 1) => format!("{shown} von 1 Priorität angezeigt"),
        (Lang::De, _) => format!("{shown} von {all} Prioritäten angezeigt"),
    }
}

/// A column's heading for screen readers and the count under it.
pub fn column_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 priority".into(),
        (Lang::En, n) => format!("{n} priorities"),
        (Lang::De, 1) => "1 Priorität".into(),
        (Lang::De, n) => format!("{n} Prioritäten"),
    }
}

/// The Move button's full name: "Move “Battery skills”".
pub fn move_card(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("Move “{title}”"),
        Lang::De => format!("„{title}“ verschieben"),
    }
}

/// A choice of the Move menu: "Move to Adopted".
pub fn move_to(lang: Lang, status: PriorityStatus) -> String {
    let status = status_name(lang, status);
    match lang {
        Lang::En => format!("Move to {status}"),
        Lang::De => format!("Nach „{status}“ verschieben"),
    }
}

pub fn added(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("Added “{title}” as proposed at the end of the programme."),
        Lang::De => format!("„{title}“ wurde als Vorschlag am Ende des Programms hinzugefügt."),
    }
}

pub fn moved_to_status(lang: Lang, title: &str, status: PriorityStatus) -> String {
    let status = status_name(lang, status);
    match lang {
        Lang::En => format!("Moved “{title}” to {status}."),
        Lang::De => format!("„{title}“ wurde nach „{status}“ verschoben."),
    }
}

pub fn moved_to_position(lang: Lang, title: &str, position: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("Moved “{title}” to place {position} of {total} in the programme."),
        Lang::De => format!("„{title}“ steht jetzt auf Platz {position} von {total} im Programm."),
    }
}

/// Why a card cannot go to `to`, and where it can go instead.
pub fn cannot_move(lang: Lang, title: &str, from: PriorityStatus, to: PriorityStatus) -> String {
    let allowed: Vec<&str> = PriorityStatus::ALL
        .into_iter()
        .filter(|s| *s != from && from.can_become(*s))
        .map(|s| status_name(lang, s))
        .collect();
    let (from, to) = (status_name(lang, from), status_name(lang, to));
    let allowed = allowed.join(", ");
    match lang {
        Lang::En => format!(
            "“{title}” cannot move from {from} to {to}. From {from} it can go to: {allowed}."
        ),
        Lang::De => format!(
            "„{title}“ kann nicht von „{from}“ nach „{to}“ wechseln. Von „{from}“ aus möglich: {allowed}."
        ),
    }
}

/// Nothing further in that direction.
pub fn no_further(lang: Lang, title: &str, edge: Edge) -> String {
    match (lang, edge) {
        (Lang::En, Edge::First) => format!("“{title}” is first in the programme already."),
        (Lang::En, Edge::Last) => format!("“{title}” is last in the programme already."),
        (Lang::En, Edge::NoStatus) => {
            format!("There is no status in that direction that “{title}” may take.")
        }
        (Lang::De, Edge::First) => format!("„{title}“ steht bereits an erster Stelle."),
        (Lang::De, Edge::Last) => format!("„{title}“ steht bereits an letzter Stelle."),
        (Lang::De, Edge::NoStatus) => {
            format!("In dieser Richtung gibt es keinen Status, den „{title}“ annehmen darf.")
        }
    }
}

/// Where a keyboard move ran out of room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    First,
    Last,
    NoStatus,
}

/// Others looking at a priority right now.
pub fn viewing_now(lang: Lang, names: &str) -> String {
    match lang {
        Lang::En => format!("{names} is looking at this."),
        Lang::De => format!("{names} sieht sich das gerade an."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    #[test]
    fn every_programme_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in ProgrammeMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
            for edge in [Edge::First, Edge::Last, Edge::NoStatus] {
                assert!(no_further(lang, "X", edge).contains('X'));
            }
            assert!(added(lang, "X").contains('X'));
            assert!(viewing_now(lang, "Anna").contains("Anna"));
        }
        assert_ne!(
            t(Lang::En, ProgrammeMsg::Board),
            t(Lang::De, ProgrammeMsg::Board)
        );
    }

    #[test]
    fn counts_and_moves_read_naturally() {
        assert_eq!(matches(Lang::En, 3, 25), "Showing 3 of 25 priorities");
        assert_eq!(matches(Lang::De, 3, 25), "3 von 25 Prioritäten angezeigt");
        assert_eq!(
            moved_to_status(Lang::En, "Skills", PriorityStatus::InProgress),
            "Moved “Skills” to In progress."
        );
        assert_eq!(
            moved_to_status(Lang::De, "Skills", PriorityStatus::InProgress),
            "„Skills“ wurde nach „In Arbeit“ verschoben."
        );
        assert_eq!(
            cannot_move(
                Lang::En,
                "Skills",
                PriorityStatus::Proposed,
                PriorityStatus::Done
            ),
            "“Skills” cannot move from Proposed to Done. From Proposed it can go to: Adopted, Dropped."
        );
        assert_eq!(
            moved_to_position(Lang::En, "Skills", 2, 9),
            "Moved “Skills” to place 2 of 9 in the programme."
        );
    }
}
