//! `choice!`: an enum of fixed choices with a stored code and a label people read, as used by
//! radio buttons, selects and imported files. Shared by the procedure record and the device
//! register so that every choice is stored, submitted and shown the same way.

/// Declares a `Copy` enum whose variants each have a stored `code` and a `label`, with `ALL`
/// (in declaration order, the order a form shows them) and `from_code`.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and submitted code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// What the form shows.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.code() == code)
            }
        }

        /// A stored code that is not one of ours is an error, never a guess.
        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(code: String) -> Result<Self, Self::Error> {
                Self::from_code(&code)
                    .ok_or_else(|| format!("{code:?} is not a {} code", stringify!($name)))
            }
        }
    };
}
