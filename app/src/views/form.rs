//! Labelled form controls every view uses, so that each input has a visible
//! label tied to it, an optional hint read out with it, and the same look.
//! Values live in signals owned by the view; the view proposes the mutation.

// The views of every area use these; until each area has its view, some
// are not called yet.

use leptos::prelude::*;

/// A single-line text input (or `email`, `url`, `date`, `number`, ...).
#[component]
pub fn TextInput(
    /// The input's DOM id (the label points to it).
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                maxlength=maxlength
                required=required
                disabled=disabled
                autocomplete=autocomplete
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        </div>
    }
}

/// A multi-line text field (descriptions, minutes, comments).
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                rows=rows
                maxlength=maxlength
                disabled=disabled
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        </div>
    }
}

/// One choice of a [`SelectInput`] or [`CheckboxGroup`]: a stable key and
/// its words in the current language.
#[derive(Clone)]
pub struct Choice {
    pub key: String,
    pub label: Signal<String>,
}

impl Choice {
    pub fn new(key: impl Into<String>, label: Signal<String>) -> Self {
        Self {
            key: key.into(),
            label,
        }
    }
}

/// A drop-down with the keys of `choices`; `value` holds the chosen key.
#[component]
pub fn SelectInput(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                disabled=disabled
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|c| {
                            let key = c.key.clone();
                            view! {
                                <option value=c.key selected=move || value.get() == key>
                                    {c.label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// A group of checkboxes under a legend; `value` holds the checked keys.
#[component]
pub fn CheckboxGroup(
    /// Prefix of the checkboxes' DOM ids: `{id}-{key}`.
    #[prop(into)]
    id: String,
    #[prop(into)] legend: Signal<String>,
    value: RwSignal<std::collections::BTreeSet<String>>,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let group_id = id.clone();
    view! {
        <fieldset class="checkbox-group" id=group_id>
            <legend>{legend}</legend>
            {move || {
                choices
                    .get()
                    .into_iter()
                    .map(|c| {
                        let box_id = format!("{id}-{}", c.key);
                        let key = c.key.clone();
                        let checked_key = c.key.clone();
                        view! {
                            <div class="checkbox">
                                <input
                                    type="checkbox"
                                    id=box_id.clone()
                                    value=c.key
                                    disabled=disabled
                                    prop:checked=move || value.with(|v| v.contains(&checked_key))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        value.update(|v| {
                                            if on {
                                                v.insert(key.clone());
                                            } else {
                                                v.remove(&key);
                                            }
                                        });
                                    }
                                />
                                <label for=box_id>{c.label}</label>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
    }
}

/// The regions as choices (keyed by id), by name; `members_only` leaves out
/// applicants, former and declined regions.
pub fn region_choices(members_only: bool) -> Signal<Vec<Choice>> {
    let sync = crate::views::use_sync();
    Signal::derive(move || {
        sync.replica.with(|r| {
            let mut regions: Vec<_> = r
                .view()
                .regions
                .values()
                .filter(|region| {
                    !members_only || region.membership == ara_shared::region::Membership::Member
                })
                .map(|region| (region.name.clone(), region.id))
                .collect();
            regions.sort();
            regions
                .into_iter()
                .map(|(name, id)| Choice::new(id.to_string(), Signal::stored(name)))
                .collect()
        })
    })
}

/// The priorities as choices (keyed by id), in programme order.
pub fn priority_choices() -> Signal<Vec<Choice>> {
    let sync = crate::views::use_sync();
    Signal::derive(move || {
        sync.replica.with(|r| {
            r.view()
                .priorities_in_order()
                .map(|p| Choice::new(p.id.to_string(), Signal::stored(p.title.clone())))
                .collect()
        })
    })
}
