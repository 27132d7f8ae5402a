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
pub mod demo;
pub mod ids;
pub mod mutation;
pub mod priority;
pub mod protocol;
pub mod rejection;
pub mod replica;
pub mod state;

pub use ids::{ClientId, PriorityId, Seq, UserId, Version};
pub use mutation::{Actor, Change, Context, Envelope, LogEntry, Mutation, Role};
pub use priority::{Horizon, Priority, PriorityStatus, Quarter, Term};
pub use rejection::{Rejection, RejectionCode};
pub use replica::Replica;
pub use state::State;
