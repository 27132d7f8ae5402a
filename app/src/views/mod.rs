//! The views, each named after what the person sees, one module per area of
//! the app. Helpers every view uses live here: the language, the sync
//! handle, the signed-in person, translated labels and the page title.

mod account;
mod baselines;
mod chrome;
mod conferences;
mod dashboard;
mod developments;
pub(crate) mod form;
mod meetings;
mod network;
mod people;
mod priority;
mod programme;
mod reference;
mod regions;
mod timeline;
pub(crate) mod toolkit;

pub use account::{AcceptInvitationView, AccountView, Session, SetUpView, SignInView, UserMenu};
pub use baselines::BaselinesView;
pub use chrome::{
    AppUpdate, ConnectionStatus, KeptEdits, LanguageSelect, MainNav, NotFound, Notices,
    StorageStatus,
};
pub use conferences::ConferencesView;
pub use dashboard::Dashboard;
pub use developments::DevelopmentsView;
pub use meetings::{MeetingDetail, MeetingsView};
pub use network::StakeholderNetwork;
pub use people::PeopleView;
pub use priority::PriorityDetail;
pub use programme::WorkProgramme;
pub use reference::ReferenceView;
pub use regions::RegionsView;
pub use timeline::Timeline;

use ara_shared::account::UserView;
use leptos::prelude::*;

use crate::i18n::{Lang, Text, t};
use crate::sync::SyncHandle;

/// The current language, provided by [`crate::App`].
pub(crate) fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// The sync handle, provided by [`crate::App`].
pub(crate) fn use_sync() -> SyncHandle {
    expect_context::<SyncHandle>()
}

/// The signed-in person (role, region), provided by [`crate::App`] to every
/// view behind the sign-in.
pub(crate) fn use_user() -> Signal<UserView> {
    expect_context::<Signal<UserView>>()
}

/// `msg` in the current language, as a signal: for labels and attributes.
pub(crate) fn tr<M: Text + Send + Sync + 'static>(msg: M) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || t(lang.get(), msg).to_owned())
}

/// Words made by a function of the language (with a number in them, say),
/// following the language.
pub(crate) fn tr_with(words: fn(Lang) -> String) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || words(lang.get()))
}

/// Sets the document title to `page · ARA Planner` while the view is shown,
/// following the language.
pub(crate) fn page_title<M: Text + Send + Sync + 'static>(page: M) {
    let lang = use_lang();
    Effect::new(move |_| {
        let lang = lang.get();
        document().set_title(&format!(
            "{} · {}",
            t(lang, page),
            t(lang, crate::i18n::Msg::AppName)
        ));
    });
}
