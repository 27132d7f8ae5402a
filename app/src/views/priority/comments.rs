//! Comments on the priority: who wrote what when, oldest first; anyone who
//! may change something adds one; the author (or the secretariat) deletes it.

use ara_shared::{CommentId, Mutation};
use leptos::prelude::*;

use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::{format, t};
use crate::sync::new_id;
use crate::views::form::TextArea;
use crate::views::{tr, use_lang, use_sync};

use super::use_page;
use crate::views::toolkit::focus_by_id;

#[component]
pub(super) fn CommentsSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let ids = Memo::new(move |_| {
        page.priority.with(|p| {
            p.as_ref()
                .map(|p| p.comments.iter().map(|c| c.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let may_add = Signal::derive(move || {
        sync.allows(&Mutation::AddComment {
            priority: page.id,
            id: CommentId(Default::default()),
            text: String::new(),
        })
    });
    view! {
        <section class="detail-section card" id="section-comments" aria-labelledby="section-comments-heading">
            <h2 id="section-comments-heading" tabindex="-1">{move || t(lang.get(), PriorityMsg::Comments)}</h2>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || t(lang.get(), PriorityMsg::NoComments)}</p> }
            >
                <ol class="comment-list" id="comment-list">
                    <For each=move || ids.get() key=|id| *id let:id>
                        <CommentItem id=id may_add=may_add/>
                    </For>
                </ol>
            </Show>
            <Show when=move || may_add.get()>
                <AddCommentForm/>
            </Show>
        </section>
    }
}

#[component]
fn CommentItem(id: CommentId, may_add: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let comment = Memo::new(move |_| {
        page.priority.with(|p| {
            p.as_ref()
                .and_then(|p| p.comments.iter().find(|c| c.id == id).cloned())
        })
    });
    let author = move || {
        comment.with(|c| {
            c.as_ref()
                .map(|c| c.author_name.clone())
                .unwrap_or_default()
        })
    };
    let at_ms = move || comment.with(|c| c.as_ref().map(|c| c.at_ms).unwrap_or_default());
    let text = move || comment.with(|c| c.as_ref().map(|c| c.text.clone()).unwrap_or_default());
    let may_delete = move || {
        sync.allows(&Mutation::DeleteComment {
            priority: page.id,
            id,
        })
    };
    let delete = move |_| {
        if sync.propose(Mutation::DeleteComment {
            priority: page.id,
            id,
        }) {
            // The button is gone with the comment: continue where one writes.
            focus_by_id(
                if may_add.get_untracked() {
                    "new-comment"
                } else {
                    "section-comments-heading"
                }
                .into(),
            );
        }
    };
    view! {
        <li class="comment" id=format!("comment-{id}")>
            <p class="comment-meta">
                <span class="comment-author">{author}</span>
                " · "
                <time class="comment-time">{move || format::date_time(lang.get(), at_ms(), None)}</time>
            </p>
            <div class="comment-text long-text">{text}</div>
            <Show when=may_delete>
                <button
                    type="button"
                    class="delete-comment"
                    aria-label=move || words::delete_comment_of(lang.get(), &author())
                    on:click=delete
                >
                    {move || t(lang.get(), PriorityMsg::DeleteComment)}
                </button>
            </Show>
        </li>
    }
}

#[component]
fn AddCommentForm() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sync.propose(Mutation::AddComment {
            priority: page.id,
            id: new_id(CommentId::from_parts),
            text: text.get_untracked(),
        }) {
            text.set(String::new());
        }
        focus_by_id("new-comment".into());
    };
    view! {
        <form class="add-comment" id="add-comment-form" on:submit=submit>
            <TextArea id="new-comment" label=tr(PriorityMsg::YourComment) value=text rows=3 maxlength=20_000/>
            <button type="submit" id="add-comment">{move || t(lang.get(), PriorityMsg::AddComment)}</button>
        </form>
    }
}
