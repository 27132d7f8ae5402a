//! The words of the priority detail page, and how any field's value reads
//! (for the page's history and for the overwrite notices of every page).

use ara_shared::priority::{Action, Comment};
use ara_shared::region::Membership;
use ara_shared::{Date, Dimension, Horizon, PriorityStatus, RegionId, State, TransitionGoal};
use serde_json::Value;

use super::format;
use super::model::{dimension_name, goal_name, membership_name};
use super::{Lang, status_name, term_name};

messages! {
    pub enum PriorityMsg {
        BackToProgramme { en: "Work programme", de: "Arbeitsprogramm" }
        BackToProgrammeLong { en: "Back to the work programme", de: "Zurück zum Arbeitsprogramm" }
        Loading { en: "Loading the priority…", de: "Priorität wird geladen…" }
        NotFoundTitle {
            en: "This priority does not exist (any more)",
            de: "Diese Priorität gibt es nicht (mehr)",
        }
        NotFoundText {
            en: "There is no priority at this address. It may have been deleted, or the link is incomplete.",
            de: "Unter dieser Adresse gibt es keine Priorität. Vielleicht wurde sie gelöscht, oder der Link ist unvollständig.",
        }
        DeletedTitle { en: "This priority was deleted", de: "Diese Priorität wurde gelöscht" }
        DeletedWhileOpen {
            en: "Someone else deleted this priority while you had it open. Its history is kept.",
            de: "Jemand anderes hat diese Priorität gelöscht, während Sie sie geöffnet hatten. Ihr Verlauf bleibt erhalten.",
        }
        Edit { en: "Edit", de: "Bearbeiten" }
        Save { en: "Save", de: "Speichern" }
        Cancel { en: "Cancel", de: "Abbrechen" }
        Remove { en: "Remove", de: "Entfernen" }
        Yes { en: "yes", de: "ja" }
        No { en: "no", de: "nein" }
        Empty { en: "(empty)", de: "(leer)" }
        NoneValue { en: "none", de: "keine" }
        Unconfirmed { en: "unconfirmed", de: "unbestätigt" }
        UnconfirmedHint {
            en: "Marked “unconfirmed”: no public source confirms this yet.",
            de: "„Unbestätigt“ heißt: Keine öffentliche Quelle bestätigt das bisher.",
        }
        OpenToAllBadge { en: "Open to all regions", de: "Für alle Regionen offen" }
        StatusLabel { en: "Status", de: "Status" }
        // Sections and their fields.
        Overview { en: "Title and summary", de: "Titel und Zusammenfassung" }
        Title { en: "Title", de: "Titel" }
        Summary { en: "Summary", de: "Zusammenfassung" }
        NoSummary { en: "No summary yet.", de: "Noch keine Zusammenfassung." }
        StatusAndHorizon { en: "Status and horizon", de: "Status und Zeithorizont" }
        StatusHint {
            en: "Only the changes the work programme's rules allow from the current status are offered.",
            de: "Angeboten werden nur die Wechsel, die die Regeln des Arbeitsprogramms vom aktuellen Status aus erlauben.",
        }
        Term { en: "Term", de: "Zeitraum" }
        Horizon { en: "Horizon", de: "Zeithorizont" }
        Start { en: "Start", de: "Beginn" }
        End { en: "End", de: "Ende" }
        Year { en: "Year", de: "Jahr" }
        Quarter { en: "Quarter", de: "Quartal" }
        YearHint { en: "A year from 2000 to 2100.", de: "Ein Jahr von 2000 bis 2100." }
        BadYear {
            en: "Enter the start and end years as numbers from 2000 to 2100.",
            de: "Geben Sie Anfangs- und Endjahr als Zahlen von 2000 bis 2100 ein.",
        }
        Description { en: "Description", de: "Beschreibung" }
        NoDescription { en: "No description yet.", de: "Noch keine Beschreibung." }
        Alignment { en: "Ten points and Commission initiatives", de: "Zehn Punkte und Initiativen der Kommission" }
        TenPoints { en: "Points of the ten-point declaration", de: "Punkte der Zehn-Punkte-Erklärung" }
        Initiatives { en: "Commission initiatives", de: "Initiativen der Kommission" }
        NoTenPoints { en: "No point chosen yet.", de: "Noch kein Punkt ausgewählt." }
        NoInitiatives { en: "No initiative chosen yet.", de: "Noch keine Initiative ausgewählt." }
        DimensionsAndGoals { en: "Dimensions and transition goals", de: "Dimensionen und Übergangsziele" }
        Dimensions { en: "Dimensions", de: "Dimensionen" }
        Goals { en: "Transition goals", de: "Übergangsziele" }
        Regions { en: "Regions", de: "Regionen" }
        LeadRegion { en: "Lead region", de: "Federführende Region" }
        NoLead { en: "No lead region", de: "Keine federführende Region" }
        SupportingRegions { en: "Supporting regions", de: "Unterstützende Regionen" }
        NoSupporting { en: "No supporting region yet.", de: "Noch keine unterstützende Region." }
        OpenToAll { en: "Open to all regions", de: "Für alle Regionen offen" }
        OpenToAllHint {
            en: "Every region editor may edit this priority, not only those of its lead and supporting regions.",
            de: "Alle Regionsredaktionen dürfen diese Priorität bearbeiten, nicht nur die der federführenden und unterstützenden Regionen.",
        }
        OwnRegionHint {
            en: "You can put your own region in or take it out; other regions decide for themselves.",
            de: "Sie können Ihre eigene Region eintragen oder austragen; andere Regionen entscheiden selbst.",
        }
        // Actions and milestones.
        Actions { en: "Actions and milestones", de: "Maßnahmen und Meilensteine" }
        NoActions { en: "No actions or milestones yet.", de: "Noch keine Maßnahmen oder Meilensteine." }
        NewAction { en: "New action or milestone", de: "Neue Maßnahme oder neuer Meilenstein" }
        AddAction { en: "Add", de: "Hinzufügen" }
        Owner { en: "Owner region", de: "Verantwortliche Region" }
        NoOwner { en: "No owner region", de: "Keine verantwortliche Region" }
        Due { en: "Due date", de: "Fälligkeitsdatum" }
        NoDue { en: "No due date", de: "Kein Fälligkeitsdatum" }
        Done { en: "Done", de: "Erledigt" }
        OpenState { en: "Open", de: "Offen" }
        Overdue { en: "Overdue", de: "Überfällig" }
        EditAction { en: "Edit action", de: "Maßnahme bearbeiten" }
        BadDate {
            en: "Enter a real day between the years 2000 and 2100, or leave the date empty.",
            de: "Geben Sie einen echten Tag zwischen den Jahren 2000 und 2100 ein oder lassen Sie das Datum leer.",
        }
        // Endorsements.
        Endorsements { en: "Endorsements", de: "Unterstützungserklärungen" }
        NoEndorsements { en: "No region endorses this priority yet.", de: "Noch keine Region unterstützt diese Priorität." }
        EndorsingRegion { en: "Region", de: "Region" }
        AddEndorsement { en: "Add endorsement", de: "Unterstützung eintragen" }
        Withdraw { en: "Withdraw", de: "Zurückziehen" }
        // Comments.
        Comments { en: "Comments", de: "Kommentare" }
        NoComments { en: "No comments yet.", de: "Noch keine Kommentare." }
        YourComment { en: "Your comment", de: "Ihr Kommentar" }
        AddComment { en: "Add comment", de: "Kommentar hinzufügen" }
        DeleteComment { en: "Delete", de: "Löschen" }
        // Where the priority is referred to.
        References { en: "Referred to elsewhere", de: "Verweise an anderer Stelle" }
        NoReferences { en: "Nothing else refers to this priority yet.", de: "Noch verweist nichts anderes auf diese Priorität." }
        Developments { en: "Developments that affect it", de: "Entwicklungen, die sie betreffen" }
        Meetings { en: "Meetings with it on the agenda", de: "Sitzungen mit ihr auf der Tagesordnung" }
        Stakeholders { en: "Stakeholders linked to it", de: "Verknüpfte Akteure" }
        Conferences { en: "Conferences whose theme includes it", de: "Konferenzen, deren Thema sie einschließt" }
        // History.
        History { en: "History of changes", de: "Änderungsverlauf" }
        HistoryLoading { en: "Loading the history…", de: "Verlauf wird geladen…" }
        HistoryOffline {
            en: "The history comes from the server: it appears once you are online again.",
            de: "Der Verlauf kommt vom Server: Er erscheint, sobald Sie wieder online sind.",
        }
        HistoryFailed {
            en: "The history could not be loaded. It is tried again with the next change.",
            de: "Der Verlauf konnte nicht geladen werden. Bei der nächsten Änderung wird es erneut versucht.",
        }
        NoHistory { en: "No changes recorded yet.", de: "Noch keine Änderungen aufgezeichnet." }
        ShowAll { en: "Show all", de: "Alles anzeigen" }
        ShowOlder { en: "Show older changes", de: "Ältere Änderungen anzeigen" }
        RestoreValue { en: "Restore this value", de: "Diesen Wert wiederherstellen" }
        Created { en: "created the priority", de: "hat die Priorität angelegt" }
        DeletedIt { en: "deleted the priority", de: "hat die Priorität gelöscht" }
        Before { en: "Before", de: "Vorher" }
        After { en: "After", de: "Nachher" }
        // Deleting.
        DeleteSection { en: "Delete the priority", de: "Priorität löschen" }
        DeleteHint {
            en: "Only a priority that nothing refers to can be deleted. Otherwise, set its status to “Dropped”.",
            de: "Nur eine Priorität, auf die nichts verweist, kann gelöscht werden. Sonst setzen Sie ihren Status auf „Aufgegeben“.",
        }
        DeletePriority { en: "Delete this priority", de: "Diese Priorität löschen" }
        ConfirmDelete {
            en: "Delete this priority for everyone? Its actions and comments go with it; its history is kept.",
            de: "Diese Priorität für alle löschen? Ihre Maßnahmen und Kommentare werden mitgelöscht; ihr Verlauf bleibt erhalten.",
        }
        ConfirmDeleteButton { en: "Yes, delete it", de: "Ja, löschen" }
    }
}

/// Who else has this priority open, by name.
pub fn viewing_now(lang: Lang, names: &[String]) -> String {
    let list = names.join(", ");
    match lang {
        Lang::En => format!("Also looking at this priority: {list}"),
        Lang::De => format!("Diese Priorität sehen sich auch an: {list}"),
    }
}

/// Who else is editing this priority.
pub fn editing_now(lang: Lang, names: &[String]) -> String {
    let list = names.join(", ");
    match (lang, names.len()) {
        (Lang::En, 1) => format!("{list} is editing this priority right now."),
        (Lang::En, _) => format!("{list} are editing this priority right now."),
        (Lang::De, 1) => format!("{list} bearbeitet diese Priorität gerade."),
        (Lang::De, _) => format!("{list} bearbeiten diese Priorität gerade."),
    }
}

/// The priority was deleted by someone, at a time.
pub fn deleted_by(lang: Lang, name: &str, when: &str) -> String {
    match lang {
        Lang::En => format!("{name} deleted it on {when}."),
        Lang::De => format!("{name} hat sie am {when} gelöscht."),
    }
}

pub fn edit_section(lang: Lang, section: &str) -> String {
    match lang {
        Lang::En => format!("Edit: {section}"),
        Lang::De => format!("Bearbeiten: {section}"),
    }
}

pub fn endorse_for(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!("Endorse for {region}"),
        Lang::De => format!("Für {region} unterstützen"),
    }
}

pub fn withdraw_for(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!("Withdraw the endorsement of {region}"),
        Lang::De => format!("Unterstützung von {region} zurückziehen"),
    }
}

pub fn own_region_supports(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!("{region} supports this priority"),
        Lang::De => format!("{region} unterstützt diese Priorität"),
    }
}

pub fn remove_action(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("Remove “{title}”"),
        Lang::De => format!("„{title}“ entfernen"),
    }
}

pub fn action_done_label(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("“{title}” is done"),
        Lang::De => format!("„{title}“ ist erledigt"),
    }
}

pub fn due_on(lang: Lang, date: &str) -> String {
    match lang {
        Lang::En => format!("due {date}"),
        Lang::De => format!("fällig am {date}"),
    }
}

pub fn delete_comment_of(lang: Lang, author: &str) -> String {
    match lang {
        Lang::En => format!("Delete the comment of {author}"),
        Lang::De => format!("Kommentar von {author} löschen"),
    }
}

/// "Title: changed by …" reads the field first, then the values.
pub fn changed_field(lang: Lang, field: &str) -> String {
    let field = capitalised(&super::model::field_name(lang, field));
    match lang {
        Lang::En => format!("{field} changed"),
        Lang::De => format!("{field} geändert"),
    }
}

pub fn restored(lang: Lang, field: &str) -> String {
    let field = super::model::field_name(lang, field);
    match lang {
        Lang::En => format!("The earlier value of the {field} is back."),
        Lang::De => format!("Der frühere Wert des Feldes „{field}“ ist wiederhergestellt."),
    }
}

pub fn added_items(lang: Lang, items: &str) -> String {
    match lang {
        Lang::En => format!("added: {items}"),
        Lang::De => format!("hinzugefügt: {items}"),
    }
}

pub fn removed_items(lang: Lang, items: &str) -> String {
    match lang {
        Lang::En => format!("removed: {items}"),
        Lang::De => format!("entfernt: {items}"),
    }
}

pub fn changed_items(lang: Lang, items: &str) -> String {
    match lang {
        Lang::En => format!("changed: {items}"),
        Lang::De => format!("geändert: {items}"),
    }
}

pub fn comment_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 comment".into(),
        (Lang::En, n) => format!("{n} comments"),
        (Lang::De, 1) => "1 Kommentar".into(),
        (Lang::De, n) => format!("{n} Kommentare"),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Text cut to at most `max` characters at a word, with "…" when cut.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(char::is_whitespace).filter(|i| *i > max / 2);
    format!("{}…", cut[..at_word.unwrap_or(cut.len())].trim_end())
}

fn list(lang: Lang, items: Vec<String>) -> String {
    if items.is_empty() {
        super::t(lang, PriorityMsg::NoneValue).to_owned()
    } else {
        items.join(", ")
    }
}

fn region_name(state: &State, id: RegionId) -> String {
    state
        .regions
        .get(&id)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A ten-point reference in the current language, marked when unconfirmed.
pub fn ten_point_text(lang: Lang, state: &State, n: u8) -> String {
    let Some(point) = state.ten_points.get(&n) else {
        return n.to_string();
    };
    let title = match lang {
        Lang::En => &point.title_en,
        Lang::De => &point.title_de,
    };
    let mut text = format!("{n}. {title}");
    if point.unconfirmed {
        text.push_str(&format!(" ({})", super::t(lang, PriorityMsg::Unconfirmed)));
    }
    text
}

/// A Commission initiative by code and title, marked when unconfirmed.
pub fn initiative_text(lang: Lang, state: &State, code: &str) -> String {
    let Some(initiative) = state.initiatives.get(code) else {
        return code.to_owned();
    };
    let mut text = format!("{} – {}", initiative.code, initiative.title);
    if initiative.unconfirmed {
        text.push_str(&format!(" ({})", super::t(lang, PriorityMsg::Unconfirmed)));
    }
    text
}

pub fn horizon_text(lang: Lang, h: &Horizon) -> String {
    format!(
        "{}, {} – {}",
        term_name(lang, h.term),
        format::quarter(lang, h.start),
        format::quarter(lang, h.end)
    )
}

fn action_text(lang: Lang, state: &State, a: &Action) -> String {
    let mut text = a.title.clone();
    let mut details = Vec::new();
    if let Some(owner) = a.owner {
        details.push(region_name(state, owner));
    }
    if let Some(due) = a.due {
        details.push(due_on(lang, &format::date(lang, due)));
    }
    if a.done {
        details.push(super::t(lang, PriorityMsg::Done).to_lowercase());
    }
    if !details.is_empty() {
        text.push_str(&format!(" ({})", details.join(", ")));
    }
    text
}

/// How the value of `field` reads to a person, for any entity: region ids
/// as names, quarters and dates per language, sets as lists, statuses and
/// kinds translated. Long texts are returned whole; shorten where needed.
pub fn field_value(lang: Lang, state: &State, field: &str, value: &Value) -> String {
    let typed = |v: &Value| -> Option<String> {
        match field {
            "status" => serde_json::from_value::<PriorityStatus>(v.clone())
                .ok()
                .map(|s| status_name(lang, s).to_owned()),
            "membership" => serde_json::from_value::<Membership>(v.clone())
                .ok()
                .map(|m| membership_name(lang, m).to_owned()),
            "horizon" => serde_json::from_value::<Horizon>(v.clone())
                .ok()
                .map(|h| horizon_text(lang, &h)),
            "ten_points" => serde_json::from_value::<Vec<u8>>(v.clone()).ok().map(|ns| {
                list(
                    lang,
                    ns.iter().map(|n| ten_point_text(lang, state, *n)).collect(),
                )
            }),
            "initiatives" => serde_json::from_value::<Vec<String>>(v.clone())
                .ok()
                .map(|cs| {
                    list(
                        lang,
                        cs.iter().map(|c| initiative_text(lang, state, c)).collect(),
                    )
                }),
            "dimensions" => serde_json::from_value::<Vec<Dimension>>(v.clone())
                .ok()
                .map(|ds| {
                    list(
                        lang,
                        ds.iter()
                            .map(|d| dimension_name(lang, *d).to_owned())
                            .collect(),
                    )
                }),
            "goals" => serde_json::from_value::<Vec<TransitionGoal>>(v.clone())
                .ok()
                .map(|gs| {
                    list(
                        lang,
                        gs.iter().map(|g| goal_name(lang, *g).to_owned()).collect(),
                    )
                }),
            "lead_region" | "owner" | "host" => {
                serde_json::from_value::<Option<RegionId>>(v.clone())
                    .ok()
                    .map(|r| match r {
                        Some(r) => region_name(state, r),
                        None => super::t(lang, PriorityMsg::NoneValue).to_owned(),
                    })
            }
            "supporting_regions" | "endorsements" | "participants" => {
                serde_json::from_value::<Vec<RegionId>>(v.clone())
                    .ok()
                    .map(|rs| list(lang, rs.iter().map(|r| region_name(state, *r)).collect()))
            }
            "actions" => serde_json::from_value::<Vec<Action>>(v.clone())
                .ok()
                .map(|acts| {
                    list(
                        lang,
                        acts.iter().map(|a| action_text(lang, state, a)).collect(),
                    )
                }),
            "comments" => serde_json::from_value::<Vec<Comment>>(v.clone())
                .ok()
                .map(|cs| comment_count(lang, cs.len())),
            "due" | "joined" | "adopted_on" | "date" | "start" | "end" => {
                serde_json::from_value::<Option<Date>>(v.clone())
                    .ok()
                    .map(|d| match d {
                        Some(d) => format::date(lang, d),
                        None => super::t(lang, PriorityMsg::NoneValue).to_owned(),
                    })
            }
            _ => None,
        }
    };
    typed(value).unwrap_or_else(|| plain_value(lang, state, value))
}

/// A value of a field this module has no words for.
fn plain_value(lang: Lang, state: &State, value: &Value) -> String {
    match value {
        Value::Null => super::t(lang, PriorityMsg::NoneValue).to_owned(),
        Value::Bool(true) => super::t(lang, PriorityMsg::Yes).to_owned(),
        Value::Bool(false) => super::t(lang, PriorityMsg::No).to_owned(),
        Value::Number(n) => n
            .as_i64()
            .map(|n| format::number(lang, n))
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) if s.is_empty() => super::t(lang, PriorityMsg::Empty).to_owned(),
        Value::String(s) => s
            .parse::<RegionId>()
            .ok()
            .and_then(|r| state.regions.get(&r).map(|r| r.name.clone()))
            .unwrap_or_else(|| s.clone()),
        Value::Array(items) => list(
            lang,
            items.iter().map(|v| plain_value(lang, state, v)).collect(),
        ),
        Value::Object(map) => ["title", "name", "text"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ara_shared::region::Region;
    use ara_shared::{Quarter, Term};
    use serde_json::json;

    #[test]
    fn every_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in PriorityMsg::ALL {
                assert!(!super::super::t(lang, *msg).is_empty(), "{lang:?} {msg:?}");
            }
        }
        assert_ne!(
            super::super::t(Lang::En, PriorityMsg::NotFoundTitle),
            super::super::t(Lang::De, PriorityMsg::NotFoundTitle)
        );
    }

    #[test]
    fn values_read_as_words() {
        let mut state = State::default();
        let saxony = RegionId::from_parts(1, [1; 10]);
        state.regions.insert(
            saxony,
            Region {
                id: saxony,
                name: "Sachsen".into(),
                country: "DE".into(),
                nuts: "DED".into(),
                nuts_confirmed: false,
                membership: Membership::Member,
                contact: String::new(),
                joined: None,
                unconfirmed: false,
            },
        );
        let horizon = Horizon {
            term: Term::Medium,
            start: Quarter::new(2025, 3).expect("valid"),
            end: Quarter::new(2028, 4).expect("valid"),
        };
        let h = serde_json::to_value(horizon).expect("serialises");
        assert_eq!(
            field_value(Lang::En, &state, "horizon", &h),
            "Medium term, Q3 2025 – Q4 2028"
        );
        assert_eq!(
            field_value(Lang::De, &state, "horizon", &h),
            "Mittelfristig, 3. Quartal 2025 – 4. Quartal 2028"
        );
        assert_eq!(
            field_value(Lang::De, &state, "status", &json!("in_progress")),
            "In Arbeit"
        );
        assert_eq!(
            field_value(Lang::En, &state, "lead_region", &json!(saxony)),
            "Sachsen"
        );
        assert_eq!(
            field_value(Lang::En, &state, "lead_region", &Value::Null),
            "none"
        );
        assert_eq!(
            field_value(Lang::En, &state, "supporting_regions", &json!([saxony])),
            "Sachsen"
        );
        assert_eq!(
            field_value(
                Lang::De,
                &state,
                "dimensions",
                &json!(["economic", "social"])
            ),
            "Wirtschaftlich, Sozial"
        );
        assert_eq!(
            field_value(Lang::En, &state, "open_to_all", &json!(true)),
            "yes"
        );
        assert_eq!(
            field_value(Lang::De, &state, "summary", &json!("")),
            "(leer)"
        );
        assert_eq!(
            field_value(Lang::De, &state, "due", &json!("2026-03-05")),
            "5. März 2026"
        );
    }

    #[test]
    fn long_texts_are_cut_at_a_word() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("one two three four", 12), "one two…");
    }
}
