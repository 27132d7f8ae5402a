//! The demo data loaded into an empty store, built from public facts about
//! the Alliance (`data/ara_seed.json`, a copy kept in this crate): the ten
//! points, the Commission initiatives, member regions, conferences so far,
//! stakeholders. The priorities, meetings and links are an illustrative work
//! programme written for the demo. Everything is a list of ordinary
//! mutations, so the demo is valid by construction. Facts the seed marks as
//! unconfirmed stay marked as unconfirmed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::conference::Conference;
use crate::date::Date;
use crate::development::{Development, DevelopmentKind};
use crate::ids::{
    AgendaItemId, BaselineId, ClientId, ConferenceId, DevelopmentId, LinkId, MeetingId, PriorityId,
    RegionId, Seq, StakeholderId, UserId,
};
use crate::meeting::{AgendaItem, Meeting, MeetingKind};
use crate::mutation::{Actor, Envelope, Mutation, PriorityPatch, RegionPatch, Role};
use crate::priority::{Dimension, Horizon, PriorityStatus, Quarter, Term, TransitionGoal};
use crate::reference::{SEED, initiatives, ten_points};
use crate::sequencer::{Pushed, Sequencer};
use crate::stakeholder::{LinkTarget, Relation, Stakeholder, StakeholderKind, StakeholderLink};
use crate::state::State;

#[derive(Deserialize)]
struct Seed {
    regions: Vec<SeedRegion>,
    stakeholders: Vec<SeedStakeholder>,
}

#[derive(Deserialize)]
struct SeedRegion {
    name: String,
    country: String,
    nuts: String,
    #[serde(default)]
    role_note: String,
    #[serde(default)]
    unconfirmed: bool,
}

#[derive(Deserialize)]
struct SeedStakeholder {
    name: String,
    kind: String,
    country: String,
    website: Option<String>,
}

/// Stable ids from names, so the demo is the same on every start.
fn stable(kind: &str, name: &str) -> (u64, [u8; 10]) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in kind.bytes().chain([0]).chain(name.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let bytes = hash.to_be_bytes();
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&bytes);
    random[8] = bytes[0] ^ bytes[7];
    random[9] = bytes[3] ^ bytes[4];
    // 2022-11-17, the Leipzig Declaration: the demo's ids sort after it.
    (1_668_643_200_000 + (hash % 1_000_000), random)
}

fn date(s: &str) -> Date {
    s.parse().expect("demo dates are valid")
}

fn q(year: u16, q: u8) -> Quarter {
    Quarter::new(year, q).expect("demo quarters are valid")
}

/// One priority of the illustrative programme.
struct DemoPriority {
    title: &'static str,
    summary: &'static str,
    points: &'static [u8],
    initiatives: &'static [&'static str],
    dimensions: &'static [Dimension],
    goals: &'static [TransitionGoal],
    lead: &'static str,
    supporting: &'static [&'static str],
    term: Term,
    span: (Quarter, Quarter),
    status: &'static [PriorityStatus],
}

fn programme() -> Vec<DemoPriority> {
    use Dimension::*;
    use PriorityStatus::*;
    use TransitionGoal::*;
    let short = (q(2025, 1), q(2026, 4));
    let medium = (q(2025, 3), q(2028, 4));
    vec![
        DemoPriority {
            title: "EU just-transition instrument for automotive regions",
            summary: "Make the case for a dedicated, earmarked EU support instrument for regions whose jobs depend on car and supplier plants.",
            points: &[1, 4],
            initiatives: &["JTF", "EGF_EXT"],
            dimensions: &[Economic, Social],
            goals: &[Employment],
            lead: "DED",
            supporting: &["ES22", "ITC4"],
            term: Term::Medium,
            span: medium,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Region-by-region impact assessment",
            summary: "Map how the shift to zero-emission vehicles changes growth and jobs in each member region, as the evidence base for all other priorities.",
            points: &[2],
            initiatives: &["TRANSITION_PATHWAY_MOBILITY"],
            dimensions: &[Economic],
            goals: &[Employment, Competitiveness],
            lead: "DE1",
            supporting: &["AT22", "FRK"],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Reskilling pact for supplier workforces",
            summary: "Join up regional training offers with the Pact for Skills and the Automotive Skills Alliance so that supplier staff can move into new technologies.",
            points: &[3],
            initiatives: &["PACT4SKILLS", "ASA"],
            dimensions: &[Social],
            goals: &[Skills, Employment],
            lead: "ES22",
            supporting: &["ITC1", "SK021"],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Supplier SMEs through the transformation",
            summary: "Help small and medium suppliers find new products and customers, with access to finance and advice on diversification.",
            points: &[4],
            initiatives: &["GDIP", "TCTF"],
            dimensions: &[Economic],
            goals: &[Competitiveness, Employment],
            lead: "ITC4",
            supporting: &["FRF"],
            term: Term::Medium,
            span: medium,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Battery value chain in the regions",
            summary: "Attract cell and pack production and recycling to automotive regions, in line with the Battery Regulation.",
            points: &[5],
            initiatives: &["BATTERY_REG", "NZIA"],
            dimensions: &[Technical, Environmental],
            goals: &[Competitiveness],
            lead: "DE9",
            supporting: &["ES51"],
            term: Term::Medium,
            span: medium,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Critical raw materials for e-mobility",
            summary: "Secure supply of raw materials for batteries and motors through regional partnerships and recycling.",
            points: &[5],
            initiatives: &["CRMA"],
            dimensions: &[Economic, Environmental],
            goals: &[Competitiveness],
            lead: "AT22",
            supporting: &[],
            term: Term::Medium,
            span: medium,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Semiconductors for vehicles",
            summary: "Link regional chip design and packaging capacity to the needs of car makers and suppliers.",
            points: &[5],
            initiatives: &["CHIPS_ACT"],
            dimensions: &[Technical],
            goals: &[Competitiveness],
            lead: "DED",
            supporting: &["DE2"],
            term: Term::Medium,
            span: medium,
            status: &[],
        },
        DemoPriority {
            title: "Public charging infrastructure in every region",
            summary: "Close the gaps in charging networks, including rural areas and freight corridors, as AFIR requires.",
            points: &[7],
            initiatives: &["AFIR"],
            dimensions: &[Technical, Environmental],
            goals: &[Competitiveness],
            lead: "NL42",
            supporting: &["FRK", "ES24"],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Technology openness for CO2 targets",
            summary: "Bring the regions' view into the review of CO2 standards for cars, including the role of renewable fuels.",
            points: &[8],
            initiatives: &["CO2_CARS", "CO2_CARS_FLEX_2025"],
            dimensions: &[Environmental, Technical],
            goals: &[Competitiveness],
            lead: "ITC1",
            supporting: &["ITF1"],
            term: Term::Short,
            span: short,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Flexible state-aid rules for transformation projects",
            summary: "Ask for state-aid frameworks that let regions support investment in new plants and retooling.",
            points: &[6],
            initiatives: &["TCTF", "GDIP"],
            dimensions: &[Economic],
            goals: &[Competitiveness],
            lead: "ES21",
            supporting: &[],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress, Done],
        },
        DemoPriority {
            title: "Multi-level governance with the Commission",
            summary: "Give regions a seat in the Strategic Dialogue on the automotive industry and its follow-up.",
            points: &[9],
            initiatives: &["STRAT_DIALOGUE", "AUTO_IAP"],
            dimensions: &[Economic, Social],
            goals: &[Employment],
            lead: "DED",
            supporting: &["ITC4", "DE2"],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Regional research and innovation hubs",
            summary: "Connect universities, research centres and clusters around software-defined vehicles and new drivetrains.",
            points: &[5, 3],
            initiatives: &["NZIA"],
            dimensions: &[Technical],
            goals: &[Skills, Competitiveness],
            lead: "DE2",
            supporting: &["FRK"],
            term: Term::Medium,
            span: medium,
            status: &[],
        },
        DemoPriority {
            title: "Vocational training curricula for electrified drivetrains",
            summary: "Update VET curricula with the Automotive Skills Alliance's occupational profiles.",
            points: &[3],
            initiatives: &["ASA", "PACT4SKILLS"],
            dimensions: &[Social, Technical],
            goals: &[Skills],
            lead: "SK021",
            supporting: &["ITF1"],
            term: Term::Short,
            span: short,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Corporate fleets as lead market",
            summary: "Use corporate and public fleets to build demand for zero-emission vehicles made in Europe.",
            points: &[8],
            initiatives: &["CORP_FLEETS"],
            dimensions: &[Economic, Environmental],
            goals: &[Competitiveness],
            lead: "FRF",
            supporting: &[],
            term: Term::Short,
            span: short,
            status: &[],
        },
        DemoPriority {
            title: "Euro 7 implementation support",
            summary: "Help suppliers adapt to the Euro 7 emission rules without losing competitiveness.",
            points: &[8],
            initiatives: &["EURO7"],
            dimensions: &[Environmental, Technical],
            goals: &[Competitiveness],
            lead: "ITF1",
            supporting: &[],
            term: Term::Short,
            span: short,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Social dialogue in plant restructuring",
            summary: "Involve social partners early when plants change product or close, and share good practice between regions.",
            points: &[1, 3],
            initiatives: &["EGF_EXT"],
            dimensions: &[Social],
            goals: &[Employment],
            lead: "FRK",
            supporting: &["DE9"],
            term: Term::Short,
            span: short,
            status: &[],
        },
        DemoPriority {
            title: "Green Deal contribution of automotive regions",
            summary: "Show how the regions' transformation contributes to climate neutrality by 2050.",
            points: &[10],
            initiatives: &["EGD", "FF55"],
            dimensions: &[Environmental],
            goals: &[Competitiveness],
            lead: "NL42",
            supporting: &[],
            term: Term::Medium,
            span: medium,
            status: &[],
        },
        DemoPriority {
            title: "Hydrogen for heavy-duty transport",
            summary: "Coordinate regional hydrogen projects for trucks and buses along freight corridors.",
            points: &[7, 5],
            initiatives: &["AFIR", "NZIA"],
            dimensions: &[Technical, Environmental],
            goals: &[Competitiveness],
            lead: "ES24",
            supporting: &["ES21"],
            term: Term::Medium,
            span: medium,
            status: &[],
        },
        DemoPriority {
            title: "Access to EU funding for regional projects",
            summary: "A shared guide and help desk on cohesion, research and transition funds for automotive projects.",
            points: &[1, 6],
            initiatives: &["JTF"],
            dimensions: &[Economic],
            goals: &[Employment, Competitiveness],
            lead: "ES51",
            supporting: &["ITC1"],
            term: Term::Short,
            span: short,
            status: &[Adopted, InProgress],
        },
        DemoPriority {
            title: "Circular economy in vehicle production",
            summary: "Remanufacturing and recycling of components as a new business for suppliers.",
            points: &[5],
            initiatives: &["CID", "BATTERY_REG"],
            dimensions: &[Environmental, Economic],
            goals: &[Competitiveness, Employment],
            lead: "AT22",
            supporting: &[],
            term: Term::Medium,
            span: medium,
            status: &[],
        },
        DemoPriority {
            title: "Monitoring employment in the supplier industry",
            summary: "A common set of indicators to follow jobs and skills needs across member regions every year.",
            points: &[2],
            initiatives: &[],
            dimensions: &[Social, Economic],
            goals: &[Employment, Skills],
            lead: "DE9",
            supporting: &["SK021"],
            term: Term::Short,
            span: short,
            status: &[Adopted],
        },
        DemoPriority {
            title: "Cross-border supplier networks",
            summary: "Match suppliers across regions for joint bids and technology transfer.",
            points: &[4, 9],
            initiatives: &["AUTO_IAP"],
            dimensions: &[Economic],
            goals: &[Competitiveness],
            lead: "ITC4",
            supporting: &["DED", "ES22"],
            term: Term::Short,
            span: short,
            status: &[Dropped],
        },
    ]
}

/// Who the demo's entries are by: the secretariat, as the server loads it.
pub fn demo_actor() -> Actor {
    Actor {
        user: UserId::from_parts(0, [0; 10]),
        name: "ARA secretariat (demo data)".into(),
        role: Role::Secretariat,
        region: None,
    }
}

/// The demo as one client's pushes, seq 1, 2, …: the server loads it
/// through the same path as anyone's edits.
pub fn demo_envelopes(now_ms: i64) -> Vec<Envelope> {
    let client_id = ClientId::from_parts(0, [0; 10]);
    demo_mutations(now_ms)
        .into_iter()
        .zip(1..)
        .map(|(mutation, seq)| Envelope {
            client_id,
            seq: Seq(seq),
            mutation,
        })
        .collect()
}

/// The state the server holds after loading the demo (at time 0), for
/// tests that need its ids. Panics if the bundled demo no longer applies,
/// which `demo_mutations_all_apply` rules out.
pub fn demo_state() -> State {
    let mut core = Sequencer::new();
    let actor = demo_actor();
    for envelope in demo_envelopes(0) {
        match core.push(&actor, envelope, 0) {
            Pushed::Applied { .. } => {}
            refused => panic!("the bundled demo no longer applies: {refused:?}"),
        }
    }
    core.state().clone()
}

/// The mutations that build the demo, in order, all valid for a secretariat actor.
pub fn demo_mutations(_now_ms: i64) -> Vec<Mutation> {
    let seed: Seed = serde_json::from_str(SEED).expect("the bundled seed is valid JSON");
    let mut out = Vec::new();

    for point in ten_points() {
        out.push(Mutation::SetTenPoint { point });
    }
    for initiative in initiatives() {
        out.push(Mutation::SetInitiative { initiative });
    }

    // Regions: the demo's members, plus one applicant the seed cannot confirm.
    const MEMBERS: [&str; 16] = [
        "DED", "DE1", "DE2", "DE9", "AT22", "FRK", "FRF", "ITC4", "ITC1", "ES22", "ES51", "ES21",
        "NL42", "SK021", "ITF1", "ES24",
    ];
    let mut regions: BTreeMap<&str, RegionId> = BTreeMap::new();
    for r in &seed.regions {
        let member = MEMBERS.contains(&r.nuts.as_str());
        if !member && !r.unconfirmed {
            continue;
        }
        let (ms, bytes) = stable("region", &r.nuts);
        let id = RegionId::from_parts(ms, bytes);
        out.push(Mutation::ApplyForMembership {
            id,
            name: r.name.clone(),
            country: r.country.clone(),
            nuts: r.nuts.clone(),
            contact: String::new(),
        });
        if r.unconfirmed {
            out.push(Mutation::UpdateRegion {
                id,
                patch: RegionPatch {
                    unconfirmed: Some(true),
                    ..RegionPatch::default()
                },
            });
        }
        if member {
            // Only the founding date and Aragón's are known; others stay open.
            let joined = if r.role_note.contains("Founding") {
                date("2022-06-30")
            } else if r.role_note.starts_with("Joined at the Pamplona conference") {
                date("2023-11-09")
            } else {
                date("2022-11-17")
            };
            out.push(Mutation::AdmitRegion { id, joined });
        }
        regions.insert(
            MEMBERS
                .iter()
                .find(|n| **n == r.nuts)
                .copied()
                .unwrap_or("applicant"),
            id,
        );
    }
    let region = |nuts: &str| {
        regions
            .get(nuts)
            .copied()
            .expect("demo regions are in the seed")
    };

    let mut priorities = Vec::new();
    for p in programme() {
        let (ms, bytes) = stable("priority", p.title);
        let id = PriorityId::from_parts(ms, bytes);
        priorities.push(id);
        out.push(Mutation::CreatePriority {
            id,
            title: p.title.into(),
            horizon: Horizon {
                term: p.term,
                start: p.span.0,
                end: p.span.1,
            },
        });
        out.push(Mutation::UpdatePriority {
            id,
            patch: PriorityPatch {
                summary: Some(p.summary.into()),
                ten_points: Some(p.points.iter().copied().collect()),
                initiatives: Some(p.initiatives.iter().map(|c| (*c).to_owned()).collect()),
                dimensions: Some(p.dimensions.iter().copied().collect()),
                goals: Some(p.goals.iter().copied().collect()),
                lead_region: Some(Some(region(p.lead))),
                supporting_regions: Some(p.supporting.iter().map(|n| region(n)).collect()),
                ..PriorityPatch::default()
            },
        });
        for status in p.status {
            out.push(Mutation::SetPriorityStatus {
                id,
                status: *status,
            });
        }
        for nuts in p.supporting.iter().take(1) {
            out.push(Mutation::EndorsePriority {
                id,
                region: region(nuts),
                endorse: true,
            });
        }
    }

    let conferences = [
        (
            2022,
            "DED",
            "Leipzig",
            "2022-11-17",
            "2022-11-17",
            "Leipzig Declaration: a just and fair transition",
            false,
        ),
        (
            2023,
            "ES22",
            "Pamplona",
            "2023-11-09",
            "2023-11-09",
            "Declaration of Navarre: skills and social dialogue",
            false,
        ),
        (
            2024,
            "ITC4",
            "Monza",
            "2024-11-29",
            "2024-11-29",
            "Technology openness and competitiveness",
            false,
        ),
        (
            2025,
            "DE2",
            "Munich",
            "2025-09-09",
            "2025-09-10",
            "The automotive regions in the industrial action plan",
            // The seed has "around 9–10 September": the exact days are not confirmed.
            true,
        ),
    ];
    for (i, (year, host, city, start, end, theme, unconfirmed)) in
        conferences.into_iter().enumerate()
    {
        let (ms, bytes) = stable("conference", city);
        let id = ConferenceId::from_parts(ms, bytes);
        out.push(Mutation::CreateConference {
            conference: Conference {
                id,
                year,
                host: region(host),
                city: city.into(),
                start: date(start),
                end: date(end),
                theme: String::new(),
                theme_priorities: BTreeSet::new(),
                unconfirmed,
            },
        });
        out.push(Mutation::SetConferenceTheme {
            id,
            theme: theme.into(),
            priorities: priorities.iter().skip(i * 2).take(2).copied().collect(),
        });
    }

    let mut stakeholders = Vec::new();
    for s in seed.stakeholders {
        let kind = StakeholderKind::ALL
            .into_iter()
            .find(|k| k.key() == s.kind)
            .unwrap_or(StakeholderKind::Other);
        let country = s.country.split('/').next().unwrap_or("EU").to_owned();
        let (ms, bytes) = stable("stakeholder", &s.name);
        let id = StakeholderId::from_parts(ms, bytes);
        stakeholders.push((id, kind));
        out.push(Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                id,
                name: s.name.chars().take(200).collect(),
                kind,
                country,
                website: s.website.unwrap_or_default(),
            },
        });
    }
    let member_ids: Vec<RegionId> = MEMBERS.iter().map(|n| region(n)).collect();
    for (i, (stakeholder, kind)) in stakeholders.iter().enumerate() {
        let relation = match kind {
            StakeholderKind::EuInstitution | StakeholderKind::PoliticalActor => Relation::Partner,
            StakeholderKind::SkillsAlliance | StakeholderKind::Science => Relation::Advisor,
            StakeholderKind::MemberState => Relation::Funder,
            _ => Relation::Contributor,
        };
        let targets = [
            LinkTarget::Priority(priorities[i % priorities.len()]),
            LinkTarget::Region(member_ids[i % member_ids.len()]),
        ];
        for (j, target) in targets.into_iter().enumerate() {
            let (ms, bytes) = stable("link", &format!("{i}-{j}"));
            out.push(Mutation::LinkStakeholder {
                link: StakeholderLink {
                    id: LinkId::from_parts(ms, bytes),
                    stakeholder: *stakeholder,
                    target,
                    relation,
                },
            });
        }
    }

    let meetings = [
        (
            MeetingKind::VideoConference,
            "Technical working group: impact assessment",
            "2026-01-20",
            10,
            12,
            "",
            "https://video.example.eu/ara-wg",
        ),
        (
            MeetingKind::WorkingLevel,
            "Working-level meeting of the secretariat",
            "2026-02-10",
            14,
            17,
            "Brussels, CoR, Rue Belliard 101",
            "",
        ),
        (
            MeetingKind::InterregionalGroup,
            "Interregional group on the future of the automotive industry",
            "2026-03-05",
            9,
            11,
            "Brussels, CoR",
            "",
        ),
    ];
    for (i, (kind, title, day, from, to, place, video)) in meetings.into_iter().enumerate() {
        let (ms, bytes) = stable("meeting", title);
        let day_ms = date(day).days_since_epoch() * 86_400_000;
        // Times are given in Brussels winter time (UTC+1).
        let start_ms = day_ms + (from - 1) * 3_600_000;
        let end_ms = day_ms + (to - 1) * 3_600_000;
        let agenda = priorities
            .iter()
            .skip(i * 3)
            .take(3)
            .enumerate()
            .map(|(k, p)| {
                let (ms, bytes) = stable("agenda", &format!("{title}-{k}"));
                AgendaItem {
                    id: AgendaItemId::from_parts(ms, bytes),
                    title: format!("Progress report {}", k + 1),
                    priority: Some(*p),
                }
            })
            .collect();
        out.push(Mutation::CreateMeeting {
            meeting: Meeting {
                id: MeetingId::from_parts(ms, bytes),
                kind,
                title: title.into(),
                start_ms,
                end_ms,
                time_zone: "Europe/Brussels".into(),
                place: place.into(),
                video_link: video.into(),
                participants: member_ids.iter().skip(i * 4).take(5).copied().collect(),
                agenda,
                minutes: String::new(),
                actions: Vec::new(),
            },
        });
    }

    let (ms, bytes) = stable("development", "strategic-dialogue");
    out.push(Mutation::SetDevelopment {
        development: Development {
            id: DevelopmentId::from_parts(ms, bytes),
            kind: DevelopmentKind::Political,
            title: "Commission presents an industrial action plan for the automotive sector".into(),
            date: date("2025-03-05"),
            source: String::new(),
            summary: "The plan follows the Strategic Dialogue; the programme's governance and funding priorities react to it.".into(),
            priorities: priorities.iter().take(2).chain(priorities.get(10)).copied().collect(),
        },
    });
    let (ms, bytes) = stable("baseline", "2025");
    out.push(Mutation::AdoptBaseline {
        id: BaselineId::from_parts(ms, bytes),
        name: "Work programme 2025–2026".into(),
        adopted_on: date("2025-09-10"),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_mutations_all_apply() {
        let mut core = Sequencer::new();
        let actor = demo_actor();
        for (i, envelope) in demo_envelopes(0).into_iter().enumerate() {
            let kind = envelope.mutation.kind();
            if let refused @ (Pushed::Rejected { .. }
            | Pushed::Refused(_)
            | Pushed::Duplicate { .. }) = core.push(&actor, envelope, 0)
            {
                panic!("demo mutation {i} ({kind}) refused: {refused:?}");
            }
        }
        let state = core.state();
        assert_eq!(state, &demo_state(), "demo_state is this state");
        assert_eq!(state.ten_points.len(), 10);
        assert!(
            state.ten_points[&10].unconfirmed,
            "point 10 stays marked unconfirmed"
        );
        assert!(state.regions.len() >= 15);
        assert!(state.priorities.len() >= 20);
        assert_eq!(state.conferences.len(), 4);
        assert!(state.stakeholders.len() >= 20);
        assert!(state.links.len() >= 40);
        assert_eq!(state.meetings.len(), 3);
        assert!(
            state.regions.values().all(|r| !r.nuts_confirmed),
            "NUTS codes are not from a source"
        );
        assert_eq!(state.chair_rotation().len(), 4);
        let unconfirmed: Vec<&str> = state
            .regions
            .values()
            .filter(|r| r.unconfirmed)
            .map(|r| r.nuts.as_str())
            .collect();
        assert_eq!(unconfirmed, ["ITI4"], "Lazio's membership is unconfirmed");
        let munich = state
            .conferences
            .values()
            .find(|c| c.year == 2025)
            .expect("Munich 2025");
        assert!(munich.unconfirmed, "its exact days are not confirmed");
        assert_eq!(
            state.conferences.values().filter(|c| c.unconfirmed).count(),
            1
        );
        assert_eq!(state.baselines.len(), 1);
    }
}
