//! The report dashboard: one static HTML page (no JavaScript, no external
//! resources) with inline SVG charts, drawn from [`Figures`]. Every text
//! from operators or respondents is escaped; every coordinate is finite.

use super::escape;
use crate::domain::report::{Change, Figures, Headline, Nps, SegmentRow};

fn one(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

fn nps_text(n: Option<Nps>) -> String {
    match n {
        Some(n) if n.score.is_finite() && n.margin.is_finite() => format!("{:.0} <small>± {:.1}</small>", n.score, n.margin),
        _ => "—".into(),
    }
}

fn change(d: Option<f64>) -> String {
    match d.filter(|x| x.is_finite()) {
        Some(x) if x > 0.05 => format!("<span class=\"up\">▲ {x:.1} vs previous period</span>"),
        Some(x) if x < -0.05 => format!("<span class=\"down\">▼ {:.1} vs previous period</span>", -x),
        Some(_) => "<span>= previous period</span>".into(),
        None => "<span class=\"muted\">no earlier data</span>".into(),
    }
}

fn tile(label: &str, value: &str, detail: &str, delta: &str) -> String {
    format!("<div class=\"tile\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div><div class=\"detail\">{detail}</div><div class=\"delta\">{delta}</div></div>")
}

fn tiles(h: &Headline, c: &Change) -> String {
    let nps_detail = h.nps.map(|n| format!("{} promoters · {} passives · {} detractors", n.promoters, n.passives, n.detractors)).unwrap_or_else(|| "no answers".into());
    let rate = match h.response_rate.filter(|x| x.is_finite()) {
        Some(r) => tile("Response rate", &format!("{r:.1} %"), &format!("of {} invitations", h.invitations), ""),
        None => tile("Response rate", "—", "no invitations sent in this period", ""),
    };
    [
        tile("NPS", &nps_text(h.nps), &nps_detail, &change(c.nps)),
        tile("CSAT", &h.csat.map(|x| format!("{} %", one(Some(x)))).unwrap_or_else(|| "—".into()), if h.csat.is_some() { "share of 4–5 on 1–5" } else { "no answers" }, &change(c.csat)),
        tile("CES", &one(h.ces), &h.ces_easy.map(|e| format!("mean effort on 1–7 · {e:.1} % easy")).unwrap_or_else(|| "no answers".into()), &change(c.ces)),
        tile("Responses", &h.responses.to_string(), "in this period", &match c.responses {
            0 => "<span>= previous period</span>".to_string(),
            d if d > 0 => format!("<span class=\"up\">▲ {d} vs previous period</span>"),
            d => format!("<span class=\"down\">▼ {} vs previous period</span>", -d),
        }),
        rate,
        tile("Follow-up requests", &h.follow_ups.to_string(), "respondents who asked to be contacted", ""),
    ]
    .concat()
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD_L: f64 = 44.0;
const PAD_B: f64 = 28.0;
const PAD_T: f64 = 12.0;

/// A line chart of `points` (label, value or none) on `lo..=hi`; a line
/// joins consecutive present points, a dot marks each.
pub fn line_chart(title: &str, points: &[(String, Option<f64>)], lo: f64, hi: f64) -> String {
    let present = points.iter().filter(|p| p.1.is_some_and(f64::is_finite)).count();
    if present == 0 || hi <= lo {
        return format!("<figure><figcaption>{}</figcaption><p class=\"muted\">no data</p></figure>", escape(title));
    }
    let n = points.len().max(2) as f64;
    let x = |i: usize| PAD_L + (W - PAD_L - 10.0) * i as f64 / (n - 1.0);
    let y = |v: f64| PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo));
    let mut svg = format!("<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>", t = escape(title));
    for k in 0..=4 {
        let v = lo + (hi - lo) * f64::from(k) / 4.0;
        svg.push_str(&format!("<line class=\"grid\" x1=\"{PAD_L}\" x2=\"{W}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>", PAD_L - 4.0, y(v) + 4.0, y = y(v)));
    }
    let step = (points.len() / 6).max(1);
    for (i, (label, _)) in points.iter().enumerate().filter(|(i, _)| i % step == 0) {
        svg.push_str(&format!("<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>", x(i), H - 8.0, escape(label)));
    }
    let mut prev: Option<(f64, f64)> = None;
    for (i, (_, v)) in points.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let p = (x(i), y(v));
                if let Some(q) = prev {
                    svg.push_str(&format!("<line class=\"series\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>", q.0, q.1, p.0, p.1));
                }
                svg.push_str(&format!("<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{}: {v:.1}</title></circle>", p.0, p.1, escape(&points[i].0)));
                prev = Some(p);
            }
            None => prev = None,
        }
    }
    svg.push_str("</svg>");
    format!("<figure><figcaption>{}</figcaption>{svg}</figure>", escape(title))
}

/// Vertical columns (label, count) along a time axis.
pub fn column_chart(title: &str, columns: &[(String, u64)]) -> String {
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0);
    if columns.is_empty() {
        return format!("<figure><figcaption>{}</figcaption><p class=\"muted\">no data</p></figure>", escape(title));
    }
    let n = columns.len() as f64;
    let slot = (W - PAD_L - 10.0) / n;
    let mut svg = format!("<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>", t = escape(title));
    svg.push_str(&format!("<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{max}</text><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>", PAD_L - 4.0, PAD_T + 4.0, PAD_L - 4.0, H - PAD_B));
    let step = (columns.len() / 6).max(1);
    for (i, (label, count)) in columns.iter().enumerate() {
        let h = if max == 0 { 0.0 } else { (H - PAD_T - PAD_B) * *count as f64 / max as f64 };
        let x = PAD_L + slot * i as f64;
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}: {count}</title></rect>",
            x + slot * 0.1,
            H - PAD_B - h,
            slot * 0.8,
            escape(label)
        ));
        if i % step == 0 {
            svg.push_str(&format!("<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>", x + slot / 2.0, H - 8.0, escape(label)));
        }
    }
    svg.push_str("</svg>");
    format!("<figure><figcaption>{}</figcaption>{svg}</figure>", escape(title))
}

/// Horizontal bars (label, count), with an optional CSS class per bar.
pub fn bar_chart(title: &str, bars: &[(String, u64, &str)]) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    let row = 22.0;
    let h = row * bars.len() as f64 + 8.0;
    let label_w = 170.0;
    let mut svg = format!("<svg viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>", t = escape(title));
    for (i, (label, count, class)) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let len = if max == 0 { 0.0 } else { (W - label_w - 60.0) * *count as f64 / max as f64 };
        let short: String = label.chars().take(26).collect();
        svg.push_str(&format!(
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar {class}\" x=\"{label_w}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{count}</text>",
            label_w - 6.0,
            y + 14.0,
            escape(&short),
            row - 6.0,
            label_w + len + 6.0,
            y + 14.0,
        ));
    }
    svg.push_str("</svg>");
    format!("<figure><figcaption>{}</figcaption>{svg}</figure>", escape(title))
}

fn nps_class(value: &str) -> &'static str {
    match value.parse::<i64>() {
        Ok(0..=6) => "detractor",
        Ok(7..=8) => "passive",
        Ok(9..=10) => "promoter",
        _ => "",
    }
}

fn segment_row(r: &SegmentRow) -> String {
    let flag = if r.small { " <span class=\"badge\">small sample (n &lt; 5)</span>" } else { "" };
    format!(
        "<tr{}><td>{}{flag}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        if r.small { " class=\"small\"" } else { "" },
        escape(&r.value),
        r.responses,
        nps_text(r.nps),
        r.csat.map(|c| format!("{c:.1} %")).unwrap_or_else(|| "—".into()),
        one(r.ces),
    )
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
    let org = escape(&f.organisation_name);
    let mut body = format!(
        "<header><section><h1>{org} — pulse report</h1><p>Report {} – {} · trend by {} · generated {}</p></section></header>",
        escape(&f.from),
        escape(&f.to),
        match f.period {
            crate::domain::report::Period::Day => "day",
            crate::domain::report::Period::Week => "week",
            crate::domain::report::Period::Month => "month",
        },
        escape(&f.generated_at),
    );
    if let Some(note) = &f.note {
        body.push_str(&format!("<p class=\"note\" role=\"status\">{}</p>", escape(note)));
    }
    body.push_str(&format!("<section><h2>Headline</h2><div class=\"tiles\">{}</div></section>", tiles(&f.headline, &f.change)));

    let trend = |pick: fn(&crate::domain::report::TrendPoint) -> Option<f64>| -> Vec<(String, Option<f64>)> { f.trend.iter().map(|p| (p.start.clone(), pick(p))).collect() };
    let per_period: Vec<(String, u64)> = f.trend.iter().map(|p| (p.start.clone(), p.responses)).collect();
    body.push_str(&format!(
        "<section><h2>Trend</h2>{}{}{}{}</section>",
        line_chart("NPS (−100 to 100)", &trend(|p| p.nps), -100.0, 100.0),
        line_chart("CSAT (% satisfied)", &trend(|p| p.csat), 0.0, 100.0),
        line_chart("CES (mean effort, 1–7)", &trend(|p| p.ces), 1.0, 7.0),
        column_chart("Responses per period", &per_period),
    ));

    let mut dists = String::new();
    for d in &f.distributions {
        let bars: Vec<(String, u64, &str)> = d.bars.iter().map(|(v, label, n)| (label.clone(), *n, if d.question == "nps" { nps_class(v) } else { "" })).collect();
        dists.push_str(&bar_chart(&d.title, &bars));
    }
    body.push_str(&format!("<section><h2>Score distributions</h2>{dists}</section>"));

    let areas: String = f
        .areas
        .iter()
        .map(|a| format!("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", escape(&a.title), one(a.score), a.answers))
        .collect();
    body.push_str(&format!(
        "<section><h2>Areas</h2><table><thead><tr><th>Area</th><th class=\"num\">Score (0–100)</th><th class=\"num\">Answers</th></tr></thead><tbody>{areas}</tbody></table></section>"
    ));

    let mut segs = String::new();
    for s in &f.segments {
        let rows: String = s.rows.iter().map(segment_row).collect();
        let rows = if rows.is_empty() { "<tr><td colspan=\"5\" class=\"muted\">no responses with a value</td></tr>".to_string() } else { rows };
        segs.push_str(&format!(
            "<h3>{}</h3><table><thead><tr><th>Value</th><th class=\"num\">Responses</th><th class=\"num\">NPS</th><th class=\"num\">CSAT</th><th class=\"num\">CES</th></tr></thead><tbody>{rows}</tbody></table>",
            escape(&s.title)
        ));
    }
    if segs.is_empty() {
        segs.push_str("<p class=\"muted\">No segments asked for.</p>");
    }
    body.push_str(&format!("<section><h2>Segments</h2>{segs}</section>"));

    let texts: String = f
        .texts
        .iter()
        .map(|t| {
            format!(
                "<li><div><small>{}{}</small>{}</div><div>{}</div></li>",
                escape(t.submitted_at.get(..10).unwrap_or(&t.submitted_at)),
                t.nps.map(|n| format!(" · NPS {n}")).unwrap_or_default(),
                if t.follow_up { " <span class=\"flag\">follow-up requested</span>" } else { "" },
                escape(&t.text),
            )
        })
        .collect();
    let more = if f.texts_not_listed > 0 { format!("<p class=\"muted\">and {} more</p>", f.texts_not_listed) } else { String::new() };
    let texts = if texts.is_empty() { "<p class=\"muted\">No open-text answers in this period.</p>".to_string() } else { format!("<ul class=\"texts\">{texts}</ul>") };
    body.push_str(&format!("<section><h2>Open-text answers</h2>{texts}{more}</section>"));
    body.push_str(&format!(
        "<footer>{} responses in this period · {} in the period before · figures from Pulse's aggregates</footer>",
        f.headline.responses, f.previous.responses
    ));
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{org} — pulse report {} – {}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(&f.from),
        escape(&f.to)
    )
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
        let svg = line_chart("NPS", &points, -100.0, 100.0);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("class=\"series\"").count(), 1, "only c–d are joined");
        assert!(!svg.contains("NaN"));
        assert!(line_chart("NPS", &[("a".to_string(), None)], -100.0, 100.0).contains("no data"));
    }
}
