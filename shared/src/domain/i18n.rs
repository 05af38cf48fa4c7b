//! Survey languages, choosing one for a respondent, and every text people
//! read: the translations live in Fluent files, one per language, in
//! `shared/locales/<code>.ftl`, compiled into the binary with `include_str!`.
//!
//! Lookups are pure: [`t`] and [`t_args`] format a message in a language
//! (falling back to English, then to the message id, so a page never shows a
//! blank; the tests make a missing message a failure long before that), and
//! [`localized`] fills a [`Localized`] with every language for texts frozen
//! into survey definitions.
//!
//! **Adding a message**: write it in every `locales/*.ftl` file (above the
//! marker comment for respondent texts, below it for emails, notifications,
//! the dashboard and reports), and declare it once in a `message_keys!`
//! block of [`keys`] as `CONST_NAME = "message-id" [arg: Text, n: Number];`
//! with the variables the code passes. Code uses it as
//! `t(lang, keys::CONST_NAME)` or `t_args(lang, keys::CONST_NAME, &[("arg", value.into())])`.
//! A new `message_keys!` block (its own list name) must be added to
//! [`keys::REGISTRY`]. The tests then check, for every language, that each
//! declared message exists and formats without Fluent errors with the
//! declared variables (numbers tried with 1 and 2, so plural selectors are
//! exercised), that no file holds a message nobody declared, and that every
//! declared constant is used somewhere in the workspace's code.
//!
//! **Adding a language**: add `locales/<code>.ftl` with every message, and
//! one line to the `languages!` list below (variant, code, native name).
//! Nothing else: the bundles, [`Lang::ALL`], parsing, the serde names, the
//! surveys' [`Localized`] texts and the completeness tests follow from that
//! list. A project then may offer the language.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// Declares the languages: the enum, its serde names, codes, native names
/// and translation files.
macro_rules! languages {
    ($($variant:ident = $code:literal, $native:literal;)+) => {
        /// A language Pulse's pages and emails are written in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Lang {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl Lang {
            /// Every language, in declaration order (English first: the fallback).
            pub const ALL: [Lang; [$($code),+].len()] = [$(Lang::$variant),+];

            /// The BCP 47 code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lang::$variant => $code,)+
                }
            }

            /// The language's own name, for the language switch.
            pub fn native_name(self) -> &'static str {
                match self {
                    $(Lang::$variant => $native,)+
                }
            }

            /// The language's Fluent source.
            fn ftl(self) -> &'static str {
                match self {
                    $(Lang::$variant => include_str!(concat!("../../locales/", $code, ".ftl")),)+
                }
            }
        }
    };
}

/// What kind of value a message variable takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Text,
    Number,
}

/// A message the code uses: its constant's name, its Fluent id and the
/// variables the code passes.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub id: &'static str,
    pub args: &'static [(&'static str, ArgKind)],
}

/// Declares message ids as constants and lists them under `$list`:
/// `message_keys! { LIST; NAME = "id" [var: Text, n: Number]; ... }`.
macro_rules! message_keys {
    ($list:ident; $($name:ident = $id:literal $([$($arg:ident: $kind:ident),* $(,)?])?;)*) => {
        $(pub const $name: &str = $id;)*
        pub const $list: &[$crate::domain::i18n::Key] = &[$($crate::domain::i18n::Key {
            name: stringify!($name),
            id: $id,
            args: &[$($((stringify!($arg), $crate::domain::i18n::ArgKind::$kind)),*)?],
        }),*];
    };
}
#[allow(unused_imports)]
pub(crate) use message_keys;

/// The message ids, one constant each (see the module doc).
pub mod keys {
    message_keys! { RESPONDENT;
        SURVEY_TITLE = "survey-title";
        DURATION_QUICK = "survey-duration-quick";
        DURATION_ASSESSMENT = "survey-duration-assessment";
        LOGO_ALT = "survey-logo-alt" [org: Text];
        LANGUAGE = "survey-language";
        SUBMIT = "survey-submit";
        REQUIRED = "survey-required";
        OPTIONAL = "survey-optional";
        ONLY_IF_CONTACTED = "survey-only-if-contacted";
        CHOOSE_ONE = "survey-choose-one";
        CHOOSE_ANY = "survey-choose-any";
        RESOURCE_LINK = "survey-resource-link";
        ERROR_SUMMARY = "survey-error-summary";
        ERR_REQUIRED = "error-required";
        ERR_NOT_A_NUMBER = "error-not-a-number";
        ERR_OUT_OF_RANGE = "error-out-of-range";
        ERR_NOT_AN_OPTION = "error-not-an-option";
        ERR_TOO_LONG = "error-too-long";
        ERR_CONTACT_NEEDED = "error-contact-needed";
        ERR_CONTACT_INVALID = "error-contact-invalid";
        THANK_YOU_TITLE = "thank-you-title";
        THANK_YOU_BODY = "thank-you-body";
        ALREADY_ANSWERED_TITLE = "already-answered-title";
        ALREADY_ANSWERED_BODY = "already-answered-body";
        BUDGET_USED_UP_TITLE = "budget-closed-title";
        BUDGET_USED_UP_BODY = "budget-closed-body";
        NOT_FOUND_TITLE = "not-found-title";
        NOT_FOUND_HEADING = "not-found-heading";
        NOT_FOUND_BODY = "not-found-body";
        NPS_MIN = "scale-nps-min";
        NPS_MAX = "scale-nps-max";
    }

    /// Every list of messages the code uses.
    pub const REGISTRY: &[&[super::Key]] = &[RESPONDENT, crate::render::keys::REPORTS];
}

/// A value for a message variable: `"text".into()`, `count.into()`.
pub type Arg<'a> = FluentValue<'a>;

type Bundle = FluentBundle<FluentResource>;

/// One bundle per language, in [`Lang::ALL`] order. A broken entry in a
/// file is skipped here (and fails the tests), never a panic at run time.
static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let id = lang.code().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Pages and emails are plain HTML/text: no bidi isolation marks.
            bundle.set_use_isolating(false);
            let resource = FluentResource::try_new(lang.ftl().to_string()).unwrap_or_else(|(partial, _)| partial);
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect()
});

fn bundle(lang: Lang) -> &'static Bundle {
    &BUNDLES[lang as usize]
}

/// Formats message `id` in `lang`: None when the language has no such
/// message; the text and any Fluent errors otherwise.
pub fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<(String, Vec<String>)> {
    let bundle = bundle(lang);
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
    Some((text, errors.iter().map(ToString::to_string).collect()))
}

/// Message `id` in `lang`, without variables.
pub fn t(lang: Lang, id: &str) -> String {
    t_args(lang, id, &[])
}

/// Message `id` in `lang` with variables, e.g.
/// `t_args(lang, keys::LOGO_ALT, &[("org", org.into())])`. Falls back to
/// English, then to the id itself.
pub fn t_args(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    format(lang, id, args).or_else(|| format(Lang::En, id, args)).map(|(text, _)| text).unwrap_or_else(|| id.to_string())
}

/// Message `id` in every language, for texts frozen into a survey definition.
pub fn localized(id: &str, args: &[(&str, Arg)]) -> Localized {
    Lang::ALL.into_iter().map(|l| (l, t_args(l, id, args))).collect()
}

languages! {
    En = "en", "English";
    De = "de", "Deutsch";
    Fi = "fi", "Suomi";
}

impl Lang {
    /// Reads a code such as `de`, `de-AT` or `EN`.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }
}

/// Text in several languages.
pub type Localized = BTreeMap<Lang, String>;

/// The text in `lang`, else English, else any.
pub fn pick(text: &Localized, lang: Lang) -> &str {
    text.get(&lang).or_else(|| text.get(&Lang::En)).or_else(|| text.values().next()).map(String::as_str).unwrap_or("")
}

/// Chooses the page language: an explicit choice, else the contact's
/// language, else the best `Accept-Language` match, else the project's first.
pub fn choose(available: &[Lang], explicit: Option<&str>, contact: Option<Lang>, accept_language: Option<&str>) -> Lang {
    let offered = |l: Lang| available.contains(&l).then_some(l);
    if let Some(l) = explicit.and_then(Lang::parse).and_then(offered) {
        return l;
    }
    if let Some(l) = contact.and_then(offered) {
        return l;
    }
    if let Some(header) = accept_language {
        let mut ranked: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(l) = ranked.into_iter().find_map(|(_, _, l)| offered(l)) {
            return l;
        }
    }
    available.first().copied().unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_with_regions() {
        assert_eq!(Lang::parse("de-AT"), Some(Lang::De));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse("fi-FI"), Some(Lang::Fi));
        assert_eq!(Lang::parse("sv"), None);
    }

    #[test]
    fn explicit_beats_contact_beats_header_beats_default() {
        let both = [Lang::En, Lang::De];
        assert_eq!(choose(&both, Some("de"), Some(Lang::En), Some("en")), Lang::De);
        assert_eq!(choose(&both, None, Some(Lang::De), Some("en")), Lang::De);
        assert_eq!(choose(&both, None, None, Some("fr-FR, de;q=0.8, en;q=0.5")), Lang::De);
        assert_eq!(choose(&both, None, None, Some("fi")), Lang::En);
        let three = [Lang::De, Lang::En, Lang::Fi];
        assert_eq!(choose(&three, None, None, Some("fi-FI, en;q=0.5")), Lang::Fi);
        assert_eq!(choose(&three, Some("fi"), Some(Lang::En), None), Lang::Fi);
        assert_eq!(choose(&three, None, None, Some("sv")), Lang::De);
        assert_eq!(choose(&[Lang::En], Some("de"), Some(Lang::De), Some("de")), Lang::En);
        assert_eq!(choose(&both, None, None, Some("de;q=0, en")), Lang::En);
    }

    #[test]
    fn languages_serialise_as_their_codes() {
        for l in Lang::ALL {
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{}\"", l.code()));
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::Fi.native_name(), "Suomi");
    }

    fn parsed(lang: Lang) -> fluent_syntax::ast::Resource<&'static str> {
        fluent_syntax::parser::parse(lang.ftl()).unwrap_or_else(|(_, errors)| panic!("{}.ftl does not parse: {errors:?}", lang.code()))
    }

    fn declared() -> Vec<Key> {
        keys::REGISTRY.iter().flat_map(|list| list.iter().copied()).collect()
    }

    #[test]
    fn every_declared_message_is_in_every_file_and_no_file_holds_another() {
        use fluent_syntax::ast::Entry;
        let declared = declared();
        let ids: std::collections::BTreeSet<&str> = declared.iter().map(|k| k.id).collect();
        assert_eq!(ids.len(), declared.len(), "a message id is declared twice");
        for lang in Lang::ALL {
            let mut in_file = std::collections::BTreeSet::new();
            for entry in parsed(lang).body {
                if let Entry::Message(m) = entry {
                    assert!(in_file.insert(m.id.name), "{} is defined twice in {}.ftl", m.id.name, lang.code());
                }
            }
            let missing: Vec<_> = ids.difference(&in_file).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.code());
            let unused: Vec<_> = in_file.difference(&ids).collect();
            assert!(unused.is_empty(), "{}.ftl holds messages no code declares: {unused:?}", lang.code());
        }
    }

    #[test]
    fn every_file_ends_its_respondent_part_with_the_marker() {
        const MARKER: &str = "## ---- emails, notifications, dashboard and reports (below this line) ----";
        for lang in Lang::ALL {
            assert_eq!(lang.ftl().lines().filter(|l| *l == MARKER).count(), 1, "{}.ftl", lang.code());
        }
    }

    #[test]
    fn every_message_formats_without_errors_with_the_variables_the_code_passes() {
        for key in declared() {
            for n in [1, 2] {
                let args: Vec<(&str, Arg)> = key
                    .args
                    .iter()
                    .map(|(name, kind)| (*name, if *kind == ArgKind::Number { n.into() } else { format!("«{name}»").into() }))
                    .collect();
                for lang in Lang::ALL {
                    let (text, errors) = format(lang, key.id, &args).unwrap_or_else(|| panic!("{} has no {} value", lang.code(), key.id));
                    assert!(errors.is_empty(), "{} in {}: {errors:?}", key.id, lang.code());
                    assert!(!text.trim().is_empty(), "{} in {} is blank", key.id, lang.code());
                    for (name, kind) in key.args {
                        if *kind == ArgKind::Text {
                            assert!(text.contains(&format!("«{name}»")), "{} in {} drops ${name}: {text}", key.id, lang.code());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_declared_message_is_used_by_the_code() {
        fn sources(dir: &std::path::Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if path.is_dir() && name != "target" && !name.to_string_lossy().starts_with('.') {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    // Tests do not count as uses.
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push_str(text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut code = String::new();
        for dir in ["shared/src", "functions", "infra/src"] {
            sources(&root.join(dir), &mut code);
        }
        for key in declared() {
            let used = code.match_indices(&format!("keys::{}", key.name)).any(|(i, m)| {
                !code[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            });
            assert!(used, "{} ({}) is declared but no code uses keys::{}", key.id, key.name, key.name);
        }
    }

    #[test]
    fn lookups_fall_back_to_english_then_to_the_id_and_fill_every_language() {
        assert_eq!(t(Lang::De, keys::SUBMIT), "Absenden");
        assert_eq!(t(Lang::Fi, keys::SUBMIT), "Lähetä");
        assert_eq!(t(Lang::Fi, "no-such-message"), "no-such-message");
        assert_eq!(t_args(Lang::En, keys::LOGO_ALT, &[("org", "Café <Aroma>".into())]), "Café <Aroma> logo");
        let all = localized(keys::THANK_YOU_TITLE, &[]);
        assert_eq!(all.len(), Lang::ALL.len());
        assert_eq!(pick(&all, Lang::De), "Vielen Dank!");
        let old = BTreeMap::from([(Lang::En, "Hello".to_string()), (Lang::De, "Hallo".to_string())]);
        assert_eq!(pick(&old, Lang::Fi), "Hello", "versions frozen before Finnish fall back to English");
    }
}
