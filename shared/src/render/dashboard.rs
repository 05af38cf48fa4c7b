//! The report dashboard: one static HTML page (no JavaScript, no external
//! resources) with inline SVG charts, drawn from [`Figures`] through maud,
//! which escapes every text; every coordinate is finite. Its words come
//! from the translation files, in the project's default language; question,
//! option and area titles from the survey definition in that language.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::keys;
use crate::domain::i18n::{pick, t, t_args, Lang};
use crate::domain::report::{Change, Dimension, Figures, Headline, Nps, Period, SegmentRow, SMALL_SEGMENT};
use crate::domain::survey::Definition;

fn one(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

/// A coordinate with one decimal.
fn c(v: f64) -> String {
    format!("{v:.1}")
}

/// An NPS as a reader should take it: the score with its 95 % interval,
/// or "too few responses (n = …)" below the project's minimum.
fn nps_text(l: Lang, n: Option<Nps>) -> Markup {
    html! {
        @match n {
            Some(n) if n.too_few => span.few { (t_args(l, keys::DASHBOARD_TOO_FEW, &[("n", n.answers().into())])) },
            Some(n) if n.score.is_finite() && n.low.is_finite() && n.high.is_finite() => {
                (format!("{:.0}", n.score)) " "
                small { (t_args(l, keys::DASHBOARD_INTERVAL, &[("low", format!("{:.0}", n.low).into()), ("high", format!("{:.0}", n.high).into())])) }
            },
            _ => "—",
        }
    }
}

/// A score of `answers` answers (CSAT, CES), or "too few responses".
fn score_text(l: Lang, v: Option<f64>, answers: u64, min: u64, show: impl Fn(f64) -> String) -> Markup {
    html! {
        @match v.filter(|x| x.is_finite()) {
            Some(_) if answers < min => span.few { (t_args(l, keys::DASHBOARD_TOO_FEW, &[("n", answers.into())])) },
            Some(x) => (show(x)),
            None => "—",
        }
    }
}

fn change(l: Lang, d: Option<f64>) -> Markup {
    html! {
        @match d.filter(|x| x.is_finite()) {
            Some(x) if x > 0.05 => span.up { (t_args(l, keys::DASHBOARD_UP, &[("delta", format!("{x:.1}").into())])) },
            Some(x) if x < -0.05 => span.down { (t_args(l, keys::DASHBOARD_DOWN, &[("delta", format!("{:.1}", -x).into())])) },
            Some(_) => span { (t(l, keys::DASHBOARD_SAME)) },
            None => span.muted { (t(l, keys::DASHBOARD_NO_EARLIER)) },
        }
    }
}

/// The NPS change, marked ▲/▼ only when it is significant at 95 % (its
/// p-value in the title); otherwise "no clear change".
fn nps_change(l: Lang, c: &Change) -> Markup {
    let p = c.nps_p.map(|p| t_args(l, keys::DASHBOARD_P_VALUE, &[("p", format!("{p:.3}").into())]));
    html! {
        @match (c.nps.filter(|x| x.is_finite()), c.nps_significant) {
            (Some(x), true) if x > 0.0 => span.up title=[p] { (t_args(l, keys::DASHBOARD_UP, &[("delta", format!("{x:.1}").into())])) },
            (Some(x), true) => span.down title=[p] { (t_args(l, keys::DASHBOARD_DOWN, &[("delta", format!("{:.1}", -x).into())])) },
            (Some(_), false) => span title=[p] { (t(l, keys::DASHBOARD_NO_CLEAR_CHANGE)) },
            (None, _) => span.muted { (t(l, keys::DASHBOARD_NO_EARLIER)) },
        }
    }
}

fn tile(label: &str, value: Markup, detail: &str, delta: Option<Markup>) -> Markup {
    html! {
        div.tile {
            div.label { (label) }
            div.value { (value) }
            div.detail { (detail) }
            div.delta { @if let Some(d) = delta { (d) } }
        }
    }
}

fn tiles(l: Lang, h: &Headline, c: &Change, min: u64) -> Markup {
    let no_answers = || t(l, keys::DASHBOARD_NO_ANSWERS);
    let nps_detail = h
        .nps
        .map(|n| {
            t_args(
                l,
                keys::DASHBOARD_NPS_DETAIL,
                &[("promoters", n.promoters.into()), ("passives", n.passives.into()), ("detractors", n.detractors.into())],
            )
        })
        .unwrap_or_else(no_answers);
    let csat_detail = if h.csat.is_some() { t(l, keys::DASHBOARD_CSAT_DETAIL) } else { no_answers() };
    let ces_detail =
        h.ces_easy.map(|e| t_args(l, keys::DASHBOARD_CES_DETAIL, &[("easy", format!("{e:.1}").into())])).unwrap_or_else(no_answers);
    let responses_delta = html! {
        @match c.responses {
            0 => span { (t(l, keys::DASHBOARD_SAME)) },
            d if d > 0 => span.up { (t_args(l, keys::DASHBOARD_UP, &[("delta", d.to_string().into())])) },
            d => span.down { (t_args(l, keys::DASHBOARD_DOWN, &[("delta", (-d).to_string().into())])) },
        }
    };
    let rate = t(l, keys::DASHBOARD_RESPONSE_RATE);
    html! {
        (tile("NPS", nps_text(l, h.nps), &nps_detail, Some(nps_change(l, c))))
        (tile("CSAT", score_text(l, h.csat, h.csat_answers, min, |x| format!("{} %", one(Some(x)))), &csat_detail, Some(change(l, c.csat))))
        (tile("CES", score_text(l, h.ces, h.ces_answers, min, |x| one(Some(x))), &ces_detail, Some(change(l, c.ces))))
        (tile(&t(l, keys::DASHBOARD_RESPONSES), html! { (h.responses) }, &t(l, keys::DASHBOARD_IN_THIS_PERIOD), Some(responses_delta)))
        @match h.response_rate.filter(|x| x.is_finite()) {
            Some(r) => (tile(&rate, html! { (format!("{r:.1} %")) }, &t_args(l, keys::DASHBOARD_OF_INVITATIONS, &[("count", h.invitations.into())]), None)),
            None => (tile(&rate, html! { "—" }, &t(l, keys::DASHBOARD_NO_INVITATIONS), None)),
        }
        (tile(&t(l, keys::DASHBOARD_FOLLOW_UPS), html! { (h.follow_ups) }, &t(l, keys::DASHBOARD_FOLLOW_UPS_DETAIL), None))
    }
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD_L: f64 = 44.0;
const PAD_B: f64 = 28.0;
const PAD_T: f64 = 12.0;

/// A chart's frame: the caption, and the SVG or a "no data" line.
fn figure(l: Lang, title: &str, svg: Option<Markup>) -> Markup {
    html! {
        figure {
            figcaption { (title) }
            @match svg {
                Some(svg) => (svg),
                None => p.muted { (t(l, keys::DASHBOARD_NO_DATA)) },
            }
        }
    }
}

/// A point of a line chart.
struct Dot<'a> {
    label: &'a str,
    value: f64,
    at: (f64, f64),
    /// The present point before it, when the line is unbroken.
    joined_to: Option<(f64, f64)>,
}

/// Round axis values on `lo..=hi`: the smallest step of 1, 2, 2.5 or 5
/// times a power of ten that gives at most `most` ticks (−100…100 by 50,
/// 0…100 by 20, 1…7 by 1: never 1, 2, 4, 6, 7).
pub fn nice_ticks(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || most < 2 {
        return vec![];
    }
    let span = hi - lo;
    let mut power = 10f64.powf((span / most as f64).log10().floor());
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * power;
            let first = (lo / step).ceil() * step;
            let count = ((hi - first) / step + 1e-9).floor() as usize + 1;
            if count <= most {
                return (0..count).map(|i| first + step * i as f64).collect();
            }
        }
        power *= 10.0;
    }
}

/// A line chart of `points` (label, value or none) on `lo..=hi`; a line
/// joins consecutive present points, a dot marks each.
pub fn line_chart(l: Lang, title: &str, points: &[(String, Option<f64>)], lo: f64, hi: f64) -> Markup {
    let present = points.iter().filter(|p| p.1.is_some_and(f64::is_finite)).count();
    if present == 0 || hi <= lo {
        return figure(l, title, None);
    }
    let n = points.len().max(2) as f64;
    let x = |i: usize| PAD_L + (W - PAD_L - 10.0) * i as f64 / (n - 1.0);
    let y = |v: f64| PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo));
    let step = (points.len() / 6).max(1);
    let mut dots: Vec<Dot> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    for (i, (label, v)) in points.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let p = (x(i), y(v));
                dots.push(Dot { label, value: v, at: p, joined_to: prev });
                prev = Some(p);
            }
            None => prev = None,
        }
    }
    let svg = html! {
        svg viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(title) {
            title { (title) }
            @for v in nice_ticks(lo, hi, 7) {
                line.grid x1=(PAD_L) x2=(W) y1=(c(y(v))) y2=(c(y(v))) {}
                text.tick x=(c(PAD_L - 4.0)) y=(c(y(v) + 4.0)) text-anchor="end" { (format!("{v}")) }
            }
            @for (i, (label, _)) in points.iter().enumerate().filter(|(i, _)| i % step == 0) {
                text.tick x=(c(x(i))) y=(c(H - 8.0)) text-anchor="middle" { (label) }
            }
            @for d in &dots {
                @if let Some(q) = d.joined_to {
                    line.series x1=(c(q.0)) y1=(c(q.1)) x2=(c(d.at.0)) y2=(c(d.at.1)) {}
                }
                circle.dot cx=(c(d.at.0)) cy=(c(d.at.1)) r="3.5" { title { (d.label) ": " (format!("{:.1}", d.value)) } }
            }
        }
    };
    figure(l, title, Some(svg))
}

/// Vertical columns (label, count) along a time axis.
pub fn column_chart(l: Lang, title: &str, columns: &[(String, u64)]) -> Markup {
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0);
    if columns.is_empty() {
        return figure(l, title, None);
    }
    let n = columns.len() as f64;
    let slot = (W - PAD_L - 10.0) / n;
    let step = (columns.len() / 6).max(1);
    let svg = html! {
        svg viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(title) {
            title { (title) }
            text.tick x=(c(PAD_L - 4.0)) y=(c(PAD_T + 4.0)) text-anchor="end" { (max) }
            text.tick x=(c(PAD_L - 4.0)) y=(c(H - PAD_B)) text-anchor="end" { "0" }
            @for (i, (label, count)) in columns.iter().enumerate() {
                @let h = if max == 0 { 0.0 } else { (H - PAD_T - PAD_B) * *count as f64 / max as f64 };
                @let x = PAD_L + slot * i as f64;
                rect.bar x=(c(x + slot * 0.1)) y=(c(H - PAD_B - h)) width=(c(slot * 0.8)) height=(c(h)) { title { (label) ": " (count) } }
                @if i % step == 0 {
                    text.tick x=(c(x + slot / 2.0)) y=(c(H - 8.0)) text-anchor="middle" { (label) }
                }
            }
        }
    };
    figure(l, title, Some(svg))
}

/// Horizontal bars (label, count), with an optional CSS class per bar.
pub fn bar_chart(l: Lang, title: &str, bars: &[(String, u64, &str)]) -> Markup {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    let row = 22.0;
    let h = row * bars.len() as f64 + 8.0;
    let label_w = 170.0;
    let svg = html! {
        svg viewBox=(format!("0 0 {W} {h}")) role="img" aria-label=(title) {
            title { (title) }
            @for (i, (label, count, class)) in bars.iter().enumerate() {
                @let y = 4.0 + row * i as f64;
                @let len = if max == 0 { 0.0 } else { (W - label_w - 60.0) * *count as f64 / max as f64 };
                text.tick x=(c(label_w - 6.0)) y=(c(y + 14.0)) text-anchor="end" { (label.chars().take(26).collect::<String>()) }
                rect class=(format!("bar {class}")) x=(label_w) y=(c(y)) width=(c(len)) height=(c(row - 6.0)) {}
                text.tick x=(c(label_w + len + 6.0)) y=(c(y + 14.0)) { (count) }
            }
        }
    };
    figure(l, title, Some(svg))
}

fn nps_class(value: &str) -> &'static str {
    match value.parse::<i64>() {
        Ok(0..=6) => "detractor",
        Ok(7..=8) => "passive",
        Ok(9..=10) => "promoter",
        _ => "",
    }
}

fn segment_row(l: Lang, value: &str, r: &SegmentRow, min: u64) -> Markup {
    html! {
        tr.small[r.small] {
            td {
                (value)
                @if r.small { " " span.badge { (t_args(l, keys::DASHBOARD_SMALL_SAMPLE, &[("min", SMALL_SEGMENT.into())])) } }
            }
            td.num { (r.responses) }
            td.num { (nps_text(l, r.nps)) }
            td.num { (score_text(l, r.csat, r.csat_answers, min, |c| format!("{c:.1} %"))) }
            td.num { (score_text(l, r.ces, r.ces_answers, min, |c| one(Some(c)))) }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;padding:1rem;color:#1a1a1a;background:#f6f7f9;line-height:1.45}\
main{max-width:64rem;margin:0 auto}section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}\
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:0 0 .6rem}.muted,small{color:#555}\
.note{background:#fff4ce;border-left:4px solid #b58100;padding:.6rem 1rem;margin:0 0 1rem}\
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem}\
.tile{border:1px solid #d9dde3;border-radius:.4rem;padding:.6rem .8rem}.tile .label{font-weight:600}.tile .value{font-size:1.7rem;font-weight:700}.tile .value small{display:block;font-size:.85rem;font-weight:400}.few{font-size:.95rem;font-weight:600;color:#5c4300}\
.tile .detail,.tile .delta{font-size:.85rem;color:#444}.up{color:#0a6b2e}.down{color:#a3001b}\
figure{margin:0 0 1rem}figcaption{font-weight:600;margin-bottom:.3rem}svg{width:100%;height:auto;display:block}\
.grid{stroke:#e3e6ea}.tick{font-size:11px;fill:#444}.series{stroke:#0b57d0;stroke-width:2}.dot{fill:#0b57d0}\
.bar{fill:#5b7db8}.bar.detractor{fill:#c0392b}.bar.passive{fill:#d4a017}.bar.promoter{fill:#1e8449}\
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea}\
td.num,th.num{text-align:right}tr.small td{color:#666}.badge{font-size:.75rem;background:#fff4ce;border:1px solid #b58100;border-radius:.6rem;padding:0 .4rem;color:#5c4300}\
.texts li{margin-bottom:.6rem}.flag{font-size:.75rem;background:#e8f0fe;border:1px solid #0b57d0;border-radius:.6rem;padding:0 .4rem;color:#0b3d91}\
footer{font-size:.85rem;color:#555;text-align:center}@media print{body{background:#fff}section{break-inside:avoid}}";

/// The whole dashboard page in `lang` (the project's default language),
/// with the question, option and area titles of `def`, the survey the
/// figures were computed for.
pub fn html_in(f: &Figures, def: &Definition, lang: Lang) -> String {
    page(f, Some(def), lang)
}

fn page(f: &Figures, def: Option<&Definition>, l: Lang) -> String {
    let trend = |pick: fn(&crate::domain::report::TrendPoint) -> Option<f64>| -> Vec<(String, Option<f64>)> {
        f.trend.iter().map(|p| (p.start.clone(), pick(p))).collect()
    };
    let per_period: Vec<(String, u64)> = f.trend.iter().map(|p| (p.start.clone(), p.responses)).collect();
    let subtitle = match f.period {
        Period::Day => keys::DASHBOARD_SUBTITLE_DAY,
        Period::Week => keys::DASHBOARD_SUBTITLE_WEEK,
        Period::Month => keys::DASHBOARD_SUBTITLE_MONTH,
    };
    let question = |id: &str| def.and_then(|d| d.question(id)).map(|q| pick(&q.text, l).to_string());
    let option = |id: &str, value: &str| def.map(|d| d.choice_label(id, value, l).to_string());
    let (org, from, to) = (f.organisation_name.as_str(), f.from.as_str(), f.to.as_str());
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                (super::icon_link())
                title { (t_args(l, keys::DASHBOARD_PAGE_TITLE, &[("org", org.into()), ("from", from.into()), ("to", to.into())])) }
                // our own constant: a style sheet is raw text, not escaped
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        section {
                            h1 { (t_args(l, keys::DASHBOARD_HEADING, &[("org", org.into())])) }
                            p {
                                (t_args(l, subtitle, &[("from", from.into()), ("to", to.into()), ("generated", f.generated_at.as_str().into())]))
                            }
                        }
                    }
                    // the figures' note says there is nothing to show: no responses in the range
                    @if f.note.is_some() {
                        p.note role="status" { (t_args(l, keys::DASHBOARD_NO_RESPONSES, &[("from", from.into()), ("to", to.into())])) }
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_HEADLINE)) }
                        div.tiles { (tiles(l, &f.headline, &f.change, f.min_responses)) }
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_TREND)) }
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_NPS), &trend(|p| p.nps), -100.0, 100.0))
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_CSAT), &trend(|p| p.csat), 0.0, 100.0))
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_CES), &trend(|p| p.ces), 1.0, 7.0))
                        (column_chart(l, &t(l, keys::DASHBOARD_CHART_RESPONSES), &per_period))
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_DISTRIBUTIONS)) }
                        @for d in &f.distributions {
                            @let bars: Vec<(String, u64, &str)> = d
                                .bars
                                .iter()
                                .map(|(v, label, n)| (option(&d.question, v).unwrap_or_else(|| label.clone()), *n, if d.question == "nps" { nps_class(v) } else { "" }))
                                .collect();
                            (bar_chart(l, &question(&d.question).unwrap_or_else(|| d.title.clone()), &bars))
                        }
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_AREAS)) }
                        table {
                            thead {
                                tr {
                                    th { (t(l, keys::DASHBOARD_AREA)) }
                                    th.num { (t(l, keys::DASHBOARD_AREA_SCORE)) }
                                    th.num { (t(l, keys::DASHBOARD_ANSWERS)) }
                                }
                            }
                            tbody {
                                @for a in &f.areas {
                                    tr { td { (pick(&a.section.title(), l)) } td.num { (one(a.score)) } td.num { (a.answers) } }
                                }
                            }
                        }
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_SEGMENTS)) }
                        @for s in &f.segments {
                            @let asked = match &s.dimension {
                                Dimension::Question(q) => Some(q.as_str()),
                                Dimension::Field(_) => None,
                            };
                            h3 { (asked.and_then(question).unwrap_or_else(|| s.title.clone())) }
                            table {
                                thead {
                                    tr {
                                        th { (t(l, keys::DASHBOARD_VALUE)) }
                                        th.num { (t(l, keys::DASHBOARD_RESPONSES)) }
                                        th.num { "NPS" }
                                        th.num { "CSAT" }
                                        th.num { "CES" }
                                    }
                                }
                                tbody {
                                    @for r in &s.rows {
                                        (segment_row(l, &asked.and_then(|q| option(q, &r.value)).unwrap_or_else(|| r.value.clone()), r, f.min_responses))
                                    }
                                    @if s.rows.is_empty() {
                                        tr { td colspan="5" class="muted" { (t(l, keys::DASHBOARD_NO_SEGMENT_VALUES)) } }
                                    }
                                }
                            }
                        }
                        @if f.segments.is_empty() {
                            p.muted { (t(l, keys::DASHBOARD_NO_SEGMENTS)) }
                        }
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_TEXTS)) }
                        @if f.texts.is_empty() {
                            p.muted { (t(l, keys::DASHBOARD_NO_TEXTS)) }
                        } @else {
                            ul.texts {
                                @for text in &f.texts {
                                    li {
                                        div {
                                            small {
                                                (text.submitted_at.get(..10).unwrap_or(&text.submitted_at))
                                                @if let Some(n) = text.nps { " · NPS " (n) }
                                            }
                                            @if text.follow_up { " " span.flag { (t(l, keys::DASHBOARD_FOLLOW_UP_FLAG)) } }
                                        }
                                        div { (text.text) }
                                    }
                                }
                            }
                        }
                        @if f.texts_not_listed > 0 {
                            p.muted { (t_args(l, keys::DASHBOARD_MORE_TEXTS, &[("count", f.texts_not_listed.into())])) }
                        }
                    }
                    footer { (t_args(l, keys::DASHBOARD_FOOTER, &[("now", f.headline.responses.into()), ("before", f.previous.responses.into())])) }
                }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{Dimension, Period, SegmentTable, TextAnswer, TrendPoint};
    use crate::domain::survey::{Answering, Definition};

    fn empty() -> Figures {
        Figures {
            project_id: "p".into(),
            organisation_name: "Café <Aroma>".into(),
            from: "2026-11-01".into(),
            to: "2026-11-07".into(),
            period: Period::Day,
            generated_at: "2026-11-08T06:00:00.000Z".into(),
            note: Some("No responses between 2026-11-01 and 2026-11-07.".into()),
            headline: Headline::default(),
            previous: Headline::default(),
            change: Change::default(),
            areas: vec![],
            trend: vec![TrendPoint { start: "2026-11-01".into(), responses: 0, nps: None, csat: None, ces: None }],
            distributions: vec![crate::domain::report::Distribution {
                question: "nps".into(),
                title: "NPS".into(),
                bars: (0..=10).map(|v| (v.to_string(), v.to_string(), 0)).collect(),
            }],
            segments: vec![],
            texts: vec![],
            texts_not_listed: 0,
            min_responses: 1,
        }
    }

    #[test]
    fn empty_figures_render_the_note_without_nan() {
        let h = page(&empty(), None, Lang::En);
        assert!(h.contains("No responses between 2026-11-01 and 2026-11-07."));
        assert!(!h.contains("NaN") && !h.contains("inf"));
        assert!(h.contains("Café &lt;Aroma&gt;") && !h.contains("<Aroma>"));
        assert_eq!(h.matches("<svg").count(), h.matches("</svg>").count());
    }

    #[test]
    fn respondent_text_and_segment_values_are_escaped_and_flags_shown() {
        let mut f = empty();
        f.note = None;
        f.headline.nps =
            Some(Nps { score: 25.0, margin: 81.258, low: -45.0, high: 80.0, too_few: false, promoters: 2, passives: 1, detractors: 1 });
        f.texts = vec![TextAnswer {
            submitted_at: "2026-11-02T10:00:00Z".into(),
            question: "needs".into(),
            text: "<script>alert(1)</script>".into(),
            nps: Some(3),
            follow_up: true,
        }];
        f.segments = vec![SegmentTable {
            dimension: Dimension::Field("Region".into()),
            title: "Region".into(),
            rows: vec![
                SegmentRow {
                    value: "<script>alert(1)</script>".into(),
                    responses: 2,
                    nps: None,
                    csat: None,
                    ces: None,
                    csat_answers: 0,
                    ces_answers: 0,
                    small: true,
                },
                SegmentRow {
                    value: "North".into(),
                    responses: 9,
                    nps: None,
                    csat: Some(50.0),
                    ces: None,
                    csat_answers: 9,
                    ces_answers: 0,
                    small: false,
                },
            ],
        }];
        let h = page(&f, None, Lang::En);
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("25 <small>95 %: -45 to 80</small>"), "the score with its interval: {h}");
        assert!(h.contains("follow-up requested"));
        assert_eq!(h.matches("small sample (n &lt; 5)").count(), 1, "only the small segment is flagged");
        assert!(h.contains("<tr class=\"small\">"));
    }

    #[test]
    fn a_gap_in_the_trend_breaks_the_line_and_keeps_the_svg_valid() {
        let points =
            vec![("a".to_string(), Some(10.0)), ("b".to_string(), None), ("c".to_string(), Some(30.0)), ("d".to_string(), Some(40.0))];
        let svg = line_chart(Lang::En, "NPS", &points, -100.0, 100.0).into_string();
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("class=\"series\"").count(), 1, "only c–d are joined");
        assert!(!svg.contains("NaN"));
        assert!(line_chart(Lang::En, "NPS", &[("a".to_string(), None)], -100.0, 100.0).into_string().contains("no data"));
    }

    fn survey() -> Definition {
        let s: crate::domain::project::Settings = serde_json::from_value(serde_json::json!({
            "organisation_name": "Café <Aroma>", "business_type": "B2B", "languages": ["de", "en", "fi"] }))
        .unwrap();
        crate::domain::survey::generate("p", crate::domain::project::Kind::QuickCheckIn, &s.normalise().unwrap(), 1)
    }

    #[test]
    fn axis_ticks_are_round_numbers() {
        assert_eq!(nice_ticks(-100.0, 100.0, 7), [-100.0, -50.0, 0.0, 50.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 7), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(1.0, 7.0, 7), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        assert_eq!(nice_ticks(0.0, 37.0, 7), [0.0, 10.0, 20.0, 30.0]);
        assert!(nice_ticks(5.0, 5.0, 7).is_empty() && nice_ticks(f64::NAN, 1.0, 7).is_empty());
    }

    fn escaped(text: &str) -> String {
        maud::html! { (text) }.into_string()
    }

    /// The text a reader sees: no style sheet, no tags (class names aside).
    fn visible(page: &str) -> String {
        let page = match (page.find("<style>"), page.find("</style>")) {
            (Some(a), Some(b)) => format!("{}{}", &page[..a], &page[b..]),
            _ => page.to_string(),
        };
        let mut out = String::new();
        let mut in_tag = false;
        for ch in page.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_dashboard_speaks_the_projects_language_with_plural_forms() {
        let mut f = empty();
        f.note = None;
        f.headline.responses = 4;
        f.headline.nps =
            Some(Nps { score: 0.0, margin: 50.0, low: -50.0, high: 50.0, too_few: false, promoters: 1, passives: 2, detractors: 1 });
        let def = survey();
        let en = html_in(&f, &def, Lang::En);
        assert!(en.contains("1 promoter · 2 passives · 1 detractor<"), "{en}");
        assert!(en.contains("4 responses in this period · 0 in the period before"));
        let de = html_in(&f, &def, Lang::De);
        assert!(de.starts_with("<!DOCTYPE html><html lang=\"de\">"));
        assert!(de.contains("Café &lt;Aroma&gt; — Pulse-Bericht") && de.contains("1 Promotor · 2 Passive · 1 Kritiker<"), "{de}");
        assert!(de.contains("Verlauf nach Tag") && de.contains("4 Antworten in diesem Zeitraum"), "{de}");
        let fi = html_in(&f, &def, Lang::Fi);
        assert!(fi.starts_with("<!DOCTYPE html><html lang=\"fi\">"));
        assert!(fi.contains("1 suosittelija · 2 passiivista · 1 arvostelija<") && fi.contains("kehitys päivittäin"), "{fi}");
        for page in [visible(&de), visible(&fi)] {
            for english in [
                "Headline",
                "Trend",
                "Segments",
                "Open-text",
                "previous period",
                "no data",
                "responses",
                "Areas",
                "promoter",
                "pulse report",
            ] {
                assert!(!page.contains(english), "{english:?} left in English: {page}");
            }
        }
        f.headline.nps =
            Some(Nps { score: 0.0, margin: 50.0, low: -50.0, high: 50.0, too_few: false, promoters: 2, passives: 1, detractors: 2 });
        assert!(html_in(&f, &def, Lang::De).contains("2 Promotoren · 1 Passiver · 2 Kritiker<"));
    }

    #[test]
    fn question_and_option_titles_come_from_the_survey_in_the_projects_language() {
        let def = survey();
        let (q, choice) = def
            .questions
            .iter()
            .find_map(|q| match &q.answering {
                Answering::Single { choices } if pick(&q.text, Lang::De) != pick(&q.text, Lang::En) => Some((q, choices.first()?)),
                _ => None,
            })
            .expect("a single-choice question with a German text");
        let mut f = empty();
        f.distributions = vec![crate::domain::report::Distribution {
            question: q.id.clone(),
            title: pick(&q.text, Lang::En).into(),
            bars: vec![(choice.value.clone(), pick(&choice.label, Lang::En).into(), 3)],
        }];
        f.segments = vec![SegmentTable {
            dimension: Dimension::Question(q.id.clone()),
            title: pick(&q.text, Lang::En).into(),
            rows: vec![SegmentRow {
                value: choice.value.clone(),
                responses: 3,
                nps: None,
                csat: None,
                ces: None,
                csat_answers: 0,
                ces_answers: 0,
                small: true,
            }],
        }];
        let de = html_in(&f, &def, Lang::De);
        assert!(de.contains(&escaped(pick(&q.text, Lang::De))), "{de}");
        assert!(!de.contains(&escaped(pick(&q.text, Lang::En))), "{de}");
        assert!(
            de.contains(&format!(
                "<td>{} <span class=\"badge\">kleine Stichprobe (n &lt; 5)</span>",
                escaped(pick(&choice.label, Lang::De))
            )),
            "{de}"
        );
        // without the survey, the figures' own titles
        assert!(page(&f, None, Lang::En).contains(&escaped(pick(&q.text, Lang::En))));
    }
}
