//! The page skeleton of this area, replaced by its real view as the area is built.

use leptos::prelude::*;

use crate::i18n::nav::Nav;
use crate::i18n::t;
use crate::views::{page_title, use_lang};

#[component]
pub fn PriorityDetail() -> impl IntoView {
    let lang = use_lang();
    page_title(Nav::Programme);
    view! { <section class="page"><h1>{move || t(lang.get(), Nav::Programme)}</h1></section> }
}
