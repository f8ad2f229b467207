//! Statistical disclosure control: the one step every aggregate passes through before it leaves
//! the server.
//!
//! NHS practice for counts of people: a count from 1 to 7 is not shown (a reader could find
//! the person), the others are rounded to the nearest 5 (so that differences between two
//! published tables cannot reveal a small count either). Zero is shown as 0: "nobody" is
//! about no one, and hiding it would make "no revisions" unreadable. Rates, percentages and
//! confidence limits are not controlled (the design brief: "rates and CIs need no control").
//! Registry administrators see exact figures.
//!
//! Why a wrapper type: the server's handlers take a `Disclosed<T>`, which only
//! [`DisclosureControl::apply`] makes, so an aggregate cannot be sent without the step.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A count of people or procedures as it is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Count {
    /// The number shown: exact for administrators, rounded for the public.
    Shown(u64),
    /// A small number that is not shown; only the range it lies in (e.g. 1–7).
    Suppressed { from: u64, to: u64 },
}

impl Count {
    /// The number, when it is shown.
    pub fn value(self) -> Option<u64> {
        match self {
            Count::Shown(value) => Some(value),
            Count::Suppressed { .. } => None,
        }
    }
}

impl From<u64> for Count {
    fn from(value: u64) -> Self {
        Count::Shown(value)
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::Shown(value) => write!(f, "{value}"),
            Count::Suppressed { from, to } => write!(f, "{from}–{to}"),
        }
    }
}

/// A number in JSON, or the range as text ("1–7") when suppressed.
impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Shown(value) => serializer.serialize_u64(*value),
            Count::Suppressed { .. } => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count or a range such as \"1–7\"")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Count, E> {
                Ok(Count::Shown(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Count, E> {
                u64::try_from(value)
                    .map(Count::Shown)
                    .map_err(|_| E::custom("a count cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Count, E> {
                let (from, to) = text
                    .split_once('–')
                    .or_else(|| text.split_once('-'))
                    .ok_or_else(|| E::custom(format!("{text} is not a range such as 1–7")))?;
                match (from.trim().parse(), to.trim().parse()) {
                    (Ok(from), Ok(to)) => Ok(Count::Suppressed { from, to }),
                    _ => Err(E::custom(format!("{text} is not a range such as 1–7"))),
                }
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

/// Who asks: the public sees controlled figures, registry administrators exact ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Public,
    RegistryAdministrator,
}

/// The thresholds, from configuration. Defaults: suppress 1–7, round to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisclosureControl {
    /// Smallest count that is suppressed (counts below it, i.e. 0, are shown).
    pub suppress_from: u64,
    /// Largest count that is suppressed.
    pub suppress_to: u64,
    /// Other counts are rounded to the nearest multiple of this (0 or 1: not rounded).
    pub round_to: u64,
}

impl Default for DisclosureControl {
    fn default() -> Self {
        Self {
            suppress_from: 1,
            suppress_to: 7,
            round_to: 5,
        }
    }
}

impl DisclosureControl {
    /// One count as the public sees it.
    pub fn control(&self, count: Count) -> Count {
        let Count::Shown(value) = count else {
            return count;
        };
        if (self.suppress_from..=self.suppress_to).contains(&value) {
            return Count::Suppressed {
                from: self.suppress_from,
                to: self.suppress_to,
            };
        }
        if self.round_to <= 1 {
            return count;
        }
        // Half-way cases round up (with 5 there are none: remainders 0–2 down, 3–4 up).
        let remainder = value % self.round_to;
        let down = value - remainder;
        if remainder * 2 >= self.round_to {
            Count::Shown(down.saturating_add(self.round_to))
        } else {
            Count::Shown(down)
        }
    }

    /// The only way to make a `Disclosed` value: counts controlled for the public, exact for
    /// administrators.
    pub fn apply<T: Disclose>(&self, mut aggregate: T, audience: Audience) -> Disclosed<T> {
        if audience == Audience::Public {
            aggregate.control_counts(self);
        }
        Disclosed(aggregate)
    }
}

/// An aggregate whose counts of people or procedures can be controlled.
pub trait Disclose {
    fn control_counts(&mut self, control: &DisclosureControl);
}

impl<T: Disclose> Disclose for Vec<T> {
    fn control_counts(&mut self, control: &DisclosureControl) {
        for item in self {
            item.control_counts(control);
        }
    }
}

impl Disclose for Count {
    fn control_counts(&mut self, control: &DisclosureControl) {
        *self = control.control(*self);
    }
}

/// An aggregate that has passed disclosure control, ready to send. Serialises as the
/// aggregate itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Disclosed<T>(T);

impl<T> Disclosed<T> {
    pub fn get(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(value: u64) -> Count {
        DisclosureControl::default().control(Count::Shown(value))
    }

    #[test]
    fn suppresses_one_to_seven_and_rounds_the_rest_to_five() {
        assert_eq!(public(0), Count::Shown(0), "zero is shown as zero");
        for small in 1..=7 {
            assert_eq!(public(small), Count::Suppressed { from: 1, to: 7 });
        }
        // 8 → 10 (remainder 3 rounds up), 10 stays, 12 → 10, 13 → 15, 1002 → 1000.
        assert_eq!(public(8), Count::Shown(10));
        assert_eq!(public(10), Count::Shown(10));
        assert_eq!(public(12), Count::Shown(10));
        assert_eq!(public(13), Count::Shown(15));
        assert_eq!(public(1002), Count::Shown(1000));
        assert_eq!(public(u64::MAX), Count::Shown(u64::MAX));
    }

    #[test]
    fn thresholds_come_from_configuration() {
        let control = DisclosureControl {
            suppress_from: 1,
            suppress_to: 9,
            round_to: 10,
        };
        assert_eq!(
            control.control(Count::Shown(9)),
            Count::Suppressed { from: 1, to: 9 }
        );
        assert_eq!(control.control(Count::Shown(14)), Count::Shown(10));
        assert_eq!(control.control(Count::Shown(15)), Count::Shown(20));
        let no_rounding = DisclosureControl {
            round_to: 1,
            ..DisclosureControl::default()
        };
        assert_eq!(no_rounding.control(Count::Shown(13)), Count::Shown(13));
        let config: DisclosureControl = serde_json::from_str(r#"{"suppress_to": 5}"#).unwrap();
        assert_eq!(
            config,
            DisclosureControl {
                suppress_to: 5,
                ..DisclosureControl::default()
            }
        );
    }

    #[test]
    fn administrators_see_exact_counts() {
        let counts = vec![Count::Shown(3), Count::Shown(12)];
        let control = DisclosureControl::default();
        let exact = control.apply(counts.clone(), Audience::RegistryAdministrator);
        assert_eq!(exact.get(), &counts);
        let public = control.apply(counts, Audience::Public);
        assert_eq!(
            public.into_inner(),
            vec![Count::Suppressed { from: 1, to: 7 }, Count::Shown(10)]
        );
    }

    #[test]
    fn suppressed_counts_are_text_in_json() {
        let counts = vec![Count::Shown(15), Count::Suppressed { from: 1, to: 7 }];
        let json = serde_json::to_string(&counts).unwrap();
        assert_eq!(json, r#"[15,"1–7"]"#);
        assert_eq!(serde_json::from_str::<Vec<Count>>(&json).unwrap(), counts);
        assert!(serde_json::from_str::<Count>("\"many\"").is_err());
        assert!(serde_json::from_str::<Count>("-1").is_err());
    }
}
