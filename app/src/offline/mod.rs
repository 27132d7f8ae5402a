//! Working without the network: what is stored on this device
//! ([`storage`], IndexedDB) and how several tabs share one sync connection
//! and one pending queue ([`tabs`], Web Locks and BroadcastChannel). The
//! sync logic that uses them is in [`crate::sync`].

pub mod storage;
pub mod tabs;
