//! The report dashboard: one static HTML page (no JavaScript, no external
//! resources) with inline SVG charts, drawn from [`Figures`] through maud,
//! which escapes every text; every coordinate is finite.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::report::{Change, Figures, Headline, Nps, SegmentRow};

fn one(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

/// A coordinate with one decimal.
fn c(v: f64) -> String {
    format!("{v:.1}")
}

fn nps_text(n: Option<Nps>) -> Markup {
    html! {
        @match n {
            Some(n) if n.score.is_finite() && n.margin.is_finite() => { (format!("{:.0}", n.score)) " " small { (format!("± {:.1}", n.margin)) } }
            _ => "—",
        }
    }
}

fn change(d: Option<f64>) -> Markup {
    html! {
        @match d.filter(|x| x.is_finite()) {
            Some(x) if x > 0.05 => span.up { (format!("▲ {x:.1} vs previous period")) },
            Some(x) if x < -0.05 => span.down { (format!("▼ {:.1} vs previous period", -x)) },
            Some(_) => span { "= previous period" },
            None => span.muted { "no earlier data" },
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

fn tiles(h: &Headline, c: &Change) -> Markup {
    let nps_detail = h.nps.map(|n| format!("{} promoters · {} passives · {} detractors", n.promoters, n.passives, n.detractors)).unwrap_or_else(|| "no answers".into());
    let responses_delta = html! {
        @match c.responses {
            0 => span { "= previous period" },
            d if d > 0 => span.up { (format!("▲ {d} vs previous period")) },
            d => span.down { (format!("▼ {} vs previous period", -d)) },
        }
    };
    html! {
        (tile("NPS", nps_text(h.nps), &nps_detail, Some(change(c.nps))))
        (tile("CSAT", html! { (h.csat.map(|x| format!("{} %", one(Some(x)))).unwrap_or_else(|| "—".into())) }, if h.csat.is_some() { "share of 4–5 on 1–5" } else { "no answers" }, Some(change(c.csat))))
        (tile("CES", html! { (one(h.ces)) }, &h.ces_easy.map(|e| format!("mean effort on 1–7 · {e:.1} % easy")).unwrap_or_else(|| "no answers".into()), Some(change(c.ces))))
        (tile("Responses", html! { (h.responses) }, "in this period", Some(responses_delta)))
        @match h.response_rate.filter(|x| x.is_finite()) {
            Some(r) => (tile("Response rate", html! { (format!("{r:.1} %")) }, &format!("of {} invitations", h.invitations), None)),
            None => (tile("Response rate", html! { "—" }, "no invitations sent in this period", None)),
        }
        (tile("Follow-up requests", html! { (h.follow_ups) }, "respondents who asked to be contacted", None))
    }
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD_L: f64 = 44.0;
const PAD_B: f64 = 28.0;
const PAD_T: f64 = 12.0;

/// A chart's frame: the caption, and the SVG or a "no data" line.
fn figure(title: &str, svg: Option<Markup>) -> Markup {
    html! {
        figure {
            figcaption { (title) }
            @match svg {
                Some(svg) => (svg),
                None => p.muted { "no data" },
            }
        }
    }
}

/// A line chart of `points` (label, value or none) on `lo..=hi`; a line
/// joins consecutive present points, a dot marks each.
pub fn line_chart(title: &str, points: &[(String, Option<f64>)], lo: f64, hi: f64) -> Markup {
    let present = points.iter().filter(|p| p.1.is_some_and(f64::is_finite)).count();
    if present == 0 || hi <= lo {
        return figure(title, None);
    }
    let n = points.len().max(2) as f64;
    let x = |i: usize| PAD_L + (W - PAD_L - 10.0) * i as f64 / (n - 1.0);
    let y = |v: f64| PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo));
    let step = (points.len() / 6).max(1);
    // (this point, the present point before it when the line is unbroken)
    let mut dots: Vec<(&str, f64, (f64, f64), Option<(f64, f64)>)> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    for (i, (label, v)) in points.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let p = (x(i), y(v));
                dots.push((label, v, p, prev));
                prev = Some(p);
            }
            None => prev = None,
        }
    }
    let svg = html! {
        svg viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(title) {
            title { (title) }
            @for k in 0..=4 {
                @let v = lo + (hi - lo) * f64::from(k) / 4.0;
                line.grid x1=(PAD_L) x2=(W) y1=(c(y(v))) y2=(c(y(v))) {}
                text.tick x=(c(PAD_L - 4.0)) y=(c(y(v) + 4.0)) text-anchor="end" { (format!("{v:.0}")) }
            }
            @for (i, (label, _)) in points.iter().enumerate().filter(|(i, _)| i % step == 0) {
                text.tick x=(c(x(i))) y=(c(H - 8.0)) text-anchor="middle" { (label) }
            }
            @for (label, v, p, before) in &dots {
                @if let Some(q) = before {
                    line.series x1=(c(q.0)) y1=(c(q.1)) x2=(c(p.0)) y2=(c(p.1)) {}
                }
                circle.dot cx=(c(p.0)) cy=(c(p.1)) r="3.5" { title { (label) ": " (format!("{v:.1}")) } }
            }
        }
    };
    figure(title, Some(svg))
}

/// Vertical columns (label, count) along a time axis.
pub fn column_chart(title: &str, columns: &[(String, u64)]) -> Markup {
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0);
    if columns.is_empty() {
        return figure(title, None);
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
    figure(title, Some(svg))
}

/// Horizontal bars (label, count), with an optional CSS class per bar.
pub fn bar_chart(title: &str, bars: &[(String, u64, &str)]) -> Markup {
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
    figure(title, Some(svg))
}

fn nps_class(value: &str) -> &'static str {
    match value.parse::<i64>() {
        Ok(0..=6) => "detractor",
        Ok(7..=8) => "passive",
        Ok(9..=10) => "promoter",
        _ => "",
    }
}

fn segment_row(r: &SegmentRow) -> Markup {
    html! {
        tr.small[r.small] {
            td {
                (r.value)
                @if r.small { " " span.badge { "small sample (n < 5)" } }
            }
            td.num { (r.responses) }
            td.num { (nps_text(r.nps)) }
            td.num { (r.csat.map(|c| format!("{c:.1} %")).unwrap_or_else(|| "—".into())) }
            td.num { (one(r.ces)) }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;padding:1rem;color:#1a1a1a;background:#f6f7f9;line-height:1.45}\
main{max-width:64rem;margin:0 auto}section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}\
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:0 0 .6rem}.muted,small{color:#555}\
.note{background:#fff4ce;border-left:4px solid #b58100;padding:.6rem 1rem;margin:0 0 1rem}\
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem}\
.tile{border:1px solid #d9dde3;border-radius:.4rem;padding:.6rem .8rem}.tile .label{font-weight:600}.tile .value{font-size:1.7rem;font-weight:700}\
.tile .detail,.tile .delta{font-size:.85rem;color:#444}.up{color:#0a6b2e}.down{color:#a3001b}\
figure{margin:0 0 1rem}figcaption{font-weight:600;margin-bottom:.3rem}svg{width:100%;height:auto;display:block}\
.grid{stroke:#e3e6ea}.tick{font-size:11px;fill:#444}.series{stroke:#0b57d0;stroke-width:2}.dot{fill:#0b57d0}\
.bar{fill:#5b7db8}.bar.detractor{fill:#c0392b}.bar.passive{fill:#d4a017}.bar.promoter{fill:#1e8449}\
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea}\
td.num,th.num{text-align:right}tr.small td{color:#666}.badge{font-size:.75rem;background:#fff4ce;border:1px solid #b58100;border-radius:.6rem;padding:0 .4rem;color:#5c4300}\
.texts li{margin-bottom:.6rem}.flag{font-size:.75rem;background:#e8f0fe;border:1px solid #0b57d0;border-radius:.6rem;padding:0 .4rem;color:#0b3d91}\
footer{font-size:.85rem;color:#555;text-align:center}@media print{body{background:#fff}section{break-inside:avoid}}";

/// The whole dashboard page.
pub fn html(f: &Figures) -> String {
    let trend = |pick: fn(&crate::domain::report::TrendPoint) -> Option<f64>| -> Vec<(String, Option<f64>)> { f.trend.iter().map(|p| (p.start.clone(), pick(p))).collect() };
    let per_period: Vec<(String, u64)> = f.trend.iter().map(|p| (p.start.clone(), p.responses)).collect();
    let period = match f.period {
        crate::domain::report::Period::Day => "day",
        crate::domain::report::Period::Week => "week",
        crate::domain::report::Period::Month => "month",
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (f.organisation_name) " — pulse report " (f.from) " – " (f.to) }
                // our own constant: a style sheet is raw text, not escaped
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        section {
                            h1 { (f.organisation_name) " — pulse report" }
                            p { "Report " (f.from) " – " (f.to) " · trend by " (period) " · generated " (f.generated_at) }
                        }
                    }
                    @if let Some(note) = &f.note {
                        p.note role="status" { (note) }
                    }
                    section {
                        h2 { "Headline" }
                        div.tiles { (tiles(&f.headline, &f.change)) }
                    }
                    section {
                        h2 { "Trend" }
                        (line_chart("NPS (−100 to 100)", &trend(|p| p.nps), -100.0, 100.0))
                        (line_chart("CSAT (% satisfied)", &trend(|p| p.csat), 0.0, 100.0))
                        (line_chart("CES (mean effort, 1–7)", &trend(|p| p.ces), 1.0, 7.0))
                        (column_chart("Responses per period", &per_period))
                    }
                    section {
                        h2 { "Score distributions" }
                        @for d in &f.distributions {
                            @let bars: Vec<(String, u64, &str)> = d.bars.iter().map(|(v, label, n)| (label.clone(), *n, if d.question == "nps" { nps_class(v) } else { "" })).collect();
                            (bar_chart(&d.title, &bars))
                        }
                    }
                    section {
                        h2 { "Areas" }
                        table {
                            thead { tr { th { "Area" } th.num { "Score (0–100)" } th.num { "Answers" } } }
                            tbody {
                                @for a in &f.areas {
                                    tr { td { (a.title) } td.num { (one(a.score)) } td.num { (a.answers) } }
                                }
                            }
                        }
                    }
                    section {
                        h2 { "Segments" }
                        @for s in &f.segments {
                            h3 { (s.title) }
                            table {
                                thead { tr { th { "Value" } th.num { "Responses" } th.num { "NPS" } th.num { "CSAT" } th.num { "CES" } } }
                                tbody {
                                    @for r in &s.rows { (segment_row(r)) }
                                    @if s.rows.is_empty() {
                                        tr { td colspan="5" class="muted" { "no responses with a value" } }
                                    }
                                }
                            }
                        }
                        @if f.segments.is_empty() {
                            p.muted { "No segments asked for." }
                        }
                    }
                    section {
                        h2 { "Open-text answers" }
                        @if f.texts.is_empty() {
                            p.muted { "No open-text answers in this period." }
                        } @else {
                            ul.texts {
                                @for t in &f.texts {
                                    li {
                                        div {
                                            small {
                                                (t.submitted_at.get(..10).unwrap_or(&t.submitted_at))
                                                @if let Some(n) = t.nps { " · NPS " (n) }
                                            }
                                            @if t.follow_up { " " span.flag { "follow-up requested" } }
                                        }
                                        div { (t.text) }
                                    }
                                }
                            }
                        }
                        @if f.texts_not_listed > 0 {
                            p.muted { "and " (f.texts_not_listed) " more" }
                        }
                    }
                    footer {
                        (f.headline.responses) " responses in this period · " (f.previous.responses) " in the period before · figures from Pulse's aggregates"
                    }
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
            distributions: vec![crate::domain::report::Distribution { question: "nps".into(), title: "NPS".into(), bars: (0..=10).map(|v| (v.to_string(), v.to_string(), 0)).collect() }],
            segments: vec![],
            texts: vec![],
            texts_not_listed: 0,
        }
    }

    #[test]
    fn empty_figures_render_the_note_without_nan() {
        let h = html(&empty());
        assert!(h.contains("No responses between 2026-11-01 and 2026-11-07."));
        assert!(!h.contains("NaN") && !h.contains("inf"));
        assert!(h.contains("Café &lt;Aroma&gt;") && !h.contains("<Aroma>"));
        assert_eq!(h.matches("<svg").count(), h.matches("</svg>").count());
    }

    #[test]
    fn respondent_text_and_segment_values_are_escaped_and_flags_shown() {
        let mut f = empty();
        f.note = None;
        f.headline.nps = Some(Nps { score: 25.0, margin: 81.258, promoters: 2, passives: 1, detractors: 1 });
        f.texts = vec![TextAnswer { submitted_at: "2026-11-02T10:00:00Z".into(), question: "needs".into(), text: "<script>alert(1)</script>".into(), nps: Some(3), follow_up: true }];
        f.segments = vec![SegmentTable {
            dimension: Dimension::Field("Region".into()),
            title: "Region".into(),
            rows: vec![
                SegmentRow { value: "<script>alert(1)</script>".into(), responses: 2, nps: None, csat: None, ces: None, small: true },
                SegmentRow { value: "North".into(), responses: 9, nps: None, csat: Some(50.0), ces: None, small: false },
            ],
        }];
        let h = html(&f);
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("25 <small>± 81.3</small>"));
        assert!(h.contains("follow-up requested"));
        assert_eq!(h.matches("small sample (n &lt; 5)").count(), 1, "only the small segment is flagged");
        assert!(h.contains("<tr class=\"small\">"));
    }

    #[test]
    fn a_gap_in_the_trend_breaks_the_line_and_keeps_the_svg_valid() {
        let points = vec![("a".to_string(), Some(10.0)), ("b".to_string(), None), ("c".to_string(), Some(30.0)), ("d".to_string(), Some(40.0))];
        let svg = line_chart("NPS", &points, -100.0, 100.0).into_string();
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("class=\"series\"").count(), 1, "only c–d are joined");
        assert!(!svg.contains("NaN"));
        assert!(line_chart("NPS", &[("a".to_string(), None)], -100.0, 100.0).into_string().contains("no data"));
    }
}
