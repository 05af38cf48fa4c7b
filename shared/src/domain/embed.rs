//! The website widget: the origins a project lets embed its anonymous
//! survey in an iframe (`settings.embed_origins`), checked so that each is
//! safe to name in a `Content-Security-Policy: frame-ancestors` header, and
//! the snippet a website pastes. Pure: no I/O; imports nothing from the
//! domain.

/// At most this many websites may embed one project's survey.
pub const MAX_EMBED_ORIGINS: usize = 20;

/// The widget's size in the snippet: a phone-wide column of a page.
pub const WIDTH_PX: u32 = 360;
pub const HEIGHT_PX: u32 = 600;

/// The path of the embeddable page of an anonymous link's path
/// (`/s/{token}` → `/s/{token}/embed`).
pub fn embed_path(link_path: &str) -> String {
    format!("{}/embed", link_path.trim_end_matches('/'))
}

/// Whether `host` is this machine (http is allowed there only, for local
/// development: browsers treat loopback as a secure context).
fn loopback(host: &str) -> bool {
    host == "localhost" || host == "127.0.0.1" || host == "[::1]"
}

/// Checks one origin as written in the settings: `https://host` or
/// `https://host:port` (http only for localhost, 127.0.0.1 and [::1]), no
/// path, query, user or wildcard. Returns it as the browser sends it (the
/// scheme and host lower-cased), or why not.
pub fn check_origin(given: &str) -> Result<String, String> {
    let example = "such as https://www.example.com (scheme and host only: no path, no wildcard)";
    let origin = given.trim();
    let bad = |why: &str| Err(format!("{given:?} is not a website origin {example}: {why}"));
    if origin.is_empty() {
        return Err(format!("must not be empty; write an origin {example}"));
    }
    if origin.len() > 260 {
        return bad("it is longer than 260 characters");
    }
    if origin.contains('*') {
        return bad("wildcards are not allowed; list each website");
    }
    let lower = origin.to_ascii_lowercase();
    let (scheme, rest) = match lower.split_once("://") {
        Some((s @ ("https" | "http"), rest)) => (s, rest),
        _ => return bad("it must start with https://"),
    };
    if rest.contains(['/', '?', '#']) {
        return bad("it has a path; leave out everything from the first / after the host");
    }
    if rest.contains('@') {
        return bad("it names a user");
    }
    // an IPv6 host stands in brackets ([::1]:8080)
    let (host, port) = match rest.find(']').filter(|_| rest.starts_with('[')) {
        Some(end) => match &rest[end + 1..] {
            "" => (&rest[..=end], None),
            after => match after.strip_prefix(':') {
                Some(p) => (&rest[..=end], Some(p)),
                None => return bad("its host is not a domain name"),
            },
        },
        None => match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        },
    };
    if let Some(p) = port {
        if p.parse::<u16>().ok().filter(|p| *p > 0).is_none() || p.starts_with('0') {
            return bad("its port is not a number from 1 to 65535");
        }
    }
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let domain = labels_ok && host.contains('.') && host.len() <= 253;
    if !loopback(host) && !domain {
        return bad("its host is not a domain name (write international names in their xn-- form)");
    }
    if scheme == "http" && !loopback(host) {
        return bad("only https:// websites may embed the survey (http only on this machine: localhost or 127.0.0.1)");
    }
    Ok(lower)
}

/// Checks the list: each origin ([`check_origin`]), at most
/// [`MAX_EMBED_ORIGINS`], none twice. On a broken rule: the index of the
/// entry (None for the list as a whole) and why.
pub fn check_origins(origins: &mut [String]) -> Result<(), (Option<usize>, String)> {
    if origins.len() > MAX_EMBED_ORIGINS {
        return Err((None, format!("at most {MAX_EMBED_ORIGINS} websites; {} were given", origins.len())));
    }
    for i in 0..origins.len() {
        origins[i] = check_origin(&origins[i]).map_err(|m| (Some(i), m))?;
        if origins[..i].contains(&origins[i]) {
            return Err((Some(i), format!("{:?} is listed twice", origins[i])));
        }
    }
    Ok(())
}

/// The `frame-ancestors` directive for checked origins: exactly those, or
/// `'none'` when there are none.
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "frame-ancestors 'none'".to_string()
    } else {
        format!("frame-ancestors {}", origins.join(" "))
    }
}

/// The HTML a website pastes to show the survey at `url` (the embeddable
/// page's full address), titled `title` for screen readers. Escaped for an
/// attribute value.
pub fn snippet(url: &str, title: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<iframe src=\"{}\" title=\"{}\" loading=\"lazy\" width=\"{WIDTH_PX}\" height=\"{HEIGHT_PX}\" \
         style=\"border:0;max-width:100%\"></iframe>",
        esc(url),
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_origins_are_kept_as_browsers_send_them() {
        assert_eq!(check_origin("https://www.example.com").as_deref(), Ok("https://www.example.com"));
        assert_eq!(check_origin(" HTTPS://Shop.Example.co.uk:8443 ").as_deref(), Ok("https://shop.example.co.uk:8443"));
        assert_eq!(check_origin("https://xn--caf-dma.example").as_deref(), Ok("https://xn--caf-dma.example"));
        assert_eq!(check_origin("http://127.0.0.1:4000").as_deref(), Ok("http://127.0.0.1:4000"), "this machine, for development");
        assert_eq!(check_origin("http://localhost").as_deref(), Ok("http://localhost"));
        assert_eq!(check_origin("http://[::1]:8080").as_deref(), Ok("http://[::1]:8080"));
    }

    #[test]
    fn paths_wildcards_plain_http_and_other_schemes_are_refused_and_named() {
        for (bad, why) in [
            ("https://www.example.com/", "path"),
            ("https://www.example.com/survey", "path"),
            ("https://www.example.com?x=1", "path"),
            ("https://*.example.com", "wildcard"),
            ("*", "wildcard"),
            ("http://www.example.com", "only https://"),
            ("www.example.com", "start with https://"),
            ("javascript:alert(1)", "start with https://"),
            ("'self'", "start with https://"),
            ("https://example", "domain name"),
            ("https://exa mple.com", "domain name"),
            ("https://exa;mple.com", "domain name"),
            ("https://user@example.com", "user"),
            ("https://example.com:0", "port"),
            ("https://example.com:99999", "port"),
            ("https://example.com:", "port"),
            ("https://café.example", "xn--"),
            ("https://[::2]", "domain name"),
            ("https://[::1]x", "domain name"),
        ] {
            let reason = check_origin(bad).unwrap_err();
            assert!(reason.contains(&format!("{bad:?}")) && reason.contains(why), "{bad}: {reason}");
        }
        assert!(check_origin("  ").unwrap_err().contains("must not be empty"));
    }

    #[test]
    fn the_list_is_bounded_and_has_no_entry_twice() {
        let mut list = vec!["https://a.example.com".to_string(), "https://A.example.com".to_string()];
        let (at, reason) = check_origins(&mut list).unwrap_err();
        assert_eq!(at, Some(1));
        assert!(reason.contains("listed twice"), "{reason}");
        let mut many: Vec<String> = (0..=MAX_EMBED_ORIGINS).map(|i| format!("https://s{i}.example.com")).collect();
        assert_eq!(check_origins(&mut many).unwrap_err().0, None);
        let mut ok = vec!["https://WWW.example.com".to_string()];
        assert_eq!(check_origins(&mut ok), Ok(()));
        assert_eq!(ok, ["https://www.example.com"]);
    }

    #[test]
    fn frame_ancestors_name_exactly_the_listed_origins() {
        assert_eq!(frame_ancestors(&[]), "frame-ancestors 'none'");
        let list = ["https://a.example.com".to_string(), "https://b.example.com:8443".to_string()];
        assert_eq!(frame_ancestors(&list), "frame-ancestors https://a.example.com https://b.example.com:8443");
    }

    #[test]
    fn the_snippet_is_a_lazy_titled_phone_sized_iframe() {
        let s = snippet("https://pulse.example.com/s/abc/embed", "Survey of \"Café\" <Aroma>");
        assert_eq!(
            s,
            "<iframe src=\"https://pulse.example.com/s/abc/embed\" title=\"Survey of &quot;Café&quot; &lt;Aroma&gt;\" \
             loading=\"lazy\" width=\"360\" height=\"600\" style=\"border:0;max-width:100%\"></iframe>"
        );
        assert_eq!(embed_path("/s/abc"), "/s/abc/embed");
    }
}
