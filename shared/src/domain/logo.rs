//! Project logos: PNG, JPEG or SVG of at most 1 MB, checked by content
//! (not only by the declared type), SVGs refused when they could run script.

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

/// Checks a logo; returns its normalised content type and file extension.
pub fn check_logo(content_type: &str, bytes: &[u8]) -> Result<(&'static str, &'static str), LogoError> {
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
            Ok(("image/png", "png"))
        }
        "image/jpeg" | "image/jpg" => {
            if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                return Err(LogoError::ContentMismatch("JPEG"));
            }
            Ok(("image/jpeg", "jpg"))
        }
        "image/svg+xml" => {
            let text = std::str::from_utf8(bytes).map_err(|_| LogoError::ContentMismatch("SVG"))?;
            let lower = text.to_ascii_lowercase();
            if !lower.contains("<svg") {
                return Err(LogoError::ContentMismatch("SVG"));
            }
            for (needle, what) in [
                ("<script", "a <script> element"),
                ("<foreignobject", "a <foreignObject> element"),
                ("javascript:", "a javascript: link"),
                ("<iframe", "an <iframe>"),
                ("<!entity", "an XML entity declaration"),
            ] {
                if lower.contains(needle) {
                    return Err(LogoError::UnsafeSvg(what));
                }
            }
            let has_handler =
                lower.match_indices(" on").chain(lower.match_indices("\non")).chain(lower.match_indices("\ton")).any(|(i, _)| {
                    let rest = &lower[i + 3..];
                    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
                    name_len > 0 && rest[name_len..].trim_start().starts_with('=')
                });
            if has_handler {
                return Err(LogoError::UnsafeSvg("an event handler attribute (on…=)"));
            }
            Ok(("image/svg+xml", "svg"))
        }
        other => Err(LogoError::UnsupportedType(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn accepts_png_jpeg_and_clean_svg() {
        assert_eq!(check_logo("image/png", PNG).unwrap(), ("image/png", "png"));
        assert_eq!(check_logo("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap().1, "jpg");
        let svg =
            br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0b57d0"/></svg>"##;
        assert_eq!(check_logo("image/svg+xml; charset=utf-8", svg).unwrap().1, "svg");
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
        ] {
            assert!(matches!(check_logo("image/svg+xml", svg.as_bytes()), Err(LogoError::UnsafeSvg(_))), "{svg}");
        }
    }
}
