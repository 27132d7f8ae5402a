//! The words for the model's own values — dimensions, goals, kinds,
//! relations, membership — and for the names of fields (in rejections,
//! overwrite notices and history). Every area of the app uses these.

use ara_shared::development::DevelopmentKind;
use ara_shared::meeting::MeetingKind;
use ara_shared::region::Membership;
use ara_shared::stakeholder::{Relation, StakeholderKind};
use ara_shared::{Dimension, TransitionGoal};

use super::Lang;

pub fn dimension_name(lang: Lang, d: Dimension) -> &'static str {
    use Dimension::*;
    match (lang, d) {
        (Lang::En, Environmental) => "Environmental",
        (Lang::En, Economic) => "Economic",
        (Lang::En, Technical) => "Technical",
        (Lang::En, Social) => "Social",
        (Lang::De, Environmental) => "Ökologisch",
        (Lang::De, Economic) => "Wirtschaftlich",
        (Lang::De, Technical) => "Technisch",
        (Lang::De, Social) => "Sozial",
    }
}

/// The transition goals of the declaration's point (a).
pub fn goal_name(lang: Lang, g: TransitionGoal) -> &'static str {
    use TransitionGoal::*;
    match (lang, g) {
        (Lang::En, Employment) => "Employment",
        (Lang::En, Skills) => "Skills",
        (Lang::En, Competitiveness) => "Competitiveness",
        (Lang::De, Employment) => "Beschäftigung",
        (Lang::De, Skills) => "Qualifikation",
        (Lang::De, Competitiveness) => "Wettbewerbsfähigkeit",
    }
}

pub fn stakeholder_kind_name(lang: Lang, k: StakeholderKind) -> &'static str {
    use StakeholderKind::*;
    match (lang, k) {
        (Lang::En, PoliticalActor) => "Political actor",
        (Lang::En, Industry) => "Automotive industry",
        (Lang::En, Supplier) => "Supplier",
        (Lang::En, SocialPartner) => "Social partner",
        (Lang::En, Science) => "Science",
        (Lang::En, EuInstitution) => "EU institution",
        (Lang::En, MemberState) => "Member state",
        (Lang::En, SkillsAlliance) => "Skills alliance",
        (Lang::En, Other) => "Other",
        (Lang::De, PoliticalActor) => "Politische Akteure",
        (Lang::De, Industry) => "Automobilindustrie",
        (Lang::De, Supplier) => "Zulieferer",
        (Lang::De, SocialPartner) => "Sozialpartner",
        (Lang::De, Science) => "Wissenschaft",
        (Lang::De, EuInstitution) => "EU-Institution",
        (Lang::De, MemberState) => "Mitgliedstaat",
        (Lang::De, SkillsAlliance) => "Kompetenzallianz",
        (Lang::De, Other) => "Sonstige",
    }
}

/// How a stakeholder relates to a region or a priority.
pub fn relation_name(lang: Lang, r: Relation) -> &'static str {
    use Relation::*;
    match (lang, r) {
        (Lang::En, Partner) => "Partner",
        (Lang::En, Member) => "Member",
        (Lang::En, Funder) => "Funder",
        (Lang::En, Advisor) => "Advisor",
        (Lang::En, Contributor) => "Contributor",
        (Lang::En, Observer) => "Observer",
        (Lang::De, Partner) => "Partner",
        (Lang::De, Member) => "Mitglied",
        (Lang::De, Funder) => "Förderer",
        (Lang::De, Advisor) => "Beratung",
        (Lang::De, Contributor) => "Mitwirkung",
        (Lang::De, Observer) => "Beobachtung",
    }
}

pub fn membership_name(lang: Lang, m: Membership) -> &'static str {
    use Membership::*;
    match (lang, m) {
        (Lang::En, Applicant) => "Applicant",
        (Lang::En, Member) => "Member",
        (Lang::En, Former) => "Former member",
        (Lang::En, Declined) => "Declined",
        (Lang::De, Applicant) => "Antrag gestellt",
        (Lang::De, Member) => "Mitglied",
        (Lang::De, Former) => "Ehemaliges Mitglied",
        (Lang::De, Declined) => "Abgelehnt",
    }
}

pub fn meeting_kind_name(lang: Lang, k: MeetingKind) -> &'static str {
    use MeetingKind::*;
    match (lang, k) {
        (Lang::En, WorkingLevel) => "Working-level meeting",
        (Lang::En, VideoConference) => "Video conference",
        (Lang::En, AnnualConference) => "Annual conference",
        (Lang::En, InterregionalGroup) => "Interregional group",
        (Lang::De, WorkingLevel) => "Sitzung auf Arbeitsebene",
        (Lang::De, VideoConference) => "Videokonferenz",
        (Lang::De, AnnualConference) => "Jahreskonferenz",
        (Lang::De, InterregionalGroup) => "Interregionale Gruppe",
    }
}

pub fn development_kind_name(lang: Lang, k: DevelopmentKind) -> &'static str {
    use DevelopmentKind::*;
    match (lang, k) {
        (Lang::En, Environmental) => "Environmental",
        (Lang::En, Economic) => "Economic",
        (Lang::En, Technical) => "Technical",
        (Lang::En, Political) => "Political",
        (Lang::De, Environmental) => "Ökologisch",
        (Lang::De, Economic) => "Wirtschaftlich",
        (Lang::De, Technical) => "Technisch",
        (Lang::De, Political) => "Politisch",
    }
}

/// The name of a field as the model (and a rejection's `field` parameter)
/// calls it, in words; an unknown field is shown with spaces for `_`.
pub fn field_name(lang: Lang, field: &str) -> String {
    let words = match (lang, field) {
        (Lang::En, "title") => "title",
        (Lang::De, "title") => "Titel",
        (Lang::En, "summary") => "summary",
        (Lang::De, "summary") => "Zusammenfassung",
        (Lang::En, "description") => "description",
        (Lang::De, "description") => "Beschreibung",
        (Lang::En, "status") => "status",
        (Lang::De, "status") => "Status",
        (Lang::En, "horizon") => "horizon",
        (Lang::De, "horizon") => "Zeithorizont",
        (Lang::En, "ten_points") => "ten points",
        (Lang::De, "ten_points") => "Zehn Punkte",
        (Lang::En, "initiatives") => "Commission initiatives",
        (Lang::De, "initiatives") => "Initiativen der Kommission",
        (Lang::En, "dimensions") => "dimensions",
        (Lang::De, "dimensions") => "Dimensionen",
        (Lang::En, "goals") => "transition goals",
        (Lang::De, "goals") => "Übergangsziele",
        (Lang::En, "lead_region") => "lead region",
        (Lang::De, "lead_region") => "federführende Region",
        (Lang::En, "supporting_regions") => "supporting regions",
        (Lang::De, "supporting_regions") => "unterstützende Regionen",
        (Lang::En, "open_to_all") => "open to all regions",
        (Lang::De, "open_to_all") => "für alle Regionen offen",
        (Lang::En, "endorsements") => "endorsements",
        (Lang::De, "endorsements") => "Unterstützungserklärungen",
        (Lang::En, "actions") => "actions and milestones",
        (Lang::De, "actions") => "Maßnahmen und Meilensteine",
        (Lang::En, "comments") => "comments",
        (Lang::De, "comments") => "Kommentare",
        (Lang::En, "comment" | "text") => "comment",
        (Lang::De, "comment" | "text") => "Kommentar",
        (Lang::En, "due") => "due date",
        (Lang::De, "due") => "Fälligkeitsdatum",
        (Lang::En, "owner") => "owner region",
        (Lang::De, "owner") => "verantwortliche Region",
        (Lang::En, "done") => "done",
        (Lang::De, "done") => "erledigt",
        (Lang::En, "order" | "programme_order") => "order of the programme",
        (Lang::De, "order" | "programme_order") => "Reihenfolge des Programms",
        (Lang::En, "name") => "name",
        (Lang::De, "name") => "Name",
        (Lang::En, "country") => "country",
        (Lang::De, "country") => "Land",
        (Lang::En, "nuts") => "NUTS code",
        (Lang::De, "nuts") => "NUTS-Code",
        (Lang::En, "nuts_confirmed") => "NUTS code confirmed",
        (Lang::De, "nuts_confirmed") => "NUTS-Code bestätigt",
        (Lang::En, "contact") => "contact",
        (Lang::De, "contact") => "Kontakt",
        (Lang::En, "membership") => "membership",
        (Lang::De, "membership") => "Mitgliedschaft",
        (Lang::En, "joined") => "joined on",
        (Lang::De, "joined") => "beigetreten am",
        (Lang::En, "year") => "year",
        (Lang::De, "year") => "Jahr",
        (Lang::En, "host") => "host region",
        (Lang::De, "host") => "Gastgeberregion",
        (Lang::En, "city") => "city",
        (Lang::De, "city") => "Stadt",
        (Lang::En, "start" | "start_ms") => "start",
        (Lang::De, "start" | "start_ms") => "Beginn",
        (Lang::En, "end" | "end_ms") => "end",
        (Lang::De, "end" | "end_ms") => "Ende",
        (Lang::En, "theme") => "theme",
        (Lang::De, "theme") => "Thema",
        (Lang::En, "theme_priorities") => "priorities of the theme",
        (Lang::De, "theme_priorities") => "Prioritäten des Themas",
        (Lang::En, "kind") => "kind",
        (Lang::De, "kind") => "Art",
        (Lang::En, "date") => "date",
        (Lang::De, "date") => "Datum",
        (Lang::En, "source") => "source",
        (Lang::De, "source") => "Quelle",
        (Lang::En, "priorities") => "priorities",
        (Lang::De, "priorities") => "Prioritäten",
        (Lang::En, "website") => "website",
        (Lang::De, "website") => "Website",
        (Lang::En, "relation") => "relation",
        (Lang::De, "relation") => "Beziehung",
        (Lang::En, "time_zone") => "time zone",
        (Lang::De, "time_zone") => "Zeitzone",
        (Lang::En, "place") => "place",
        (Lang::De, "place") => "Ort",
        (Lang::En, "video_link") => "video link",
        (Lang::De, "video_link") => "Videolink",
        (Lang::En, "participants") => "participants",
        (Lang::De, "participants") => "Teilnehmende",
        (Lang::En, "agenda") => "agenda",
        (Lang::De, "agenda") => "Tagesordnung",
        (Lang::En, "minutes") => "minutes",
        (Lang::De, "minutes") => "Protokoll",
        (Lang::En, "code") => "code",
        (Lang::De, "code") => "Kürzel",
        (Lang::En, "title_en") => "English title",
        (Lang::De, "title_en") => "englischer Titel",
        (Lang::En, "title_de") => "German title",
        (Lang::De, "title_de") => "deutscher Titel",
        (Lang::En, "summary_en") => "English summary",
        (Lang::De, "summary_en") => "englische Zusammenfassung",
        (Lang::En, "unconfirmed") => "unconfirmed",
        (Lang::De, "unconfirmed") => "unbestätigt",
        (Lang::En, "*") => "entry",
        (Lang::De, "*") => "Eintrag",
        (_, other) => return other.replace('_', " "),
    };
    words.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_words_in_every_language() {
        for lang in Lang::ALL {
            let names: Vec<&str> = Dimension::ALL
                .iter()
                .map(|d| dimension_name(lang, *d))
                .chain(TransitionGoal::ALL.iter().map(|g| goal_name(lang, *g)))
                .chain(
                    StakeholderKind::ALL
                        .iter()
                        .map(|k| stakeholder_kind_name(lang, *k)),
                )
                .chain(Relation::ALL.iter().map(|r| relation_name(lang, *r)))
                .chain(Membership::ALL.iter().map(|m| membership_name(lang, *m)))
                .chain(MeetingKind::ALL.iter().map(|k| meeting_kind_name(lang, *k)))
                .chain(
                    DevelopmentKind::ALL
                        .iter()
                        .map(|k| development_kind_name(lang, *k)),
                )
                .collect();
            assert!(names.iter().all(|n| !n.is_empty()), "{lang:?}");
        }
    }

    #[test]
    fn fields_are_named_in_the_language() {
        assert_eq!(field_name(Lang::De, "lead_region"), "federführende Region");
        assert_eq!(field_name(Lang::En, "start_ms"), "start");
        assert_eq!(field_name(Lang::En, "some_new_field"), "some new field");
    }
}
