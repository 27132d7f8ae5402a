//! Dates, times and numbers as each language writes them.
//!
//! Calendar dates and numbers are formatted here in Rust (tested natively);
//! instants shown in a time zone go through the browser's `Intl`, which
//! knows the zone rules.

use ara_shared::{Date, Quarter};

use super::Lang;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// The name of month `m` (1 to 12).
pub fn month_name(lang: Lang, m: u8) -> &'static str {
    let i = usize::from(m.clamp(1, 12) - 1);
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::De => MONTHS_DE[i],
    }
}

/// "17 November 2022" / "17. November 2022".
pub fn date(lang: Lang, d: Date) -> String {
    let month = month_name(lang, d.month());
    match lang {
        Lang::En => format!("{} {month} {}", d.day(), d.year()),
        Lang::De => format!("{}. {month} {}", d.day(), d.year()),
    }
}

/// "17 Nov 2022" / "17.11.2022", where space is short.
pub fn date_short(lang: Lang, d: Date) -> String {
    match lang {
        Lang::En => {
            let month: String = month_name(lang, d.month()).chars().take(3).collect();
            format!("{} {month} {}", d.day(), d.year())
        }
        Lang::De => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
    }
}

/// "Q3 2025" / "3. Quartal 2025".
pub fn quarter(lang: Lang, q: Quarter) -> String {
    match lang {
        Lang::En => format!("Q{} {}", q.q(), q.year()),
        Lang::De => format!("{}. Quartal {}", q.q(), q.year()),
    }
}

/// "Q3 2025" / "Q3/2025", where space is short (axes, badges).
pub fn quarter_short(lang: Lang, q: Quarter) -> String {
    match lang {
        Lang::En => format!("Q{} {}", q.q(), q.year()),
        Lang::De => format!("Q{}/{}", q.q(), q.year()),
    }
}

/// A whole number with the language's thousands separator: "12,345" / "12.345".
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = match lang {
        Lang::En => ',',
        Lang::De => '.',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A share as a whole percentage: "42%" / "42 %".
pub fn percent(lang: Lang, part: usize, whole: usize) -> String {
    let p = (part * 100 + whole / 2).checked_div(whole).unwrap_or(0);
    match lang {
        Lang::En => format!("{p}%"),
        Lang::De => format!("{p} %"),
    }
}

/// An instant (Unix ms) as date and time in `time_zone` (IANA name), or in
/// the browser's own zone when `None`, e.g. "17 Nov 2022, 14:30".
pub fn date_time(lang: Lang, ms: i64, time_zone: Option<&str>) -> String {
    intl_date_time(lang, ms, time_zone).unwrap_or_else(|| {
        // A zone the browser does not know: say the time in UTC, as such.
        let d = Date::from_unix_ms(ms).map(|d| date_short(lang, d));
        let minutes = ms.rem_euclid(86_400_000) / 60_000;
        format!(
            "{}, {:02}:{:02} UTC",
            d.unwrap_or_default(),
            minutes / 60,
            minutes % 60
        )
    })
}

/// `Intl.DateTimeFormat`; an unknown zone is a `None` rather than an
/// exception thrown through the wasm.
fn intl_date_time(lang: Lang, ms: i64, time_zone: Option<&str>) -> Option<String> {
    let mut options = vec![("dateStyle", "medium"), ("timeStyle", "short")];
    options.extend(time_zone.map(|zone| ("timeZone", zone)));
    let formatter = crate::browser::date_time_format(&[lang.tag()], &options)?;
    let when = js_sys::Date::new(&(ms as f64).into());
    crate::browser::call_method(&formatter, "format", &[when.into()])?.as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_language() {
        let d = Date::new(2022, 11, 17).expect("valid date");
        assert_eq!(date(Lang::En, d), "17 November 2022");
        assert_eq!(date(Lang::De, d), "17. November 2022");
        assert_eq!(date_short(Lang::En, d), "17 Nov 2022");
        assert_eq!(date_short(Lang::De, d), "17.11.2022");
        let march = Date::new(2024, 3, 5).expect("valid date");
        assert_eq!(date(Lang::De, march), "5. März 2024");
    }

    #[test]
    fn numbers_and_quarters_follow_the_language() {
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::En, -1000), "-1,000");
        assert_eq!(number(Lang::De, 999), "999");
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(percent(Lang::En, 1, 3), "33%");
        assert_eq!(percent(Lang::De, 2, 3), "67 %");
        assert_eq!(percent(Lang::De, 0, 0), "0 %");
        let q = Quarter::new(2025, 3).expect("valid quarter");
        assert_eq!(quarter(Lang::En, q), "Q3 2025");
        assert_eq!(quarter(Lang::De, q), "3. Quartal 2025");
        assert_eq!(quarter_short(Lang::De, q), "Q3/2025");
    }
}
