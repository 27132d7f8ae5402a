//! The HTTP surface: every route the server answers, its state, its one
//! error type and the extractors that handlers ask for in their signature.
//!
//! - [`state`]: [`AppState`], what every handler may use.
//! - [`error`]: [`HttpError`], every refusal and failure of a request, its
//!   own response; internal detail goes to the log, never to the client.
//! - [`extract`]: [`SignedIn`], [`Secretariat`] and [`JsonBody`], so that a
//!   handler never checks a session, a role or a body by hand.
//! - [`routes`]: [`router`], the one route table, built without a socket
//!   (the unit tests drive it with `tower::ServiceExt::oneshot`).
//! - [`account`], [`programme`], [`site`]: the handlers, by what they serve.
//!
//! Invariants: `http` may import `auth` and `ws`; `auth` and `ws` never
//! import `http` (they know nothing of status codes or response bodies).
//! Every route passes the checks and headers of [`crate::security`].

mod account;
mod error;
mod extract;
mod programme;
mod routes;
mod site;
mod state;

pub use error::HttpError;
pub use extract::{JsonBody, Secretariat, SignedIn};
pub use routes::router;
pub use state::AppState;
