//! Serde helpers that write [`time::Date`] as `"YYYY-MM-DD"` (the crate's own serde format for `Date`
//! is a compact tuple unless `serde-human-readable` is enabled, which this workspace does not do).
//!
//! Use with `#[serde(with = "crate::calendar::serde_ymd")]`, or the `option` / `vec` submodules.

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
use time::Date;
use time::macros::format_description;

/// Parse `YYYY-MM-DD` (exactly; no time, no whitespace).
pub fn parse(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// Format as `YYYY-MM-DD`.
pub fn format(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(*d))
}

pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Date, D::Error> {
    let s = String::deserialize(de)?;
    parse(&s).ok_or_else(|| D::Error::custom(format!("invalid date {s:?}, expected YYYY-MM-DD")))
}

/// `Option<Date>` as `"YYYY-MM-DD"` or `null`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&super::format(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(de)? {
            None => Ok(None),
            Some(s) => super::parse(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("invalid date {s:?}, expected YYYY-MM-DD"))),
        }
    }
}

/// `Vec<Date>` as a list of `"YYYY-MM-DD"`.
pub mod vec {
    use super::*;
    use serde::ser::SerializeSeq;

    pub fn serialize<S: Serializer>(ds: &[Date], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(ds.len()))?;
        for d in ds {
            seq.serialize_element(&super::format(*d))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<Date>, D::Error> {
        Vec::<String>::deserialize(de)?
            .into_iter()
            .map(|s| {
                super::parse(&s).ok_or_else(|| D::Error::custom(format!("invalid date {s:?}, expected YYYY-MM-DD")))
            })
            .collect()
    }
}
