//! Regions and their membership of the Alliance.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::RegionId;

keyed_enum! {
    /// Where a region stands. Any region may apply; the secretariat admits or
    /// declines; a member may leave (former) and apply again.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Membership {
        Applicant = "applicant",
        Member = "member",
        Former = "former",
        Declined = "declined",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// NUTS 2021 code (level 1 to 3), e.g. `DED`, `ITC4`.
    pub nuts: String,
    /// False while the NUTS code has not been checked against Eurostat.
    #[serde(default)]
    pub nuts_confirmed: bool,
    pub membership: Membership,
    /// Contact person or address for the Alliance's work.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub joined: Option<Date>,
    /// True while no source confirms the region's membership (the seed's
    /// `unconfirmed`): shown as unconfirmed, never as settled.
    #[serde(default)]
    pub unconfirmed: bool,
}

/// Checks an ISO country code: two upper-case letters.
pub(crate) fn valid_country(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// Checks a NUTS code: country prefix and up to three level characters.
pub(crate) fn valid_nuts(code: &str) -> bool {
    let bytes = code.as_bytes();
    (2..=5).contains(&bytes.len())
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked() {
        assert!(valid_country("DE"));
        assert!(!valid_country("de"));
        assert!(!valid_country("DEU"));
        assert!(valid_nuts("DED"));
        assert!(valid_nuts("SK021"));
        assert!(!valid_nuts("SK0211"));
        assert!(!valid_nuts("d1"));
    }
}
