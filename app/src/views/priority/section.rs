//! One part of the priority that is read as text and edited in its own
//! form: an "Edit" button opens it (focus to the first field), Save
//! proposes only what changed, Cancel or Escape closes it, and focus goes
//! back to the "Edit" button.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::t;
use crate::views::{use_lang, use_sync};

use super::use_page;
use crate::views::toolkit::focus_by_id;

/// Focuses the first field of `form` once it is drawn.
pub(super) fn focus_first_field(form: NodeRef<html::Form>) {
    request_animation_frame(move || {
        let Some(form) = form.get_untracked() else {
            return;
        };
        if let Ok(Some(field)) = form.query_selector("input, select, textarea")
            && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = field.focus();
        }
    });
}

/// A note in an open form: someone else is editing this priority too.
#[component]
pub(super) fn OthersEditingNote() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let id = use_page().id;
    let editors = Memo::new(move |_| {
        let mut names = sync.editors_of(id);
        names.sort();
        names.dedup();
        names
    });
    view! {
        <Show when=move || !editors.with(Vec::is_empty)>
            <p class="presence-note form-presence">
                <span aria-hidden="true">"✎ "</span>
                {move || words::editing_now(lang.get(), &editors.get())}
            </p>
        </Show>
    }
}

#[component]
pub(super) fn EditableSection(
    /// Stable name: DOM ids `section-{key}…`, and the form's presence key.
    key: &'static str,
    heading: PriorityMsg,
    /// Whether the person may edit what this section shows.
    #[prop(into)]
    can_edit: Signal<bool>,
    /// Copies the current values into the form's drafts.
    on_open: Callback<()>,
    /// Proposes what changed; false keeps the form open (the person has
    /// been told why).
    on_save: Callback<(), bool>,
    /// The section as read.
    #[prop(into)]
    display: ViewFn,
    /// The fields of the form.
    #[prop(into)]
    form: ViewFn,
) -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let editing = RwSignal::new(false);
    let form_ref: NodeRef<html::Form> = NodeRef::new();
    let heading_id = format!("section-{key}-heading");
    let labelled_by = heading_id.clone();
    let heading_text = move || t(lang.get(), heading);

    // Back to the Edit button; if the edit took the person's right to edit
    // away (a region editor who took their region out), to the heading.
    let close = move || {
        editing.set(false);
        page.form_closed(key);
        request_animation_frame(move || {
            let target = if document()
                .get_element_by_id(&format!("section-{key}-edit"))
                .is_some()
            {
                format!("section-{key}-edit")
            } else {
                format!("section-{key}-heading")
            };
            focus_by_id(target);
        });
    };
    let open = move |_| {
        on_open.run(());
        editing.set(true);
        page.form_opened(key);
        focus_first_field(form_ref);
    };
    on_cleanup(move || page.form_closed(key));

    let body = move || {
        if editing.get() {
            view! {
                <form
                    class="section-form"
                    id=format!("section-{key}-form")
                    node_ref=form_ref
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if on_save.run(()) {
                            close();
                        }
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            close();
                        }
                    }
                >
                    <OthersEditingNote/>
                    {untrack(|| form.run())}
                    <div class="form-actions">
                        <button type="submit" class="save">
                            {move || t(lang.get(), PriorityMsg::Save)}
                        </button>
                        <button type="button" class="cancel" on:click=move |_| close()>
                            {move || t(lang.get(), PriorityMsg::Cancel)}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            untrack(|| display.run())
        }
    };

    view! {
        <section class="detail-section card" id=format!("section-{key}") aria-labelledby=labelled_by>
            <div class="section-head">
                <h2 id=heading_id tabindex="-1">{heading_text}</h2>
                <Show when=move || can_edit.get()>
                    <button
                        type="button"
                        class="edit-section"
                        id=format!("section-{key}-edit")
                        hidden=move || editing.get()
                        aria-label=move || words::edit_section(lang.get(), heading_text())
                        on:click=open
                    >
                        {move || t(lang.get(), PriorityMsg::Edit)}
                    </button>
                </Show>
            </div>
            {body}
        </section>
    }
}
