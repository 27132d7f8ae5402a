//! The app's pages: where each lives, what it is called, and who sees it in
//! the navigation. [`crate::App`] maps the paths to views; the navigation
//! and the browser tests read them from here.

use ara_shared::Role;

use crate::i18n::nav::Nav;

/// A page with its own address (deep-linkable; back and forward work).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Dashboard,
    Programme,
    Timeline,
    Network,
    Regions,
    Conferences,
    Meetings,
    Developments,
    Baselines,
    Reference,
    People,
    Account,
}

impl Page {
    /// In the order of the navigation.
    pub const ALL: [Page; 12] = [
        Page::Dashboard,
        Page::Programme,
        Page::Timeline,
        Page::Network,
        Page::Regions,
        Page::Conferences,
        Page::Meetings,
        Page::Developments,
        Page::Baselines,
        Page::Reference,
        Page::People,
        Page::Account,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Dashboard => "/",
            Page::Programme => "/programme",
            Page::Timeline => "/timeline",
            Page::Network => "/network",
            Page::Regions => "/regions",
            Page::Conferences => "/conferences",
            Page::Meetings => "/meetings",
            Page::Developments => "/developments",
            Page::Baselines => "/baselines",
            Page::Reference => "/reference",
            Page::People => "/people",
            Page::Account => "/account",
        }
    }

    pub fn name(self) -> Nav {
        match self {
            Page::Dashboard => Nav::Dashboard,
            Page::Programme => Nav::Programme,
            Page::Timeline => Nav::Timeline,
            Page::Network => Nav::Network,
            Page::Regions => Nav::Regions,
            Page::Conferences => Nav::Conferences,
            Page::Meetings => Nav::Meetings,
            Page::Developments => Nav::Developments,
            Page::Baselines => Nav::Baselines,
            Page::Reference => Nav::Reference,
            Page::People => Nav::People,
            Page::Account => Nav::Account,
        }
    }

    /// Whether a person with `role` finds the page in the navigation.
    pub fn listed_for(self, role: Role) -> bool {
        match self {
            Page::People => role == Role::Secretariat,
            _ => true,
        }
    }
}

/// The detail page of one priority.
pub fn priority_path(id: ara_shared::PriorityId) -> String {
    format!("/priorities/{id}")
}

/// The detail page of one meeting.
pub fn meeting_path(id: ara_shared::MeetingId) -> String {
    format!("/meetings/{id}")
}
