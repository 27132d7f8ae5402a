//! Which regions endorse the priority. A region editor endorses or
//! withdraws for their own region; the secretariat for any member region.

use ara_shared::region::Membership;
use ara_shared::{Mutation, RegionId, Role};
use leptos::prelude::*;

use crate::i18n::priority::{self as words, PriorityMsg};
use crate::i18n::t;
use crate::views::form::{Choice, SelectInput};
use crate::views::{tr, use_lang, use_sync};

use super::use_page;
use crate::views::toolkit::focus_by_id;

#[component]
pub(super) fn EndorsementsSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let actor = Memo::new(move |_| sync.replica.with(|r| (r.actor().role, r.actor().region)));
    let secretariat = move || actor.get().0 == Role::Secretariat;

    // The endorsing regions by name.
    let endorsing = Memo::new(move |_| {
        let ids = page
            .priority
            .with(|p| p.as_ref().map(|p| p.endorsements.clone()))
            .unwrap_or_default();
        sync.replica.with(|r| {
            let mut named: Vec<(String, RegionId)> = ids
                .into_iter()
                .map(|id| {
                    let name = r
                        .view()
                        .regions
                        .get(&id)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| id.to_string());
                    (name, id)
                })
                .collect();
            named.sort();
            named
        })
    });
    let endorse = move |region: RegionId, yes: bool| {
        sync.propose(Mutation::EndorsePriority {
            id: page.id,
            region,
            endorse: yes,
        })
    };
    let may = move |region: RegionId, yes: bool| {
        sync.allows(&Mutation::EndorsePriority {
            id: page.id,
            region,
            endorse: yes,
        })
    };

    view! {
        <section class="detail-section card" id="section-endorsements" aria-labelledby="section-endorsements-heading">
            <h2 id="section-endorsements-heading" tabindex="-1">{move || t(lang.get(), PriorityMsg::Endorsements)}</h2>
            <Show
                when=move || !endorsing.with(Vec::is_empty)
                fallback=move || view! { <p class="empty" id="endorsement-list">{move || t(lang.get(), PriorityMsg::NoEndorsements)}</p> }
            >
                <ul class="plain-list endorsement-list" id="endorsement-list">
                    <For each=move || endorsing.get() key=|(_, id)| *id let:item>
                        <li class="endorsement" data-region=item.1.to_string()>
                            <span class="region-name">{item.0.clone()}</span>
                            <Show when=move || secretariat() && may(item.1, false)>
                                <button
                                    type="button"
                                    class="withdraw"
                                    aria-label={
                                        let name = item.0.clone();
                                        move || words::withdraw_for(lang.get(), &name)
                                    }
                                    on:click=move |_| {
                                        if endorse(item.1, false) {
                                            focus_by_id("section-endorsements-heading".into());
                                        }
                                    }
                                >
                                    {move || t(lang.get(), PriorityMsg::Withdraw)}
                                </button>
                            </Show>
                        </li>
                    </For>
                </ul>
            </Show>
            {move || if secretariat() {
                view! { <SecretariatEndorsement endorsing=endorsing/> }.into_any()
            } else {
                view! { <OwnRegionEndorsement/> }.into_any()
            }}
        </section>
    }
}

/// One button for a region editor: endorse for their region, or withdraw.
#[component]
fn OwnRegionEndorsement() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    // Only a member region can endorse.
    let region = Memo::new(move |_| {
        sync.replica.with(|r| {
            let own = r.actor().region?;
            let region = r.view().regions.get(&own)?;
            (region.membership == Membership::Member).then(|| (own, region.name.clone()))
        })
    });
    let endorses = move || {
        region.get().is_some_and(|(own, _)| {
            page.priority
                .with(|p| p.as_ref().is_some_and(|p| p.endorsements.contains(&own)))
        })
    };
    let allowed = move || {
        region.get().is_some_and(|(own, _)| {
            sync.allows(&Mutation::EndorsePriority {
                id: page.id,
                region: own,
                endorse: !endorses(),
            })
        })
    };
    view! {
        <Show when=allowed>
            <button
                type="button"
                id="endorse-own"
                aria-pressed=move || endorses().to_string()
                on:click=move |_| {
                    if let Some((own, _)) = region.get_untracked() {
                        sync.propose(Mutation::EndorsePriority {
                            id: page.id,
                            region: own,
                            endorse: !endorses(),
                        });
                    }
                }
            >
                {move || {
                    let name = region.get().map(|(_, n)| n).unwrap_or_default();
                    if endorses() {
                        words::withdraw_for(lang.get(), &name)
                    } else {
                        words::endorse_for(lang.get(), &name)
                    }
                }}
            </button>
        </Show>
    }
}

/// The secretariat adds an endorsement for any member region.
#[component]
fn SecretariatEndorsement(endorsing: Memo<Vec<(String, RegionId)>>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let page = use_page();
    let chosen = RwSignal::new(String::new());
    let choices = Signal::derive(move || {
        let taken: Vec<RegionId> = endorsing.with(|e| e.iter().map(|(_, id)| *id).collect());
        sync.replica.with(|r| {
            let mut members: Vec<(String, RegionId)> = r
                .view()
                .regions
                .values()
                .filter(|region| {
                    region.membership == Membership::Member && !taken.contains(&region.id)
                })
                .map(|region| (region.name.clone(), region.id))
                .collect();
            members.sort();
            members
                .into_iter()
                .map(|(name, id)| Choice::new(id.to_string(), Signal::stored(name)))
                .collect::<Vec<_>>()
        })
    });
    // Keep a real choice selected as the list changes.
    Effect::new(move |_| {
        let list = choices.get();
        if !list.iter().any(|c| c.key == chosen.get_untracked()) {
            chosen.set(list.first().map(|c| c.key.clone()).unwrap_or_default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(region) = chosen.get_untracked().parse::<RegionId>() {
            sync.propose(Mutation::EndorsePriority {
                id: page.id,
                region,
                endorse: true,
            });
        }
    };
    view! {
        <Show when=move || !choices.with(Vec::is_empty)>
            <form class="add-endorsement" on:submit=submit>
                <SelectInput id="endorse-region" label=tr(PriorityMsg::EndorsingRegion) value=chosen choices=choices/>
                <button type="submit" id="add-endorsement">{move || t(lang.get(), PriorityMsg::AddEndorsement)}</button>
            </form>
        </Show>
    }
}
