//! What the views share beyond labelled inputs (`form.rs`): moving focus
//! after an action, asking the rules before proposing (a refusal shown next
//! to the form that caused it), a typed date, and the first value of a
//! form's field. One copy each, so that every page behaves the same.

use ara_shared::Param;
use ara_shared::{Context, Date, Mutation, Rejection, RejectionCode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::{self, now_ms};
use crate::i18n::alliance;
use crate::sync::SyncHandle;
use crate::views::use_lang;

// --- Focus ---

/// Moves keyboard focus to the element with DOM id `id` once the view has
/// been drawn again (back to the button that opened a form, to a new item,
/// to a card that moved to another column).
pub(crate) fn focus_by_id(id: String) {
    request_animation_frame(move || {
        focus_now(&id);
    });
}

/// Moves keyboard focus to the element with DOM id `id` if it is drawn
/// already: at once, so that the next key goes where the last one chose,
/// however fast they come. HTML and SVG elements alike (through their own
/// `focus` method). Whether the element was there.
pub(crate) fn focus_now(id: &str) -> bool {
    let Some(element) = document().get_element_by_id(id) else {
        return false;
    };
    if let Ok(focus) = js_sys::Reflect::get(&element, &"focus".into())
        && let Some(focus) = focus.dyn_ref::<js_sys::Function>()
    {
        let _ = focus.call0(&element);
    }
    true
}

// --- Asking the rules ---

/// Why the rules would refuse `mutation` now (permission and validation, as
/// the server will check them), without proposing it: a form shows the
/// refusal beside its fields instead of only as a notice.
pub(crate) fn refusal(sync: SyncHandle, mutation: &Mutation) -> Option<Rejection> {
    sync.replica.with_untracked(|r| {
        let mut state = r.view().clone();
        state
            .apply(
                mutation,
                &Context {
                    actor: r.actor(),
                    now_ms: now_ms(),
                },
            )
            .err()
    })
}

/// Proposes `mutation` unless the rules refuse it; then the refusal goes to
/// `problem`, which the form shows beside its fields, rather than to the
/// page's notices. Returns whether it was proposed.
pub(crate) fn propose_checked(
    sync: SyncHandle,
    mutation: Mutation,
    problem: RwSignal<Option<Rejection>>,
) -> bool {
    if let Some(rejection) = refusal(sync, &mutation) {
        problem.set(Some(rejection));
        return false;
    }
    problem.set(None);
    sync.propose(mutation)
}

/// The refusal of a form, in words, announced when it appears.
#[component]
pub(crate) fn FormProblem(
    /// DOM id of the message, for `aria-describedby`.
    #[prop(into)]
    id: String,
    problem: RwSignal<Option<Rejection>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="form-problem" role="alert">
            {move || problem.get().map(|r| {
                view! { <p id=id.clone()>{alliance::refusal_message(lang.get(), &r)}</p> }
            })}
        </div>
    }
}

// --- Fields ---

/// A date typed into a date field, or the refusal that says what is wrong.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<Date, Rejection> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Rejection::new(RejectionCode::EmptyField).with(Param::Field, field));
    }
    text.parse().map_err(|_| {
        Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, field)
            .with(Param::Expected, "date")
    })
}

/// Today for a date field's first value and for "upcoming": the browser's
/// date, or 1 January 2000 (the planner's first day) should its clock be
/// outside the years the planner holds.
pub(crate) fn today_or_first_day() -> Date {
    browser::today()
        .or_else(|| Date::new(2000, 1, 1).ok())
        .expect("2000-01-01 is a valid date")
}

/// A form field's signal, starting from the value `value` takes from the
/// thing being edited, or empty for a new one.
pub(crate) fn field_of<T, V>(existing: Option<&T>, value: impl FnOnce(&T) -> V) -> RwSignal<V>
where
    V: Default + Send + Sync + 'static,
{
    RwSignal::new(existing.map(value).unwrap_or_default())
}
