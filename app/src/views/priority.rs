//! The detail page of one priority (`/priorities/:id`): every field, edited
//! one section at a time; its actions and milestones, endorsements and
//! comments; where else it is referred to; the history of every field with
//! a one-click restore; and who else is looking at or editing it.
//!
//! Every part reads the priority from [`PageContext`] (the replica's view,
//! so the person's own pending edits show at once) and changes it only with
//! the mutations of `ara-shared`; controls appear only where the rules
//! (`SyncHandle::allows`) let the person use them.

mod actions;
mod comments;
mod endorsements;
mod fields;
mod history;
mod references;
mod section;

use std::collections::BTreeSet;

use ara_shared::{Mutation, Priority, PriorityId, PriorityPatch};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::{Msg, status_name, t};
use crate::sync::SyncHandle;
use crate::views::toolkit::focus_by_id;
use crate::views::{use_lang, use_sync};

use self::history::{HistoryState, use_history};

/// What every part of the page shares.
#[derive(Clone, Copy)]
pub(super) struct PageContext {
    pub id: PriorityId,
    /// The priority as the person sees it (confirmed plus their pending edits).
    pub priority: Memo<Option<Priority>>,
    /// The forms open on this page, by key: while any is, the others see
    /// that this person is editing the priority.
    pub open_forms: RwSignal<BTreeSet<String>>,
    /// Kept here because event handlers run outside the component tree,
    /// where contexts cannot be looked up.
    pub sync: SyncHandle,
}

pub(super) fn use_page() -> PageContext {
    expect_context::<PageContext>()
}

impl PageContext {
    /// Whether the person may make an edit of the priority with these
    /// fields (reactive). An empty patch asks whether they may edit it at all.
    pub fn may_update(self, patch: PriorityPatch) -> Signal<bool> {
        let (sync, id) = (self.sync, self.id);
        Signal::derive(move || {
            sync.allows(&Mutation::UpdatePriority {
                id,
                patch: patch.clone(),
            })
        })
    }

    /// Proposes the changed fields; nothing changed is nothing to send.
    /// False when the rules refuse it (the person is told why).
    pub fn update(self, patch: PriorityPatch) -> bool {
        if patch == PriorityPatch::default() {
            return true;
        }
        self.sync
            .propose(Mutation::UpdatePriority { id: self.id, patch })
    }

    /// Reads the priority without tracking it (for filling in a form).
    pub fn read<T: Default>(self, f: impl FnOnce(&Priority) -> T) -> T {
        self.priority
            .with_untracked(|p| p.as_ref().map(f))
            .unwrap_or_default()
    }

    pub fn form_opened(self, key: &str) {
        self.open_forms.update(|o| {
            o.insert(key.to_owned());
        });
    }

    /// Safe after the page is gone (called from cleanups).
    pub fn form_closed(self, key: &str) {
        self.open_forms.try_update(|o| {
            o.remove(key);
        });
    }
}

/// `Some(new)` when the draft differs from what the form started with.
pub(super) fn changed<T: PartialEq>(base: &T, draft: T) -> Option<T> {
    (*base != draft).then_some(draft)
}

/// What the address shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Loading,
    Priority,
    /// It was here while the page was open, and someone deleted it.
    DeletedWhileOpen,
    Missing,
}

#[component]
pub fn PriorityDetail() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<PriorityId>().ok())));
    // Another priority at the same route is a new page.
    move || match id.get() {
        Some(id) => view! { <PriorityPage id=id/> }.into_any(),
        None => view! { <MissingPriority id=None deleted_while_open=false/> }.into_any(),
    }
}

#[component]
fn PriorityPage(id: PriorityId) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let priority = Memo::new(move |_| sync.replica.with(|r| r.view().priorities.get(&id).cloned()));
    let page = PageContext {
        id,
        priority,
        open_forms: RwSignal::new(BTreeSet::new()),
        sync,
    };
    provide_context(page);

    let seen = RwSignal::new(false);
    let shown = Memo::new(move |_| {
        if priority.with(Option::is_some) {
            Shown::Priority
        } else if seen.get() {
            Shown::DeletedWhileOpen
        } else if sync.loaded.get() {
            Shown::Missing
        } else {
            Shown::Loading
        }
    });
    Effect::new(move |_| {
        if shown.get() == Shown::Priority {
            seen.set(true);
        }
    });

    // Presence: looking at it while the page is open, editing it while a
    // form is open.
    Effect::new(move |_| {
        let editing = !page.open_forms.with(BTreeSet::is_empty);
        sync.set_focus(Some(id), editing.then_some(id));
    });
    on_cleanup(move || sync.set_focus(None, None));

    Effect::new(move |_| {
        let lang = lang.get();
        let title = priority
            .with(|p| p.as_ref().map(|p| p.title.clone()))
            .unwrap_or_else(|| t(lang, PriorityMsg::NotFoundTitle).to_owned());
        document().set_title(&format!("{title} · {}", t(lang, Msg::AppName)));
    });

    move || match shown.get() {
        Shown::Priority => view! { <PriorityContent/> }.into_any(),
        Shown::DeletedWhileOpen => {
            view! { <MissingPriority id=Some(id) deleted_while_open=true/> }.into_any()
        }
        Shown::Missing => {
            view! { <MissingPriority id=Some(id) deleted_while_open=false/> }.into_any()
        }
        Shown::Loading => view! {
            <p class="loading">{move || t(lang.get(), PriorityMsg::Loading)}</p>
        }
        .into_any(),
    }
}

/// The page of a priority that exists.
#[component]
fn PriorityContent() -> impl IntoView {
    let lang = use_lang();
    let page = use_page();
    let title = move || page.priority.with(|p| p.as_ref().map(|p| p.title.clone()));
    let status = move || page.priority.with(|p| p.as_ref().map(|p| p.status));
    let open_to_all = move || {
        page.priority
            .with(|p| p.as_ref().is_some_and(|p| p.open_to_all))
    };
    view! {
        <article class="priority-detail" aria-labelledby="priority-heading">
            <p class="back-link">
                <A href="/programme">
                    <span aria-hidden="true">"← "</span>
                    {move || t(lang.get(), PriorityMsg::BackToProgramme)}
                </A>
            </p>
            <header class="detail-header">
                <h1 id="priority-heading">{title}</h1>
                <p class="badges">
                    <span class="status-badge" data-status=move || status().map(|s| s.key())>
                        {move || t(lang.get(), PriorityMsg::StatusLabel)}": "
                        {move || status().map(|s| status_name(lang.get(), s))}
                    </span>
                    <Show when=open_to_all>
                        <span class="open-badge">
                            {move || t(lang.get(), PriorityMsg::OpenToAllBadge)}
                        </span>
                    </Show>
                </p>
                <PresenceBar/>
            </header>
            <div class="detail-columns">
                <div class="detail-main">
                    <fields::OverviewSection/>
                    <fields::StatusSection/>
                    <fields::DescriptionSection/>
                    <fields::AlignmentSection/>
                    <fields::DimensionsSection/>
                    <fields::RegionsSection/>
                    <actions::ActionsSection/>
                    <comments::CommentsSection/>
                    <history::HistorySection/>
                </div>
                <div class="detail-side">
                    <endorsements::EndorsementsSection/>
                    <references::ReferencesSection/>
                    <DeleteSection/>
                </div>
            </div>
        </article>
    }
}

/// Who else has this priority open, and who is editing it.
#[component]
fn PresenceBar() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let id = use_page().id;
    let editors = Memo::new(move |_| {
        let mut names = sync.editors_of(id);
        names.sort();
        names.dedup();
        names
    });
    let viewers = Memo::new(move |_| {
        let mut names: Vec<String> = sync.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| p.viewing == Some(id) && p.editing != Some(id))
                .map(|p| p.name.clone())
                .collect()
        });
        names.sort();
        names.dedup();
        names.retain(|n| !editors.with(|e| e.contains(n)));
        names
    });
    view! {
        <div id="priority-presence" class="presence" role="status">
            <Show when=move || !viewers.with(Vec::is_empty)>
                <p class="presence-viewing">
                    {move || words::viewing_now(lang.get(), &viewers.get())}
                </p>
            </Show>
            <Show when=move || !editors.with(Vec::is_empty)>
                <p class="presence-note">
                    <span aria-hidden="true">"✎ "</span>
                    {move || words::editing_now(lang.get(), &editors.get())}
                </p>
            </Show>
        </div>
    }
}

/// Deleting the priority, for the secretariat: asked once more, refused in
/// words while anything still refers to it.
#[component]
fn DeleteSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    // Not `Send`: kept in the thread-local arena, copied into the handlers.
    let navigate = StoredValue::new_local(use_navigate());
    let allowed = Signal::derive(move || sync.allows(&Mutation::DeletePriority { id: page.id }));
    let confirming = RwSignal::new(false);
    let delete_button: NodeRef<html::Button> = NodeRef::new();
    let back = move || {
        confirming.set(false);
        request_animation_frame(move || {
            if let Some(b) = delete_button.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let confirm = move |_| {
        if sync.propose(Mutation::DeletePriority { id: page.id }) {
            navigate.with_value(|go| go("/programme", Default::default()));
        } else {
            back();
        }
    };
    view! {
        <Show when=move || allowed.get()>
            <section class="detail-section card delete-section" aria-labelledby="section-delete-heading">
                <h2 id="section-delete-heading">{move || t(lang.get(), PriorityMsg::DeleteSection)}</h2>
                <p class="hint">{move || t(lang.get(), PriorityMsg::DeleteHint)}</p>
                <button
                    type="button"
                    id="delete-priority"
                    class="danger"
                    node_ref=delete_button
                    hidden=move || confirming.get()
                    on:click=move |_| {
                        confirming.set(true);
                        focus_by_id("confirm-delete".into());
                    }
                >
                    {move || t(lang.get(), PriorityMsg::DeletePriority)}
                </button>
                <Show when=move || confirming.get()>
                    <div
                        class="confirm-delete"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                back();
                            }
                        }
                    >
                        <p id="confirm-delete-text">{move || t(lang.get(), PriorityMsg::ConfirmDelete)}</p>
                        <button
                            type="button"
                            id="confirm-delete"
                            class="danger"
                            aria-describedby="confirm-delete-text"
                            on:click=confirm
                        >
                            {move || t(lang.get(), PriorityMsg::ConfirmDeleteButton)}
                        </button>
                        <button type="button" on:click=move |_| back()>
                            {move || t(lang.get(), PriorityMsg::Cancel)}
                        </button>
                    </div>
                </Show>
            </section>
        </Show>
    }
}

/// An address without a priority: never one, or deleted (while open, or
/// before). The history says who deleted it, when it still has one.
#[component]
fn MissingPriority(id: Option<PriorityId>, deleted_while_open: bool) -> impl IntoView {
    let lang = use_lang();
    crate::views::page_title(PriorityMsg::NotFoundTitle);
    let history = id.map(use_history);
    let deletion = move || {
        let state = history?;
        state.with(|h| match h {
            HistoryState::Loaded(items) => items
                .first()
                .filter(|i| i.field == "*" && i.new.is_null())
                .map(|i| (i.actor.name.clone(), i.at_ms)),
            _ => None,
        })
    };
    let explanation = move || {
        let lang = lang.get();
        if deleted_while_open {
            t(lang, PriorityMsg::DeletedWhileOpen)
        } else {
            t(lang, PriorityMsg::NotFoundText)
        }
    };
    view! {
        <section class="page priority-missing" aria-labelledby="missing-heading">
            <h1 id="missing-heading">{move || t(lang.get(), PriorityMsg::NotFoundTitle)}</h1>
            <p id="missing-explanation" role=deleted_while_open.then_some("alert")>{explanation}</p>
            {move || deletion().map(|(name, at_ms)| view! {
                <p id="deleted-by">
                    {move || words::deleted_by(
                        lang.get(),
                        &name,
                        &crate::i18n::format::date_time(lang.get(), at_ms, None),
                    )}
                </p>
            })}
            <p>
                <A href="/programme">{move || t(lang.get(), PriorityMsg::BackToProgrammeLong)}</A>
            </p>
        </section>
    }
}
