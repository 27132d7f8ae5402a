//! iCalendar (RFC 5545) for meetings: one `.ics` per meeting, and a feed of
//! all meetings that calendar clients subscribe to under a secret URL.
//!
//! Times are written in UTC (`...Z`), which every client converts to its own
//! zone; the meeting's own zone is named in the description for people.

use ara_shared::meeting::{Meeting, MeetingKind};
use ara_shared::{Date, State};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, name: &str, value: &str) {
    let full = format!("{name}:{value}");
    let mut width = 0;
    for c in full.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// `YYYYMMDDTHHMMSSZ` of a Unix time in milliseconds.
pub fn utc(ms: i64) -> String {
    let date = Date::from_unix_ms(ms)
        .map(|d| d.to_string().replace('-', ""))
        .unwrap_or_else(|| "20000101".into());
    let seconds = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{date}T{:02}{:02}{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn kind_name(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::WorkingLevel => "Working-level meeting",
        MeetingKind::VideoConference => "Video conference",
        MeetingKind::AnnualConference => "Annual conference",
        MeetingKind::InterregionalGroup => "Interregional group",
    }
}

fn event(out: &mut String, meeting: &Meeting, state: &State, now_ms: i64) {
    line(out, "BEGIN", "VEVENT");
    line(out, "UID", &format!("{}@ara-planner", meeting.id));
    line(out, "DTSTAMP", &utc(now_ms));
    line(out, "DTSTART", &utc(meeting.start_ms));
    line(out, "DTEND", &utc(meeting.end_ms));
    line(out, "SUMMARY", &escape(&meeting.title));
    let place = if meeting.place.is_empty() {
        &meeting.video_link
    } else {
        &meeting.place
    };
    if !place.is_empty() {
        line(out, "LOCATION", &escape(place));
    }
    if !meeting.video_link.is_empty() {
        line(out, "URL", &meeting.video_link);
    }
    let mut description = format!("{} ({})", kind_name(meeting.kind), meeting.time_zone);
    if !meeting.agenda.is_empty() {
        description.push_str("\n\nAgenda:");
        for (i, item) in meeting.agenda.iter().enumerate() {
            description.push_str(&format!("\n{}. {}", i + 1, item.title));
            if let Some(p) = item.priority.and_then(|p| state.priorities.get(&p)) {
                description.push_str(&format!(" ({})", p.title));
            }
        }
    }
    if !meeting.minutes.is_empty() {
        description.push_str("\n\nMinutes:\n");
        description.push_str(&meeting.minutes);
    }
    line(out, "DESCRIPTION", &escape(&description));
    line(out, "END", "VEVENT");
}

/// A calendar with the given meetings.
pub fn calendar<'a>(
    name: &str,
    meetings: impl IntoIterator<Item = &'a Meeting>,
    state: &State,
    now_ms: i64,
) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN", "VCALENDAR");
    line(&mut out, "VERSION", "2.0");
    line(
        &mut out,
        "PRODID",
        "-//Automotive Regions Alliance//ARA Planner//EN",
    );
    line(&mut out, "CALSCALE", "GREGORIAN");
    line(&mut out, "METHOD", "PUBLISH");
    line(&mut out, "X-WR-CALNAME", &escape(name));
    for meeting in meetings {
        event(&mut out, meeting, state, now_ms);
    }
    line(&mut out, "END", "VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_is_escaped() {
        let mut out = String::new();
        line(&mut out, "SUMMARY", &escape(&"Ä, b; c\\\n".repeat(20)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(out.starts_with("SUMMARY:Ä\\, b\\; c\\\\\\n"));
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(utc(1_768_899_600_000), "20260120T090000Z");
    }
}
