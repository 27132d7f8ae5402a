//! The words of people and roles, my account, the ten points and
//! initiatives, and the developments.

use ara_shared::Param;
use ara_shared::{Rejection, RejectionCode, Role};

use super::{Lang, api_error_message, rejection_message, role_name};
use crate::api::FailureCode;
use ara_shared::account::AccountErrorCode;

messages! {
    pub enum AdminMsg {
        // --- Shared by these pages ---
        Copy { en: "Copy", de: "Kopieren" }
        Copied { en: "Copied to the clipboard.", de: "In die Zwischenablage kopiert." }
        CopyFailed {
            en: "Copying is not possible here. The text is selected: press Ctrl+C (or ⌘+C) to copy it.",
            de: "Kopieren ist hier nicht möglich. Der Text ist markiert: Drücken Sie Strg+C (oder ⌘+C), um ihn zu kopieren.",
        }
        Close { en: "Close", de: "Schließen" }
        Edit { en: "Edit", de: "Bearbeiten" }
        Delete { en: "Delete", de: "Löschen" }
        Name { en: "Name", de: "Name" }
        Role { en: "Role", de: "Rolle" }
        Region { en: "Region", de: "Region" }
        NoRegion { en: "No region", de: "Keine Region" }
        ChooseRegion { en: "Choose a member region", de: "Mitgliedsregion wählen" }
        Unconfirmed {
            en: "Unconfirmed — not from a verified source",
            de: "Unbestätigt – nicht aus einer geprüften Quelle",
        }
        InEnglish { en: "(in English)", de: "(auf Englisch)" }

        // --- People and roles ---
        PeopleIntro {
            en: "Everyone with an account and their role, and the invitations not accepted yet. The secretariat invites people and changes roles.",
            de: "Alle Personen mit Konto und ihre Rolle sowie die noch nicht angenommenen Einladungen. Das Sekretariat lädt Personen ein und ändert Rollen.",
        }
        OnlySecretariat {
            en: "Only the secretariat can see and change people and roles. If someone needs access or another role, ask the Alliance's technical secretariat.",
            de: "Nur das Sekretariat kann Personen und Rollen sehen und ändern. Wenn jemand Zugang oder eine andere Rolle braucht, wenden Sie sich an das technische Sekretariat der Allianz.",
        }
        GoToAccount { en: "Go to my account", de: "Zu meinem Konto" }
        RolesExplained {
            en: "Secretariat: changes everything and manages people. Region editor: edits the work programme for one member region. Observer: reads everything, changes nothing.",
            de: "Sekretariat: ändert alles und verwaltet Personen. Regionsredaktion: bearbeitet das Arbeitsprogramm für eine Mitgliedsregion. Beobachtung: liest alles, ändert nichts.",
        }
        InviteHeading { en: "Invite someone", de: "Jemanden einladen" }
        InviteIntro {
            en: "You get a one-time link for the person, with which they choose their name and password.",
            de: "Sie erhalten einen einmaligen Link für die Person, mit dem sie ihren Namen und ihr Passwort wählt.",
        }
        InviteEmail { en: "Email address of the person", de: "E-Mail-Adresse der Person" }
        RegionHint {
            en: "The member region this region editor works for.",
            de: "Die Mitgliedsregion, für die diese Regionsredaktion arbeitet.",
        }
        RegionRequired {
            en: "Choose the member region this region editor works for.",
            de: "Wählen Sie die Mitgliedsregion, für die diese Regionsredaktion arbeitet.",
        }
        CreateInvitation { en: "Create invitation link", de: "Einladungslink erstellen" }
        InvitationCreated { en: "Invitation link created", de: "Einladungslink erstellt" }
        InvitationLink { en: "Invitation link", de: "Einladungslink" }
        LinkShownOnce {
            en: "This link is shown only now and cannot be shown again: copy it and send it to the person yourself, for example by email. It works once.",
            de: "Dieser Link wird nur jetzt angezeigt und lässt sich nicht erneut anzeigen: Kopieren Sie ihn und senden Sie ihn der Person selbst, zum Beispiel per E-Mail. Er funktioniert einmal.",
        }
        OpenInvitationsHeading { en: "Open invitations", de: "Offene Einladungen" }
        NoOpenInvitations {
            en: "No invitation is waiting to be accepted.",
            de: "Keine Einladung wartet darauf, angenommen zu werden.",
        }
        Expired { en: "Expired", de: "Abgelaufen" }
        Withdraw { en: "Withdraw", de: "Zurückziehen" }
        InvitationWithdrawn {
            en: "The invitation was withdrawn; its link no longer works.",
            de: "Die Einladung wurde zurückgezogen; ihr Link funktioniert nicht mehr.",
        }
        PeopleHeading { en: "People with an account", de: "Personen mit Konto" }
        LoadingPeople { en: "Loading the people…", de: "Personen werden geladen…" }
        You { en: "(you)", de: "(Sie)" }
        ChangeRole { en: "Change role", de: "Rolle ändern" }
        SaveRole { en: "Save role", de: "Rolle speichern" }
        RemoveAccess { en: "Remove access", de: "Zugang entziehen" }
        ConfirmRemoveAccess { en: "Yes, remove access", de: "Ja, Zugang entziehen" }

        // --- My account ---
        AccountIntro {
            en: "Your details, your password, and the meetings in your own calendar.",
            de: "Ihre Angaben, Ihr Passwort und die Sitzungen in Ihrem eigenen Kalender.",
        }
        YourDetails { en: "Your details", de: "Ihre Angaben" }
        ChangePassword { en: "Change password", de: "Passwort ändern" }
        CurrentPassword { en: "Current password", de: "Aktuelles Passwort" }
        NewPassword { en: "New password", de: "Neues Passwort" }
        RepeatPassword { en: "Repeat the new password", de: "Neues Passwort wiederholen" }
        PasswordsDiffer {
            en: "The two new passwords are not the same.",
            de: "Die beiden neuen Passwörter stimmen nicht überein.",
        }
        WrongCurrentPassword { en: "The current password is wrong.", de: "Das aktuelle Passwort ist falsch." }
        PasswordChanged {
            en: "Your password has been changed. Your other sessions (other browsers and devices) have been signed out; this one stays signed in.",
            de: "Ihr Passwort wurde geändert. Ihre anderen Sitzungen (andere Browser und Geräte) wurden abgemeldet; diese bleibt angemeldet.",
        }
        CalendarHeading { en: "Meetings in your calendar", de: "Sitzungen in Ihrem Kalender" }
        CalendarIntro {
            en: "Subscribe to the Alliance's meetings in your calendar app. The calendar updates itself when meetings are added or changed.",
            de: "Abonnieren Sie die Sitzungen der Allianz in Ihrer Kalender-App. Der Kalender aktualisiert sich selbst, wenn Sitzungen hinzukommen oder sich ändern.",
        }
        CalendarStep1 { en: "Copy your calendar address.", de: "Kopieren Sie Ihre Kalenderadresse." }
        CalendarStep2 {
            en: "In your calendar app, add a calendar by its address (often called “subscribe”, “from URL” or “from the internet”).",
            de: "Fügen Sie in Ihrer Kalender-App einen Kalender über seine Adresse hinzu (oft „abonnieren“, „per URL“ oder „aus dem Internet“ genannt).",
        }
        CalendarStep3 { en: "Paste the address and confirm.", de: "Fügen Sie die Adresse ein und bestätigen Sie." }
        CalendarSecret {
            en: "The address is personal and secret: whoever has it can read the meeting calendar without signing in. Do not pass it on.",
            de: "Die Adresse ist persönlich und geheim: Wer sie hat, kann den Sitzungskalender ohne Anmeldung lesen. Geben Sie sie nicht weiter.",
        }
        CalendarNone { en: "You have no calendar address yet.", de: "Sie haben noch keine Kalenderadresse." }
        CalendarActive {
            en: "You have a calendar address. For your safety it is shown only when it is made; to see an address again, renew it.",
            de: "Sie haben eine Kalenderadresse. Zu Ihrer Sicherheit wird sie nur beim Erstellen angezeigt; um wieder eine Adresse zu sehen, erneuern Sie sie.",
        }
        CreateFeed { en: "Create my calendar address", de: "Meine Kalenderadresse erstellen" }
        RenewFeed { en: "Renew my calendar address", de: "Meine Kalenderadresse erneuern" }
        RenewWarning {
            en: "Renewing ends the old address at once: calendars subscribed to it stop updating until you subscribe with the new one.",
            de: "Beim Erneuern endet die alte Adresse sofort: Kalender, die sie abonniert haben, werden erst wieder aktualisiert, wenn Sie die neue abonnieren.",
        }
        FeedAddress { en: "Your calendar address", de: "Ihre Kalenderadresse" }
        FeedShownOnce {
            en: "Copy it now: it is shown only this once.",
            de: "Kopieren Sie sie jetzt: Sie wird nur dieses eine Mal angezeigt.",
        }
        OpenInCalendarApp { en: "Open in my calendar app", de: "In meiner Kalender-App öffnen" }
        BackupsHeading { en: "Backups", de: "Sicherungen" }
        BackupsNoneYet {
            en: "No automatic backup has been written yet.",
            de: "Es wurde noch keine automatische Sicherung geschrieben.",
        }
        BackupsOff {
            en: "Automatic backups are off. Ask whoever runs the server to start it with --backup-dir; until then, download backups here and keep them safe.",
            de: "Automatische Sicherungen sind ausgeschaltet. Bitten Sie die Betreiber des Servers, ihn mit --backup-dir zu starten; bis dahin laden Sie Sicherungen hier herunter und bewahren sie sicher auf.",
        }
        DownloadBackup { en: "Download a backup now", de: "Jetzt eine Sicherung herunterladen" }
        BackupSecret {
            en: "A backup holds every account with its password hash: keep it as safe as the server.",
            de: "Eine Sicherung enthält alle Konten mit ihren Passwort-Hashes: Bewahren Sie sie so sicher auf wie den Server.",
        }
        SignOutIntro {
            en: "Sign out of ARA Planner in this browser.",
            de: "Von ARA Planner in diesem Browser abmelden.",
        }

        // --- Ten points and initiatives ---
        ReferenceIntro {
            en: "The ten points of the Alliance's founding position (June 2022) and the European Commission initiatives that priorities align with.",
            de: "Die zehn Punkte der Gründungsposition der Allianz (Juni 2022) und die Initiativen der Europäischen Kommission, an denen sich Prioritäten ausrichten.",
        }
        ReferenceEditNote {
            en: "As secretariat you can correct these entries. Keep an entry marked unconfirmed until a source confirms it.",
            de: "Als Sekretariat können Sie diese Einträge korrigieren. Lassen Sie einen Eintrag als unbestätigt markiert, bis eine Quelle ihn bestätigt.",
        }
        TenPointsHeading { en: "The ten points", de: "Die zehn Punkte" }
        InitiativesHeading { en: "Commission initiatives", de: "Initiativen der Kommission" }
        TitleEn { en: "Title in English", de: "Titel auf Englisch" }
        TitleDe { en: "Title in German", de: "Titel auf Deutsch" }
        SummaryEn { en: "Summary (in English)", de: "Zusammenfassung (auf Englisch)" }
        UnconfirmedCheckbox {
            en: "Unconfirmed: not from a verified source",
            de: "Unbestätigt: nicht aus einer geprüften Quelle",
        }
        Code { en: "Code", de: "Kürzel" }
        CodeHint {
            en: "Capital letters, digits, “-” and “_”, for example EGD or CO2_CARS. The code cannot be changed later.",
            de: "Großbuchstaben, Ziffern, „-“ und „_“, zum Beispiel EGD oder CO2_CARS. Das Kürzel lässt sich später nicht ändern.",
        }
        InvalidCode {
            en: "The code may only hold capital letters, digits, “-” and “_”, at most 32 of them.",
            de: "Das Kürzel darf nur Großbuchstaben, Ziffern, „-“ und „_“ enthalten, höchstens 32 Zeichen.",
        }
        InitiativeTitle { en: "Title", de: "Titel" }
        Year { en: "Year", de: "Jahr" }
        YearHint { en: "Optional, for example 2023.", de: "Optional, zum Beispiel 2023." }
        YearNotGiven { en: "Year not given", de: "Jahr nicht angegeben" }
        InvalidYear {
            en: "The year must be a number between 1950 and 2100.",
            de: "Das Jahr muss eine Zahl zwischen 1950 und 2100 sein.",
        }
        AddInitiative { en: "Add an initiative", de: "Initiative hinzufügen" }
        NewInitiative { en: "New initiative", de: "Neue Initiative" }
        NoInitiatives {
            en: "No Commission initiatives have been entered yet.",
            de: "Es sind noch keine Initiativen der Kommission erfasst.",
        }

        // --- Developments ---
        DevelopmentsIntro {
            en: "What is new — environmental, economic, technical or political — and which priorities it affects, so that the programme can adapt. Newest first.",
            de: "Was es Neues gibt – ökologisch, wirtschaftlich, technisch oder politisch – und welche Prioritäten es betrifft, damit sich das Programm anpassen kann. Neueste zuerst.",
        }
        ShowKind { en: "Show", de: "Anzeigen" }
        AllKinds { en: "All kinds", de: "Alle Arten" }
        Kind { en: "Kind", de: "Art" }
        AddDevelopment { en: "Add a development", de: "Entwicklung hinzufügen" }
        NewDevelopment { en: "New development", de: "Neue Entwicklung" }
        EditDevelopment { en: "Edit development", de: "Entwicklung bearbeiten" }
        DevelopmentTitle { en: "Title", de: "Titel" }
        Date { en: "Date", de: "Datum" }
        DateRequired {
            en: "Enter the date on which it happened.",
            de: "Geben Sie das Datum ein, an dem es geschah.",
        }
        Source { en: "Source (web address)", de: "Quelle (Webadresse)" }
        SourceHint {
            en: "Optional. An address that starts with https:// or http://.",
            de: "Optional. Eine Adresse, die mit https:// oder http:// beginnt.",
        }
        SourceInvalid {
            en: "The source must be a web address that starts with https:// or http:// and has no spaces.",
            de: "Die Quelle muss eine Webadresse sein, die mit https:// oder http:// beginnt und keine Leerzeichen enthält.",
        }
        NoSource { en: "No source given.", de: "Keine Quelle angegeben." }
        Summary { en: "Summary", de: "Zusammenfassung" }
        AffectedPriorities { en: "Priorities it affects", de: "Betroffene Prioritäten" }
        FindPriority { en: "Find a priority", de: "Priorität suchen" }
        Affects { en: "Affects", de: "Betrifft" }
        AffectsNone { en: "No priority linked yet.", de: "Noch keine Priorität verknüpft." }
        ConfirmDelete { en: "Yes, delete", de: "Ja, löschen" }
        NoDevelopments {
            en: "No developments have been recorded yet.",
            de: "Es sind noch keine Entwicklungen erfasst.",
        }
        NoDevelopmentsOfKind {
            en: "No developments of this kind have been recorded.",
            de: "Entwicklungen dieser Art sind nicht erfasst.",
        }
    }
}

/// "Point 4" / "Punkt 4".
pub fn point_label(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Point {n}"),
        Lang::De => format!("Punkt {n}"),
    }
}

pub fn edit_point(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Edit point {n}"),
        Lang::De => format!("Punkt {n} bearbeiten"),
    }
}

pub fn enter_point(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Enter point {n}"),
        Lang::De => format!("Punkt {n} erfassen"),
    }
}

pub fn point_missing(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Point {n} has not been entered yet."),
        Lang::De => format!("Punkt {n} ist noch nicht erfasst."),
    }
}

/// The link to the programme filtered by a point: says what it leads to.
pub fn priorities_for_point(lang: Lang, count: usize, n: u8) -> String {
    match (lang, count) {
        (Lang::En, 0) => format!("No priority refers to point {n} yet."),
        (Lang::En, 1) => format!("1 priority refers to point {n}"),
        (Lang::En, c) => format!("{c} priorities refer to point {n}"),
        (Lang::De, 0) => format!("Noch keine Priorität bezieht sich auf Punkt {n}."),
        (Lang::De, 1) => format!("1 Priorität bezieht sich auf Punkt {n}"),
        (Lang::De, c) => format!("{c} Prioritäten beziehen sich auf Punkt {n}"),
    }
}

pub fn priorities_for_initiative(lang: Lang, count: usize, code: &str) -> String {
    match (lang, count) {
        (Lang::En, 0) => format!("No priority aligns with {code} yet."),
        (Lang::En, 1) => format!("1 priority aligns with {code}"),
        (Lang::En, c) => format!("{c} priorities align with {code}"),
        (Lang::De, 0) => format!("Noch keine Priorität richtet sich an {code} aus."),
        (Lang::De, 1) => format!("1 Priorität richtet sich an {code} aus"),
        (Lang::De, c) => format!("{c} Prioritäten richten sich an {code} aus"),
    }
}

pub fn edit_initiative(lang: Lang, code: &str) -> String {
    match lang {
        Lang::En => format!("Edit initiative {code}"),
        Lang::De => format!("Initiative {code} bearbeiten"),
    }
}

pub fn code_taken(lang: Lang, code: &str) -> String {
    match lang {
        Lang::En => format!("An initiative with the code {code} exists already."),
        Lang::De => format!("Eine Initiative mit dem Kürzel {code} gibt es bereits."),
    }
}

/// "For anna@region.eu as Region editor (Saxony)."
pub fn invitation_for(lang: Lang, email: &str, role: Role, region: Option<&str>) -> String {
    let role = role_name(lang, role);
    let region = region.map(|r| format!(" ({r})")).unwrap_or_default();
    match lang {
        Lang::En => format!("For {email} as {role}{region}."),
        Lang::De => format!("Für {email} als {role}{region}."),
    }
}

pub fn link_valid_until(lang: Lang, when: &str) -> String {
    match lang {
        Lang::En => format!("The link works until {when}."),
        Lang::De => format!("Der Link gilt bis {when}."),
    }
}

pub fn expires(lang: Lang, when: &str) -> String {
    match lang {
        Lang::En => format!("Expires {when}"),
        Lang::De => format!("Läuft ab am {when}"),
    }
}

pub fn expired_on(lang: Lang, when: &str) -> String {
    match lang {
        Lang::En => format!("Expired on {when}"),
        Lang::De => format!("Abgelaufen am {when}"),
    }
}

pub fn withdraw_invitation_for(lang: Lang, email: &str) -> String {
    match lang {
        Lang::En => format!("Withdraw the invitation for {email}"),
        Lang::De => format!("Einladung für {email} zurückziehen"),
    }
}

pub fn change_role_of(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Change the role of {name}"),
        Lang::De => format!("Rolle von {name} ändern"),
    }
}

pub fn remove_access_of(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Remove the access of {name}"),
        Lang::De => format!("Zugang von {name} entziehen"),
    }
}

pub fn confirm_remove_access(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!(
            "Remove the access of {name}? They are signed out everywhere, can no longer sign in, and their calendar address stops working. What they wrote stays."
        ),
        Lang::De => format!(
            "Zugang von {name} entziehen? Die Person wird überall abgemeldet, kann sich nicht mehr anmelden, und ihre Kalenderadresse funktioniert nicht mehr. Was sie geschrieben hat, bleibt erhalten."
        ),
    }
}

pub fn access_removed(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("{name} no longer has access."),
        Lang::De => format!("{name} hat keinen Zugang mehr."),
    }
}

pub fn role_changed(lang: Lang, name: &str, role: Role) -> String {
    let role = role_name(lang, role);
    match lang {
        Lang::En => {
            format!("{name} is now: {role}. Their app takes the new role when it next connects.")
        }
        Lang::De => format!(
            "{name} hat jetzt die Rolle: {role}. Die App der Person übernimmt die neue Rolle bei ihrer nächsten Verbindung."
        ),
    }
}

pub fn edit_development(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("Edit “{title}”"),
        Lang::De => format!("„{title}“ bearbeiten"),
    }
}

pub fn delete_development(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!("Delete “{title}”"),
        Lang::De => format!("„{title}“ löschen"),
    }
}

pub fn confirm_delete_development(lang: Lang, title: &str) -> String {
    match lang {
        Lang::En => format!(
            "Delete “{title}”? It disappears from the list for everyone; the history keeps a record."
        ),
        Lang::De => format!(
            "„{title}“ löschen? Der Eintrag verschwindet für alle aus der Liste; der Verlauf behält ihn."
        ),
    }
}

/// The link text of a development's source: "Source: www.example.eu".
pub fn source_link(lang: Lang, host: &str) -> String {
    match lang {
        Lang::En => format!("Source: {host}"),
        Lang::De => format!("Quelle: {host}"),
    }
}

pub fn developments_shown(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 development".into(),
        (Lang::En, n) => format!("{n} developments"),
        (Lang::De, 1) => "1 Entwicklung".into(),
        (Lang::De, n) => format!("{n} Entwicklungen"),
    }
}

pub fn selected_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("{n} selected"),
        Lang::De => format!("{n} ausgewählt"),
    }
}

/// A refused account request on these pages, in words: an invitation's
/// link that no longer works is said as such, the rest as anywhere.
pub fn account_error(lang: Lang, code: FailureCode, retry_after_s: Option<u64>) -> String {
    let text = match (lang, code) {
        (Lang::En, FailureCode::Refused(AccountErrorCode::InvalidToken)) => {
            "This invitation no longer exists: it was accepted or withdrawn."
        }
        (Lang::De, FailureCode::Refused(AccountErrorCode::InvalidToken)) => {
            "Diese Einladung gibt es nicht mehr: Sie wurde angenommen oder zurückgezogen."
        }
        _ => return api_error_message(lang, code, retry_after_s),
    };
    text.to_owned()
}

/// A refused password change: a wrong current password is said as such.
pub fn password_error(lang: Lang, code: FailureCode, retry_after_s: Option<u64>) -> String {
    if code == FailureCode::Refused(AccountErrorCode::InvalidCredentials) {
        return super::t(lang, AdminMsg::WrongCurrentPassword).to_owned();
    }
    api_error_message(lang, code, retry_after_s)
}

/// A refusal of the rules on these pages, in words, with the form a value
/// must have where the general wording would only say "not valid".
pub fn refusal(lang: Lang, rejection: &Rejection) -> String {
    if rejection.code == RejectionCode::InvalidValue {
        let msg = match (
            rejection.param(Param::Field),
            rejection.param(Param::Expected),
        ) {
            (Some(_), Some("url")) => Some(AdminMsg::SourceInvalid),
            (Some("code"), _) => Some(AdminMsg::InvalidCode),
            (Some("year"), _) => Some(AdminMsg::InvalidYear),
            _ => None,
        };
        if let Some(msg) = msg {
            return super::t(lang, msg).to_owned();
        }
    }
    rejection_message(lang, rejection)
}

/// How often automatic backups are written and how many stay.
pub fn backups_schedule(lang: Lang, every_secs: u64, keep: u32) -> String {
    let every = every(lang, every_secs);
    match lang {
        Lang::En => format!("Automatic backups: {every}; the newest {keep} are kept."),
        Lang::De => {
            format!("Automatische Sicherungen: {every}; die neuesten {keep} bleiben erhalten.")
        }
    }
}

/// "every day", "every 12 hours" / "jeden Tag", "alle 12 Stunden": the
/// period in its largest whole unit.
fn every(lang: Lang, secs: u64) -> String {
    // (seconds a unit, English one/many, German "every one"/many)
    let units: [(u64, &str, &str, &str, &str); 4] = [
        (86_400, "day", "days", "jeden Tag", "Tage"),
        (3_600, "hour", "hours", "jede Stunde", "Stunden"),
        (60, "minute", "minutes", "jede Minute", "Minuten"),
        (1, "second", "seconds", "jede Sekunde", "Sekunden"),
    ];
    let (size, one, many, de_one, de_many) = units
        .into_iter()
        .find(|(size, ..)| secs.is_multiple_of(*size))
        .unwrap_or(units[3]);
    match (lang, secs / size) {
        (Lang::En, 1) => format!("every {one}"),
        (Lang::En, n) => format!("every {n} {many}"),
        (Lang::De, 1) => de_one.to_owned(),
        (Lang::De, n) => format!("alle {n} {de_many}"),
    }
}

/// The newest automatic backup: when, how big, up to which version.
pub fn newest_backup(lang: Lang, when: &str, size: &str, version: u64) -> String {
    match lang {
        Lang::En => format!("The newest is from {when}: {size}, up to change {version}."),
        Lang::De => format!("Die neueste ist vom {when}: {size}, bis Änderung {version}."),
    }
}

/// A size in bytes, in the largest fitting unit.
pub fn size(lang: Lang, bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "GB"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "MB"),
        b if b >= 1 << 10 => (b as f64 / (1u64 << 10) as f64, "kB"),
        b => {
            return match lang {
                Lang::En => format!("{b} bytes"),
                Lang::De => format!("{b} Bytes"),
            };
        }
    };
    let text = format!("{value:.1}");
    match lang {
        Lang::En => format!("{text} {unit}"),
        Lang::De => format!("{} {unit}", text.replace('.', ",")),
    }
}

/// The last automatic backup failed.
pub fn backup_failed(lang: Lang, when: &str) -> String {
    match lang {
        Lang::En => format!(
            "The last automatic backup failed ({when}). The server log says why; the server tries again within 5 minutes."
        ),
        Lang::De => format!(
            "Die letzte automatische Sicherung ist fehlgeschlagen ({when}). Das Server-Protokoll nennt den Grund; der Server versucht es innerhalb von 5 Minuten erneut."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    #[test]
    fn every_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in AdminMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
        }
        // German is German, not a copy of the English.
        let same = AdminMsg::ALL
            .iter()
            .filter(|m| t(Lang::En, **m) == t(Lang::De, **m))
            .count();
        assert!(same <= 3, "{same} texts are the same in both languages");
    }

    #[test]
    fn texts_with_numbers_and_names_read_well() {
        assert_eq!(
            priorities_for_point(Lang::En, 1, 4),
            "1 priority refers to point 4"
        );
        assert_eq!(
            priorities_for_point(Lang::De, 3, 4),
            "3 Prioritäten beziehen sich auf Punkt 4"
        );
        assert_eq!(
            invitation_for(Lang::De, "a@b.eu", Role::RegionEditor, Some("Sachsen")),
            "Für a@b.eu als Regionsredaktion (Sachsen)."
        );
        assert_eq!(developments_shown(Lang::En, 1), "1 development");
        assert_eq!(
            backups_schedule(Lang::En, 86_400, 14),
            "Automatic backups: every day; the newest 14 are kept."
        );
        assert_eq!(
            backups_schedule(Lang::De, 43_200, 3),
            "Automatische Sicherungen: alle 12 Stunden; die neuesten 3 bleiben erhalten."
        );
        assert_eq!(every(Lang::De, 60), "jede Minute");
        assert_eq!(every(Lang::En, 90), "every 90 seconds");
        assert_eq!(size(Lang::En, 512), "512 bytes");
        assert_eq!(size(Lang::De, 1_572_864), "1,5 MB");
    }

    #[test]
    fn account_refusals_have_their_own_words() {
        use AccountErrorCode::*;
        for lang in Lang::ALL {
            let fallback = account_error(lang, FailureCode::Unexpected, None);
            for code in [
                LastSecretariat,
                CannotRemoveSelf,
                UnknownRegion,
                UnknownUser,
                InvalidToken,
                EmailTaken,
                Forbidden,
            ] {
                let code = FailureCode::Refused(code);
                assert_ne!(
                    account_error(lang, code, None),
                    fallback,
                    "{lang:?} {code:?}"
                );
            }
            assert_ne!(
                account_error(lang, FailureCode::Refused(InvalidToken), None),
                api_error_message(lang, FailureCode::Refused(InvalidToken), None),
                "an invitation's link has its own words"
            );
            assert_eq!(
                password_error(lang, FailureCode::Refused(InvalidCredentials), None),
                t(lang, AdminMsg::WrongCurrentPassword)
            );
        }
    }
}
