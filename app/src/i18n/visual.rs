//! The words of the timeline and of the stakeholder network.

use ara_shared::stakeholder::StakeholderKind;

use super::Lang;

messages! {
    pub enum TimelineMsg {
        Intro {
            en: "The priorities of the work programme on the quarters they span, in programme order. Each bar opens its priority.",
            de: "Die Prioritäten des Arbeitsprogramms über die Quartale, die sie umfassen, in der Reihenfolge des Programms. Jeder Balken öffnet seine Priorität.",
        }
        Filters { en: "Show", de: "Anzeigen" }
        Term { en: "Term", de: "Zeitraum" }
        BothTerms { en: "Short and medium term", de: "Kurz- und mittelfristig" }
        Status { en: "Status", de: "Status" }
        Zoom { en: "Zoom", de: "Zoom" }
        ZoomIn { en: "Zoom in", de: "Vergrößern" }
        ZoomOut { en: "Zoom out", de: "Verkleinern" }
        Fit { en: "Fit to width", de: "An Breite anpassen" }
        ZoomKeys {
            en: "In the timeline, + zooms in, − zooms out and 0 fits it to the width.",
            de: "In der Zeitleiste vergrößert +, verkleinert − und 0 passt sie an die Breite an.",
        }
        ChartTitle { en: "Timeline of the work programme", de: "Zeitleiste des Arbeitsprogramms" }
        Today { en: "Today", de: "Heute" }
        Legend { en: "Legend", de: "Legende" }
        LegendShort { en: "Short term: solid bar", de: "Kurzfristig: gefüllter Balken" }
        LegendMedium { en: "Medium term: striped bar", de: "Mittelfristig: gestreifter Balken" }
        LegendOpen { en: "Open milestone: circle", de: "Offener Meilenstein: Kreis" }
        LegendDone { en: "Milestone done: diamond", de: "Erledigter Meilenstein: Raute" }
        LegendToday { en: "Today: dashed line", de: "Heute: gestrichelte Linie" }
        AsTable { en: "The timeline as a table", de: "Die Zeitleiste als Tabelle" }
        Priority { en: "Priority", de: "Priorität" }
        Start { en: "Start", de: "Beginn" }
        End { en: "End", de: "Ende" }
        Milestones { en: "Milestones", de: "Meilensteine" }
        NoMilestones { en: "None", de: "Keine" }
        Done { en: "done", de: "erledigt" }
        Open { en: "open", de: "offen" }
        NothingMatches {
            en: "No priority matches these filters.",
            de: "Keine Priorität entspricht diesen Filtern.",
        }
        NoPriorities {
            en: "The work programme has no priorities yet.",
            de: "Das Arbeitsprogramm hat noch keine Prioritäten.",
        }
    }
}

messages! {
    pub enum NetworkMsg {
        Intro {
            en: "The organisations the Alliance works with, and their links to regions and priorities. Select a node or an organisation for its details and links.",
            de: "Die Organisationen, mit denen die Allianz zusammenarbeitet, und ihre Verbindungen zu Regionen und Prioritäten. Wählen Sie einen Knoten oder eine Organisation für Details und Verbindungen.",
        }
        Download { en: "Download the organisations (CSV)", de: "Organisationen herunterladen (CSV)" }
        ShowAs { en: "Show as", de: "Darstellung" }
        Graph { en: "Graph", de: "Grafik" }
        List { en: "List", de: "Liste" }
        FilterKinds { en: "Show", de: "Anzeigen" }
        ShowAll { en: "Show all", de: "Alle anzeigen" }
        Regions { en: "Regions", de: "Regionen" }
        Priorities { en: "Priorities", de: "Prioritäten" }
        Legend { en: "Legend", de: "Legende" }
        LegendOrganisation {
            en: "Organisation: circle with the letters of its kind",
            de: "Organisation: Kreis mit dem Kürzel ihrer Art",
        }
        LegendRegion { en: "Region: square with its country code", de: "Region: Quadrat mit Ländercode" }
        LegendPriority {
            en: "Priority: diamond with its number in the programme",
            de: "Priorität: Raute mit ihrer Nummer im Programm",
        }
        GraphKeys {
            en: "Arrow keys move between the nodes; Enter or Space selects one.",
            de: "Die Pfeiltasten wechseln zwischen den Knoten; Eingabe oder Leertaste wählt einen aus.",
        }
        Details { en: "Details", de: "Details" }
        NothingSelected {
            en: "Select a node in the graph or an organisation in the list to see its details and links.",
            de: "Wählen Sie einen Knoten in der Grafik oder eine Organisation in der Liste, um Details und Verbindungen zu sehen.",
        }
        CloseDetails { en: "Close the details", de: "Details schließen" }
        Organisation { en: "Organisation", de: "Organisation" }
        Organisations { en: "Organisations", de: "Organisationen" }
        Name { en: "Name", de: "Name" }
        Kind { en: "Kind", de: "Art" }
        Country { en: "Country", de: "Land" }
        Website { en: "Website", de: "Website" }
        Links { en: "Links", de: "Verbindungen" }
        Membership { en: "Membership", de: "Mitgliedschaft" }
        Status { en: "Status", de: "Status" }
        Region { en: "Region", de: "Region" }
        Priority { en: "Priority", de: "Priorität" }
        Relation { en: "Relation", de: "Beziehung" }
        NoLinks { en: "No links yet.", de: "Noch keine Verbindungen." }
        NoWebsite { en: "No website given", de: "Keine Website angegeben" }
        OpenPriority { en: "Open the priority", de: "Priorität öffnen" }
        AddLink { en: "Add a link", de: "Verbindung hinzufügen" }
        LinkTo { en: "Link to", de: "Verbinden mit" }
        ToRegion { en: "a region", de: "einer Region" }
        ToPriority { en: "a priority", de: "einer Priorität" }
        SaveLink { en: "Add link", de: "Verbindung hinzufügen" }
        Remove { en: "Remove", de: "Entfernen" }
        Cancel { en: "Cancel", de: "Abbrechen" }
        NewOrganisation { en: "New organisation", de: "Neue Organisation" }
        Edit { en: "Edit", de: "Bearbeiten" }
        EditOrganisation { en: "Edit the organisation", de: "Organisation bearbeiten" }
        Save { en: "Save", de: "Speichern" }
        Delete { en: "Delete the organisation", de: "Organisation löschen" }
        ConfirmDelete { en: "Yes, delete", de: "Ja, löschen" }
        CountryHint {
            en: "Two capital letters (ISO code, e.g. DE), or EU for an EU body.",
            de: "Zwei Großbuchstaben (ISO-Code, z. B. DE) oder EU für eine EU-Einrichtung.",
        }
        WebsiteHint {
            en: "Optional: the full address, starting with https://",
            de: "Optional: die vollständige Adresse, beginnend mit https://",
        }
        LinkAdded { en: "Link added.", de: "Verbindung hinzugefügt." }
        LinkRemoved { en: "Link removed.", de: "Verbindung entfernt." }
        Saved { en: "Organisation saved.", de: "Organisation gespeichert." }
        Deleted { en: "Organisation deleted.", de: "Organisation gelöscht." }
        NothingMatches {
            en: "No organisation matches this filter.",
            de: "Keine Organisation entspricht diesem Filter.",
        }
        Unknown { en: "(removed)", de: "(entfernt)" }
    }
}

/// Two letters for a kind of organisation, shown in its node and in the
/// legend, so that the kind is never told by colour alone.
pub fn kind_code(lang: Lang, kind: StakeholderKind) -> &'static str {
    use StakeholderKind::*;
    match (lang, kind) {
        (Lang::En, PoliticalActor) => "PA",
        (Lang::En, Industry) => "AI",
        (Lang::En, Supplier) => "SU",
        (Lang::En, SocialPartner) => "SP",
        (Lang::En, Science) => "SC",
        (Lang::En, EuInstitution) => "EU",
        (Lang::En, MemberState) => "MS",
        (Lang::En, SkillsAlliance) => "SA",
        (Lang::En, Other) => "OT",
        (Lang::De, PoliticalActor) => "PA",
        (Lang::De, Industry) => "AI",
        (Lang::De, Supplier) => "ZL",
        (Lang::De, SocialPartner) => "SP",
        (Lang::De, Science) => "WI",
        (Lang::De, EuInstitution) => "EU",
        (Lang::De, MemberState) => "MS",
        (Lang::De, SkillsAlliance) => "KA",
        (Lang::De, Other) => "SO",
    }
}

/// A bar's accessible name: everything the bar shows, in words.
pub fn bar_label(
    lang: Lang,
    title: &str,
    term: &str,
    span: (&str, &str),
    status: &str,
    milestones: (usize, usize),
) -> String {
    let (start, end) = span;
    let (all, done) = milestones;
    match (lang, all) {
        (Lang::En, 0) => format!("{title}: {term}, {start} to {end}, {status}"),
        (Lang::En, 1) => {
            format!("{title}: {term}, {start} to {end}, {status}; 1 milestone, {done} done")
        }
        (Lang::En, _) => {
            format!("{title}: {term}, {start} to {end}, {status}; {all} milestones, {done} done")
        }
        (Lang::De, 0) => format!("{title}: {term}, {start} bis {end}, {status}"),
        (Lang::De, 1) => format!(
            "{title}: {term}, {start} bis {end}, {status}; 1 Meilenstein, davon {done} erledigt"
        ),
        (Lang::De, _) => format!(
            "{title}: {term}, {start} bis {end}, {status}; {all} Meilensteine, davon {done} erledigt"
        ),
    }
}

/// A milestone mark's tooltip.
pub fn milestone_label(lang: Lang, title: &str, due: &str, done: bool) -> String {
    match (lang, done) {
        (Lang::En, true) => format!("{title}, due {due}, done"),
        (Lang::En, false) => format!("{title}, due {due}, open"),
        (Lang::De, true) => format!("{title}, fällig am {due}, erledigt"),
        (Lang::De, false) => format!("{title}, fällig am {due}, offen"),
    }
}

/// What the timeline shows, for its description.
pub fn timeline_description(
    lang: Lang,
    count: usize,
    span: Option<(&str, &str)>,
    today: &str,
) -> String {
    match (lang, span) {
        (Lang::En, Some((first, last))) => format!(
            "{count} priorities on the quarters from {first} to {last}; the dashed line marks today, {today}."
        ),
        (Lang::De, Some((first, last))) => format!(
            "{count} Prioritäten über die Quartale von {first} bis {last}; die gestrichelte Linie markiert heute, {today}."
        ),
        (Lang::En, None) => format!("No priorities to show; today is {today}."),
        (Lang::De, None) => format!("Keine Prioritäten anzuzeigen; heute ist der {today}."),
    }
}

/// What the graph shows, for its description.
pub fn graph_description(
    lang: Lang,
    organisations: usize,
    regions: usize,
    priorities: usize,
    links: usize,
) -> String {
    match lang {
        Lang::En => format!(
            "{organisations} organisations, {regions} regions and {priorities} priorities, with {links} links between them."
        ),
        Lang::De => format!(
            "{organisations} Organisationen, {regions} Regionen und {priorities} Prioritäten mit {links} Verbindungen."
        ),
    }
}

/// A node's accessible name.
pub fn node_label(lang: Lang, name: &str, what: &str, links: usize) -> String {
    match (lang, links) {
        (Lang::En, 1) => format!("{name}, {what}, 1 link"),
        (Lang::En, _) => format!("{name}, {what}, {links} links"),
        (Lang::De, 1) => format!("{name}, {what}, 1 Verbindung"),
        (Lang::De, _) => format!("{name}, {what}, {links} Verbindungen"),
    }
}

/// The hidden rest of a link's remove button.
pub fn remove_link_label(lang: Lang, relation: &str, target: &str) -> String {
    match lang {
        Lang::En => format!("the link “{relation}” to {target}"),
        Lang::De => format!("die Verbindung „{relation}“ zu {target}"),
    }
}

/// The question before an organisation is deleted.
pub fn confirm_delete(lang: Lang, name: &str, links: usize) -> String {
    match (lang, links) {
        (Lang::En, 0) => format!("Delete {name}?"),
        (Lang::En, 1) => format!("Delete {name} and its link?"),
        (Lang::En, _) => format!("Delete {name} and its {links} links?"),
        (Lang::De, 0) => format!("{name} löschen?"),
        (Lang::De, 1) => format!("{name} und ihre Verbindung löschen?"),
        (Lang::De, _) => format!("{name} und ihre {links} Verbindungen löschen?"),
    }
}

/// A priority's short name in the graph: its number in the programme.
pub fn priority_number(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Priority {n}"),
        Lang::De => format!("Priorität {n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    #[test]
    fn every_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in TimelineMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
            for msg in NetworkMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
            for kind in StakeholderKind::ALL {
                assert_eq!(
                    kind_code(lang, kind).chars().count(),
                    2,
                    "{lang:?} {kind:?}"
                );
            }
        }
        assert_ne!(
            t(Lang::En, NetworkMsg::Links),
            t(Lang::De, NetworkMsg::Links)
        );
    }

    #[test]
    fn kind_codes_tell_every_kind_apart() {
        for lang in Lang::ALL {
            let mut codes: Vec<&str> = StakeholderKind::ALL
                .iter()
                .map(|k| kind_code(lang, *k))
                .collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), StakeholderKind::ALL.len(), "{lang:?}");
        }
    }

    #[test]
    fn labels_with_numbers_read_naturally() {
        let label = bar_label(
            Lang::De,
            "Batterien",
            "Kurzfristig",
            ("Q1/2025", "Q4/2026"),
            "Beschlossen",
            (2, 1),
        );
        assert_eq!(
            label,
            "Batterien: Kurzfristig, Q1/2025 bis Q4/2026, Beschlossen; 2 Meilensteine, davon 1 erledigt"
        );
        assert_eq!(
            node_label(Lang::En, "CLEPA", "Supplier", 1),
            "CLEPA, Supplier, 1 link"
        );
        assert_eq!(
            confirm_delete(Lang::En, "CLEPA", 3),
            "Delete CLEPA and its 3 links?"
        );
    }
}
