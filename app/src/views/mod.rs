//! The views, each named after what the person sees.

mod account;
mod chrome;
mod programme;

pub use account::{AcceptInvitationView, Session, SetUpView, SignInView, UserMenu};
pub use chrome::{ConnectionStatus, LanguageSelect, Notices};
pub use programme::WorkProgramme;

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::sync::SyncHandle;

/// The current language, provided by [`crate::App`].
pub(crate) fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// The sync handle, provided by [`crate::App`].
pub(crate) fn use_sync() -> SyncHandle {
    expect_context::<SyncHandle>()
}
