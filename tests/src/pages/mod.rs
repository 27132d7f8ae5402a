//! Page helpers: what a person does on a page of the app, so that a
//! browser test reads as those steps rather than as selectors. `fields`
//! holds what a person does with a form field on any page; each other
//! module is one page or area (e.g. [`priority::PriorityPage`]), opened with
//! its own method and still a [`Page`] underneath for what is particular to
//! one test.
//!
//! [`Page`]: crate::cdp::Page

pub mod fields;
pub mod priority;
