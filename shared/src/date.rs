//! Calendar dates. A [`Date`] that exists is a real day of the Gregorian
//! calendar between 2000 and 2100; on the wire it is `"YYYY-MM-DD"`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::priority::Quarter;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("expected a date like 2025-11-17")]
    Syntax,
    #[error("no such day")]
    NoSuchDay,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(Quarter::MIN_YEAR..=Quarter::MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(DateError::NoSuchDay);
        }
        Ok(Self { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The quarter the date falls in.
    pub fn quarter(self) -> Quarter {
        Quarter::new(self.year, (self.month - 1) / 3 + 1).expect("a valid date has a valid quarter")
    }

    /// Days since 1970-01-01 (for time arithmetic and calendar exports).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The UTC date of a Unix time in milliseconds, if within range.
    pub fn from_unix_ms(ms: i64) -> Option<Self> {
        let z = ms.div_euclid(86_400_000) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
        .ok()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or(DateError::Syntax);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(DateError::Syntax);
        }
        let parse = |t: &str| t.parse::<u16>().map_err(|_| DateError::Syntax);
        Date::new(parse(y)?, parse(m)? as u8, parse(d)? as u8)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_validate_and_print() {
        let d: Date = "2022-11-17".parse().expect("valid");
        assert_eq!(d.to_string(), "2022-11-17");
        assert_eq!(d.quarter().to_string(), "2022-Q4");
        assert_eq!("2023-02-29".parse::<Date>(), Err(DateError::NoSuchDay));
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert_eq!("2024-2-1".parse::<Date>(), Err(DateError::Syntax));
        assert!(serde_json::from_str::<Date>("\"2024-13-01\"").is_err());
    }

    #[test]
    fn epoch_days_round_trip() {
        let d = Date::new(2025, 9, 9).expect("valid");
        assert_eq!(d.days_since_epoch(), 20_340);
        assert_eq!(
            Date::from_unix_ms(d.days_since_epoch() * 86_400_000 + 5_000),
            Some(d)
        );
    }
}
