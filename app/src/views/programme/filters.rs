//! The programme's filters and view choice, read from and written to the
//! address (`/programme?view=board&status=adopted&q=skills`), so that a
//! filtered view can be bookmarked and shared, and back and forward
//! restore it. The parsing and matching are pure and tested natively.

use ara_shared::{Dimension, Priority, PriorityStatus, RegionId, Term};

/// Board (columns by status) or list (programme order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ViewMode {
    #[default]
    List,
    Board,
}

impl ViewMode {
    pub fn key(self) -> &'static str {
        match self {
            ViewMode::List => "list",
            ViewMode::Board => "board",
        }
    }

    fn from_key(key: &str) -> Self {
        if key == "board" {
            ViewMode::Board
        } else {
            ViewMode::List
        }
    }
}

/// What the person narrowed the programme to. Every field is optional; set
/// fields combine (all must match).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub point: Option<u8>,
    pub term: Option<Term>,
    pub status: Option<PriorityStatus>,
    /// Lead or supporting region.
    pub region: Option<RegionId>,
    pub dimension: Option<Dimension>,
    pub initiative: Option<String>,
    /// Words searched in the title and summary.
    pub text: String,
}

impl Filters {
    /// From the address's query (`get` returns a decoded value); values that
    /// make no sense are ignored rather than showing nothing.
    pub fn from_query<'a>(get: impl Fn(&str) -> Option<&'a str>) -> (ViewMode, Filters) {
        let view = get("view").map(ViewMode::from_key).unwrap_or_default();
        let filters = Filters {
            point: get("point")
                .and_then(|p| p.parse().ok())
                .filter(|p| (1..=10).contains(p)),
            term: get("term").and_then(|t| Term::ALL.into_iter().find(|x| x.key() == t)),
            status: get("status").and_then(PriorityStatus::from_key),
            region: get("region").and_then(|r| r.parse().ok()),
            dimension: get("dim").and_then(|d| Dimension::ALL.into_iter().find(|x| x.key() == d)),
            initiative: get("init")
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(str::to_owned),
            text: get("q").unwrap_or_default().to_owned(),
        };
        (view, filters)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// `(key, value)` pairs of the set filters, always in the same order.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if let Some(p) = self.point {
            pairs.push(("point", p.to_string()));
        }
        if let Some(t) = self.term {
            pairs.push(("term", t.key().to_owned()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.key().to_owned()));
        }
        if let Some(r) = self.region {
            pairs.push(("region", r.to_string()));
        }
        if let Some(d) = self.dimension {
            pairs.push(("dim", d.key().to_owned()));
        }
        if let Some(i) = &self.initiative {
            pairs.push(("init", i.clone()));
        }
        pairs
    }

    /// The programme's address showing `view` with these filters.
    pub fn href(&self, view: ViewMode) -> String {
        let mut pairs = Vec::new();
        if view != ViewMode::default() {
            pairs.push(("view", view.key().to_owned()));
        }
        pairs.extend(self.pairs());
        let query: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        if query.is_empty() {
            "/programme".into()
        } else {
            format!("/programme?{}", query.join("&"))
        }
    }

    /// Whether `p` passes every set filter. `words` are the search text's
    /// words in lower case (see [`Filters::words`]), computed once per
    /// filtering rather than once per priority.
    pub fn matches(&self, p: &Priority, words: &[String]) -> bool {
        self.point.is_none_or(|n| p.ten_points.contains(&n))
            && self.term.is_none_or(|t| p.horizon.term == t)
            && self.status.is_none_or(|s| p.status == s)
            && self.region.is_none_or(|r| p.concerns(r))
            && self.dimension.is_none_or(|d| p.dimensions.contains(&d))
            && self
                .initiative
                .as_ref()
                .is_none_or(|i| p.initiatives.contains(i))
            && (words.is_empty() || {
                let title = p.title.to_lowercase();
                let summary = p.summary.to_lowercase();
                words
                    .iter()
                    .all(|w| title.contains(w.as_str()) || summary.contains(w.as_str()))
            })
    }

    /// The search text's words, lower case.
    pub fn words(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ara_shared::{Horizon, PriorityId, Quarter};
    use std::collections::HashMap;

    fn parse(query: &[(&str, &str)]) -> (ViewMode, Filters) {
        let map: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Filters::from_query(|k| map.get(k).map(String::as_str))
    }

    fn priority() -> Priority {
        let mut p = Priority::new(
            PriorityId::from_parts(1, [1; 10]),
            "Battery Skills Academy".into(),
            Horizon {
                term: Term::Short,
                start: Quarter::new(2026, 1).expect("valid"),
                end: Quarter::new(2026, 4).expect("valid"),
            },
        );
        p.summary = "Reskilling workers for cell production".into();
        p.ten_points.insert(3);
        p.dimensions.insert(Dimension::Social);
        p.initiatives.insert("EGD".into());
        p.supporting_regions
            .insert(RegionId::from_parts(2, [2; 10]));
        p
    }

    #[test]
    fn the_address_round_trips_every_filter() {
        let filters = Filters {
            point: Some(3),
            term: Some(Term::Medium),
            status: Some(PriorityStatus::InProgress),
            region: Some(RegionId::from_parts(2, [2; 10])),
            dimension: Some(Dimension::Economic),
            initiative: Some("FF55".into()),
            text: "skills & jobs".into(),
        };
        let href = filters.href(ViewMode::Board);
        assert!(href.starts_with("/programme?view=board&q=skills%20%26%20jobs&point=3&term=medium&status=in_progress&region="));
        let query = href.split_once('?').expect("a query").1;
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("k=v");
                (k.to_owned(), v.replace("%20", " ").replace("%26", "&"))
            })
            .collect();
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(parse(&refs), (ViewMode::Board, filters));
        assert_eq!(Filters::default().href(ViewMode::List), "/programme");
    }

    #[test]
    fn nonsense_in_the_address_is_ignored() {
        let (view, filters) = parse(&[
            ("view", "table"),
            ("point", "11"),
            ("status", "finished"),
            ("region", "not-an-id"),
            ("init", "  "),
        ]);
        assert_eq!(view, ViewMode::List);
        assert!(filters.is_empty());
    }

    #[test]
    fn filters_combine_and_search_title_and_summary() {
        let p = priority();
        let check = |query: &[(&str, &str)]| {
            let (_, f) = parse(query);
            f.matches(&p, &f.words())
        };
        assert!(check(&[]));
        assert!(check(&[
            ("point", "3"),
            ("term", "short"),
            ("dim", "social")
        ]));
        assert!(!check(&[("point", "3"), ("term", "medium")]));
        assert!(check(&[("status", "proposed"), ("init", "EGD")]));
        assert!(!check(&[("init", "FF55")]));
        assert!(check(&[(
            "region",
            &RegionId::from_parts(2, [2; 10]).to_string()
        )]));
        assert!(!check(&[(
            "region",
            &RegionId::from_parts(3, [3; 10]).to_string()
        )]));
        assert!(check(&[("q", "battery")]), "case does not matter");
        assert!(
            check(&[("q", "cell SKILLS")]),
            "words may come from title and summary"
        );
        assert!(!check(&[("q", "hydrogen")]));
    }
}
