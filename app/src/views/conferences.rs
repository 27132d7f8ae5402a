//! The page skeleton of this area, replaced by its real view as the area is built.

use leptos::prelude::*;

use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::views::{page_title, use_lang};

#[component]
pub fn ConferencesView() -> impl IntoView {
    let lang = use_lang();
    page_title(Nav::Conferences);
    view! { <section class="page"><h1>{move || t(lang.get(), Nav::Conferences)}</h1></section> }
}
