//! Words of the installable, offline app: the update offer, what stored
//! data means for unsent edits, and the edits kept for a signed-out person.

use super::Lang;

messages! {
    pub enum PwaMsg {
        UpdateReady {
            en: "A new version of ARA Planner is ready.",
            de: "Eine neue Version von ARA Planner ist bereit.",
        }
        UpdateRequired {
            en: "The server runs a newer version of ARA Planner, so this page can no longer sync. Your edits are kept on this device.",
            de: "Der Server verwendet eine neuere Version von ARA Planner, daher kann diese Seite nicht mehr synchronisieren. Ihre Änderungen bleiben auf diesem Gerät erhalten.",
        }
        ReloadToUpdate {
            en: "Reload to update",
            de: "Neu laden und aktualisieren",
        }
        StorageUnavailable {
            en: "This browser does not let ARA Planner store data on this device: the app cannot start without a connection, and edits not yet sent are lost when this tab closes.",
            de: "Dieser Browser erlaubt ARA Planner nicht, Daten auf diesem Gerät zu speichern: Ohne Verbindung startet die App nicht, und noch nicht gesendete Änderungen gehen verloren, wenn dieser Tab geschlossen wird.",
        }
        StorageFull {
            en: "The storage for ARA Planner on this device is full: edits not yet sent are kept only while this tab stays open. Free space in the browser's settings, or reconnect to send them.",
            de: "Der Speicher für ARA Planner auf diesem Gerät ist voll: Noch nicht gesendete Änderungen bleiben nur erhalten, solange dieser Tab geöffnet ist. Geben Sie in den Browser-Einstellungen Speicher frei oder stellen Sie die Verbindung her, um sie zu senden.",
        }
        StorageUnreadable {
            en: "Data that another version of ARA Planner stored on this device could not be read. It is kept aside unchanged; the app continues with the data from the server.",
            de: "Daten, die eine andere Version von ARA Planner auf diesem Gerät gespeichert hat, konnten nicht gelesen werden. Sie bleiben unverändert beiseitegelegt; die App arbeitet mit den Daten des Servers weiter.",
        }
    }
}

/// Unsent edits are stored, but the browser did not promise to keep them.
pub fn unsent_not_guaranteed(lang: Lang, count: usize) -> String {
    match (lang, count) {
        (Lang::En, 1) => "1 edit not yet sent is stored on this device only; the browser may clear it when space runs short. Reconnect to send it.".into(),
        (Lang::En, n) => format!("{n} edits not yet sent are stored on this device only; the browser may clear them when space runs short. Reconnect to send them."),
        (Lang::De, 1) => "1 noch nicht gesendete Änderung ist nur auf diesem Gerät gespeichert; der Browser kann sie löschen, wenn der Platz knapp wird. Stellen Sie die Verbindung her, um sie zu senden.".into(),
        (Lang::De, n) => format!("{n} noch nicht gesendete Änderungen sind nur auf diesem Gerät gespeichert; der Browser kann sie löschen, wenn der Platz knapp wird. Stellen Sie die Verbindung her, um sie zu senden."),
    }
}

/// Edits of a person whose session ended, kept for them.
pub fn kept_edits(lang: Lang, count: usize, name: &str) -> String {
    match (lang, count) {
        (Lang::En, 1) => format!(
            "1 edit made as {name} has not been sent yet. It is kept on this device and sent once {name} signs in again."
        ),
        (Lang::En, n) => format!(
            "{n} edits made as {name} have not been sent yet. They are kept on this device and sent once {name} signs in again."
        ),
        (Lang::De, 1) => format!(
            "1 Änderung von {name} wurde noch nicht gesendet. Sie bleibt auf diesem Gerät gespeichert und wird gesendet, sobald {name} sich wieder anmeldet."
        ),
        (Lang::De, n) => format!(
            "{n} Änderungen von {name} wurden noch nicht gesendet. Sie bleiben auf diesem Gerät gespeichert und werden gesendet, sobald {name} sich wieder anmeldet."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    #[test]
    fn every_pwa_text_has_words_in_every_language() {
        for lang in Lang::ALL {
            for msg in PwaMsg::ALL {
                assert!(!t(lang, *msg).trim().is_empty(), "{lang:?} {msg:?}");
            }
            for n in [1, 3] {
                assert!(unsent_not_guaranteed(lang, n).contains(&n.to_string()));
                assert!(kept_edits(lang, n, "Anna").contains("Anna"));
            }
        }
        assert_ne!(
            t(Lang::En, PwaMsg::ReloadToUpdate),
            t(Lang::De, PwaMsg::ReloadToUpdate)
        );
        assert!(kept_edits(Lang::De, 2, "Anna").starts_with("2 Änderungen"));
    }
}
