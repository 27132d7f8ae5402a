//! Working without the network, the browser's side: what is stored on this
//! device ([`storage`], IndexedDB) and the means by which several tabs share
//! one sync connection and one pending queue ([`tabs`], Web Locks and
//! BroadcastChannel).
//!
//! Dependencies point one way: `pwa` → `sync` → `offline` → nothing else of
//! the app. The sync logic that uses these is in [`crate::sync`].

pub mod storage;
pub mod tabs;
