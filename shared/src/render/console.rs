//! The operators' console: the signed-in pages of `admin-api` under
//! `/console`. Server-rendered, working without JavaScript, at phone width,
//! with a keyboard and a screen reader; every text from the translation
//! files (`render::keys::CONSOLE`).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::access::Role;
use crate::domain::i18n::{t, t_args, Lang};
use crate::render::keys;

const STYLE: &str = r#"
:root{color-scheme:light}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;line-height:1.5;color:#1a1a1a;background:#f4f5f7;font-size:1rem}
a{color:#0b57d0}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}.skip:focus{left:.5rem}
header.top{background:#102a43;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top a{color:#fff}
header.top .brand{font-weight:700;font-size:1.1rem;text-decoration:none}
header.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header.top nav a[aria-current]{text-decoration:underline;text-decoration-thickness:3px}
header.top .who{margin-left:auto;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.9rem}
header.top button{background:transparent;color:#fff;border:1px solid #9fb3c8;border-radius:.3rem;padding:.2rem .6rem;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;background:#fff;padding:1rem 1rem 2rem;min-height:80vh}
h1{font-size:1.5rem;margin-top:.25rem}h2{font-size:1.15rem;margin-top:1.5rem}
label{display:block;font-weight:600;margin-top:.75rem}
.hint{display:block;font-weight:400;color:#4a5563;font-size:.9rem}
input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],input[type=date],select,textarea{display:block;width:100%;max-width:32rem;padding:.5rem;border:1px solid #6b7280;border-radius:.3rem;font:inherit}
textarea{min-height:6rem}
fieldset{border:1px solid #d1d5db;border-radius:.4rem;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:600;padding:0 .3rem}
.choice{display:flex;gap:.5rem;align-items:center;margin:.3rem 0}.choice label{margin:0;font-weight:400}
input[type=radio],input[type=checkbox]{width:1.25rem;height:1.25rem}
button,.button{display:inline-block;background:#0b57d0;color:#fff;border:0;border-radius:.3rem;padding:.55rem 1rem;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;margin:.75rem .5rem 0 0}
button.secondary,.button.secondary{background:#e8eef9;color:#0b3d91;border:1px solid #0b57d0}
button.danger{background:#a3001b}
section.danger{border:1px solid #a3001b;border-radius:.4rem;padding:0 1rem 1rem;margin-top:2rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.error{color:#a3001b;font-weight:600}
.invalid input,.invalid select,.invalid textarea{border-color:#a3001b;border-width:2px}
.notice{background:#e7f6ec;border:1px solid #1e8449;border-radius:.3rem;padding:.5rem .75rem}
.alert{background:#fdecee;border:1px solid #a3001b;border-radius:.3rem;padding:.5rem .75rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
td.num,th.num{text-align:right}
.scroll{overflow-x:auto;position:relative}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
code,dd{overflow-wrap:anywhere}
dt{font-weight:600}dd{margin-left:1rem}
.steps{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.9rem}
.steps [aria-current]{font-weight:700}
dl.summary{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem}dl.summary dt{font-weight:600}dl.summary dt.sub{font-weight:400;padding-left:1rem}dl.summary dd{margin:0}
.frames{display:flex;flex-wrap:wrap;gap:1rem}
iframe.phone{width:360px;max-width:100%;height:640px;border:1px solid #9ca3af;border-radius:.5rem}
iframe.desktop{width:100%;height:640px;border:1px solid #9ca3af;border-radius:.5rem}
iframe.email{width:100%;height:28rem;border:1px solid #9ca3af;border-radius:.5rem;background:#fff}
ul.placeholders{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .5rem}
button.placeholder{margin:0;padding:.2rem .5rem;font-family:monospace;font-weight:400;background:#e8eef9;color:#0b3d91;border:1px solid #0b57d0}
.qr svg{width:12rem;height:12rem}
.card{border:1px solid #d1d5db;border-radius:.4rem;padding:.75rem 1rem;margin:.75rem 0}
.state{font-size:.8rem;border-radius:.6rem;padding:0 .5rem;border:1px solid #6b7280}
.state.published{background:#e7f6ec;border-color:#1e8449;color:#14532d}.state.draft{background:#fff4ce;border-color:#b58100;color:#5c4300}
.signin{max-width:26rem;margin:2rem auto}
@media (max-width:40rem){dl.doc{grid-template-columns:1fr}dl.doc dd{margin-bottom:.5rem}}
.checklist{list-style:none;padding:0}.checklist li{border:1px solid #d1d5db;border-radius:.4rem;padding:.5rem .75rem;margin:.5rem 0}
.checklist .mark{display:inline-block;min-width:1.5rem;font-weight:700}
.state.ok{background:#e7f6ec;border-color:#1e8449;color:#14532d}.state.bad{background:#fdecee;border-color:#a3001b;color:#7a0014}.state.unknown{background:#fff4ce;border-color:#b58100;color:#5c4300}
"#;

/// Who is looking at a signed-in page, and what every page needs of them.
#[derive(Debug, Clone)]
pub struct Chrome<'a> {
    pub lang: Lang,
    pub email: &'a str,
    pub role: Option<Role>,
    /// The session's CSRF token, put into every form that changes something.
    pub csrf: &'a str,
    /// The page's own path (the language switch comes back to it).
    pub path: &'a str,
    /// The navigation entry the page belongs to.
    pub section: Section,
}

/// The console's top-level sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Projects,
    Budgets,
    Users,
    /// Help and status: the first pulse's checklist, the stack's status,
    /// the data document and the support bundle.
    Help,
    None,
}

/// The hidden CSRF field of a form.
pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

fn head(title: &str, refresh: Option<u32>) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " – Pulse" }
            // a page of work in progress reloads itself without JavaScript
            // (with it, the script follows the work instead)
            @if let Some(seconds) = refresh { noscript { meta http-equiv="refresh" content=(seconds); } }
            // our own constant
            style { (PreEscaped(STYLE)) }
            meta name="color-scheme" content="light";
            (super::icon_link())
        }
    }
}

/// The language switch: a small form per page (works without JavaScript).
fn language_form(lang: Lang, back: &str, csrf: Option<&str>) -> Markup {
    html! {
        form method="post" action="/console/language" {
            @if let Some(c) = csrf { (csrf_field(c)) }
            input type="hidden" name="back" value=(back);
            label for="console-lang" style="display:inline;margin:0;font-weight:400" { (t(lang, keys::C_LANGUAGE)) " " }
            select id="console-lang" name="lang" style="display:inline;width:auto;padding:.15rem" {
                @for l in Lang::ALL {
                    option value=(l.code()) lang=(l.code()) selected[l == lang] { (l.native_name()) }
                }
            }
            " "
            button type="submit" style="margin:0" { (t(lang, keys::C_LANGUAGE_APPLY)) }
        }
    }
}

/// A signed-in page: skip link, navigation, who is signed in, sign-out.
pub fn page(c: &Chrome, title: &str, body: Markup) -> String {
    refreshing_page(c, title, body, None)
}

/// A console page that, without JavaScript, reloads itself every
/// `refresh` seconds (none: never), for work still in progress.
pub fn refreshing_page(c: &Chrome, title: &str, body: Markup, refresh: Option<u32>) -> String {
    let l = c.lang;
    let nav = |section: Section, href: &str, key: &str| {
        html! { li { a href=(href) aria-current=[(c.section == section).then_some("page")] { (t(l, key)) } } }
    };
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            (head(title, refresh))
            body {
                a.skip href="#main" { (t(l, keys::C_SKIP)) }
                header.top {
                    a.brand href="/console" { "Pulse" }
                    nav aria-label=(t(l, keys::C_NAV)) {
                        ul {
                            (nav(Section::Projects, "/console", keys::C_NAV_PROJECTS))
                            (nav(Section::Budgets, "/console/budgets", keys::C_NAV_BUDGETS))
                            @if c.role == Some(Role::Admin) {
                                (nav(Section::Users, "/console/users", keys::C_NAV_USERS))
                            }
                            (nav(Section::Help, "/console/help", keys::C_NAV_HELP))
                        }
                    }
                    div.who {
                        span { (c.email) " · " (role_name(l, c.role)) }
                        (language_form(l, c.path, Some(c.csrf)))
                        form method="post" action="/console/sign-out" {
                            (csrf_field(c.csrf))
                            button type="submit" style="margin:0" { (t(l, keys::C_SIGN_OUT)) }
                        }
                    }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    }
    .into_string()
}

/// A page without a session (sign-in, password reset).
pub fn public_page(lang: Lang, title: &str, back: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(title, None))
            body {
                header.top {
                    span.brand { "Pulse" }
                    div.who { (language_form(lang, back, None)) }
                }
                main id="main" { div.signin { (body) } }
            }
        }
    }
    .into_string()
}

/// A role's name in `lang`.
pub fn role_name(l: Lang, role: Option<Role>) -> String {
    t(
        l,
        match role {
            Some(Role::Admin) => keys::C_ROLE_ADMIN,
            Some(Role::Editor) => keys::C_ROLE_EDITOR,
            Some(Role::Viewer) => keys::C_ROLE_VIEWER,
            None => keys::C_ROLE_NONE,
        },
    )
}

/// A text field with its label, hint and error.
pub fn field(id: &str, label: &str, kind: &str, value: &str, hint: Option<&str>, error: Option<&str>, required: bool) -> Markup {
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described: Vec<&str> = [hint.map(|_| hint_id.as_str()), error.map(|_| err_id.as_str())].into_iter().flatten().collect();
    html! {
        div class=[error.map(|_| "invalid")] {
            label for=(id) { (label) @if let Some(h) = hint { span.hint id=(hint_id) { (h) } } }
            @if let Some(e) = error { p.error id=(err_id) { (e) } }
            @if kind == "textarea" {
                textarea id=(id) name=(id) aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] aria-invalid=[error.map(|_| "true")] required[required] { (value) }
            } @else {
                input type=(kind) id=(id) name=(id) value=(value) aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] aria-invalid=[error.map(|_| "true")] required[required];
            }
        }
    }
}

/// The sign-in form.
pub fn sign_in(lang: Lang, next: &str, email: &str, error: Option<&str>, notice: Option<&str>) -> String {
    let body = html! {
        h1 { (t(lang, keys::C_SIGN_IN_TITLE)) }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        @if let Some(e) = error { p.alert role="alert" id="signin-error" { (e) } }
        form method="post" action="/console/sign-in" {
            input type="hidden" name="next" value=(next);
            (field("email", &t(lang, keys::C_EMAIL), "email", email, None, None, true))
            (field("password", &t(lang, keys::C_PASSWORD), "password", "", None, None, true))
            button type="submit" { (t(lang, keys::C_SIGN_IN)) }
        }
        p { a href={ "/console/forgot-password?email=" (urlencode(email)) } { (t(lang, keys::C_FORGOT_LINK)) } }
    };
    public_page(lang, &t(lang, keys::C_SIGN_IN_TITLE), "/console/sign-in", body)
}

/// What a sign-in step carries to the next: where to go, who, Cognito's session.
fn sign_in_step(next: &str, email: &str, session: &str) -> Markup {
    html! {
        input type="hidden" name="next" value=(next);
        input type="hidden" name="email" value=(email);
        input type="hidden" name="session" value=(session);
    }
}

/// The first sign-in: choose a password.
pub fn new_password(lang: Lang, next: &str, email: &str, session: &str, error: Option<&str>) -> String {
    let body = html! {
        h1 { (t(lang, keys::C_NEW_PASSWORD_TITLE)) }
        p { (t(lang, keys::C_NEW_PASSWORD_INTRO)) }
        @if let Some(e) = error { p.alert role="alert" { (e) } }
        form method="post" action="/console/sign-in/new-password" {
            (sign_in_step(next, email, session))
            (field("password", &t(lang, keys::C_NEW_PASSWORD), "password", "", Some(&t(lang, keys::C_PASSWORD_POLICY)), None, true))
            (field("password2", &t(lang, keys::C_REPEAT_PASSWORD), "password", "", None, None, true))
            button type="submit" { (t(lang, keys::C_SET_PASSWORD)) }
        }
    };
    public_page(lang, &t(lang, keys::C_NEW_PASSWORD_TITLE), "/console/sign-in", body)
}

/// The authenticator code of a user with TOTP MFA.
pub fn totp(lang: Lang, next: &str, email: &str, session: &str, error: Option<&str>) -> String {
    let body = html! {
        h1 { (t(lang, keys::C_TOTP_TITLE)) }
        @if let Some(e) = error { p.alert role="alert" { (e) } }
        form method="post" action="/console/sign-in/code" {
            (sign_in_step(next, email, session))
            (field("code", &t(lang, keys::C_TOTP_CODE), "text", "", None, None, true))
            button type="submit" { (t(lang, keys::C_SIGN_IN)) }
        }
    };
    public_page(lang, &t(lang, keys::C_TOTP_TITLE), "/console/sign-in", body)
}

/// Forgotten password: ask for the code, then set a new password with it.
pub fn forgot(lang: Lang, email: &str, code_sent: bool, error: Option<&str>) -> String {
    let body = html! {
        h1 { (t(lang, keys::C_FORGOT_TITLE)) }
        @if let Some(e) = error { p.alert role="alert" { (e) } }
        @if code_sent {
            p.notice role="status" { (t(lang, keys::C_FORGOT_SENT)) }
            form method="post" action="/console/reset-password" {
                input type="hidden" name="email" value=(email);
                (field("code", &t(lang, keys::C_FORGOT_CODE), "text", "", None, None, true))
                (field("password", &t(lang, keys::C_NEW_PASSWORD), "password", "", Some(&t(lang, keys::C_PASSWORD_POLICY)), None, true))
                (field("password2", &t(lang, keys::C_REPEAT_PASSWORD), "password", "", None, None, true))
                button type="submit" { (t(lang, keys::C_SET_PASSWORD)) }
            }
        } @else {
            p { (t(lang, keys::C_FORGOT_INTRO)) }
            form method="post" action="/console/forgot-password" {
                (field("email", &t(lang, keys::C_EMAIL), "email", email, None, None, true))
                button type="submit" { (t(lang, keys::C_FORGOT_SEND)) }
            }
        }
        p { a href="/console/sign-in" { (t(lang, keys::C_BACK_TO_SIGN_IN)) } }
    };
    public_page(lang, &t(lang, keys::C_FORGOT_TITLE), "/console/forgot-password", body)
}

/// A page that says one thing (refused, not found, failed), with the request id to quote.
pub fn problem(c: &Chrome, status: u16, message: &str, request_id: &str) -> String {
    let title = match status {
        403 => t(c.lang, keys::C_FORBIDDEN_TITLE),
        404 => t(c.lang, keys::C_NOT_FOUND_TITLE),
        _ => t(c.lang, keys::C_PROBLEM_TITLE),
    };
    let body = html! {
        h1 { (title) }
        p.alert role="alert" { (message) }
        p.hint { (t_args(c.lang, keys::C_REQUEST_ID, &[("id", request_id.into())])) }
        p { a href="/console" { (t(c.lang, keys::C_NAV_PROJECTS)) } }
    };
    page(c, &title, body)
}

/// `s` for a query string value.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome(role: Option<Role>) -> Chrome<'static> {
        Chrome { lang: Lang::De, email: "ada@example.com", role, csrf: "tok<en>", path: "/console", section: Section::Projects }
    }

    #[test]
    fn a_page_of_work_in_progress_reloads_itself_only_without_javascript() {
        let c = chrome(Some(Role::Editor));
        let html = refreshing_page(&c, "T", html! { p { "x" } }, Some(5));
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains(r#"<noscript><meta http-equiv="refresh" content="5"></noscript>"#), "{head}");
        assert!(!page(&c, "T", html! { p { "x" } }).contains("http-equiv"), "a finished page stays put");
    }

    #[test]
    fn every_form_of_a_signed_in_page_carries_the_csrf_token_escaped() {
        let html = page(&chrome(Some(Role::Editor)), "T", html! { p { "x" } });
        let forms = html.matches("<form").count();
        assert_eq!(html.matches(r#"name="csrf" value="tok&lt;en&gt;""#).count(), forms, "{html}");
        assert!(html.contains(r#"<html lang="de">"#));
    }

    #[test]
    fn only_admins_see_the_users_section() {
        assert!(page(&chrome(Some(Role::Admin)), "T", html! {}).contains(r#"href="/console/users""#));
        assert!(!page(&chrome(Some(Role::Editor)), "T", html! {}).contains(r#"href="/console/users""#));
    }

    #[test]
    fn a_field_names_its_error_for_screen_readers() {
        let f = field("org", "Organisation", "text", "<b>", None, Some("Required"), true).into_string();
        assert!(f.contains(r#"aria-describedby="org-error""#), "{f}");
        assert!(f.contains(r#"aria-invalid="true""#));
        assert!(f.contains("value=\"&lt;b&gt;\""));
    }
}
