//! The read side of reports: the figures a report computes from the
//! aggregate buckets (headline, trend, areas, distributions, segments,
//! open texts) and the raw-responses CSV.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::aggregate::{day_text, dimensions, histogram, parse_day, via_counter, Bucket, Counters, Dimension};
use crate::domain::i18n::{pick, Lang, Localized};
use crate::domain::kinds::{spreadsheet_safe, Period};
use crate::domain::metrics::{ces, csat, nps_change_p, nps_counts, response_rate, scale_score, NpsCounts, SIGNIFICANT_P};
use crate::domain::response::{Channel, Response, Via};
use crate::domain::survey::{ids, Answer, Answering, Definition, Section};

/// Segments smaller than this are shown but flagged: their figures say little.
pub const SMALL_SEGMENT: u64 = 5;

/// Resolves the segment names of a report request: an operational field by
/// its exact name, else a question id. An unknown name is an error naming it
/// and the names that exist.
pub fn resolve_segments(names: &[String], def: &Definition, operational_fields: &[String]) -> Result<Vec<Dimension>, String> {
    let all = dimensions(def, operational_fields);
    let mut out = Vec::new();
    for name in names {
        let found = all
            .iter()
            .find(|d| matches!(d, Dimension::Field(f) if f == name))
            .or_else(|| all.iter().find(|d| matches!(d, Dimension::Question(q) if q == name)));
        match found {
            Some(d) if !out.contains(d) => out.push(d.clone()),
            Some(_) => {}
            None => {
                let known: Vec<&str> = all.iter().map(Dimension::name).collect();
                return Err(format!(
                    "unknown segment field {name:?}; this project can be broken down by: {}",
                    if known.is_empty() { "nothing yet".to_string() } else { known.join(", ") }
                ));
            }
        }
    }
    Ok(out)
}

fn add(into: &mut Counters, from: &Counters) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

fn count(c: &Counters, name: &str) -> u64 {
    c.get(name).copied().unwrap_or(0)
}

/// A report request: the days covered (inclusive), the trend's period and
/// the segment breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub period: Period,
    #[serde(default)]
    pub segments: Vec<Dimension>,
    /// The fewest answers a score is shown for (the project's setting).
    #[serde(default = "default_min_responses")]
    pub min_responses: u64,
    /// Only the responses of one segment value (an alert's link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

/// One value of one segment dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub dimension: Dimension,
    pub value: String,
}

fn utc() -> String {
    "UTC".into()
}

/// Longest range one report covers.
pub const MAX_RANGE_DAYS: i64 = 800;

/// Days a report covers when not told otherwise: the four weeks up to today.
pub const DEFAULT_RANGE_DAYS: i64 = 28;

impl Request {
    /// The report made when nothing else is asked: the
    /// [`DEFAULT_RANGE_DAYS`] up to `today`, by the default period, broken
    /// down by `segments`.
    pub fn recent(today: Date, segments: Vec<Dimension>) -> Self {
        Request {
            from: day_text(today - time::Duration::days(DEFAULT_RANGE_DAYS - 1)),
            to: day_text(today),
            period: Period::default(),
            segments,
            min_responses: MIN_RESPONSES,
            filter: None,
        }
    }

    /// The range as dates, checked (`from` ≤ `to`, at most [`MAX_RANGE_DAYS`]).
    pub fn range(&self) -> Result<(Date, Date), String> {
        let from = parse_day(&self.from).ok_or_else(|| format!("from: {:?} is not a day (YYYY-MM-DD)", self.from))?;
        let to = parse_day(&self.to).ok_or_else(|| format!("to: {:?} is not a day (YYYY-MM-DD)", self.to))?;
        if to < from {
            return Err(format!("to: {} is before from ({})", self.to, self.from));
        }
        if (to - from).whole_days() >= MAX_RANGE_DAYS {
            return Err(format!("to: a report covers at most {MAX_RANGE_DAYS} days"));
        }
        Ok((from, to))
    }

    /// The range just before this one, of the same length (for "change vs
    /// the previous period").
    pub fn previous_range(&self) -> Result<(Date, Date), String> {
        let (from, to) = self.range()?;
        let len = (to - from).whole_days() + 1;
        Ok((from - Duration::days(len), from - Duration::days(1)))
    }
}

/// The NPS of some answers with its 95 % interval (adjusted Wald,
/// [`NpsCounts::interval`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    pub score: f64,
    /// Half the interval's width (the interval is not centred on the score
    /// at small samples: `low` and `high` are what to show).
    pub margin: f64,
    #[serde(default)]
    pub low: f64,
    #[serde(default)]
    pub high: f64,
    /// Fewer answers than the project's minimum: the score is not shown,
    /// only "too few responses (n = …)".
    #[serde(default)]
    pub too_few: bool,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl Nps {
    pub fn answers(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }
}

/// The fewest answers a score is shown for, unless the project sets
/// another (`min_responses`): below it a page says "too few responses".
pub const MIN_RESPONSES: u64 = 10;

fn default_min_responses() -> u64 {
    MIN_RESPONSES
}

/// The headline figures of a range.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Headline {
    pub responses: u64,
    pub nps: Option<Nps>,
    /// % of 4–5 on 1–5.
    pub csat: Option<f64>,
    /// Answers behind `csat` and `ces` (a score is shown only from the minimum).
    #[serde(default)]
    pub csat_answers: u64,
    #[serde(default)]
    pub ces_answers: u64,
    /// Mean effort on 1–7.
    pub ces: Option<f64>,
    /// % of 5–7 ("easy").
    pub ces_easy: Option<f64>,
    /// Personal-link responses ÷ invitations sent in the range (%).
    pub response_rate: Option<f64>,
    pub invitations: u64,
    pub follow_ups: u64,
    /// Personal-link responses by the part of the invitation email they
    /// came from.
    #[serde(default)]
    pub via: ViaCounts,
}

/// Responses by how their personal link was opened from the invitation
/// email (responses from before this was recorded, from anonymous links
/// and from API clients count under neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ViaCounts {
    /// Opened with a score of the email's 0–10 row.
    #[serde(default)]
    pub scale: u64,
    /// Opened with the email's button or its plain link.
    #[serde(default)]
    pub button: u64,
}

fn nps_of(c: &Counters, min: u64) -> Option<Nps> {
    let counts: NpsCounts = nps_counts(&histogram(c, ids::NPS));
    let (low, high) = counts.interval()?;
    Some(Nps {
        score: counts.score()?,
        margin: (high - low) / 2.0,
        low,
        high,
        too_few: counts.total() < min,
        promoters: counts.promoters,
        passives: counts.passives,
        detractors: counts.detractors,
    })
}

/// The headline figures of summed counters, scores below `min` answers
/// marked too few.
pub fn headline(c: &Counters, min: u64) -> Headline {
    let (csat_h, ces_h) = (histogram(c, ids::CSAT), histogram(c, ids::CES));
    let ce = ces(&ces_h);
    Headline {
        responses: count(c, "n"),
        nps: nps_of(c, min),
        csat: csat(&csat_h),
        csat_answers: csat_h.values().sum(),
        ces_answers: ces_h.values().sum(),
        ces: ce.map(|x| x.0),
        ces_easy: ce.map(|x| x.1),
        response_rate: response_rate(count(c, "personal"), count(c, "invited")),
        invitations: count(c, "invited"),
        follow_ups: count(c, "follow_up"),
        via: ViaCounts { scale: count(c, &via_counter(Via::Scale)), button: count(c, &via_counter(Via::Button)) },
    }
}

/// Change of the headline figures against the previous range (points).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Change {
    pub responses: i64,
    pub nps: Option<f64>,
    /// The two-sided p-value of the NPS change ([`nps_change_p`]); the
    /// change is called significant at [`SIGNIFICANT_P`] or below.
    #[serde(default)]
    pub nps_p: Option<f64>,
    #[serde(default)]
    pub nps_significant: bool,
    pub csat: Option<f64>,
    pub ces: Option<f64>,
}

/// One point of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// First day of the period.
    pub start: String,
    pub responses: u64,
    pub nps: Option<f64>,
    pub csat: Option<f64>,
    pub ces: Option<f64>,
    /// The NPS's 95 % interval (adjusted Wald), drawn as a band.
    #[serde(default)]
    pub nps_low: Option<f64>,
    #[serde(default)]
    pub nps_high: Option<f64>,
    /// CSAT's (Wilson) and CES's (the mean's) 95 % intervals.
    #[serde(default)]
    pub csat_band: Option<(f64, f64)>,
    #[serde(default)]
    pub ces_band: Option<(f64, f64)>,
}

/// How the answers to one question spread over its values or options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub question: String,
    pub title: String,
    /// (value, label, count), in the question's order.
    pub bars: Vec<(String, String, u64)>,
}

/// One of the assessment's areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub section: Section,
    pub title: String,
    /// Mean of the area's scale questions on 0–100; `None` without scale answers.
    pub score: Option<f64>,
    /// Answers to the area's questions.
    pub answers: u64,
}

/// One row of a segment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    pub value: String,
    pub responses: u64,
    pub nps: Option<Nps>,
    pub csat: Option<f64>,
    pub ces: Option<f64>,
    #[serde(default)]
    pub csat_answers: u64,
    #[serde(default)]
    pub ces_answers: u64,
    /// Fewer than [`SMALL_SEGMENT`] responses: shown, but flagged.
    pub small: bool,
}

/// The breakdown by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentTable {
    pub dimension: Dimension,
    pub title: String,
    pub rows: Vec<SegmentRow>,
}

/// An open-text answer shown in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub submitted_at: String,
    pub question: String,
    pub text: String,
    pub nps: Option<i64>,
    pub follow_up: bool,
}

/// At most this many open-text answers are listed (the newest).
pub const MAX_TEXTS: usize = 200;

/// Everything a report shows; `render::report` draws it, the JSON is this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub project_id: String,
    pub organisation_name: String,
    pub from: String,
    pub to: String,
    pub period: Period,
    pub generated_at: String,
    /// Plain words when there is nothing to show (no responses in the range).
    pub note: Option<String>,
    pub headline: Headline,
    pub previous: Headline,
    pub change: Change,
    pub areas: Vec<Area>,
    pub trend: Vec<TrendPoint>,
    pub distributions: Vec<Distribution>,
    pub segments: Vec<SegmentTable>,
    pub texts: Vec<TextAnswer>,
    /// Open-text answers in the range beyond the ones listed.
    pub texts_not_listed: u64,
    /// The fewest answers a score is shown for (the project's setting).
    #[serde(default = "default_min_responses")]
    pub min_responses: u64,
    /// The project's time zone (IANA name): the page shows times in it.
    #[serde(default = "utc")]
    pub time_zone: String,
    /// The figures are of one segment value only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

fn delta(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(now? - before?)
}

fn en(l: &Localized) -> String {
    pick(l, Lang::En).to_string()
}

/// The inputs of [`figures`], as read from the store.
pub struct Inputs<'a> {
    pub project_id: &'a str,
    pub definition: &'a Definition,
    pub request: &'a Request,
    /// Project buckets covering the previous range and the range.
    pub totals: &'a [Bucket],
    /// Segment buckets in the range, per requested dimension.
    pub segments: &'a [(Dimension, Vec<Bucket>)],
    /// The newest open-text answers of the range (at most [`MAX_TEXTS`]).
    pub texts: Vec<TextAnswer>,
    pub generated_at: &'a str,
}

/// Computes a report's figures from aggregate buckets.
pub fn figures(i: Inputs<'_>) -> Result<Figures, String> {
    let (from, to) = i.request.range()?;
    let (pfrom, pto) = i.request.previous_range()?;
    let def = i.definition;
    let mut now = Counters::new();
    let mut before = Counters::new();
    let mut by_period: BTreeMap<Date, Counters> = BTreeMap::new();
    for b in i.totals {
        let Some(day) = b.day else { continue };
        if (from..=to).contains(&day) {
            add(&mut now, &b.counters);
            add(by_period.entry(i.request.period.start(day)).or_default(), &b.counters);
        } else if (pfrom..=pto).contains(&day) {
            add(&mut before, &b.counters);
        }
    }
    // Every period of the range appears in the trend, empty ones too.
    let mut p = i.request.period.start(from);
    while p <= to {
        by_period.entry(p).or_default();
        p = match i.request.period {
            Period::Day => p + Duration::days(1),
            Period::Week => p + Duration::days(7),
            Period::Month => p.replace_day(28).map(|d| Period::Month.start(d + Duration::days(7))).unwrap_or(to + Duration::days(1)),
        };
    }
    let trend = by_period
        .iter()
        .map(|(start, c)| {
            use crate::domain::alerts::Metric;
            let nps = nps_of(c, 0);
            let (csat_r, ces_r) = (super::verdict::reading(Metric::Csat, c), super::verdict::reading(Metric::Ces, c));
            TrendPoint {
                start: day_text(*start),
                responses: count(c, "n"),
                nps: nps.map(|n| n.score),
                nps_low: nps.map(|n| n.low),
                nps_high: nps.map(|n| n.high),
                csat_band: csat_r.map(|r| (r.low, r.high)),
                ces_band: ces_r.map(|r| (r.low, r.high)),
                csat: csat_r.map(|r| r.value),
                ces: ces_r.map(|r| r.value),
            }
        })
        .collect();

    let min = i.request.min_responses;
    let head = headline(&now, min);
    let prev = headline(&before, min);
    let nps_p = nps_change_p(&nps_counts(&histogram(&now, ids::NPS)), &nps_counts(&histogram(&before, ids::NPS)));
    let change = Change {
        responses: head.responses as i64 - prev.responses as i64,
        nps: delta(head.nps.map(|n| n.score), prev.nps.map(|n| n.score)),
        nps_p,
        // both sides must have enough answers for a change to be called
        nps_significant: nps_p.is_some_and(|p| p <= SIGNIFICANT_P)
            && head.nps.is_some_and(|n| !n.too_few)
            && prev.nps.is_some_and(|n| !n.too_few),
        csat: delta(head.csat, prev.csat),
        ces: delta(head.ces, prev.ces),
    };

    let mut distributions = Vec::new();
    let mut areas: Vec<Area> = Vec::new();
    for q in &def.questions {
        let bars: Vec<(String, String, u64)> = match &q.answering {
            Answering::Scale { min, max, .. } => {
                (*min..=*max).map(|v| (v.to_string(), v.to_string(), count(&now, &format!("{}.{v}", q.id)))).collect()
            }
            Answering::Single { choices } | Answering::Multi { choices } if q.section != Section::FollowUp => {
                choices.iter().map(|c| (c.value.clone(), en(&c.label), count(&now, &format!("{}={}", q.id, c.value)))).collect()
            }
            _ => Vec::new(),
        };
        if !bars.is_empty() {
            distributions.push(Distribution { question: q.id.clone(), title: en(&q.text), bars });
        }
    }
    for section in [Section::Communication, Section::Action, Section::Confidence, Section::InPerson, Section::CustomerNeeds] {
        let qs: Vec<_> = def.questions.iter().filter(|q| q.section == section).collect();
        if qs.is_empty() {
            continue;
        }
        let scores: Vec<f64> = qs
            .iter()
            .filter_map(|q| match q.answering {
                Answering::Scale { min, max, .. } => scale_score(&histogram(&now, &q.id), min, max),
                _ => None,
            })
            .collect();
        let answers = qs
            .iter()
            .map(|q| match &q.answering {
                Answering::Scale { .. } => histogram(&now, &q.id).values().sum(),
                Answering::Single { choices } => choices.iter().map(|c| count(&now, &format!("{}={}", q.id, c.value))).sum(),
                Answering::Multi { .. } => 0,
                Answering::Text { .. } => count(&now, &format!("{}:text", q.id)),
            })
            .max()
            .unwrap_or(0);
        areas.push(Area {
            section,
            title: en(&section.title()),
            score: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            answers,
        });
    }

    let mut segments = Vec::new();
    for (dim, buckets) in i.segments {
        let mut by_value: BTreeMap<&str, Counters> = BTreeMap::new();
        for b in buckets {
            let (Some(day), Some(v)) = (b.day, b.value.as_deref()) else { continue };
            if (from..=to).contains(&day) {
                add(by_value.entry(v).or_default(), &b.counters);
            }
        }
        let mut rows: Vec<SegmentRow> = by_value
            .into_iter()
            .map(|(v, c)| {
                let h = headline(&c, min);
                SegmentRow {
                    value: v.to_string(),
                    responses: h.responses,
                    nps: h.nps,
                    csat: h.csat,
                    ces: h.ces,
                    csat_answers: h.csat_answers,
                    ces_answers: h.ces_answers,
                    small: h.responses < SMALL_SEGMENT,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.responses.cmp(&a.responses).then(a.value.cmp(&b.value)));
        let title = match dim {
            Dimension::Field(f) => f.clone(),
            Dimension::Question(q) => def.question(q).map(|q| en(&q.text)).unwrap_or_else(|| q.clone()),
        };
        segments.push(SegmentTable { dimension: dim.clone(), title, rows });
    }

    let text_total: u64 =
        def.questions.iter().filter(|q| q.section == Section::CustomerNeeds).map(|q| count(&now, &format!("{}:text", q.id))).sum();
    let texts: Vec<TextAnswer> = i.texts.into_iter().take(MAX_TEXTS).collect();
    let note = (head.responses == 0).then(|| format!("No responses between {} and {}.", i.request.from, i.request.to));
    Ok(Figures {
        project_id: i.project_id.to_string(),
        organisation_name: def.organisation_name.clone(),
        from: day_text(from),
        to: day_text(to),
        period: i.request.period,
        generated_at: i.generated_at.to_string(),
        note,
        headline: head,
        previous: prev,
        change,
        areas,
        trend,
        distributions,
        segments,
        texts_not_listed: text_total.saturating_sub(texts.len() as u64),
        min_responses: min,
        texts,
        time_zone: utc(),
        filter: i.request.filter.clone(),
    })
}

/// The columns of the raw-responses CSV: the response's identity, the
/// contact, each operational field, then each question by id.
pub fn csv_columns(def: &Definition, operational_fields: &[String]) -> Vec<String> {
    let mut cols: Vec<String> = ["response_id", "submitted_at", "version", "language", "channel", "email", "first_name", "last_name"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    cols.extend(operational_fields.iter().cloned());
    cols.extend(def.questions.iter().map(|q| q.id.clone()));
    cols
}

/// One CSV row of a response, cells neutralised against spreadsheet
/// formula injection (see [`spreadsheet_safe`]).
pub fn csv_row(def: &Definition, operational_fields: &[String], r: &Response) -> Vec<String> {
    let lang = serde_json::to_value(r.language).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let channel = match r.channel {
        Channel::Anonymous => "anonymous",
        Channel::Personal => "personal",
    };
    let mut row = vec![
        r.response_id.clone(),
        r.submitted_at.clone(),
        r.version.to_string(),
        lang,
        channel.to_string(),
        r.contact_email.clone().unwrap_or_default(),
        r.first_name.clone().unwrap_or_default(),
        r.last_name.clone().unwrap_or_default(),
    ];
    row.extend(operational_fields.iter().map(|f| r.embedded.get(f).cloned().unwrap_or_default()));
    row.extend(def.questions.iter().map(|q| match r.answers.get(&q.id) {
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::Text(t)) => t.clone(),
        Some(Answer::Many(vs)) => vs.join("; "),
        None => String::new(),
    }));
    row.into_iter().map(|c| spreadsheet_safe(&c)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::aggregate::contribution;
    use super::super::fixtures::{def, response};
    use super::*;
    use time::macros::date;

    /// Sums contributions into buckets as the store does.
    fn buckets(rs: &[Response]) -> (Vec<Bucket>, Vec<(Dimension, Vec<Bucket>)>) {
        let d = def();
        let mut totals: BTreeMap<Date, Counters> = BTreeMap::new();
        let mut segs: BTreeMap<(Dimension, Date, String), Counters> = BTreeMap::new();
        for r in rs {
            let c = contribution(&d, r).unwrap();
            for k in &c.counters {
                *totals.entry(c.day).or_default().entry(k.clone()).or_default() += 1;
                for (dim, v) in &c.segments {
                    *segs.entry((dim.clone(), c.day, v.clone())).or_default().entry(k.clone()).or_default() += 1;
                }
            }
        }
        let totals = totals.into_iter().map(|(day, counters)| Bucket { day: Some(day), value: None, counters }).collect();
        let mut by_dim: BTreeMap<Dimension, Vec<Bucket>> = BTreeMap::new();
        for ((dim, day, v), counters) in segs {
            by_dim.entry(dim).or_default().push(Bucket { day: Some(day), value: Some(v), counters });
        }
        (totals, by_dim.into_iter().collect())
    }

    fn request(from: &str, to: &str, period: Period, segments: Vec<Dimension>) -> Request {
        Request { from: from.into(), to: to.into(), period, segments, min_responses: MIN_RESPONSES, filter: None }
    }

    #[test]
    fn headline_figures_match_hand_computed_values() {
        // NPS 10, 9, 8, 3 → 2 promoters, 1 passive, 1 detractor: NPS 25.
        // CSAT 5, 4, 2 → 66.67 %. CES 7, 3 → mean 5, easy 50 %.
        let rs = [
            response("2026-11-02T09:00:00Z", 10, Some("North"), &[(ids::CSAT, Answer::Number(5)), (ids::CES, Answer::Number(7))]),
            response("2026-11-02T10:00:00Z", 9, Some("South"), &[(ids::CSAT, Answer::Number(4)), (ids::CES, Answer::Number(3))]),
            response("2026-11-03T09:00:00Z", 8, None, &[(ids::CSAT, Answer::Number(2))]),
            response("2026-11-09T09:00:00Z", 3, Some("North"), &[]),
        ];
        let (totals, segs) = buckets(&rs);
        let req = request("2026-11-01", "2026-11-30", Period::Week, vec![Dimension::Field("Region".into())]);
        let f = figures(Inputs {
            project_id: "p",
            definition: &def(),
            request: &req,
            totals: &totals,
            segments: &segs,
            texts: vec![],
            generated_at: "t",
        })
        .unwrap();
        assert_eq!(f.headline.responses, 4);
        let nps = f.headline.nps.unwrap();
        assert_eq!((nps.promoters, nps.passives, nps.detractors), (2, 1, 1));
        assert!((nps.score - 25.0).abs() < 1e-9);
        // adjusted Wald: n' = 7, p' = 2.75/7, d' = 1.75/7 → −44.2 to 72.7
        assert!((nps.low + 44.16).abs() < 0.01 && (nps.high - 72.73).abs() < 0.01, "{nps:?}");
        assert!(nps.too_few, "4 answers are fewer than the default minimum of 10");
        assert!((f.headline.csat.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!((f.headline.ces, f.headline.ces_easy), (Some(5.0), Some(50.0)));
        assert_eq!(f.note, None);
        // Weeks starting Monday: 2026-10-26 (holds Nov 1), Nov 2, 9, 16, 23, 30.
        let weeks: Vec<(&str, u64)> = f.trend.iter().map(|p| (p.start.as_str(), p.responses)).collect();
        assert_eq!(
            weeks,
            vec![("2026-10-26", 0), ("2026-11-02", 3), ("2026-11-09", 1), ("2026-11-16", 0), ("2026-11-23", 0), ("2026-11-30", 0)]
        );
        let region = &f.segments[0];
        let rows: Vec<(&str, u64, bool)> = region.rows.iter().map(|r| (r.value.as_str(), r.responses, r.small)).collect();
        assert_eq!(rows, vec![("North", 2, true), ("South", 1, true)]);
        assert_eq!(region.rows[0].nps.unwrap().score, 0.0);
        let nps_bars = f.distributions.iter().find(|d| d.question == ids::NPS).unwrap();
        assert_eq!(nps_bars.bars.len(), 11);
        assert_eq!(nps_bars.bars[10].2, 1);
        assert_eq!(f.headline.via, ViaCounts::default(), "responses without a channel count under neither");
    }

    #[test]
    fn the_headline_counts_responses_by_the_part_of_the_email_they_came_from() {
        let via = |at: &str, nps: i64, via: Option<Via>| {
            let mut r = response(at, nps, None, &[]);
            r.via = via;
            r
        };
        let rs = [
            via("2026-11-02T09:00:00Z", 10, Some(Via::Scale)),
            via("2026-11-02T10:00:00Z", 9, Some(Via::Scale)),
            via("2026-11-03T09:00:00Z", 3, Some(Via::Button)),
            via("2026-11-04T09:00:00Z", 7, None),
            // before the range: counted in the previous range's headline
            via("2026-10-20T09:00:00Z", 8, Some(Via::Scale)),
        ];
        let (totals, segs) = buckets(&rs);
        let req = request("2026-11-01", "2026-11-30", Period::Week, vec![]);
        let f = figures(Inputs {
            project_id: "p",
            definition: &def(),
            request: &req,
            totals: &totals,
            segments: &segs,
            texts: vec![],
            generated_at: "t",
        })
        .unwrap();
        assert_eq!(f.headline.via, ViaCounts { scale: 2, button: 1 });
        assert_eq!(f.previous.via, ViaCounts { scale: 1, button: 0 });
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["headline"]["via"], serde_json::json!({ "scale": 2, "button": 1 }));
        // figures kept before the channel was recorded still read
        let mut old = json.clone();
        old["headline"].as_object_mut().unwrap().remove("via");
        assert_eq!(serde_json::from_value::<Figures>(old).unwrap().headline.via, ViaCounts::default());
    }

    #[test]
    fn all_promoters_all_detractors_and_one_response() {
        let req = request("2026-11-01", "2026-11-07", Period::Day, vec![]);
        let run = |rs: &[Response]| {
            let (totals, segs) = buckets(rs);
            figures(Inputs {
                project_id: "p",
                definition: &def(),
                request: &req,
                totals: &totals,
                segments: &segs,
                texts: vec![],
                generated_at: "t",
            })
            .unwrap()
        };
        let all_p = run(&[response("2026-11-01T00:00:00Z", 10, None, &[]), response("2026-11-02T00:00:00Z", 9, None, &[])]);
        // two promoters: 100, but not "± 0" (adjusted Wald: −24.4 to 100) and too few to show
        let n = all_p.headline.nps.unwrap();
        assert_eq!((n.score, n.high, n.too_few), (100.0, 100.0, true));
        assert!((n.low + 24.41).abs() < 0.01, "{n:?}");
        let all_d = run(&[response("2026-11-01T00:00:00Z", 0, None, &[]), response("2026-11-07T23:59:59Z", 6, None, &[])]);
        assert_eq!(all_d.headline.nps.map(|n| n.score), Some(-100.0));
        let one = run(&[response("2026-11-03T00:00:00Z", 8, None, &[])]);
        let n = one.headline.nps.unwrap();
        assert!(n.score == 0.0 && (n.low + 60.01).abs() < 0.01 && (n.high - 60.01).abs() < 0.01, "{n:?}");
        assert_eq!(one.trend.len(), 7);
    }

    #[test]
    fn scores_below_the_minimum_are_too_few_and_only_a_significant_change_is_called_one() {
        let at = |day: u32, i: usize| format!("2026-11-{day:02}T{:02}:{:02}:00Z", i / 60, i % 60);
        // the week before: 20 detractors; this week: 20 promoters
        let mut rs: Vec<Response> = (0..20).map(|i| response(&at(3, i), 2, None, &[])).collect();
        rs.extend((0..20).map(|i| response(&at(10, i), 10, None, &[])));
        let (totals, segs) = buckets(&rs);
        let mut req = request("2026-11-08", "2026-11-14", Period::Day, vec![]);
        let run = |req: &Request, totals: &[Bucket]| {
            figures(Inputs { project_id: "p", definition: &def(), request: req, totals, segments: &segs, texts: vec![], generated_at: "t" })
                .unwrap()
        };
        let f = run(&req, &totals);
        assert!(!f.headline.nps.unwrap().too_few);
        assert!(f.change.nps_significant && f.change.nps_p.unwrap() < 0.001, "{:?}", f.change);
        // the same with a minimum of 21: both sides too few, so no change is called
        req.min_responses = 21;
        let f = run(&req, &totals);
        assert!(f.headline.nps.unwrap().too_few && !f.change.nps_significant);
        assert_eq!(f.min_responses, 21);
        // one detractor more against one promoter: no clear change
        let few = [response(&at(3, 0), 2, None, &[]), response(&at(10, 0), 10, None, &[])];
        let (totals, _) = buckets(&few);
        req.min_responses = 1;
        let f = run(&req, &totals);
        assert!(!f.change.nps_significant && f.change.nps.is_some(), "{:?}", f.change);
    }

    #[test]
    fn an_empty_range_says_so_without_nan() {
        let rs = [response("2026-10-01T00:00:00Z", 10, None, &[])];
        let (totals, segs) = buckets(&rs);
        let req = request("2026-11-01", "2026-11-07", Period::Day, vec![]);
        let f = figures(Inputs {
            project_id: "p",
            definition: &def(),
            request: &req,
            totals: &totals,
            segments: &segs,
            texts: vec![],
            generated_at: "t",
        })
        .unwrap();
        assert_eq!(f.headline.responses, 0);
        assert_eq!(f.headline.nps, None);
        assert_eq!(f.note.as_deref(), Some("No responses between 2026-11-01 and 2026-11-07."));
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    }

    #[test]
    fn change_compares_with_the_range_before() {
        let rs = [
            response("2026-10-30T00:00:00Z", 0, None, &[]), // previous week
            response("2026-11-03T00:00:00Z", 10, None, &[]),
            response("2026-11-04T00:00:00Z", 10, None, &[]),
        ];
        let (totals, segs) = buckets(&rs);
        let req = request("2026-11-01", "2026-11-07", Period::Day, vec![]);
        assert_eq!(req.previous_range().unwrap(), (date!(2026 - 10 - 25), date!(2026 - 10 - 31)));
        let f = figures(Inputs {
            project_id: "p",
            definition: &def(),
            request: &req,
            totals: &totals,
            segments: &segs,
            texts: vec![],
            generated_at: "t",
        })
        .unwrap();
        assert_eq!(f.previous.responses, 1);
        assert_eq!(f.change.responses, 1);
        assert_eq!(f.change.nps, Some(200.0));
    }

    #[test]
    fn months_group_by_calendar_month() {
        let rs = [
            response("2026-01-31T00:00:00Z", 10, None, &[]),
            response("2026-02-01T00:00:00Z", 0, None, &[]),
            response("2026-03-15T00:00:00Z", 9, None, &[]),
        ];
        let (totals, segs) = buckets(&rs);
        let req = request("2026-01-15", "2026-03-20", Period::Month, vec![]);
        let f = figures(Inputs {
            project_id: "p",
            definition: &def(),
            request: &req,
            totals: &totals,
            segments: &segs,
            texts: vec![],
            generated_at: "t",
        })
        .unwrap();
        let months: Vec<(&str, u64)> = f.trend.iter().map(|p| (p.start.as_str(), p.responses)).collect();
        assert_eq!(months, vec![("2026-01-01", 1), ("2026-02-01", 1), ("2026-03-01", 1)]);
    }

    #[test]
    fn segments_resolve_by_exact_field_name_or_question_id() {
        let d = def();
        let fields = vec!["Region".to_string()];
        assert_eq!(
            resolve_segments(&["Region".into(), "industry".into()], &d, &fields).unwrap(),
            vec![Dimension::Field("Region".into()), Dimension::Question("industry".into())]
        );
        let e = resolve_segments(&["region".into()], &d, &fields).unwrap_err();
        assert!(e.contains("\"region\"") && e.contains("Region, industry, company_size"), "{e}");
    }

    #[test]
    fn csv_rows_follow_the_columns_and_neutralise_formulas() {
        let d = def();
        let fields = vec!["Region".to_string()];
        let r = response(
            "2026-11-20T10:00:00Z",
            9,
            Some("=HYPERLINK(\"http://x\")"),
            &[(ids::NEEDS, Answer::Text("+1 more staff".into())), (ids::COMM_CHANNELS, Answer::Many(vec!["email".into(), "app".into()]))],
        );
        let cols = csv_columns(&d, &fields);
        let row = csv_row(&d, &fields, &r);
        assert_eq!(cols.len(), row.len());
        let cell = |name: &str| row[cols.iter().position(|c| c == name).unwrap()].clone();
        assert_eq!(cell("Region"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(cell("needs"), "'+1 more staff");
        assert_eq!(cell("nps"), "9");
        assert_eq!(cell("comm_channels"), "email; app");
        assert_eq!(cell("channel"), "personal");
        assert_eq!(cell("language"), "en");
    }

    #[test]
    fn bad_ranges_are_refused_with_the_field() {
        assert!(request("2026-11-31", "2026-12-01", Period::Day, vec![]).range().unwrap_err().starts_with("from:"));
        assert!(request("2026-11-02", "2026-11-01", Period::Day, vec![]).range().unwrap_err().starts_with("to:"));
        assert!(request("2020-01-01", "2026-01-01", Period::Day, vec![]).range().unwrap_err().contains("at most"));
    }
}
