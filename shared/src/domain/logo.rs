//! Project logos: PNG, JPEG or SVG of at most 1 MB, checked by content
//! (not only by the declared type). An SVG is parsed with a real XML parser
//! (quick-xml) and written anew from an allowlist of elements and
//! attributes: anything that could run script or fetch something (a
//! script or foreignObject element in any namespace, an event handler, a
//! `javascript:` value in any encoding, an external reference, a DOCTYPE
//! with its entities) refuses the file; any other unknown element or
//! attribute (an editor's metadata) is left out.

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The largest logo accepted.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Why a logo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    #[error("the logo is {0} bytes; at most 1 MB (1,048,576 bytes) is accepted")]
    TooLarge(usize),
    #[error("the logo is empty")]
    Empty,
    #[error("content type {0:?} is not accepted; send image/png, image/jpeg or image/svg+xml")]
    UnsupportedType(String),
    #[error("the file is not a {0} image (its first bytes do not match)")]
    ContentMismatch(&'static str),
    #[error(
        "the SVG contains {0}, which could run script on the survey page; export it without scripts, event handlers or embedded content"
    )]
    UnsafeSvg(&'static str),
}

/// A logo fit to store: its normalised content type, file extension and
/// bytes (an SVG's re-serialised from the allowlist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub content_type: &'static str,
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks a logo; returns what to store.
pub fn check_logo(content_type: &str, bytes: &[u8]) -> Result<Checked, LogoError> {
    if bytes.is_empty() {
        return Err(LogoError::Empty);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoError::TooLarge(bytes.len()));
    }
    let declared = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match declared.as_str() {
        "image/png" => {
            if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                return Err(LogoError::ContentMismatch("PNG"));
            }
            Ok(Checked { content_type: "image/png", ext: "png", bytes: bytes.to_vec() })
        }
        "image/jpeg" | "image/jpg" => {
            if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                return Err(LogoError::ContentMismatch("JPEG"));
            }
            Ok(Checked { content_type: "image/jpeg", ext: "jpg", bytes: bytes.to_vec() })
        }
        "image/svg+xml" => {
            let text = std::str::from_utf8(bytes).map_err(|_| LogoError::ContentMismatch("SVG"))?;
            Ok(Checked { content_type: "image/svg+xml", ext: "svg", bytes: sanitize_svg(text)?.into_bytes() })
        }
        other => Err(LogoError::UnsupportedType(other.to_string())),
    }
}

/// How Pulse serves a logo (`GET /logo/{project}/{file}`): as the image it
/// is, offered inline under a neutral name, and sandboxed, so that an
/// image opened on its own (an SVG is a document) can run no script and
/// reach nothing on any origin.
pub const SERVED_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// A logo as a `GET /logo/{project}/{file}` request names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The object's key in the data bucket: `logos/{project}/{file}`.
    pub key: String,
    pub content_type: &'static str,
    pub ext: &'static str,
}

/// The path the logo stored under `key` is served at, relative to Pulse's
/// base URL (`logos/{project}/{file}` → `/logo/{project}/{file}`); `None`
/// for a key the logo route would not serve.
pub fn logo_path(key: &str) -> Option<String> {
    let (project, file) = key.strip_prefix("logos/")?.split_once('/')?;
    served_logo(project, file).map(|_| format!("/logo/{project}/{file}"))
}

/// The logo a `/logo/{project}/{file}` request names: only a name the logo
/// upload writes (an id, a dot and the extension of an accepted type),
/// under the project's own folder of `logos/`; anything else (another
/// folder, a `..`, a slash, another extension) is `None`.
pub fn served_logo(project: &str, file: &str) -> Option<Served> {
    let id = |s: &str| (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let (stem, ext) = file.split_once('.')?;
    let (content_type, ext) = match ext {
        "png" => ("image/png", "png"),
        "jpg" => ("image/jpeg", "jpg"),
        "svg" => ("image/svg+xml", "svg"),
        _ => return None,
    };
    (id(project) && id(stem)).then(|| Served { key: format!("logos/{project}/{file}"), content_type, ext })
}

/// Elements kept (by local name).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "symbol",
    "use",
    "title",
    "desc",
    "style",
];

/// Elements that refuse the file (by local name, in any namespace).
const FORBIDDEN: &[(&str, &str)] = &[
    ("script", "a <script> element"),
    ("foreignobject", "a <foreignObject> element"),
    ("iframe", "an <iframe>"),
    ("embed", "an <embed> element"),
    ("object", "an <object> element"),
    ("handler", "a <handler> element"),
    ("animate", "an animation that can change links"),
    ("set", "an animation that can change links"),
];

/// Attributes kept (by lower-case local name).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "dx",
    "dy",
    "width",
    "height",
    "d",
    "points",
    "transform",
    "viewbox",
    "preserveaspectratio",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "clip-path",
    "clip-rule",
    "mask",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientunits",
    "gradienttransform",
    "spreadmethod",
    "patternunits",
    "patterntransform",
    "maskunits",
    "clippathunits",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "visibility",
    "display",
    "version",
    "href",
    "space",
];

/// A value as a browser would read it for a scheme: lower case, without
/// the whitespace and control characters browsers skip.
fn squeezed(value: &str) -> String {
    value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).flat_map(char::to_lowercase).collect()
}

/// Whether CSS (a style attribute or element) could run or fetch anything.
fn unsafe_css(css: &str) -> Option<&'static str> {
    let css = squeezed(css);
    if css.contains("javascript:") || css.contains("expression(") || css.contains("-moz-binding") {
        return Some("script in its styles");
    }
    if css.contains("@import") || css.match_indices("url(").any(|(i, _)| !css[i + 4..].trim_start_matches(['"', '\'']).starts_with('#')) {
        return Some("an external reference in its styles");
    }
    None
}

/// The SVG written anew from the allowlist, or why it is refused.
pub fn sanitize_svg(text: &str) -> Result<String, LogoError> {
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::new());
    let mut skipping: usize = 0;
    let mut root_seen = false;
    let mut in_style = false;
    fn bad<E>(_: E) -> LogoError {
        LogoError::ContentMismatch("SVG")
    }
    loop {
        let event = reader.read_event().map_err(bad)?;
        match event {
            Event::Eof => break,
            Event::DocType(_) => return Err(LogoError::UnsafeSvg("a DOCTYPE (with its entity declarations)")),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if let Some((_, what)) = FORBIDDEN.iter().find(|(n, _)| *n == name) {
                    return Err(LogoError::UnsafeSvg(what));
                }
                if !root_seen {
                    if name != "svg" {
                        return Err(LogoError::ContentMismatch("SVG"));
                    }
                    root_seen = true;
                }
                if skipping > 0 || !ELEMENTS.contains(&name.as_str()) {
                    if !empty {
                        skipping += 1;
                    }
                    // a forbidden attribute refuses the file wherever it stands
                    kept_attributes(e)?;
                    continue;
                }
                let mut out = BytesStart::new(if name == "svg" {
                    "svg"
                } else {
                    std::str::from_utf8(e.local_name().into_inner()).map_err(|_| LogoError::ContentMismatch("SVG"))?
                });
                if name == "svg" {
                    out.push_attribute(("xmlns", "http://www.w3.org/2000/svg"));
                }
                for (key, value) in kept_attributes(e)? {
                    out.push_attribute((key.as_str(), value.as_str()));
                }
                in_style = name == "style" && !empty;
                let written = if empty { writer.write_event(Event::Empty(out)) } else { writer.write_event(Event::Start(out)) };
                written.map_err(bad)?;
            }
            Event::End(ref e) => {
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                in_style = false;
                let name = std::str::from_utf8(e.local_name().into_inner()).map_err(|_| LogoError::ContentMismatch("SVG"))?.to_string();
                writer.write_event(Event::End(quick_xml::events::BytesEnd::new(name))).map_err(bad)?;
            }
            Event::Text(ref t) if skipping == 0 => {
                let text = t.unescape().map_err(bad)?;
                if in_style {
                    if let Some(what) = unsafe_css(&text) {
                        return Err(LogoError::UnsafeSvg(what));
                    }
                }
                writer.write_event(Event::Text(BytesText::new(&text))).map_err(bad)?;
            }
            Event::CData(ref c) if skipping == 0 && in_style => {
                let css = String::from_utf8_lossy(c.as_ref()).to_string();
                if let Some(what) = unsafe_css(&css) {
                    return Err(LogoError::UnsafeSvg(what));
                }
                writer.write_event(Event::Text(BytesText::new(&css))).map_err(bad)?;
            }
            _ => {}
        }
    }
    if !root_seen {
        return Err(LogoError::ContentMismatch("SVG"));
    }
    String::from_utf8(writer.into_inner()).map_err(|_| LogoError::ContentMismatch("SVG"))
}

/// An element's attributes to keep (lower-case local name, unescaped
/// value), or why the file is refused.
fn kept_attributes(e: &BytesStart) -> Result<Vec<(String, String)>, LogoError> {
    let mut kept = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|_| LogoError::ContentMismatch("SVG"))?;
        let original = String::from_utf8_lossy(attr.key.local_name().as_ref()).to_string();
        let name = original.to_ascii_lowercase();
        // an editor's own attributes (inkscape:…, sodipodi:…) are left out
        let prefix = attr.key.prefix().map(|p| String::from_utf8_lossy(p.as_ref()).to_ascii_lowercase());
        let foreign = !matches!(prefix.as_deref(), None | Some("xlink") | Some("xml"));
        let value = attr.unescape_value().map_err(|_| LogoError::ContentMismatch("SVG"))?.to_string();
        if name.starts_with("on") {
            return Err(LogoError::UnsafeSvg("an event handler attribute (on…=)"));
        }
        let scheme = squeezed(&value);
        if scheme.contains("javascript:") || scheme.contains("vbscript:") || scheme.contains("data:text/html") {
            return Err(LogoError::UnsafeSvg("a javascript: link"));
        }
        if name == "href" && !value.trim_start().starts_with('#') {
            return Err(LogoError::UnsafeSvg("an external reference (href)"));
        }
        if name == "style" {
            if let Some(what) = unsafe_css(&value) {
                return Err(LogoError::UnsafeSvg(what));
            }
        }
        if ATTRIBUTES.contains(&name.as_str()) && !foreign {
            // xlink:href and href alike, written as href (SVG 2); names keep their case (viewBox)
            kept.push((if name == "space" { "xml:space".to_string() } else { original }, value));
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn accepts_png_jpeg_and_clean_svg() {
        assert_eq!(check_logo("image/png", PNG).unwrap(), Checked { content_type: "image/png", ext: "png", bytes: PNG.to_vec() });
        assert_eq!(check_logo("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap().ext, "jpg");
        let svg =
            br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0b57d0"/></svg>"##;
        let checked = check_logo("image/svg+xml; charset=utf-8", svg).unwrap();
        assert_eq!((checked.ext, String::from_utf8(checked.bytes).unwrap()), ("svg", String::from_utf8(svg.to_vec()).unwrap()));
    }

    #[test]
    fn refuses_other_types_mismatches_and_oversize() {
        assert!(matches!(check_logo("image/gif", b"GIF89a"), Err(LogoError::UnsupportedType(_))));
        assert!(matches!(check_logo("image/png", &[0xFF, 0xD8, 0xFF]), Err(LogoError::ContentMismatch("PNG"))));
        let mut big = PNG.to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert!(matches!(check_logo("image/png", &big), Err(LogoError::TooLarge(_))));
        let mut exact = PNG.to_vec();
        exact.resize(MAX_LOGO_BYTES, 0);
        assert!(check_logo("image/png", &exact).is_ok());
        assert_eq!(check_logo("image/png", b""), Err(LogoError::Empty));
    }

    #[test]
    fn refuses_svgs_that_could_run_script() {
        for svg in [
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg onload="alert(1)"></svg>"#,
            r#"<svg><a href="javascript:alert(1)">x</a></svg>"#,
            r#"<svg><foreignObject><div/></foreignObject></svg>"#,
            // namespaced scripts, encoded schemes, a handler after a carriage return
            r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></svg:svg>"#,
            r#"<svg xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>"#,
            r#"<svg><a href="&#106;avascript:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg><a href=" java&#x09;script:alert(1)"><text>x</text></a></svg>"#,
            "<svg\ronload=\"alert(1)\"></svg>",
            r#"<svg><metadata><x onclick="alert(1)"/></metadata></svg>"#,
            r#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>"#,
            r#"<svg><image href="https://tracker.example/p.png"/></svg>"#,
            r#"<svg><style>@import url(https://evil.example/x.css);</style></svg>"#,
            r#"<svg><rect style="fill:url(https://evil.example/p.svg#a)"/></svg>"#,
            r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
        ] {
            assert!(matches!(check_logo("image/svg+xml", svg.as_bytes()), Err(LogoError::UnsafeSvg(_))), "{svg}");
        }
    }

    #[test]
    fn an_editors_metadata_is_left_out_and_the_drawing_kept() {
        let inkscape = r##"<?xml version="1.0"?><!-- made by hand --><svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.3" viewBox="0 0 10 10"><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><style>.a{fill:url(#g)}</style><rect class="a" width="10" height="10" data-x="1"/><use href="#g"/><text x="1" y="9">A &amp; B</text></svg>"##;
        let clean = String::from_utf8(check_logo("image/svg+xml", inkscape.as_bytes()).unwrap().bytes).unwrap();
        assert_eq!(
            clean,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><style>.a{fill:url(#g)}</style><rect class="a" width="10" height="10"/><use href="#g"/><text x="1" y="9">A &amp; B</text></svg>"##
        );
        assert!(matches!(check_logo("image/svg+xml", b"<html><body/></html>"), Err(LogoError::ContentMismatch("SVG"))));
        assert!(matches!(check_logo("image/svg+xml", b"<svg><rect></svg>"), Err(LogoError::ContentMismatch("SVG"))));
    }

    #[test]
    fn only_names_the_upload_writes_are_served_and_under_their_project() {
        let served = served_logo("p_1-A", "Xy_z-9.svg").unwrap();
        assert_eq!(served, Served { key: "logos/p_1-A/Xy_z-9.svg".into(), content_type: "image/svg+xml", ext: "svg" });
        assert_eq!(served_logo("p", "a.jpg").unwrap().content_type, "image/jpeg");
        assert_eq!(served_logo("p", "a.png").unwrap().content_type, "image/png");
        for (project, file) in [
            ("p", "a.gif"),
            ("p", "a"),
            ("p", ".svg"),
            ("p", "a.svg.png"),
            ("p", "../a.svg"),
            ("..", "a.svg"),
            ("", "a.svg"),
            ("p/q", "a.svg"),
            ("p", "a%2F.svg"),
        ] {
            assert_eq!(served_logo(project, file), None, "{project}/{file}");
        }
        assert_eq!(logo_path("logos/p1/abc.svg").as_deref(), Some("/logo/p1/abc.svg"));
        assert_eq!(logo_path("uploads/p1/abc.svg"), None);
        assert_eq!(logo_path("logos/p1/x/abc.svg"), None);
    }
}
