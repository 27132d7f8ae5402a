//! The words of the Alliance's own pages: regions and membership,
//! conferences and the chair rotation, meetings, baselines. Fixed texts are
//! the enums below; texts with parameters are the functions after them.

use ara_shared::Param;
use ara_shared::region::Membership;
use ara_shared::{Date, Rejection, RejectionCode};

use super::format;
use super::model::{field_name, membership_name};
use super::{Lang, rejection_message};

messages! {
    /// Words every page of the area uses.
    pub enum AllianceMsg {
        Edit { en: "Edit", de: "Bearbeiten" }
        Delete { en: "Delete", de: "Löschen" }
        ConfirmDelete { en: "Yes, delete", de: "Ja, löschen" }
        Save { en: "Save", de: "Speichern" }
        Cancel { en: "Cancel", de: "Abbrechen" }
        Remove { en: "Remove", de: "Entfernen" }
        MoveUp { en: "Move up", de: "Nach oben" }
        MoveDown { en: "Move down", de: "Nach unten" }
        Actions { en: "Actions", de: "Aktionen" }
        Loading { en: "Loading…", de: "Wird geladen…" }
        NoneYet { en: "None yet.", de: "Noch keine." }
        Unconfirmed { en: "unconfirmed", de: "unbestätigt" }
        Yes { en: "yes", de: "ja" }
        No { en: "no", de: "nein" }
        Nothing { en: "(none)", de: "(keine Angabe)" }
        ScrollTableHint {
            en: "On a narrow screen, scroll the table sideways.",
            de: "Auf schmalen Bildschirmen lässt sich die Tabelle seitlich verschieben.",
        }
    }
}

messages! {
    pub enum RegionsMsg {
        Intro {
            en: "The Alliance is open to every interested region. A region applies; the secretariat admits or declines the application.",
            de: "Die Allianz steht jeder interessierten Region offen. Eine Region beantragt die Mitgliedschaft; das Sekretariat nimmt sie auf oder lehnt den Antrag ab.",
        }
        Members { en: "Member regions", de: "Mitgliedsregionen" }
        Applicants { en: "Applications", de: "Anträge" }
        Former { en: "Former members", de: "Ehemalige Mitglieder" }
        Declined { en: "Declined applications", de: "Abgelehnte Anträge" }
        Region { en: "Region", de: "Region" }
        Country { en: "Country", de: "Land" }
        Nuts { en: "NUTS code", de: "NUTS-Code" }
        NutsNote {
            en: "NUTS codes marked “unconfirmed” have not yet been checked against Eurostat's classification.",
            de: "Mit „unbestätigt“ markierte NUTS-Codes sind noch nicht mit der Eurostat-Klassifikation abgeglichen.",
        }
        Joined { en: "Member since", de: "Mitglied seit" }
        JoinedUnknown { en: "not recorded", de: "nicht erfasst" }
        Contact { en: "Contact", de: "Kontakt" }
        NoContact { en: "none given", de: "keine Angabe" }
        Apply { en: "Apply for a region", de: "Mitgliedschaft für eine Region beantragen" }
        ApplyTitle { en: "Application for membership", de: "Antrag auf Mitgliedschaft" }
        ApplyIntro {
            en: "Name the region as it wants to appear, with its country and NUTS code. The secretariat checks the code and decides.",
            de: "Geben Sie den Namen der Region an, wie er erscheinen soll, mit Land und NUTS-Code. Das Sekretariat prüft den Code und entscheidet.",
        }
        SendApplication { en: "Send application", de: "Antrag senden" }
        RegionName { en: "Name of the region", de: "Name der Region" }
        CountryCode { en: "Country (ISO code)", de: "Land (ISO-Code)" }
        CountryHint { en: "Two capital letters, e.g. DE, IT, ES.", de: "Zwei Großbuchstaben, z. B. DE, IT, ES." }
        NutsHint {
            en: "NUTS 2021 code: the country prefix and up to three letters or digits, e.g. DE1 or ITC4.",
            de: "NUTS-2021-Code: Länderkürzel und bis zu drei Buchstaben oder Ziffern, z. B. DE1 oder ITC4.",
        }
        ContactHint { en: "A person or an address for the Alliance's work (optional).", de: "Eine Person oder Adresse für die Arbeit der Allianz (optional)." }
        ConfirmNuts { en: "NUTS code checked against Eurostat", de: "NUTS-Code mit Eurostat abgeglichen" }
        Admit { en: "Admit", de: "Aufnehmen" }
        AdmitAgain { en: "Admit again", de: "Wieder aufnehmen" }
        JoiningDate { en: "Joining date", de: "Beitrittsdatum" }
        Decline { en: "Decline", de: "Ablehnen" }
        Leave { en: "Leave the Alliance", de: "Allianz verlassen" }
        ConfirmLeave { en: "Yes, leave", de: "Ja, austreten" }
        NoMembers { en: "No member regions yet.", de: "Noch keine Mitgliedsregionen." }
        NoApplicants { en: "No open applications.", de: "Keine offenen Anträge." }
        YourRegion { en: "your region", de: "Ihre Region" }
        Applied { en: "Application sent. It waits for the secretariat's decision.", de: "Antrag gesendet. Er wartet auf die Entscheidung des Sekretariats." }
    }
}

messages! {
    pub enum ConferencesMsg {
        Intro {
            en: "One annual conference a year, hosted by the chairing region. The host chooses the theme from the work programme; the chair passes on at the next conference.",
            de: "Eine Jahreskonferenz pro Jahr, ausgerichtet von der Region, die den Vorsitz führt. Sie wählt das Thema aus dem Arbeitsprogramm; der Vorsitz geht bei der nächsten Konferenz weiter.",
        }
        AnnualConferences { en: "Annual conferences", de: "Jahreskonferenzen" }
        NewConference { en: "New conference", de: "Neue Konferenz" }
        CreateConference { en: "Add conference", de: "Konferenz anlegen" }
        Year { en: "Year", de: "Jahr" }
        Host { en: "Host and chair region", de: "Gastgeber- und Vorsitzregion" }
        ChooseHost { en: "Choose a member region", de: "Mitgliedsregion wählen" }
        HostHint { en: "Only member regions can host.", de: "Nur Mitgliedsregionen können Gastgeber sein." }
        City { en: "City", de: "Stadt" }
        Dates { en: "Dates", de: "Termin" }
        Start { en: "First day", de: "Erster Tag" }
        End { en: "Last day", de: "Letzter Tag" }
        Theme { en: "Theme", de: "Thema" }
        ThemePriorities { en: "Priorities of the theme", de: "Prioritäten des Themas" }
        NoTheme { en: "The host has not chosen a theme yet.", de: "Die Gastgeberregion hat noch kein Thema gewählt." }
        ChooseTheme { en: "Choose the theme", de: "Thema wählen" }
        ThemeHint {
            en: "The host region chooses the theme from the work programme.",
            de: "Die Gastgeberregion wählt das Thema aus dem Arbeitsprogramm.",
        }
        ThemeText { en: "Theme of the conference", de: "Thema der Konferenz" }
        ThemeFromProgramme { en: "Priorities from the programme", de: "Prioritäten aus dem Programm" }
        Next { en: "Next conference", de: "Nächste Konferenz" }
        NoConferences { en: "No conferences yet.", de: "Noch keine Konferenzen." }
        ChairRotation { en: "Chair rotation", de: "Wechsel des Vorsitzes" }
        ChairRules {
            en: "The host of each annual conference takes the chair there and holds it until the next conference. One conference a year; the host must be a member region.",
            de: "Die Gastgeberregion einer Jahreskonferenz übernimmt dort den Vorsitz und behält ihn bis zur nächsten Konferenz. Eine Konferenz pro Jahr; Gastgeber muss eine Mitgliedsregion sein.",
        }
        Chair { en: "Chair", de: "Vorsitz" }
        From { en: "From", de: "Von" }
        Until { en: "Until", de: "Bis" }
        CurrentChair { en: "current chair", de: "derzeitiger Vorsitz" }
        UpcomingChair { en: "upcoming", de: "künftig" }
        OpenEnded { en: "the next conference", de: "zur nächsten Konferenz" }
        NoRotation { en: "The rotation follows from the conferences; there are none yet.", de: "Der Wechsel ergibt sich aus den Konferenzen; es gibt noch keine." }
        RotationChecks { en: "Checks of the rotation", de: "Prüfung des Wechsels" }
        RotationFine { en: "The rotation follows the rules.", de: "Der Wechsel folgt den Regeln." }
        DeleteConferenceQuestion { en: "Delete this conference?", de: "Diese Konferenz löschen?" }
        EditConference { en: "Edit conference", de: "Konferenz bearbeiten" }
        YearFixed {
            en: "The year cannot change; delete the conference and add it again for another year.",
            de: "Das Jahr lässt sich nicht ändern; löschen Sie die Konferenz und legen Sie sie für ein anderes Jahr neu an.",
        }
    }
}

messages! {
    pub enum MeetingsMsg {
        Intro {
            en: "Working-level meetings and video conferences supported by the technical secretariat, with agenda, minutes and action items.",
            de: "Sitzungen auf Arbeitsebene und Videokonferenzen, die das technische Sekretariat betreut, mit Tagesordnung, Protokoll und Aufgaben.",
        }
        Upcoming { en: "Upcoming meetings", de: "Kommende Sitzungen" }
        Past { en: "Past meetings", de: "Vergangene Sitzungen" }
        NoUpcoming { en: "No upcoming meetings.", de: "Keine kommenden Sitzungen." }
        NoPast { en: "No past meetings.", de: "Keine vergangenen Sitzungen." }
        FilterKind { en: "Show", de: "Anzeigen" }
        AllKinds { en: "All kinds of meeting", de: "Alle Arten von Sitzungen" }
        NewMeeting { en: "New meeting", de: "Neue Sitzung" }
        CreateMeeting { en: "Add meeting", de: "Sitzung anlegen" }
        Kind { en: "Kind", de: "Art" }
        MeetingTitle { en: "Title", de: "Titel" }
        TimeZone { en: "Time zone", de: "Zeitzone" }
        TimeZoneHint {
            en: "Start and end are read as local time in this zone, summer time included.",
            de: "Beginn und Ende gelten als Ortszeit in dieser Zone, Sommerzeit eingeschlossen.",
        }
        Start { en: "Start", de: "Beginn" }
        End { en: "End", de: "Ende" }
        Place { en: "Place", de: "Ort" }
        VideoLink { en: "Video link", de: "Videolink" }
        VideoHint { en: "A web address starting with https://.", de: "Eine Webadresse, die mit https:// beginnt." }
        JoinVideo { en: "Join the video conference", de: "An der Videokonferenz teilnehmen" }
        Participants { en: "Participating regions", de: "Teilnehmende Regionen" }
        NoParticipants { en: "No regions listed yet.", de: "Noch keine Regionen eingetragen." }
        Agenda { en: "Agenda", de: "Tagesordnung" }
        NoAgenda { en: "No agenda items yet.", de: "Noch keine Tagesordnungspunkte." }
        AgendaItem { en: "Agenda item", de: "Tagesordnungspunkt" }
        AddAgendaItem { en: "Add agenda item", de: "Tagesordnungspunkt hinzufügen" }
        LinkedPriority { en: "Priority it concerns", de: "Betroffene Priorität" }
        NoPriority { en: "No priority", de: "Keine Priorität" }
        Minutes { en: "Minutes", de: "Protokoll" }
        NoMinutes { en: "No minutes yet.", de: "Noch kein Protokoll." }
        EditMinutes { en: "Edit minutes", de: "Protokoll bearbeiten" }
        SaveMinutes { en: "Save minutes", de: "Protokoll speichern" }
        ActionItems { en: "Action items", de: "Aufgaben" }
        NoActions { en: "No action items yet.", de: "Noch keine Aufgaben." }
        ActionTitle { en: "Action", de: "Aufgabe" }
        Owner { en: "Owner region", de: "Verantwortliche Region" }
        NoOwner { en: "No owner", de: "Keine Region" }
        Due { en: "Due", de: "Fällig" }
        NoDue { en: "no date", de: "ohne Datum" }
        Done { en: "Done", de: "Erledigt" }
        Open { en: "open", de: "offen" }
        AddAction { en: "Add action item", de: "Aufgabe hinzufügen" }
        Download { en: "Download to calendar (.ics)", de: "In den Kalender laden (.ics)" }
        FeedHint {
            en: "To have every meeting in your calendar, subscribe to your personal calendar feed on the account page.",
            de: "Um alle Sitzungen im eigenen Kalender zu haben, abonnieren Sie Ihren persönlichen Kalender-Feed auf der Kontoseite.",
        }
        FeedLink { en: "Calendar feed on “My account”", de: "Kalender-Feed unter „Mein Konto“" }
        EditDetails { en: "Edit details", de: "Angaben bearbeiten" }
        DeleteMeeting { en: "Delete meeting", de: "Sitzung löschen" }
        DeleteMeetingQuestion { en: "Delete this meeting with its agenda, minutes and action items?", de: "Diese Sitzung mit Tagesordnung, Protokoll und Aufgaben löschen?" }
        NotFound { en: "This meeting does not exist, or it was deleted.", de: "Diese Sitzung gibt es nicht, oder sie wurde gelöscht." }
        AllMeetings { en: "All meetings", de: "Alle Sitzungen" }
        When { en: "When", de: "Wann" }
        Where { en: "Where", de: "Wo" }
        NoPlace { en: "No place given.", de: "Kein Ort angegeben." }
        Details { en: "Details", de: "Angaben" }
    }
}

messages! {
    pub enum BaselinesMsg {
        Intro {
            en: "A baseline records the work programme as adopted: the priorities adopted, under way or done on that date. Baselines are records and are never edited; every revision since shows as a change.",
            de: "Eine Basislinie hält das Arbeitsprogramm fest, wie es beschlossen wurde: die an diesem Tag beschlossenen, laufenden oder erledigten Prioritäten. Basislinien sind Protokolle und werden nie bearbeitet; jede spätere Änderung erscheint als Abweichung.",
        }
        Adopt { en: "Adopt the current programme as a baseline", de: "Aktuelles Programm als Basislinie beschließen" }
        AdoptButton { en: "Adopt baseline", de: "Basislinie beschließen" }
        Name { en: "Name", de: "Name" }
        NameHint { en: "For example “Work programme 2026–2027”.", de: "Zum Beispiel „Arbeitsprogramm 2026–2027“." }
        AdoptedOn { en: "Adopted on", de: "Beschlossen am" }
        Priorities { en: "Priorities", de: "Prioritäten" }
        List { en: "Adopted baselines", de: "Beschlossene Basislinien" }
        NoBaselines { en: "No baseline has been adopted yet.", de: "Es wurde noch keine Basislinie beschlossen." }
        ChangesColumn { en: "Changes", de: "Änderungen" }
        ShowChanges { en: "Show changes since", de: "Änderungen anzeigen seit" }
        Shown { en: "shown below", de: "unten angezeigt" }
        Added { en: "Added to the programme", de: "Neu im Programm" }
        Removed { en: "No longer in the programme", de: "Nicht mehr im Programm" }
        Changed { en: "Changed", de: "Geändert" }
        NoChanges { en: "Nothing has changed since this baseline.", de: "Seit dieser Basislinie hat sich nichts geändert." }
        Field { en: "Field", de: "Feld" }
        Before { en: "In the baseline", de: "In der Basislinie" }
        Now { en: "Now", de: "Jetzt" }
        UnknownBaseline { en: "There is no baseline with this address.", de: "Unter dieser Adresse gibt es keine Basislinie." }
        NoLongerExists { en: "deleted since", de: "inzwischen gelöscht" }
    }
}

/// The country of an ISO code in the language, for the countries the
/// Alliance's regions come from; `None` for others (shown as the code).
pub fn country_name(lang: Lang, code: &str) -> Option<&'static str> {
    let (en, de) = match code {
        "AT" => ("Austria", "Österreich"),
        "BE" => ("Belgium", "Belgien"),
        "BG" => ("Bulgaria", "Bulgarien"),
        "CH" => ("Switzerland", "Schweiz"),
        "CY" => ("Cyprus", "Zypern"),
        "CZ" => ("Czechia", "Tschechien"),
        "DE" => ("Germany", "Deutschland"),
        "DK" => ("Denmark", "Dänemark"),
        "EE" => ("Estonia", "Estland"),
        "EL" | "GR" => ("Greece", "Griechenland"),
        "ES" => ("Spain", "Spanien"),
        "FI" => ("Finland", "Finnland"),
        "FR" => ("France", "Frankreich"),
        "HR" => ("Croatia", "Kroatien"),
        "HU" => ("Hungary", "Ungarn"),
        "IE" => ("Ireland", "Irland"),
        "IT" => ("Italy", "Italien"),
        "LT" => ("Lithuania", "Litauen"),
        "LU" => ("Luxembourg", "Luxemburg"),
        "LV" => ("Latvia", "Lettland"),
        "MT" => ("Malta", "Malta"),
        "NL" => ("Netherlands", "Niederlande"),
        "NO" => ("Norway", "Norwegen"),
        "PL" => ("Poland", "Polen"),
        "PT" => ("Portugal", "Portugal"),
        "RO" => ("Romania", "Rumänien"),
        "SE" => ("Sweden", "Schweden"),
        "SI" => ("Slovenia", "Slowenien"),
        "SK" => ("Slovakia", "Slowakei"),
        _ => return None,
    };
    Some(match lang {
        Lang::En => en,
        Lang::De => de,
    })
}

/// "Germany (DE)", or the bare code for a country without a name here.
pub fn country_label(lang: Lang, code: &str) -> String {
    match country_name(lang, code) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

/// One day, or the first and last day of an event.
pub fn date_range(lang: Lang, start: Date, end: Date) -> String {
    if start == end {
        format::date(lang, start)
    } else {
        format!(
            "{} – {}",
            format::date(lang, start),
            format::date(lang, end)
        )
    }
}

/// The heading of a conference: "2025 · Munich".
pub fn conference_heading(year: u16, city: &str) -> String {
    format!("{year} · {city}")
}

/// How many: "3 priorities" / "3 Prioritäten".
pub fn priority_count(lang: Lang, n: usize) -> String {
    let number = format::number(lang, i64::try_from(n).unwrap_or(i64::MAX));
    match (lang, n) {
        (Lang::En, 1) => "1 priority".into(),
        (Lang::De, 1) => "1 Priorität".into(),
        (Lang::En, _) => format!("{number} priorities"),
        (Lang::De, _) => format!("{number} Prioritäten"),
    }
}

/// A section heading with its count: "Member regions (16)".
pub fn with_count(title: &str, n: usize) -> String {
    format!("{title} ({n})")
}

/// The button of a row, for screen readers: "Edit: Sachsen".
pub fn action_of(action: &str, what: &str) -> String {
    format!("{action}: {what}")
}

/// The question before a region leaves.
pub fn leave_question(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!(
            "Should {region} leave the Alliance? It moves to the former members; the secretariat can admit it again."
        ),
        Lang::De => format!(
            "Soll {region} die Allianz verlassen? Die Region wird zu den ehemaligen Mitgliedern verschoben; das Sekretariat kann sie wieder aufnehmen."
        ),
    }
}

/// The form that edits a region.
pub fn edit_region_title(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!("Edit {region}"),
        Lang::De => format!("{region} bearbeiten"),
    }
}

/// The form that admits a region.
pub fn admit_title(lang: Lang, region: &str) -> String {
    match lang {
        Lang::En => format!("Admit {region}"),
        Lang::De => format!("{region} aufnehmen"),
    }
}

/// The rotation check: a chair that is no longer a member.
pub fn chair_not_member(lang: Lang, region: &str, membership: Membership) -> String {
    let status = membership_name(lang, membership);
    match lang {
        Lang::En => {
            format!("{region} chairs from a conference but is not a member now ({status}).")
        }
        Lang::De => format!(
            "{region} führt nach einer Konferenz den Vorsitz, ist aber derzeit kein Mitglied ({status})."
        ),
    }
}

/// The rotation check: years without an annual conference between two.
pub fn years_without_conference(lang: Lang, from: u16, to: u16) -> String {
    let years = if from == to {
        from.to_string()
    } else {
        format!("{from}–{to}")
    };
    match lang {
        Lang::En => format!("No annual conference in {years}: the chair stays longer than a year."),
        Lang::De => {
            format!("Keine Jahreskonferenz {years}: Der Vorsitz dauert länger als ein Jahr.")
        }
    }
}

/// Where a meeting's time is also shown in the person's own zone.
pub fn in_your_time(lang: Lang, when: &str) -> String {
    match lang {
        Lang::En => format!("Your time: {when}"),
        Lang::De => format!("Ihre Ortszeit: {when}"),
    }
}

/// A meeting's start to end in its zone, e.g. "20 Jan 2026, 10:00 – 12:00 (Europe/Brussels)".
pub fn meeting_span(start: &str, end: &str, zone: &str) -> String {
    format!("{start} – {end} ({})", zone.replace('_', " "))
}

/// The summary of an agenda item's priority link.
pub fn concerns_priority(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Priority:",
        Lang::De => "Priorität:",
    }
}

/// The heading of the changes since a baseline.
pub fn changes_since(lang: Lang, name: &str, on: Date) -> String {
    let date = format::date(lang, on);
    match lang {
        Lang::En => format!("Changes since “{name}” ({date})"),
        Lang::De => format!("Änderungen seit „{name}“ ({date})"),
    }
}

/// How many changes of a kind.
pub fn change_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 change".into(),
        (Lang::De, 1) => "1 Änderung".into(),
        (Lang::En, n) => format!("{n} changes"),
        (Lang::De, n) => format!("{n} Änderungen"),
    }
}

/// A priority that left the programme but still exists: where it stands now.
pub fn now_status(lang: Lang, status: &str) -> String {
    match lang {
        Lang::En => format!("now: {status}"),
        Lang::De => format!("jetzt: {status}"),
    }
}

/// A refusal of the rules as this area words it; the general wording of
/// [`rejection_message`] where the area has nothing more precise to say.
pub fn refusal_message(lang: Lang, rejection: &Rejection) -> String {
    let param = |key: Param| rejection.param(key).unwrap_or("");
    match (rejection.code, param(Param::Entity), param(Param::Field)) {
        (RejectionCode::AlreadyExists, "conference", _) => match lang {
            Lang::En => format!(
                "There is already a conference in {}: the Alliance holds one annual conference a year.",
                param(Param::Key)
            ),
            Lang::De => format!(
                "Für {} gibt es bereits eine Konferenz: Die Allianz hält eine Jahreskonferenz pro Jahr ab.",
                param(Param::Key)
            ),
        },
        (RejectionCode::AlreadyExists, "region", _) => match lang {
            Lang::En => format!("A region with the NUTS code {} exists already.", param(Param::Key)),
            Lang::De => format!("Eine Region mit dem NUTS-Code {} gibt es bereits.", param(Param::Key)),
        },
        (RejectionCode::InvalidValue, _, "country") => match lang {
            Lang::En => "The country must be a two-letter ISO code, e.g. DE.".into(),
            Lang::De => "Das Land muss ein ISO-Code aus zwei Buchstaben sein, z. B. DE.".into(),
        },
        (RejectionCode::InvalidValue, _, "nuts") => match lang {
            Lang::En => "The NUTS code must be the country prefix and up to three letters or digits, e.g. DE1 or ITC4.".into(),
            Lang::De => "Der NUTS-Code besteht aus dem Länderkürzel und bis zu drei Buchstaben oder Ziffern, z. B. DE1 oder ITC4.".into(),
        },
        (RejectionCode::InvalidValue, _, "time_zone") => match lang {
            Lang::En => "This time zone is not known. Choose one from the list.".into(),
            Lang::De => "Diese Zeitzone ist unbekannt. Wählen Sie eine aus der Liste.".into(),
        },
        (RejectionCode::InvalidValue, _, "video_link") => match lang {
            Lang::En => "The video link must be a web address starting with https://.".into(),
            Lang::De => "Der Videolink muss eine Webadresse sein, die mit https:// beginnt.".into(),
        },
        (RejectionCode::InvalidValue, _, "start") if param(Param::Expected) == "date_in_year" => {
            match lang {
                Lang::En => format!("The conference must start in its year, {}.", param(Param::Year)),
                Lang::De => format!("Die Konferenz muss in ihrem Jahr beginnen, also {}.", param(Param::Year)),
            }
        }
        (RejectionCode::InvalidValue, _, "start") if param(Param::Expected) == "date" => match lang {
            Lang::En => "The meeting must take place between 2000 and 2100.".into(),
            Lang::De => "Die Sitzung muss zwischen 2000 und 2100 stattfinden.".into(),
        },
        (RejectionCode::InvalidTransition, _, _)
            if membership_from_key(param(Param::From)).is_some() =>
        {
            let name = |key| membership_from_key(key).map_or("", |m| membership_name(lang, m));
            match lang {
                Lang::En => format!(
                    "The membership cannot change from “{}” to “{}”.",
                    name(param(Param::From)),
                    name(param(Param::To))
                ),
                Lang::De => format!(
                    "Die Mitgliedschaft kann nicht von „{}“ zu „{}“ wechseln.",
                    name(param(Param::From)),
                    name(param(Param::To))
                ),
            }
        }
        (RejectionCode::EndsBeforeStart, _, _) => match lang {
            Lang::En => "The end is before the start.".into(),
            Lang::De => "Das Ende liegt vor dem Beginn.".into(),
        },
        _ => rejection_message(lang, rejection),
    }
}

fn membership_from_key(key: &str) -> Option<Membership> {
    Membership::ALL.into_iter().find(|m| m.key() == key)
}

/// A field of a priority in a baseline comparison, in words.
pub fn priority_field(lang: Lang, field: &str) -> String {
    let mut words = field_name(lang, field);
    // Field names are written to sit inside a sentence; as a table cell they
    // start with a capital.
    if let Some(first) = words.chars().next() {
        let rest = &words[first.len_utf8()..];
        words = first.to_uppercase().chain(rest.chars()).collect();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    #[test]
    fn every_text_of_the_area_has_words_in_every_language() {
        for lang in Lang::ALL {
            for m in AllianceMsg::ALL {
                assert!(!t(lang, *m).trim().is_empty(), "{lang:?} {m:?}");
            }
            for m in RegionsMsg::ALL {
                assert!(!t(lang, *m).trim().is_empty(), "{lang:?} {m:?}");
            }
            for m in ConferencesMsg::ALL {
                assert!(!t(lang, *m).trim().is_empty(), "{lang:?} {m:?}");
            }
            for m in MeetingsMsg::ALL {
                assert!(!t(lang, *m).trim().is_empty(), "{lang:?} {m:?}");
            }
            for m in BaselinesMsg::ALL {
                assert!(!t(lang, *m).trim().is_empty(), "{lang:?} {m:?}");
            }
        }
        assert_ne!(
            t(Lang::En, RegionsMsg::Members),
            t(Lang::De, RegionsMsg::Members)
        );
    }

    #[test]
    fn refusals_of_the_area_are_precise() {
        let twice = Rejection::new(RejectionCode::AlreadyExists)
            .with(Param::Entity, "conference")
            .with(Param::Key, 2025);
        assert_eq!(
            refusal_message(Lang::En, &twice),
            "There is already a conference in 2025: the Alliance holds one annual conference a year."
        );
        assert!(refusal_message(Lang::De, &twice).starts_with("Für 2025 gibt es bereits"));
        let back = Rejection::new(RejectionCode::InvalidTransition)
            .with(Param::From, "member")
            .with(Param::To, "declined");
        assert_eq!(
            refusal_message(Lang::En, &back),
            "The membership cannot change from “Member” to “Declined”."
        );
        let empty = Rejection::new(RejectionCode::EmptyField).with(Param::Field, "city");
        assert_eq!(
            refusal_message(Lang::De, &empty),
            "Das Feld „Stadt“ darf nicht leer sein."
        );
    }

    #[test]
    fn countries_dates_and_fields_read_well() {
        assert_eq!(country_label(Lang::De, "DE"), "Deutschland (DE)");
        assert_eq!(country_label(Lang::En, "XK"), "XK");
        let a = Date::new(2025, 9, 9).expect("valid");
        let b = Date::new(2025, 9, 10).expect("valid");
        assert_eq!(date_range(Lang::En, a, a), "9 September 2025");
        assert_eq!(
            date_range(Lang::De, a, b),
            "9. September 2025 – 10. September 2025"
        );
        assert_eq!(priority_field(Lang::En, "lead_region"), "Lead region");
        assert_eq!(priority_field(Lang::De, "ten_points"), "Zehn Punkte");
        assert_eq!(priority_count(Lang::De, 12), "12 Prioritäten");
        assert_eq!(priority_count(Lang::En, 1), "1 priority");
    }
}
