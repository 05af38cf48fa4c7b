//! The report dashboard: one static HTML page (no JavaScript, no external
//! resources) with inline SVG charts, drawn from [`Figures`] through maud,
//! which escapes every text; every coordinate is finite. Its words come
//! from the translation files, in the project's default language; question,
//! option and area titles from the survey definition in that language.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::dates;
use super::keys;
use crate::domain::i18n::{pick, t, t_args, Lang};
use crate::domain::report::{Change, Dimension, Figures, Headline, Nps, Period, SegmentRow, TrendPoint, SMALL_SEGMENT};
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
            Some(r) => (tile(&rate, html! { (format!("{r:.1} %")) }, &rate_detail(l, h), None)),
            None => (tile(&rate, html! { "—" }, &t(l, keys::DASHBOARD_NO_INVITATIONS), None)),
        }
        (tile(&t(l, keys::DASHBOARD_FOLLOW_UPS), html! { (h.follow_ups) }, &t(l, keys::DASHBOARD_FOLLOW_UPS_DETAIL), None))
    }
}

/// The response rate's detail: the invitations, and how the invited
/// answered — from a score of the email's 0–10 row or from its button —
/// each as a rate of the invitations.
fn rate_detail(l: Lang, h: &Headline) -> String {
    let of = t_args(l, keys::DASHBOARD_OF_INVITATIONS, &[("count", h.invitations.into())]);
    if h.via.scale + h.via.button == 0 || h.invitations == 0 {
        return of;
    }
    let rate = |n: u64| format!("{:.1} %", n as f64 * 100.0 / h.invitations as f64);
    let via = t_args(
        l,
        keys::DASHBOARD_VIA,
        &[
            ("scale", h.via.scale.into()),
            ("button", h.via.button.into()),
            ("scale_rate", rate(h.via.scale).into()),
            ("button_rate", rate(h.via.button).into()),
        ],
    );
    format!("{of} · {via}")
}

/// A chart's plot area: a 1000 × 100 box stretched to the figure's width
/// and a fixed height (`preserveAspectRatio="none"`); its strokes keep
/// their width (`non-scaling-stroke`). Labels are drawn outside it, in
/// unscaled SVGs placed by percentages, so their size is the style
/// sheet's at every width (a phone does not shrink them).
const AREA_W: f64 = 1000.0;
const AREA_H: f64 = 100.0;
/// Room above the highest and below the lowest value, in area units.
const AREA_PAD: f64 = 6.0;
/// Room left and right of the first and last point, in area units.
const AREA_SIDE: f64 = 24.0;
/// At most this many labels under a chart (they fit a phone).
const MOST_X_LABELS: usize = 4;

/// One period of a chart: its axis label, its name in the data table, the
/// value (none: no answers), its interval and the answers behind it.
pub struct Point {
    pub label: String,
    pub name: String,
    pub value: Option<f64>,
    pub band: Option<(f64, f64)>,
    pub answers: u64,
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

/// The vertical position (area units) of `v` on `lo..=hi`.
fn area_y(v: f64, lo: f64, hi: f64) -> f64 {
    AREA_PAD + (AREA_H - 2.0 * AREA_PAD) * (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo))
}

/// The horizontal position (area units) of period `i` of `n`.
fn area_x(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return AREA_W / 2.0;
    }
    AREA_SIDE + (AREA_W - 2.0 * AREA_SIDE) * i as f64 / (n - 1) as f64
}

/// A chart: its caption, the y-axis labels, the plot area, the x-axis
/// labels, and its figures as a table a screen reader (or anyone) can read;
/// the drawing itself is hidden from screen readers, the table says it all.
fn chart(l: Lang, title: &str, ticks: &[(f64, String)], area: Markup, x_labels: &[(f64, &str)], table: Markup) -> Markup {
    let last = x_labels.len().saturating_sub(1);
    html! {
        figure.chart {
            figcaption { (title) }
            div.plot aria-hidden="true" {
                svg.y-axis {
                    @for (y, label) in ticks {
                        text.tick x="100%" y=(format!("{:.1}%", y)) dx="-4" dy="0.35em" text-anchor="end" { (label) }
                    }
                }
                svg.area viewBox=(format!("0 0 {AREA_W} {AREA_H}")) preserveAspectRatio="none" {
                    @for (y, _) in ticks {
                        line.grid x1="0" x2=(AREA_W) y1=(c(*y)) y2=(c(*y)) vector-effect="non-scaling-stroke" {}
                    }
                    (area)
                }
                span {}
                svg.x-axis {
                    @for (i, (x, label)) in x_labels.iter().enumerate() {
                        @let anchor = if x_labels.len() > 1 && i == 0 { "start" } else if x_labels.len() > 1 && i == last { "end" } else { "middle" };
                        // every other label gives way on a phone (`.alt` is hidden there)
                        text.tick.alt[i % 2 == 1] x=(format!("{:.1}%", x / AREA_W * 100.0)) y="14" text-anchor=(anchor) { (label) }
                    }
                }
            }
            details {
                summary { (t(l, keys::DASHBOARD_DATA_TABLE)) }
                div.scroll role="region" aria-label=(title) tabindex="0" { (table) }
            }
        }
    }
}

/// Which periods get an axis label: evenly spread, the first always.
fn labelled(n: usize) -> impl Fn(usize) -> bool {
    let step = n.div_ceil(MOST_X_LABELS).max(1);
    move |i| i % step == 0
}

/// Tick values on `lo..=hi` with their places (area units) and texts.
fn y_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    nice_ticks(lo, hi, 5).into_iter().map(|v| (area_y(v, lo, hi), format!("{v}"))).collect()
}

/// A line chart of `points` on `lo..=hi`: a line joins consecutive
/// periods with answers, a dot marks each, the interval (when given) is a
/// band around the line; empty periods break the line and the band.
pub fn line_chart(l: Lang, title: &str, points: &[Point], lo: f64, hi: f64, decimals: usize) -> Markup {
    let present = points.iter().filter(|p| p.value.is_some_and(f64::is_finite)).count();
    if present == 0 || hi <= lo {
        return no_data(l, title);
    }
    let n = points.len();
    // runs of consecutive periods with a value
    // (x, value, interval, point) of each period with a value
    type Drawn<'a> = (f64, f64, Option<(f64, f64)>, &'a Point);
    let mut runs: Vec<Vec<Drawn>> = vec![];
    let mut current = vec![];
    for (i, p) in points.iter().enumerate() {
        match p.value.filter(|v| v.is_finite()) {
            Some(v) => current.push((area_x(i, n), v, p.band.filter(|b| b.0.is_finite() && b.1.is_finite()), p)),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    let y = |v: f64| area_y(v, lo, hi);
    let area = html! {
        @for run in &runs {
            @if run.iter().all(|d| d.2.is_some()) && run.len() > 1 {
                @let upper = run.iter().map(|d| format!("{},{}", c(d.0), c(y(d.2.map_or(d.1, |b| b.1))))).collect::<Vec<_>>();
                @let lower = run.iter().rev().map(|d| format!("{},{}", c(d.0), c(y(d.2.map_or(d.1, |b| b.0))))).collect::<Vec<_>>();
                polygon.band points=(format!("{} {}", upper.join(" "), lower.join(" "))) {}
            }
            @if run.len() > 1 {
                polyline.series points=(run.iter().map(|d| format!("{},{}", c(d.0), c(y(d.1)))).collect::<Vec<_>>().join(" ")) vector-effect="non-scaling-stroke" {}
            }
            @for d in run {
                @if let Some(b) = d.2.filter(|_| run.len() == 1) {
                    line.whisker x1=(c(d.0)) x2=(c(d.0)) y1=(c(y(b.0))) y2=(c(y(b.1))) vector-effect="non-scaling-stroke" {}
                }
                line.dot x1=(c(d.0)) x2=(c(d.0)) y1=(c(y(d.1))) y2=(c(y(d.1))) vector-effect="non-scaling-stroke" {
                    title { (d.3.name) ": " (format!("{:.*}", decimals, d.1)) }
                }
            }
        }
    };
    let show = labelled(n);
    let x_labels: Vec<(f64, &str)> =
        points.iter().enumerate().filter(|(i, _)| show(*i)).map(|(i, p)| (area_x(i, n), p.label.as_str())).collect();
    let banded = points.iter().any(|p| p.band.is_some());
    let table = html! {
        table {
            thead {
                tr {
                    th scope="col" { (t(l, keys::DASHBOARD_PERIOD)) }
                    th.num scope="col" { (title) }
                    @if banded {
                        th.num scope="col" { (t(l, keys::DASHBOARD_LOW)) }
                        th.num scope="col" { (t(l, keys::DASHBOARD_HIGH)) }
                    }
                    th.num scope="col" { (t(l, keys::DASHBOARD_ANSWERS)) }
                }
            }
            tbody {
                @for p in points {
                    tr {
                        th scope="row" { (p.name) }
                        td.num { (p.value.filter(|v| v.is_finite()).map(|v| format!("{v:.decimals$}")).unwrap_or_else(|| "—".into())) }
                        @if banded {
                            td.num { (p.band.map(|b| format!("{:.*}", decimals, b.0)).unwrap_or_else(|| "—".into())) }
                            td.num { (p.band.map(|b| format!("{:.*}", decimals, b.1)).unwrap_or_else(|| "—".into())) }
                        }
                        td.num { (p.answers) }
                    }
                }
            }
        }
    };
    chart(l, title, &y_ticks(lo, hi), area, &x_labels, table)
}

/// A chart with nothing to draw: its caption and "no data".
fn no_data(l: Lang, title: &str) -> Markup {
    html! {
        figure.chart {
            figcaption { (title) }
            p.muted { (t(l, keys::DASHBOARD_NO_DATA)) }
        }
    }
}

/// Vertical columns (period, count) along a time axis, on round ticks.
pub fn column_chart(l: Lang, title: &str, columns: &[Point]) -> Markup {
    if columns.is_empty() {
        return no_data(l, title);
    }
    let max = columns.iter().map(|p| p.answers).max().unwrap_or(0);
    // a count's ticks are whole numbers
    let ticks: Vec<f64> = nice_ticks(0.0, max.max(1) as f64, 5).into_iter().filter(|v| v.fract() == 0.0).collect();
    let top = ticks.last().copied().unwrap_or(1.0).max(max as f64).max(1.0);
    let n = columns.len();
    let slot = (AREA_W - 2.0 * AREA_SIDE) / n as f64;
    let x = |i: usize| AREA_SIDE + slot * (i as f64 + 0.5);
    let y = |v: f64| area_y(v, 0.0, top);
    let area = html! {
        @for (i, p) in columns.iter().enumerate() {
            rect.bar x=(c(x(i) - slot * 0.4)) y=(c(y(p.answers as f64))) width=(c(slot * 0.8)) height=(c(y(0.0) - y(p.answers as f64))) {
                title { (p.name) ": " (p.answers) }
            }
        }
    };
    let show = labelled(n);
    let x_labels: Vec<(f64, &str)> = columns.iter().enumerate().filter(|(i, _)| show(*i)).map(|(i, p)| (x(i), p.label.as_str())).collect();
    let y_ticks: Vec<(f64, String)> = ticks.iter().map(|v| (y(*v), format!("{v}"))).collect();
    let table = html! {
        table {
            thead { tr { th scope="col" { (t(l, keys::DASHBOARD_PERIOD)) } th.num scope="col" { (title) } } }
            tbody {
                @for p in columns { tr { th scope="row" { (p.name) } td.num { (p.answers) } } }
            }
        }
    };
    chart(l, title, &y_ticks, area, &x_labels, table)
}

/// Horizontal bars (label, count, CSS class) as a table: the label, a bar
/// as long as the count's share of the largest, the count. The table is
/// the data; the bars are drawn in unscaled SVGs sized by percentages.
pub fn bar_chart(l: Lang, title: &str, bars: &[(String, u64, &str)]) -> Markup {
    if bars.is_empty() {
        return no_data(l, title);
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    html! {
        table.bars {
                caption { (title) }
                thead {
                    tr {
                        th scope="col" { (t(l, keys::DASHBOARD_VALUE)) }
                        th scope="col" { span.visually-hidden { (t(l, keys::DASHBOARD_CHART_SHARE)) } }
                        th.num scope="col" { (t(l, keys::DASHBOARD_ANSWERS)) }
                    }
                }
                tbody {
                    @for (label, count, class) in bars {
                        tr {
                            th scope="row" { (label) }
                            td.barcell {
                                svg.barline aria-hidden="true" {
                                    @if max > 0 && *count > 0 {
                                        rect class=(format!("bar {class}")) width=(format!("{:.1}%", *count as f64 / max as f64 * 100.0)) height="100%" {}
                                    }
                                }
                            }
                            td.num { (count) }
                        }
                    }
                }
        }
    }
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
figure{margin:0 0 1.25rem}figcaption,caption{font-weight:600;margin-bottom:.3rem;text-align:left}\
.plot{display:grid;grid-template-columns:2.6rem minmax(0,1fr);grid-template-rows:9rem 1.3rem}.plot svg{width:100%;height:100%;display:block;overflow:visible}\
.grid{stroke:#e3e6ea;stroke-width:1}.tick{font-size:12px;fill:#444}.series{fill:none;stroke:#0b57d0;stroke-width:2}.band{fill:#0b57d0;fill-opacity:.14}\
.dot{stroke:#0b57d0;stroke-width:8;stroke-linecap:round}.whisker{stroke:#0b57d0;stroke-opacity:.35;stroke-width:6}\
.bar{fill:#5b7db8}.bar.detractor{fill:#c0392b}.bar.passive{fill:#d4a017}.bar.promoter{fill:#1e8449}\
details{margin-top:.3rem;font-size:.9rem}summary{cursor:pointer;color:#0b57d0}.scroll{overflow-x:auto;max-width:100%}.scroll th[scope=row]{white-space:nowrap}\
table.bars th[scope=row]{font-weight:400;max-width:12rem}table.bars td.barcell{width:55%}svg.barline{width:100%;height:1rem;display:block}\
@media (max-width:30rem){.x-axis .alt{display:none}}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
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
    // the periods as a reader names them: "5 Dec" on the axis, "5 December
    // 2026" in the table ("Dec 2026" for months)
    let period_names: Vec<(String, String)> = f
        .trend
        .iter()
        .map(|p| match (crate::domain::report::parse_day(&p.start), f.period) {
            (Some(d), Period::Month) => (dates::month(l, d), dates::month(l, d)),
            (Some(d), _) => (dates::short(l, d), dates::long(l, d)),
            (None, _) => (p.start.clone(), p.start.clone()),
        })
        .collect();
    let trend = |value: fn(&TrendPoint) -> Option<f64>,
                 band: fn(&TrendPoint) -> Option<(f64, f64)>,
                 answers: fn(&TrendPoint) -> u64|
     -> Vec<Point> {
        f.trend
            .iter()
            .zip(&period_names)
            .map(|(p, (label, name))| Point {
                label: label.clone(),
                name: name.clone(),
                value: value(p),
                band: band(p),
                answers: answers(p),
            })
            .collect()
    };
    let nps_trend = trend(|p| p.nps, |p| p.nps_low.zip(p.nps_high), |p| p.responses);
    let csat_trend = trend(|p| p.csat, |p| p.csat_band, |p| p.responses);
    let ces_trend = trend(|p| p.ces, |p| p.ces_band, |p| p.responses);
    let per_period = trend(|_| None, |_| None, |p| p.responses);
    let subtitle = match f.period {
        Period::Day => keys::DASHBOARD_SUBTITLE_DAY,
        Period::Week => keys::DASHBOARD_SUBTITLE_WEEK,
        Period::Month => keys::DASHBOARD_SUBTITLE_MONTH,
    };
    let question = |id: &str| def.and_then(|d| d.question(id)).map(|q| pick(&q.text, l).to_string());
    let option = |id: &str, value: &str| def.map(|d| d.choice_label(id, value, l).to_string());
    let org = f.organisation_name.as_str();
    let (from, to) = (dates::long_text(l, &f.from), dates::long_text(l, &f.to));
    let (from, to) = (from.as_str(), to.as_str());
    let generated = dates::date_time(l, &f.generated_at, &f.time_zone);
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
                                (t_args(l, subtitle, &[("from", from.into()), ("to", to.into()), ("generated", generated.as_str().into())]))
                            }
                        }
                    }
                    @if let Some(fl) = &f.filter {
                        @let name = match &fl.dimension {
                            Dimension::Question(q) => question(q).unwrap_or_else(|| q.clone()),
                            Dimension::Field(name) => name.clone(),
                        };
                        @let value = match &fl.dimension {
                            Dimension::Question(q) => option(q, &fl.value).unwrap_or_else(|| fl.value.clone()),
                            Dimension::Field(_) => fl.value.clone(),
                        };
                        p.note { (t_args(l, keys::DASHBOARD_FILTERED, &[("segment", name.into()), ("value", value.into())])) }
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
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_NPS), &nps_trend, -100.0, 100.0, 0))
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_CSAT), &csat_trend, 0.0, 100.0, 1))
                        (line_chart(l, &t(l, keys::DASHBOARD_CHART_CES), &ces_trend, 1.0, 7.0, 1))
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
                        h2 id="areas" { (t(l, keys::DASHBOARD_AREAS)) }
                        div.scroll role="region" aria-labelledby="areas" tabindex="0" {
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
                    }
                    section {
                        h2 { (t(l, keys::DASHBOARD_SEGMENTS)) }
                        @for (i, s) in f.segments.iter().enumerate() {
                            @let asked = match &s.dimension {
                                Dimension::Question(q) => Some(q.as_str()),
                                Dimension::Field(_) => None,
                            };
                            h3 id=(format!("segment-{i}")) { (asked.and_then(question).unwrap_or_else(|| s.title.clone())) }
                            div.scroll role="region" aria-labelledby=(format!("segment-{i}")) tabindex="0" {
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
                                                (dates::day_of_instant(l, &text.submitted_at, &f.time_zone))
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
            trend: vec![TrendPoint {
                start: "2026-11-01".into(),
                responses: 0,
                nps: None,
                csat: None,
                ces: None,
                nps_low: None,
                nps_high: None,
                csat_band: None,
                ces_band: None,
            }],
            distributions: vec![crate::domain::report::Distribution {
                question: "nps".into(),
                title: "NPS".into(),
                bars: (0..=10).map(|v| (v.to_string(), v.to_string(), 0)).collect(),
            }],
            segments: vec![],
            texts: vec![],
            texts_not_listed: 0,
            min_responses: 1,
            time_zone: "UTC".into(),
            filter: None,
        }
    }

    #[test]
    fn empty_figures_render_the_note_without_nan() {
        let h = page(&empty(), None, Lang::En);
        assert!(h.contains("No responses between 1 November 2026 and 7 November 2026."), "{h}");
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

    fn point(label: &str, value: Option<f64>, band: Option<(f64, f64)>) -> Point {
        Point { label: label.into(), name: format!("day {label}"), value, band, answers: 3 }
    }

    #[test]
    fn a_gap_in_the_trend_breaks_the_line_and_its_band() {
        let points = vec![
            point("a", Some(10.0), Some((-20.0, 40.0))),
            point("b", None, None),
            point("c", Some(30.0), Some((0.0, 55.0))),
            point("d", Some(40.0), Some((10.0, 62.0))),
        ];
        let svg = line_chart(Lang::En, "NPS", &points, -100.0, 100.0, 0).into_string();
        assert_eq!(svg.matches("class=\"dot\"").count(), 3, "{svg}");
        assert_eq!(svg.matches("class=\"series\"").count(), 1, "only c–d are joined");
        assert_eq!(svg.matches("class=\"band\"").count(), 1, "the band follows c–d");
        assert_eq!(svg.matches("class=\"whisker\"").count(), 1, "a lone point shows its interval as a whisker");
        assert!(!svg.contains("NaN"));
        assert!(line_chart(Lang::En, "NPS", &[point("a", None, None)], -100.0, 100.0, 0).into_string().contains("no data"));
    }

    #[test]
    fn every_chart_has_its_figures_as_a_table_and_draws_labels_unscaled() {
        let points = vec![point("1 Dec", Some(12.0), Some((-30.0, 50.0))), point("2 Dec", Some(-5.0), Some((-40.0, 30.0)))];
        let svg = line_chart(Lang::En, "NPS", &points, -100.0, 100.0, 0).into_string();
        // the table holds each period, its score and interval
        assert!(
            svg.contains("<th scope=\"row\">day 1 Dec</th><td class=\"num\">12</td><td class=\"num\">-30</td><td class=\"num\">50</td>"),
            "{svg}"
        );
        // the drawing is hidden from screen readers (the table speaks)
        assert!(svg.contains("<div class=\"plot\" aria-hidden=\"true\">"));
        // labels live in SVGs without a viewBox: their font size is not scaled
        for label_svg in ["<svg class=\"y-axis\">", "<svg class=\"x-axis\">"] {
            assert!(svg.contains(label_svg), "{svg}");
        }
        assert!(svg.contains(">-100</text>") && svg.contains(">50</text>") && !svg.contains(">25</text>"), "round ticks: {svg}");
        let bars = bar_chart(Lang::En, "How likely", &[("0".into(), 2, "detractor"), ("10".into(), 4, "promoter")]).into_string();
        assert!(bars.contains("<caption>How likely</caption>"), "{bars}");
        assert!(bars.contains("<th scope=\"row\">0</th>") && bars.contains("width=\"50.0%\""), "{bars}");
        let columns = column_chart(Lang::En, "Responses", &points).into_string();
        assert!(columns.contains("<th scope=\"row\">day 2 Dec</th><td class=\"num\">3</td>"), "{columns}");
    }

    #[test]
    fn the_response_rate_says_how_the_invited_answered() {
        let mut f = empty();
        f.note = None;
        f.headline.invitations = 40;
        f.headline.response_rate = Some(50.0);
        f.headline.via.scale = 12;
        f.headline.via.button = 8;
        let h = page(&f, None, Lang::En);
        assert!(
            h.contains("12 opened from the email&#39;s score row (30.0 %) · 8 from its button (20.0 %)")
                || h.contains("12 opened from the email's score row (30.0 %) · 8 from its button (20.0 %)"),
            "{h}"
        );
    }

    #[test]
    fn dates_and_times_are_in_the_projects_language_and_time_zone() {
        let mut f = empty();
        f.generated_at = "2026-12-05T04:29:10.511Z".into();
        f.time_zone = "Europe/Helsinki".into();
        let en = page(&f, None, Lang::En);
        assert!(en.contains("Report 1 November 2026 – 7 November 2026"), "{en}");
        assert!(en.contains("generated 5 December 2026, 06:29 (Europe/Helsinki)"), "{en}");
        assert!(!en.contains("T04:29"), "no raw ISO time: {en}");
        let fi = page(&f, None, Lang::Fi);
        assert!(fi.contains("5. joulukuuta 2026 klo 6.29"), "{fi}");
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
