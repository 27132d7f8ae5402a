//! The names of the app's pages, for the navigation and the page titles.

messages! {
    pub enum Nav {
        MainNavigation { en: "Main navigation", de: "Hauptnavigation" }
        Menu { en: "Menu", de: "Menü" }
        SkipToContent { en: "Skip to content", de: "Zum Inhalt springen" }
        Dashboard { en: "Overview", de: "Übersicht" }
        Programme { en: "Work programme", de: "Arbeitsprogramm" }
        Timeline { en: "Timeline", de: "Zeitleiste" }
        Network { en: "Stakeholder network", de: "Akteursnetzwerk" }
        Regions { en: "Regions and membership", de: "Regionen und Mitgliedschaft" }
        Conferences { en: "Conferences", de: "Konferenzen" }
        Meetings { en: "Meetings", de: "Sitzungen" }
        Developments { en: "Developments", de: "Entwicklungen" }
        Baselines { en: "Baselines", de: "Basislinien" }
        Reference { en: "Ten points and initiatives", de: "Zehn Punkte und Initiativen" }
        People { en: "People and roles", de: "Personen und Rollen" }
        Account { en: "My account", de: "Mein Konto" }
        NotFoundTitle { en: "Page not found", de: "Seite nicht gefunden" }
        NotFoundText {
            en: "There is no page at this address. Choose a page from the navigation.",
            de: "Unter dieser Adresse gibt es keine Seite. Wählen Sie eine Seite aus der Navigation.",
        }
        BackToOverview { en: "Go to the overview", de: "Zur Übersicht" }
    }
}
