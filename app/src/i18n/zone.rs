//! Local times in IANA time zones: what a person types into a
//! `datetime-local` field in a meeting's zone, and the UTC instant stored.
//! The zone rules are the browser's (`Intl`); the arithmetic around them
//! (which instant a wall-clock time means across a clock change) is pure
//! and tested natively.

use ara_shared::Param;
use ara_shared::{Date, Rejection, RejectionCode};

use crate::browser;

const DAY_MS: i64 = 86_400_000;

/// The instant (Unix ms) at which the clocks of a zone show `wall` (the
/// local date and time written as if it were UTC), given the zone's offset
/// from UTC at any instant. Of two instants in the autumn overlap, the
/// earlier; for a time skipped in spring, the instant after the jump (as
/// calendar programs do).
pub fn instant_of_wall_time(wall: i64, offset_at: impl Fn(i64) -> Option<i64>) -> Option<i64> {
    // The offsets in force a day before and after cover any transition near.
    let before = offset_at(wall - DAY_MS)?;
    let after = offset_at(wall + DAY_MS)?;
    let mut valid: Vec<i64> = [before, after]
        .into_iter()
        .map(|offset| wall - offset)
        .filter(|instant| offset_at(*instant).is_some_and(|o| instant + o == wall))
        .collect();
    valid.sort_unstable();
    Some(valid.first().copied().unwrap_or(wall - before))
}

/// The zone's wall-clock time at instant `ms`, written as if it were UTC,
/// from `Intl.DateTimeFormat`; `None` for a zone the browser does not know.
pub fn wall_clock_ms(zone: &str, ms: i64) -> Option<i64> {
    use js_sys::{Array, Reflect};
    use wasm_bindgen::JsCast;
    // An unknown zone throws a RangeError here: that is the `None`.
    let formatter = browser::date_time_format(
        &["en-US"],
        &[
            ("timeZone", zone),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
        ],
    )?;
    let when = js_sys::Date::new(&(ms as f64).into());
    let parts: Array = browser::call_method(&formatter, "formatToParts", &[when.into()])?
        .dyn_into()
        .ok()?;
    let mut fields = [0i64; 6];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        fields[slot] = value.parse().ok()?;
    }
    let [year, month, day, hour, minute, second] = fields;
    let date = Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    Some(
        date.days_since_epoch() * DAY_MS
            + (hour % 24) * 3_600_000
            + minute * 60_000
            + second * 1000,
    )
}

/// The zone's offset from UTC at instant `ms`.
fn zone_offset_ms(zone: &str, ms: i64) -> Option<i64> {
    let whole_second = ms.div_euclid(1000) * 1000;
    Some(wall_clock_ms(zone, whole_second)? - whole_second)
}

/// A local date and time as typed (`2026-07-15T10:00`), as wall-clock ms.
pub fn parse_wall(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('T')?;
    let date: Date = date.parse().ok()?;
    let mut hm = time.split(':');
    let hour: i64 = hm.next()?.parse().ok()?;
    let minute: i64 = hm.next()?.parse().ok()?;
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    Some(date.days_since_epoch() * DAY_MS + hour * 3_600_000 + minute * 60_000)
}

/// Wall-clock ms as a `datetime-local` value.
pub fn format_wall(wall: i64) -> String {
    let date = Date::from_unix_ms(wall)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let minutes = wall.rem_euclid(DAY_MS) / 60_000;
    format!("{date}T{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A typed local date and time in `zone` as a UTC instant, or why not.
pub fn local_to_utc(field: &str, text: &str, zone: &str) -> Result<i64, Rejection> {
    if text.trim().is_empty() {
        return Err(Rejection::new(RejectionCode::EmptyField).with(Param::Field, field));
    }
    let wall = parse_wall(text).ok_or_else(|| {
        Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, field)
            .with(Param::Expected, "date_time")
    })?;
    instant_of_wall_time(wall, |ms| zone_offset_ms(zone, ms)).ok_or_else(|| {
        Rejection::new(RejectionCode::InvalidValue)
            .with(Param::Field, "time_zone")
            .with(Param::Expected, "time_zone")
    })
}

/// The browser's own zone, e.g. `Europe/Berlin`.
fn browser_zone() -> Option<String> {
    let formatter = browser::date_time_format(&[], &[])?;
    let options = browser::call_method(&formatter, "resolvedOptions", &[])?;
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// The zones to choose from, sorted: Europe's, UTC, the browser's own and
/// `also` (e.g. the zone a meeting has now).
pub fn choosable_zones(also: &[&str]) -> Vec<String> {
    use js_sys::Array;
    use wasm_bindgen::JsCast;
    let mut zones: Vec<String> = browser::intl()
        .and_then(|intl| browser::call_method(&intl, "supportedValuesOf", &["timeZone".into()]))
        .and_then(|list| list.dyn_into::<Array>().ok())
        .map(|list| list.iter().filter_map(|z| z.as_string()).collect())
        .unwrap_or_default();
    zones.retain(|z| z.starts_with("Europe/"));
    zones.push("UTC".to_owned());
    zones.extend(also.iter().map(|z| (*z).to_owned()));
    zones.extend(browser_zone());
    zones.retain(|z| !z.is_empty());
    zones.sort();
    zones.dedup();
    zones
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brussels: UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC
    /// to the last Sunday of October 01:00 UTC (2026: 29 March, 25 October).
    fn brussels(ms: i64) -> Option<i64> {
        let at =
            |y, m, d| Date::new(y, m, d).expect("valid").days_since_epoch() * DAY_MS + 3_600_000;
        let summer = at(2026, 3, 29) <= ms && ms < at(2026, 10, 25);
        Some(if summer { 7_200_000 } else { 3_600_000 })
    }

    fn wall(text: &str) -> i64 {
        parse_wall(text).expect("a valid local time")
    }

    fn utc(text: &str) -> i64 {
        wall(text)
    }

    #[test]
    fn summer_and_winter_times_become_the_right_instants() {
        assert_eq!(
            instant_of_wall_time(wall("2026-07-15T10:00"), brussels),
            Some(utc("2026-07-15T08:00"))
        );
        assert_eq!(
            instant_of_wall_time(wall("2026-01-14T10:00"), brussels),
            Some(utc("2026-01-14T09:00"))
        );
    }

    #[test]
    fn transition_days_are_resolved_like_calendars_do() {
        // 02:30 on 29 March does not exist: the clocks jump from 02:00 to 03:00.
        assert_eq!(
            instant_of_wall_time(wall("2026-03-29T02:30"), brussels),
            Some(utc("2026-03-29T01:30"))
        );
        // 02:30 on 25 October happens twice: the earlier one.
        assert_eq!(
            instant_of_wall_time(wall("2026-10-25T02:30"), brussels),
            Some(utc("2026-10-25T00:30"))
        );
        // Just before and after the spring jump.
        assert_eq!(
            instant_of_wall_time(wall("2026-03-29T01:59"), brussels),
            Some(utc("2026-03-29T00:59"))
        );
        assert_eq!(
            instant_of_wall_time(wall("2026-03-29T03:00"), brussels),
            Some(utc("2026-03-29T01:00"))
        );
        assert_eq!(
            instant_of_wall_time(wall("2026-07-15T10:00"), |_| None),
            None
        );
    }

    #[test]
    fn local_times_parse_and_print() {
        assert_eq!(format_wall(wall("2026-07-15T09:05")), "2026-07-15T09:05");
        assert_eq!(parse_wall("2026-07-15T24:00"), None);
        assert_eq!(parse_wall("2026-07-15"), None);
        assert_eq!(
            parse_wall("2026-07-15T10:00:30"),
            Some(wall("2026-07-15T10:00"))
        );
    }
}
