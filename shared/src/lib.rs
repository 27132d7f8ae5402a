//! `ara-shared`: the one definition of ARA Planner's model and rules.
//!
//! Owns the entities, the typed [`mutation::Mutation`]s and how they are
//! validated and applied ([`state::State::apply`]), the sync protocol between
//! the app and the server ([`protocol`]) and the client [`replica::Replica`]
//! (confirmed state plus pending mutations, rebased on server entries).
//!
//! It must not know about HTTP, sled, the DOM, clocks or randomness: callers
//! pass in the time and the random bytes for new ids. It compiles for the
//! server and for the browser (wasm32) and is tested natively.

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
pub use rejection::{Rejection, RejectionCode};
pub use replica::Replica;
pub use state::State;
