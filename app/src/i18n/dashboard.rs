//! The words of the dashboard: figures, coverage charts, what comes next,
//! and recent changes by whom in full sentences.

use ara_shared::changes::RecentChange;

use super::{Lang, status_name};

messages! {
    pub enum DashboardMsg {
        Intro {
            en: "The work programme at a glance: where the priorities stand, what they cover, what comes next and who changed what.",
            de: "Das Arbeitsprogramm auf einen Blick: wo die Prioritäten stehen, was sie abdecken, was als Nächstes ansteht und wer was geändert hat.",
        }
        ByStatus { en: "Priorities by status and horizon", de: "Prioritäten nach Status und Zeithorizont" }
        ByStatusCaption {
            en: "Number of priorities; each figure opens the programme filtered to it.",
            de: "Anzahl der Prioritäten; jede Zahl öffnet das danach gefilterte Programm.",
        }
        Status { en: "Status", de: "Status" }
        Total { en: "Total", de: "Gesamt" }
        Coverage { en: "Coverage", de: "Abdeckung" }
        CoverageIntro {
            en: "How many priorities that are not dropped serve each point and each goal.",
            de: "Wie viele nicht aufgegebene Prioritäten jedem Punkt und jedem Ziel dienen.",
        }
        TenPoints { en: "Ten-point position", de: "Zehn-Punkte-Position" }
        Goals { en: "Transition goals", de: "Übergangsziele" }
        Point { en: "Point", de: "Punkt" }
        Goal { en: "Goal", de: "Ziel" }
        Priorities { en: "Priorities", de: "Prioritäten" }
        AsTable { en: "Show the figures as a table", de: "Zahlen als Tabelle anzeigen" }
        UnconfirmedMark {
            en: "* wording not yet confirmed by a source",
            de: "* Wortlaut noch nicht durch eine Quelle bestätigt",
        }
        NextConference { en: "Next annual conference", de: "Nächste Jahreskonferenz" }
        NoConference {
            en: "No upcoming annual conference is planned yet.",
            de: "Es ist noch keine kommende Jahreskonferenz geplant.",
        }
        When { en: "When", de: "Wann" }
        Host { en: "Host and chair", de: "Gastgeber und Vorsitz" }
        Theme { en: "Theme", de: "Thema" }
        NoTheme { en: "The host has not chosen the theme yet.", de: "Der Gastgeber hat das Thema noch nicht gewählt." }
        AllConferences { en: "All conferences and the chair rotation", de: "Alle Konferenzen und der Vorsitzwechsel" }
        NextMeetings { en: "Next meetings", de: "Nächste Sitzungen" }
        NoMeetings { en: "No meetings are scheduled.", de: "Es sind keine Sitzungen angesetzt." }
        AllMeetings { en: "All meetings", de: "Alle Sitzungen" }
        Online { en: "Online", de: "Online" }
        RecentChanges { en: "Recent changes", de: "Letzte Änderungen" }
        NoChanges { en: "No changes yet.", de: "Noch keine Änderungen." }
        ChangesUnavailable {
            en: "Recent changes cannot be loaded right now; they appear when the server is reachable.",
            de: "Die letzten Änderungen können gerade nicht geladen werden; sie erscheinen, sobald der Server erreichbar ist.",
        }
        JustNow { en: "just now", de: "gerade eben" }
        Yesterday { en: "yesterday", de: "gestern" }
    }
}

/// Which conference was the last, when none is coming.
pub fn last_conference(lang: Lang, city: &str, dates: &str) -> String {
    match lang {
        Lang::En => format!("The most recent one was held in {city}, {dates}."),
        Lang::De => format!("Die letzte fand in {city} statt: {dates}."),
    }
}

/// The days of an event: "9 September 2025", "9–10 September 2025",
/// "30 September – 2 October 2025" (German: "9.–10. September 2025").
pub fn date_range(lang: Lang, start: ara_shared::Date, end: ara_shared::Date) -> String {
    use super::format::{date, month_name};
    if start == end {
        return date(lang, start);
    }
    let same_year = start.year() == end.year();
    match lang {
        Lang::En if same_year && start.month() == end.month() => format!(
            "{}–{} {} {}",
            start.day(),
            end.day(),
            month_name(lang, end.month()),
            end.year()
        ),
        Lang::De if same_year && start.month() == end.month() => format!(
            "{}.–{}. {} {}",
            start.day(),
            end.day(),
            month_name(lang, end.month()),
            end.year()
        ),
        Lang::En if same_year => format!(
            "{} {} – {}",
            start.day(),
            month_name(lang, start.month()),
            date(lang, end)
        ),
        Lang::De if same_year => format!(
            "{}. {} – {}",
            start.day(),
            month_name(lang, start.month()),
            date(lang, end)
        ),
        _ => format!("{} – {}", date(lang, start), date(lang, end)),
    }
}

/// The bar of a chart in words, for its accessible description.
pub fn bar_text(lang: Lang, label: &str, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => format!("{label}: 1 priority"),
        (Lang::En, n) => format!("{label}: {n} priorities"),
        (Lang::De, 1) => format!("{label}: 1 Priorität"),
        (Lang::De, n) => format!("{label}: {n} Prioritäten"),
    }
}

/// How long ago `at_ms` was, from `now_ms`: "5 min ago", "vor 2 Std.".
pub fn ago(lang: Lang, now_ms: i64, at_ms: i64) -> String {
    let minutes = (now_ms - at_ms).max(0) / 60_000;
    let hours = minutes / 60;
    let days = hours / 24;
    match lang {
        _ if minutes < 1 => super::t(lang, DashboardMsg::JustNow).into(),
        Lang::En if hours < 1 => format!("{minutes} min ago"),
        Lang::De if hours < 1 => format!("vor {minutes} Min."),
        Lang::En if days < 1 => format!("{hours} h ago"),
        Lang::De if days < 1 => format!("vor {hours} Std."),
        _ if days == 1 => super::t(lang, DashboardMsg::Yesterday).into(),
        Lang::En if days < 14 => format!("{days} days ago"),
        Lang::De if days < 14 => format!("vor {days} Tagen"),
        _ => ara_shared::Date::from_unix_ms(at_ms)
            .map(|d| super::format::date_short(lang, d))
            .unwrap_or_default(),
    }
}

/// A recent change as a sentence around the entity's title (in the
/// language's quotation marks), so that the title can be a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub before: String,
    pub title: Option<String>,
    pub after: String,
}

impl std::fmt::Display for Sentence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.before,
            self.title.as_deref().unwrap_or(""),
            self.after
        )
    }
}

/// Quotation marks of the language around a title.
pub fn quoted(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("“{title}”"),
        Lang::De => format!("„{title}“"),
    }
}

/// Who did what to which entity, in words; `title` is the entity's title
/// to show (the caller may prefer its own, fresher or translated, one).
pub fn change_sentence(lang: Lang, change: &RecentChange, title: Option<&str>) -> Sentence {
    let who = change.actor.as_str();
    let status = change.status.map(|s| status_name(lang, s)).unwrap_or("");
    let place = change.position.unwrap_or(0);
    let around = |before: String, after: String| Sentence {
        before,
        title: title.map(|t| quoted(lang, t)),
        after,
    };
    let plain = |text: String| Sentence {
        before: text,
        title: None,
        after: String::new(),
    };
    let kind = match change.kind.as_str() {
        "update_priority" if change.status.is_some() => "set_priority_status",
        k => k,
    };
    match (lang, kind, title.is_some()) {
        (Lang::En, "create_priority", true) => {
            around(format!("{who} added the priority "), String::new())
        }
        (Lang::De, "create_priority", true) => {
            around(format!("{who} hat die Priorität "), " angelegt".into())
        }
        (Lang::En, "rename_priority", true) => {
            around(format!("{who} renamed a priority to "), String::new())
        }
        (Lang::De, "rename_priority", true) => {
            around(format!("{who} hat eine Priorität in "), " umbenannt".into())
        }
        (Lang::En, "set_priority_status", true) => {
            around(format!("{who} set the status of "), format!(" to {status}"))
        }
        (Lang::De, "set_priority_status", true) => around(
            format!("{who} hat den Status von "),
            format!(" auf „{status}“ gesetzt"),
        ),
        (Lang::En, "move_priority", true) => around(
            format!("{who} moved "),
            format!(" to place {place} of the programme"),
        ),
        (Lang::De, "move_priority", true) => around(
            format!("{who} hat "),
            format!(" auf Platz {place} des Programms verschoben"),
        ),
        (Lang::En, "update_priority", true) => {
            around(format!("{who} edited the priority "), String::new())
        }
        (Lang::De, "update_priority", true) => {
            around(format!("{who} hat die Priorität "), " bearbeitet".into())
        }
        (Lang::En, "delete_priority", _) => plain(format!("{who} removed a priority")),
        (Lang::De, "delete_priority", _) => plain(format!("{who} hat eine Priorität entfernt")),
        (Lang::En, "endorse_priority", true) => {
            around(format!("{who} changed the endorsements of "), String::new())
        }
        (Lang::De, "endorse_priority", true) => around(
            format!("{who} hat die Unterstützung für "),
            " geändert".into(),
        ),
        (Lang::En, "set_priority_action" | "remove_priority_action", true) => {
            around(format!("{who} updated the actions of "), String::new())
        }
        (Lang::De, "set_priority_action" | "remove_priority_action", true) => around(
            format!("{who} hat die Maßnahmen von "),
            " aktualisiert".into(),
        ),
        (Lang::En, "add_comment", true) => around(format!("{who} commented on "), String::new()),
        (Lang::De, "add_comment", true) => around(format!("{who} hat "), " kommentiert".into()),
        (Lang::En, "delete_comment", true) => {
            around(format!("{who} removed a comment on "), String::new())
        }
        (Lang::De, "delete_comment", true) => {
            around(format!("{who} hat einen Kommentar zu "), " entfernt".into())
        }
        (Lang::En, "adopt_baseline", true) => {
            around(format!("{who} adopted the baseline "), String::new())
        }
        (Lang::De, "adopt_baseline", true) => {
            around(format!("{who} hat die Basislinie "), " beschlossen".into())
        }
        (Lang::En, "set_ten_point", true) => around(
            format!("{who} edited the ten-point position: "),
            String::new(),
        ),
        (Lang::De, "set_ten_point", true) => around(
            format!("{who} hat die Zehn-Punkte-Position bearbeitet: "),
            String::new(),
        ),
        (Lang::En, "set_initiative", true) => around(
            format!("{who} edited the Commission initiative "),
            String::new(),
        ),
        (Lang::De, "set_initiative", true) => around(
            format!("{who} hat die Kommissionsinitiative "),
            " bearbeitet".into(),
        ),
        (Lang::En, "apply_for_membership", true) => around(
            format!("{who} submitted the membership application of "),
            String::new(),
        ),
        (Lang::De, "apply_for_membership", true) => around(
            format!("{who} hat den Mitgliedsantrag von "),
            " gestellt".into(),
        ),
        (Lang::En, "admit_region", true) => {
            around(format!("{who} admitted "), " to the Alliance".into())
        }
        (Lang::De, "admit_region", true) => {
            around(format!("{who} hat "), " in die Allianz aufgenommen".into())
        }
        (Lang::En, "decline_region", true) => {
            around(format!("{who} declined the application of "), String::new())
        }
        (Lang::De, "decline_region", true) => {
            around(format!("{who} hat den Antrag von "), " abgelehnt".into())
        }
        (Lang::En, "leave_alliance", true) => {
            around(format!("{who} recorded that "), " left the Alliance".into())
        }
        (Lang::De, "leave_alliance", true) => around(
            format!("{who} hat den Austritt von "),
            " eingetragen".into(),
        ),
        (Lang::En, "update_region", true) => {
            around(format!("{who} edited the region "), String::new())
        }
        (Lang::De, "update_region", true) => {
            around(format!("{who} hat die Region "), " bearbeitet".into())
        }
        (Lang::En, "set_development", true) => {
            around(format!("{who} recorded the development "), String::new())
        }
        (Lang::De, "set_development", true) => {
            around(format!("{who} hat die Entwicklung "), " erfasst".into())
        }
        (Lang::En, "delete_development", _) => plain(format!("{who} removed a development")),
        (Lang::De, "delete_development", _) => {
            plain(format!("{who} hat eine Entwicklung entfernt"))
        }
        (Lang::En, "create_conference", true) => {
            around(format!("{who} planned the conference "), String::new())
        }
        (Lang::De, "create_conference", true) => {
            around(format!("{who} hat die Konferenz "), " geplant".into())
        }
        (Lang::En, "update_conference", true) => {
            around(format!("{who} edited the conference "), String::new())
        }
        (Lang::De, "update_conference", true) => {
            around(format!("{who} hat die Konferenz "), " bearbeitet".into())
        }
        (Lang::En, "set_conference_theme", true) => around(
            format!("{who} set the theme of the conference "),
            String::new(),
        ),
        (Lang::De, "set_conference_theme", true) => around(
            format!("{who} hat das Thema der Konferenz "),
            " festgelegt".into(),
        ),
        (Lang::En, "delete_conference", _) => plain(format!("{who} removed a conference")),
        (Lang::De, "delete_conference", _) => plain(format!("{who} hat eine Konferenz entfernt")),
        (Lang::En, "set_stakeholder", true) => {
            around(format!("{who} edited the organisation "), String::new())
        }
        (Lang::De, "set_stakeholder", true) => {
            around(format!("{who} hat die Organisation "), " bearbeitet".into())
        }
        (Lang::En, "delete_stakeholder", _) => plain(format!("{who} removed an organisation")),
        (Lang::De, "delete_stakeholder", _) => {
            plain(format!("{who} hat eine Organisation entfernt"))
        }
        (Lang::En, "link_stakeholder", true) => around(
            format!("{who} linked "),
            " in the stakeholder network".into(),
        ),
        (Lang::De, "link_stakeholder", true) => around(
            format!("{who} hat "),
            " im Akteursnetzwerk verknüpft".into(),
        ),
        (Lang::En, "unlink_stakeholder", _) => {
            plain(format!("{who} removed a link in the stakeholder network"))
        }
        (Lang::De, "unlink_stakeholder", _) => plain(format!(
            "{who} hat eine Verknüpfung im Akteursnetzwerk entfernt"
        )),
        (Lang::En, "create_meeting", true) => {
            around(format!("{who} scheduled the meeting "), String::new())
        }
        (Lang::De, "create_meeting", true) => {
            around(format!("{who} hat die Sitzung "), " angesetzt".into())
        }
        (Lang::En, "update_meeting", true) => {
            around(format!("{who} edited the meeting "), String::new())
        }
        (Lang::De, "update_meeting", true) => {
            around(format!("{who} hat die Sitzung "), " bearbeitet".into())
        }
        (Lang::En, "delete_meeting", _) => plain(format!("{who} removed a meeting")),
        (Lang::De, "delete_meeting", _) => plain(format!("{who} hat eine Sitzung entfernt")),
        (Lang::En, _, true) => around(format!("{who} changed "), String::new()),
        (Lang::De, _, true) => around(format!("{who} hat "), " geändert".into()),
        (Lang::En, _, false) => plain(format!("{who} made a change")),
        (Lang::De, _, false) => plain(format!("{who} hat eine Änderung vorgenommen")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;
    use ara_shared::{EntityRef, PriorityId, PriorityStatus, Version};

    fn change(kind: &str) -> RecentChange {
        RecentChange {
            version: Version(7),
            at_ms: 0,
            actor: "Anna".into(),
            kind: kind.into(),
            entity: EntityRef::Priority(PriorityId::from_parts(1, [1; 10])),
            title: Some("Battery skills".into()),
            status: Some(PriorityStatus::InProgress),
            position: Some(3),
        }
    }

    #[test]
    fn every_dashboard_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in DashboardMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
        }
    }

    #[test]
    fn every_kind_of_change_reads_as_a_sentence_in_both_languages() {
        let kinds = [
            "create_priority",
            "rename_priority",
            "set_priority_status",
            "move_priority",
            "update_priority",
            "delete_priority",
            "endorse_priority",
            "set_priority_action",
            "remove_priority_action",
            "add_comment",
            "delete_comment",
            "adopt_baseline",
            "set_ten_point",
            "set_initiative",
            "apply_for_membership",
            "admit_region",
            "decline_region",
            "leave_alliance",
            "update_region",
            "set_development",
            "delete_development",
            "create_conference",
            "update_conference",
            "set_conference_theme",
            "delete_conference",
            "set_stakeholder",
            "delete_stakeholder",
            "link_stakeholder",
            "unlink_stakeholder",
            "create_meeting",
            "update_meeting",
            "delete_meeting",
            "something_new",
        ];
        for lang in Lang::ALL {
            for kind in kinds {
                for title in [Some("Battery skills"), None] {
                    let s = change_sentence(lang, &change(kind), title).to_string();
                    assert!(s.starts_with("Anna "), "{lang:?} {kind}: {s}");
                    assert!(s.len() > 12, "{lang:?} {kind}: {s}");
                }
            }
        }
        let status = change_sentence(Lang::En, &change("set_priority_status"), Some("X"));
        assert_eq!(
            status.to_string(),
            "Anna set the status of “X” to In progress"
        );
        let status = change_sentence(Lang::De, &change("set_priority_status"), Some("X"));
        assert_eq!(
            status.to_string(),
            "Anna hat den Status von „X“ auf „In Arbeit“ gesetzt"
        );
        let moved = change_sentence(Lang::En, &change("move_priority"), Some("X"));
        assert_eq!(
            moved.to_string(),
            "Anna moved “X” to place 3 of the programme"
        );
        assert_eq!(
            change_sentence(Lang::En, &change("something_new"), None).to_string(),
            "Anna made a change"
        );
    }

    #[test]
    fn date_ranges_are_written_compactly() {
        let d = |y, m, day| ara_shared::Date::new(y, m, day).expect("valid");
        assert_eq!(
            date_range(Lang::En, d(2025, 9, 9), d(2025, 9, 9)),
            "9 September 2025"
        );
        assert_eq!(
            date_range(Lang::En, d(2025, 9, 9), d(2025, 9, 10)),
            "9–10 September 2025"
        );
        assert_eq!(
            date_range(Lang::De, d(2025, 9, 9), d(2025, 9, 10)),
            "9.–10. September 2025"
        );
        assert_eq!(
            date_range(Lang::En, d(2025, 9, 30), d(2025, 10, 2)),
            "30 September – 2 October 2025"
        );
        assert_eq!(
            date_range(Lang::De, d(2025, 12, 30), d(2026, 1, 2)),
            "30. Dezember 2025 – 2. Januar 2026"
        );
    }

    #[test]
    fn times_read_as_how_long_ago() {
        let now = 1_800_000_000_000;
        assert_eq!(ago(Lang::En, now, now - 10_000), "just now");
        assert_eq!(ago(Lang::En, now, now - 5 * 60_000), "5 min ago");
        assert_eq!(ago(Lang::De, now, now - 5 * 60_000), "vor 5 Min.");
        assert_eq!(ago(Lang::En, now, now - 3 * 3_600_000), "3 h ago");
        assert_eq!(ago(Lang::De, now, now - 30 * 3_600_000), "gestern");
        assert_eq!(ago(Lang::De, now, now - 3 * 86_400_000), "vor 3 Tagen");
        assert_eq!(ago(Lang::De, now, now - 40 * 86_400_000), "06.12.2026");
    }
}
