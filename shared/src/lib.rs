//! `ara-shared`: the one definition of ARA Planner's model and rules, the
//! same code in the browser (wasm32) and on the server.
//!
//! ## Map
//! - **Model:** [`ids`], [`date`], [`priority`], [`region`], [`conference`],
//!   [`meeting`], [`development`], [`stakeholder`], [`baseline`],
//!   [`reference`]; [`keys`] gives their enums one list of stable keys.
//! - **Rules:** [`mutation`] (the typed changes and the log entry),
//!   [`state`] (the materialised state and the one [`State::apply`]),
//!   [`permission`] (who may do what, in one function), [`rejection`]
//!   (typed refusals), [`text`] (which characters a text may hold).
//! - **The log:** [`sequencer`] (the pure core of the server's sequencer:
//!   order, deduplication, client ids, reading the log back), [`clients`]
//!   (whose client id is whose), [`history`] and [`changes`] (derived from
//!   the log).
//! - **Sync:** [`protocol`] (the WebSocket frames), [`replica`] (the
//!   browser's confirmed state plus pending edits), [`account`] (the
//!   account API's bodies, codes and limits); [`demo`] (the demo programme).
//!
//! ## Invariants
//! - No I/O, no async, no clock, no randomness: callers pass the time and
//!   the random bytes for new ids. Nothing here knows HTTP, sled or the DOM.
//! - Every change to the state goes through [`State::apply`] (a pushed
//!   mutation, with the permission check) or [`LogEntry::apply_to`] (an
//!   entry read back, as logged); nothing else mutates a [`State`].
//! - A refusal leaves the state exactly as it was and never panics.
//! - What is on the wire or in the log is versioned or keyed: a renamed
//!   variant must keep its key.

// First: the other modules use its macro.
#[macro_use]
pub mod keys;

pub mod account;
pub mod baseline;
pub mod changes;
pub mod clients;
pub mod conference;
pub mod date;
pub mod demo;
pub mod development;
pub mod history;
pub mod ids;
pub mod meeting;
pub mod mutation;
pub mod permission;
pub mod priority;
pub mod protocol;
pub mod reference;
pub mod region;
pub mod rejection;
pub mod replica;
pub mod sequencer;
pub mod stakeholder;
pub mod state;
pub mod text;

pub use date::Date;
pub use ids::{
    ActionId, AgendaItemId, BaselineId, ClientId, CommentId, ConferenceId, DevelopmentId, LinkId,
    MeetingId, PriorityId, RegionId, Seq, StakeholderId, UserId, Version,
};
pub use mutation::{
    Actor, Change, ConferencePatch, Context, EntityRef, Envelope, LogEntry, MeetingPatch, Mutation,
    PriorityPatch, RegionPatch, Role,
};
pub use priority::{
    Action, Comment, Dimension, Horizon, Priority, PriorityStatus, Quarter, Term, TransitionGoal,
};
pub use rejection::{Param, Rejection, RejectionCode};
pub use replica::Replica;
pub use state::State;
