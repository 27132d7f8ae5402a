//! One definition of an enum's keys: [`keyed_enum!`] declares an enum
//! whose every value has one stable key, used as its serde name (on the
//! wire, in the log) and in the app's message tables, with `ALL`, `key()`
//! and `from_key()` generated from that same list, so they cannot drift
//! apart from what serde writes.

/// Declares an enum with a stable key per variant:
///
/// ```
/// ara_shared::keyed_enum! {
///     /// How far along.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
///     pub enum Stage {
///         Draft = "draft",
///         InReview = "in_review",
///     }
/// }
/// assert_eq!(Stage::InReview.key(), "in_review");
/// assert_eq!(Stage::from_key("draft"), Some(Stage::Draft));
/// assert_eq!(Stage::ALL.len(), 2);
/// ```
///
/// The enum derives `Serialize` and `Deserialize` with each key as the
/// variant's name; the caller derives the rest.
#[macro_export]
macro_rules! keyed_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $key)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($key),+].len()] = [$(Self::$variant),+];

            /// The stable key: the name on the wire and in message tables.
            pub const fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)+
                }
            }

            /// The value with this key, if any.
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
