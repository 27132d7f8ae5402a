//! Every string a person sees, in English and German.
//!
//! Views never hold prose: they ask for a text in the current [`Lang`] with
//! [`t`]. Fixed texts are enums declared with [`messages!`], one per area of
//! the app (this file's [`Msg`] for the frame and the accounts, [`nav`] for
//! the routes, a module per view area), so that an area's words live in one
//! file with English and German side by side. Texts with parameters are
//! functions. Rejections from `ara-shared` arrive as a code with parameters
//! and are put into words here, so that the server never decides the
//! language. Dates and numbers are formatted per language in [`format`].

use ara_shared::Param;
use ara_shared::account::{AccountErrorCode, MAX_PERSON_NAME_CHARS, MIN_PASSWORD_CHARS};
use ara_shared::protocol::ErrorCode;
use ara_shared::rejection::{PLAIN_TEXT, SINGLE_LINE};
use ara_shared::{PriorityStatus, Rejection, RejectionCode, Role, Term};

use self::model::field_name;
use crate::api::FailureCode;

/// Declares an enum of fixed texts with the English and German words side by
/// side, so that no text can exist in one language only:
///
/// ```text
/// messages! {
///     pub enum TimelineMsg {
///         Today { en: "Today", de: "Heute" }
///     }
/// }
/// ```
macro_rules! messages {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident { en: $en:expr, de: $de:expr $(,)? })*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every text of the enum, for the tests that check each language.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }

        impl $crate::i18n::Text for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$variant, $crate::i18n::Lang::En) => $en,
                        ($name::$variant, $crate::i18n::Lang::De) => $de,
                    )*
                }
            }
        }
    };
}

pub mod admin;
pub mod alliance;
pub mod dashboard;
pub mod format;
pub mod model;
pub mod nav;
pub mod priority;
pub mod programme;
pub mod pwa;
pub mod visual;
pub mod zone;

/// A fixed text of the interface, in every [`Lang`].
pub trait Text: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// The words for `msg` in `lang`.
pub fn t(lang: Lang, msg: impl Text) -> &'static str {
    msg.text(lang)
}

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| tag.to_ascii_lowercase().starts_with(l.tag()))
    }

    /// The language's name in itself, for the language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }
}

/// Fixed interface texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    AppTagline,
    Language,
    WorkProgramme,
    WorkProgrammeIntro,
    NewPriority,
    NewPriorityTerm,
    Add,
    Title,
    Status,
    Horizon,
    Order,
    EditTitle,
    EditTitleOf,
    Save,
    Cancel,
    MoveUp,
    MoveDown,
    MoveUpOf,
    MoveDownOf,
    StatusOf,
    NoPriorities,
    Online,
    Connecting,
    Offline,
    Pending,
    Notices,
    Dismiss,
    Restore,
    Loading,
    SignIn,
    SignInIntro,
    SignOut,
    Email,
    Password,
    YourName,
    SetUpTitle,
    SetUpIntro,
    CreateAccount,
    InvitationTitle,
    Retry,
    CannotReachServer,
    Account,
    Checking,
}

impl Text for Msg {
    fn text(self, lang: Lang) -> &'static str {
        msg_text(lang, self)
    }
}

fn msg_text(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Lang::En => match msg {
            AppName => "ARA Planner",
            AppTagline => "Automotive Regions Alliance",
            Language => "Language",
            WorkProgramme => "Work programme",
            WorkProgrammeIntro => {
                "The Alliance's thematic priorities, in programme order. Everyone editing sees changes as they happen."
            }
            NewPriority => "New priority",
            NewPriorityTerm => "Term",
            Add => "Add priority",
            Title => "Title",
            Status => "Status",
            Horizon => "Horizon",
            Order => "Order",
            EditTitle => "Rename",
            EditTitleOf => "Rename priority",
            Save => "Save",
            Cancel => "Cancel",
            MoveUp => "Up",
            MoveDown => "Down",
            MoveUpOf => "Move up",
            MoveDownOf => "Move down",
            StatusOf => "Status of",
            NoPriorities => "The work programme has no priorities yet. Add the first one above.",
            Online => "Connected",
            Connecting => "Connecting…",
            Offline => "Offline: edits are kept and sent when the connection returns",
            Pending => "Edits not yet confirmed",
            Notices => "Messages",
            Dismiss => "Dismiss",
            Restore => "Restore my value",
            Loading => "Loading the work programme…",
            SignIn => "Sign in",
            SignInIntro => "Sign in with the account the Alliance's secretariat created for you.",
            SignOut => "Sign out",
            Email => "Email",
            Password => "Password",
            YourName => "Your name",
            SetUpTitle => "Set up ARA Planner",
            SetUpIntro => {
                "Create the first account. It belongs to the technical secretariat and can invite everyone else."
            }
            CreateAccount => "Create account",
            InvitationTitle => "Join ARA Planner",
            Retry => "Try again",
            CannotReachServer => {
                "The server cannot be reached. Check the connection and try again."
            }
            Account => "Signed in as",
            Checking => "Checking your sign-in…",
        },
        Lang::De => match msg {
            AppName => "ARA Planner",
            AppTagline => "Allianz der Automobilregionen",
            Language => "Sprache",
            WorkProgramme => "Arbeitsprogramm",
            WorkProgrammeIntro => {
                "Die thematischen Prioritäten der Allianz in der Reihenfolge des Programms. Alle Bearbeitenden sehen Änderungen sofort."
            }
            NewPriority => "Neue Priorität",
            NewPriorityTerm => "Zeitraum",
            Add => "Priorität hinzufügen",
            Title => "Titel",
            Status => "Status",
            Horizon => "Zeithorizont",
            Order => "Reihenfolge",
            EditTitle => "Umbenennen",
            EditTitleOf => "Priorität umbenennen",
            Save => "Speichern",
            Cancel => "Abbrechen",
            MoveUp => "Hoch",
            MoveDown => "Runter",
            MoveUpOf => "Nach oben verschieben",
            MoveDownOf => "Nach unten verschieben",
            StatusOf => "Status von",
            NoPriorities => {
                "Das Arbeitsprogramm hat noch keine Prioritäten. Fügen Sie oben die erste hinzu."
            }
            Online => "Verbunden",
            Connecting => "Verbinde…",
            Offline => {
                "Offline: Änderungen bleiben erhalten und werden gesendet, sobald die Verbindung zurück ist"
            }
            Pending => "Noch nicht bestätigte Änderungen",
            Notices => "Meldungen",
            Dismiss => "Schließen",
            Restore => "Meinen Wert wiederherstellen",
            Loading => "Arbeitsprogramm wird geladen…",
            SignIn => "Anmelden",
            SignInIntro => {
                "Melden Sie sich mit dem Konto an, das das Sekretariat der Allianz für Sie angelegt hat."
            }
            SignOut => "Abmelden",
            Email => "E-Mail",
            Password => "Passwort",
            YourName => "Ihr Name",
            SetUpTitle => "ARA Planner einrichten",
            SetUpIntro => {
                "Legen Sie das erste Konto an. Es gehört dem technischen Sekretariat und kann alle anderen einladen."
            }
            CreateAccount => "Konto anlegen",
            InvitationTitle => "ARA Planner beitreten",
            Retry => "Erneut versuchen",
            CannotReachServer => {
                "Der Server ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut."
            }
            Account => "Angemeldet als",
            Checking => "Anmeldung wird geprüft…",
        },
    }
}

pub fn status_name(lang: Lang, status: PriorityStatus) -> &'static str {
    use PriorityStatus::*;
    match (lang, status) {
        (Lang::En, Proposed) => "Proposed",
        (Lang::En, Adopted) => "Adopted",
        (Lang::En, InProgress) => "In progress",
        (Lang::En, Done) => "Done",
        (Lang::En, Dropped) => "Dropped",
        (Lang::De, Proposed) => "Vorgeschlagen",
        (Lang::De, Adopted) => "Beschlossen",
        (Lang::De, InProgress) => "In Arbeit",
        (Lang::De, Done) => "Erledigt",
        (Lang::De, Dropped) => "Aufgegeben",
    }
}

pub fn term_name(lang: Lang, term: Term) -> &'static str {
    match (lang, term) {
        (Lang::En, Term::Short) => "Short term",
        (Lang::En, Term::Medium) => "Medium term",
        (Lang::De, Term::Short) => "Kurzfristig",
        (Lang::De, Term::Medium) => "Mittelfristig",
    }
}

fn status_param(lang: Lang, key: Option<&str>) -> String {
    key.and_then(PriorityStatus::from_key)
        .map(|s| status_name(lang, s).to_owned())
        .unwrap_or_default()
}

/// A text refused for a character it must not hold, in words that say
/// which kind of character (and which one, as it may be invisible).
fn forbidden_character(lang: Lang, field: &str, rejection: &Rejection) -> Option<String> {
    let which = rejection
        .param(Param::Character)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let form = rejection.param(Param::Expected)?;
    Some(match (lang, form) {
        (Lang::En, SINGLE_LINE) => format!(
            "The {field} must be a single line: remove the line break, control or text-direction character{which}."
        ),
        (Lang::De, SINGLE_LINE) => format!(
            "Das Feld „{field}“ muss eine einzelne Zeile sein: Entfernen Sie den Zeilenumbruch bzw. das Steuer- oder Textrichtungszeichen{which}."
        ),
        (Lang::En, PLAIN_TEXT) => format!(
            "The {field} holds an invisible control or text-direction character{which}: remove it."
        ),
        (Lang::De, PLAIN_TEXT) => format!(
            "Das Feld „{field}“ enthält ein unsichtbares Steuer- oder Textrichtungszeichen{which}: Entfernen Sie es."
        ),
        _ => return None,
    })
}

/// A refusal of the rules, in words.
pub fn rejection_message(lang: Lang, rejection: &Rejection) -> String {
    let field = field_name(lang, rejection.param(Param::Field).unwrap_or(""));
    let max = rejection.param(Param::Max).unwrap_or("");
    if rejection.code == RejectionCode::InvalidValue
        && let Some(words) = forbidden_character(lang, &field, rejection)
    {
        return words;
    }
    match (lang, rejection.code) {
        (Lang::En, RejectionCode::EmptyField) => format!("The {field} cannot be empty."),
        (Lang::De, RejectionCode::EmptyField) => {
            format!("Das Feld „{field}“ darf nicht leer sein.")
        }
        (Lang::En, RejectionCode::TooLong) => {
            format!("The {field} is too long: at most {max} characters.")
        }
        (Lang::De, RejectionCode::TooLong) => {
            format!("Das Feld „{field}“ ist zu lang: höchstens {max} Zeichen.")
        }
        (Lang::En, RejectionCode::UnknownEntity) => {
            "This item no longer exists; someone may have removed it.".into()
        }
        (Lang::De, RejectionCode::UnknownEntity) => {
            "Dieser Eintrag existiert nicht mehr; vielleicht hat ihn jemand entfernt.".into()
        }
        (Lang::En, RejectionCode::DuplicateId) => "This item exists already.".into(),
        (Lang::De, RejectionCode::DuplicateId) => "Dieser Eintrag existiert bereits.".into(),
        (Lang::En, RejectionCode::InvalidTransition) => format!(
            "The status cannot change from “{}” to “{}”.",
            status_param(lang, rejection.param(Param::From)),
            status_param(lang, rejection.param(Param::To))
        ),
        (Lang::De, RejectionCode::InvalidTransition) => format!(
            "Der Status kann nicht von „{}“ zu „{}“ wechseln.",
            status_param(lang, rejection.param(Param::From)),
            status_param(lang, rejection.param(Param::To))
        ),
        (Lang::En, RejectionCode::HorizonEndsBeforeStart) => {
            "The horizon ends before it starts.".into()
        }
        (Lang::De, RejectionCode::HorizonEndsBeforeStart) => {
            "Der Zeithorizont endet, bevor er beginnt.".into()
        }
        (Lang::En, RejectionCode::NotPermitted) => "Your role does not allow this change.".into(),
        (Lang::De, RejectionCode::NotPermitted) => {
            "Ihre Rolle erlaubt diese Änderung nicht.".into()
        }
        (Lang::En, RejectionCode::InvalidValue) => format!("The {field} is not in a valid form."),
        (Lang::De, RejectionCode::InvalidValue) => {
            format!("Das Feld „{field}“ hat keine gültige Form.")
        }
        (Lang::En, RejectionCode::EndsBeforeStart) => "The end is before the start.".into(),
        (Lang::De, RejectionCode::EndsBeforeStart) => "Das Ende liegt vor dem Beginn.".into(),
        (Lang::En, RejectionCode::InUse) => {
            "This item is still referred to elsewhere and cannot be removed.".into()
        }
        (Lang::De, RejectionCode::InUse) => {
            "Dieser Eintrag wird noch an anderer Stelle verwendet und kann nicht entfernt werden."
                .into()
        }
        (Lang::En, RejectionCode::AlreadyExists) => format!(
            "There is already an entry for {}.",
            rejection.param(Param::Key).unwrap_or("this")
        ),
        (Lang::De, RejectionCode::AlreadyExists) => format!(
            "Für {} gibt es bereits einen Eintrag.",
            rejection.param(Param::Key).unwrap_or("diesen Wert")
        ),
        (Lang::En, RejectionCode::NotAMember) => format!(
            "{} is not a member region of the Alliance.",
            rejection.param(Param::Region).unwrap_or("This region")
        ),
        (Lang::De, RejectionCode::NotAMember) => format!(
            "{} ist keine Mitgliedsregion der Allianz.",
            rejection.param(Param::Region).unwrap_or("Diese Region")
        ),
        (Lang::En, RejectionCode::BaselineImmutable) => {
            "An adopted baseline is a record and cannot be changed.".into()
        }
        (Lang::De, RejectionCode::BaselineImmutable) => {
            "Eine beschlossene Basislinie ist ein Protokoll und kann nicht geändert werden.".into()
        }
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::En, Role::Secretariat) => "Secretariat",
        (Lang::En, Role::RegionEditor) => "Region editor",
        (Lang::En, Role::Observer) => "Observer",
        (Lang::De, Role::Secretariat) => "Sekretariat",
        (Lang::De, Role::RegionEditor) => "Regionsredaktion",
        (Lang::De, Role::Observer) => "Beobachtung",
    }
}

/// The invitation screen's explanation.
pub fn invitation_intro(lang: Lang, email: &str, role: Role) -> String {
    let role = role_name(lang, role);
    match lang {
        Lang::En => format!(
            "You are invited as {role} with the address {email}. Choose your name and a password."
        ),
        Lang::De => format!(
            "Sie sind als {role} mit der Adresse {email} eingeladen. Wählen Sie Ihren Namen und ein Passwort."
        ),
    }
}

/// The hint under a new password.
pub fn password_hint(lang: Lang) -> String {
    match lang {
        Lang::En => format!("At least {MIN_PASSWORD_CHARS} characters."),
        Lang::De => format!("Mindestens {MIN_PASSWORD_CHARS} Zeichen."),
    }
}

/// A failed account request, in words. Every code the server may send has
/// its words here: the match has no catch-all, so a new code does not
/// compile until it is translated.
pub fn api_error_message(lang: Lang, code: FailureCode, retry_after_s: Option<u64>) -> String {
    let code = match code {
        FailureCode::Network => return t(lang, Msg::CannotReachServer).to_owned(),
        FailureCode::Unexpected => return server_failed(lang).to_owned(),
        FailureCode::Refused(code) => code,
    };
    let minutes = retry_after_s.map_or(15, |s| s.div_ceil(60));
    use AccountErrorCode::*;
    let text = match (lang, code) {
        (Lang::En, InvalidCredentials) => "The email address or the password is wrong.",
        (Lang::De, InvalidCredentials) => "E-Mail-Adresse oder Passwort ist falsch.",
        // Waits grow from half a minute: say seconds while they are short.
        (Lang::En, TooManyAttempts) => {
            return match retry_after_s {
                Some(s) if s < 60 => format!("Too many failed attempts. Try again in {s} seconds."),
                _ => format!("Too many failed attempts. Try again in {minutes} minutes."),
            };
        }
        (Lang::De, TooManyAttempts) => {
            return match retry_after_s {
                Some(s) if s < 60 => {
                    format!("Zu viele Fehlversuche. Versuchen Sie es in {s} Sekunden erneut.")
                }
                _ => {
                    format!("Zu viele Fehlversuche. Versuchen Sie es in {minutes} Minuten erneut.")
                }
            };
        }
        (Lang::En, NotSignedIn) => "Your session has ended. Please sign in again.",
        (Lang::De, NotSignedIn) => "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        (Lang::En, Forbidden) => "Your role does not allow this.",
        (Lang::De, Forbidden) => "Ihre Rolle erlaubt das nicht.",
        (Lang::En, InvalidToken) => {
            "This link is unknown, has been used or has expired. Ask the secretariat for a new one."
        }
        (Lang::De, InvalidToken) => {
            "Dieser Link ist unbekannt, wurde schon benutzt oder ist abgelaufen. Bitten Sie das Sekretariat um einen neuen."
        }
        (Lang::En, WeakPassword) => {
            return format!("The password must have at least {MIN_PASSWORD_CHARS} characters.");
        }
        (Lang::De, WeakPassword) => {
            return format!("Das Passwort muss mindestens {MIN_PASSWORD_CHARS} Zeichen haben.");
        }
        (Lang::En, InvalidEmail) => "This is not a valid email address.",
        (Lang::De, InvalidEmail) => "Das ist keine gültige E-Mail-Adresse.",
        (Lang::En, EmailTaken) => "An account with this email address exists already.",
        (Lang::De, EmailTaken) => "Ein Konto mit dieser E-Mail-Adresse gibt es bereits.",
        (Lang::En, InvalidName) => {
            return format!(
                "Please enter a name of at most {MAX_PERSON_NAME_CHARS} characters, without control characters."
            );
        }
        (Lang::De, InvalidName) => {
            return format!(
                "Bitte geben Sie einen Namen mit höchstens {MAX_PERSON_NAME_CHARS} Zeichen und ohne Steuerzeichen ein."
            );
        }
        (Lang::En, NameTaken) => {
            "Someone with this name has an account already. Please add something that tells you apart, such as your region."
        }
        (Lang::De, NameTaken) => {
            "Jemand mit diesem Namen hat bereits ein Konto. Bitte ergänzen Sie etwas, das Sie unterscheidet, etwa Ihre Region."
        }
        (Lang::En, AlreadySetUp) => "ARA Planner is set up already. Sign in instead.",
        (Lang::De, AlreadySetUp) => "ARA Planner ist bereits eingerichtet. Melden Sie sich an.",
        (Lang::En, CrossSite) => {
            "This request came from a page of another website and was refused. Open ARA Planner at its own address."
        }
        (Lang::De, CrossSite) => {
            "Diese Anfrage kam von der Seite einer anderen Website und wurde abgelehnt. Öffnen Sie ARA Planner unter seiner eigenen Adresse."
        }
        (Lang::En, UnsupportedMediaType) => {
            "The server could not read this request (it was not sent as JSON). Reload the page and try again."
        }
        (Lang::De, UnsupportedMediaType) => {
            "Der Server konnte diese Anfrage nicht lesen (sie wurde nicht als JSON gesendet). Laden Sie die Seite neu und versuchen Sie es erneut."
        }
        (Lang::En, PayloadTooLarge) => "This is too much to send at once. Please shorten it.",
        (Lang::De, PayloadTooLarge) => {
            "Das ist zu viel, um es auf einmal zu senden. Bitte kürzen Sie es."
        }
        (Lang::En, LastSecretariat) => {
            "This is the last secretariat account: it keeps its role and its access, or nobody could manage the Alliance. Make someone else secretariat first."
        }
        (Lang::De, LastSecretariat) => {
            "Das ist das letzte Konto des Sekretariats: Es behält seine Rolle und seinen Zugang, sonst könnte niemand die Allianz verwalten. Machen Sie zuerst eine andere Person zum Sekretariat."
        }
        (Lang::En, CannotRemoveSelf) => {
            "You cannot remove your own access; another member of the secretariat can."
        }
        (Lang::De, CannotRemoveSelf) => {
            "Ihren eigenen Zugang können Sie nicht entziehen; das kann ein anderes Mitglied des Sekretariats."
        }
        (Lang::En, UnknownRegion) => {
            "A region editor works for a member region of the Alliance: choose one from the list."
        }
        (Lang::De, UnknownRegion) => {
            "Eine Regionsredaktion arbeitet für eine Mitgliedsregion der Allianz: Wählen Sie eine aus der Liste."
        }
        (Lang::En, UnknownUser) => "This person no longer has an account.",
        (Lang::De, UnknownUser) => "Diese Person hat kein Konto mehr.",
        (Lang::En, NotFound) => "This no longer exists. Reload the page to see what is there now.",
        (Lang::De, NotFound) => {
            "Das gibt es nicht mehr. Laden Sie die Seite neu, um den aktuellen Stand zu sehen."
        }
        // Requests this app builds itself, and failures of the server.
        (_, BadRequest | Internal) => server_failed(lang),
    };
    text.to_owned()
}

/// The server failed, or answered what this app does not understand.
fn server_failed(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The server could not do this. Please try again.",
        Lang::De => "Der Server konnte das nicht ausführen. Bitte versuchen Sie es erneut.",
    }
}

/// A refusal of the connection or of a message, in words.
pub fn error_message(lang: Lang, code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match (lang, code) {
        (Lang::En, ProtocolMismatch) => {
            "The server runs a newer version of ARA Planner. Reload the page to update."
        }
        (Lang::De, ProtocolMismatch) => {
            "Der Server verwendet eine neuere Version von ARA Planner. Laden Sie die Seite neu."
        }
        (Lang::En, Unauthorized) => "Please sign in again.",
        (Lang::De, Unauthorized) => "Bitte melden Sie sich erneut an.",
        (Lang::En, ServerShuttingDown) => "The server is restarting; reconnecting…",
        (Lang::De, ServerShuttingDown) => {
            "Der Server startet neu; Verbindung wird wiederhergestellt…"
        }
        (Lang::En, ClientIdTaken) => {
            "This browser's sync identity was in use by another account; reconnecting under a new one, with your unsent edits…"
        }
        (Lang::De, ClientIdTaken) => {
            "Die Sync-Kennung dieses Browsers wurde von einem anderen Konto benutzt; Verbindung mit einer neuen Kennung und Ihren nicht gesendeten Änderungen…"
        }
        (Lang::En, SeqOutOfWindow) => {
            "The server refused this browser's unsent edits as out of order; reconnecting…"
        }
        (Lang::De, SeqOutOfWindow) => {
            "Der Server hat die nicht gesendeten Änderungen dieses Browsers als ungeordnet abgelehnt; Verbindung wird wiederhergestellt…"
        }
        (Lang::En, StorageFull) => {
            "The server's disk is full, so it cannot save edits right now. Yours stay in this browser and are sent as soon as there is room."
        }
        (Lang::De, StorageFull) => {
            "Der Datenträger des Servers ist voll, er kann gerade keine Änderungen speichern. Ihre bleiben in diesem Browser und werden gesendet, sobald wieder Platz ist."
        }
        (Lang::En, StorageFailed) => {
            "The server could not write to its disk and saves no edits until it is restarted. Yours stay in this browser; please tell the secretariat."
        }
        (Lang::De, StorageFailed) => {
            "Der Server konnte nicht auf seinen Datenträger schreiben und speichert bis zu einem Neustart keine Änderungen. Ihre bleiben in diesem Browser; bitte informieren Sie das Sekretariat."
        }
        (Lang::En, _) => "The server refused a message from this app; reconnecting…",
        (Lang::De, _) => {
            "Der Server hat eine Nachricht dieser App abgelehnt; Verbindung wird wiederhergestellt…"
        }
    }
}

/// Others are editing something right now.
pub fn editing_now(lang: Lang, names: &str) -> String {
    match lang {
        Lang::En => format!("{names} is editing this now."),
        Lang::De => format!("{names} bearbeitet das gerade."),
    }
}

/// Who else is connected.
pub fn online_now(lang: Lang, names: &str) -> String {
    match lang {
        Lang::En => format!("Also online: {names}"),
        Lang::De => format!("Ebenfalls online: {names}"),
    }
}

/// Someone else replaced a value of ours.
pub fn overwrite_message(lang: Lang, field: &str, yours: &str, theirs: &str, by: &str) -> String {
    let field = field_name(lang, field);
    match lang {
        Lang::En => format!("{by} changed the {field} from your “{yours}” to “{theirs}”."),
        Lang::De => {
            format!("{by} hat das Feld „{field}“ von Ihrem Wert „{yours}“ zu „{theirs}“ geändert.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rejection_has_words_in_every_language() {
        let codes = [
            RejectionCode::EmptyField,
            RejectionCode::TooLong,
            RejectionCode::UnknownEntity,
            RejectionCode::DuplicateId,
            RejectionCode::InvalidTransition,
            RejectionCode::HorizonEndsBeforeStart,
            RejectionCode::NotPermitted,
            RejectionCode::InvalidValue,
            RejectionCode::EndsBeforeStart,
            RejectionCode::InUse,
            RejectionCode::AlreadyExists,
            RejectionCode::NotAMember,
            RejectionCode::BaselineImmutable,
        ];
        for lang in Lang::ALL {
            for code in codes {
                let text =
                    rejection_message(lang, &Rejection::new(code).with(Param::Field, "title"));
                assert!(text.len() > 10, "{lang:?} {code:?}: {text}");
            }
        }
        let de = rejection_message(
            Lang::De,
            &Rejection::new(RejectionCode::EmptyField).with(Param::Field, "title"),
        );
        assert_eq!(de, "Das Feld „Titel“ darf nicht leer sein.");
    }

    #[test]
    fn a_text_with_a_forbidden_character_says_which_kind_and_which_one() {
        let line = Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, "title")
            .with(Param::Expected, SINGLE_LINE)
            .with(Param::Character, "U+202E");
        assert_eq!(
            rejection_message(Lang::En, &line),
            "The title must be a single line: remove the line break, control or text-direction character (U+202E)."
        );
        assert_eq!(
            rejection_message(Lang::De, &line),
            "Das Feld „Titel“ muss eine einzelne Zeile sein: Entfernen Sie den Zeilenumbruch bzw. das Steuer- oder Textrichtungszeichen (U+202E)."
        );
        let text = Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, "description")
            .with(Param::Expected, PLAIN_TEXT)
            .with(Param::Character, "U+2066");
        assert_eq!(
            rejection_message(Lang::En, &text),
            "The description holds an invisible control or text-direction character (U+2066): remove it."
        );
        assert_eq!(
            rejection_message(Lang::De, &text),
            "Das Feld „Beschreibung“ enthält ein unsichtbares Steuer- oder Textrichtungszeichen (U+2066): Entfernen Sie es."
        );
        // Other forms keep the general wording.
        let other = Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, "title")
            .with(Param::Expected, "url");
        assert_eq!(
            rejection_message(Lang::En, &other),
            "The title is not in a valid form."
        );
    }

    #[test]
    fn every_account_error_has_its_own_words() {
        use crate::api::FailureCode;
        for lang in Lang::ALL {
            let fallback = server_failed(lang);
            for code in AccountErrorCode::ALL {
                let words = api_error_message(lang, FailureCode::Refused(code), Some(90));
                let general = matches!(
                    code,
                    AccountErrorCode::BadRequest | AccountErrorCode::Internal
                );
                assert_eq!(words == fallback, general, "{lang:?} {code:?}: {words}");
            }
            assert_ne!(
                api_error_message(lang, FailureCode::Network, None),
                fallback
            );
        }
        let refused =
            |lang, code, retry| api_error_message(lang, FailureCode::Refused(code), retry);
        assert!(
            refused(Lang::De, AccountErrorCode::TooManyAttempts, Some(90)).contains("2 Minuten")
        );
        assert!(
            refused(Lang::En, AccountErrorCode::TooManyAttempts, Some(30)).contains("30 seconds")
        );
        assert!(refused(Lang::En, AccountErrorCode::WeakPassword, None).contains("12 characters"));
    }

    #[test]
    fn every_page_name_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in nav::Nav::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
        }
        assert_ne!(
            t(Lang::En, nav::Nav::Regions),
            t(Lang::De, nav::Nav::Regions)
        );
    }

    #[test]
    fn language_tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
