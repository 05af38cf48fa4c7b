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
//! declared constant is used somewhere in the workspace's code (as
//! `keys::NAME`, outside tests), and that no German or Finnish message is a
//! copy of the English one (names and numbers that read the same are listed
//! in the test's `SAME_AS_ENGLISH`).
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
        SURVEY_DESCRIPTION = "survey-description" [org: Text];
        LANGUAGE = "survey-language";
        SUBMIT = "survey-submit";
        REQUIRED = "survey-required";
        OPTIONAL = "survey-optional";
        CHOOSE_ONE = "survey-choose-one";
        CHOOSE_ANY = "survey-choose-any";
        RESOURCE_LINK = "survey-resource-link";
        ERROR_SUMMARY = "survey-error-summary";
        ERR_REQUIRED = "error-required";
        ERR_NOT_A_NUMBER = "error-not-a-number";
        ERR_OUT_OF_RANGE = "error-out-of-range";
        ERR_NOT_AN_OPTION = "error-not-an-option";
        ERR_TOO_LONG = "error-too-long" [max: Number];
        ERR_CONTACT_NEEDED = "error-contact-needed";
        ERR_CONTACT_INVALID = "error-contact-invalid";
        THANK_YOU_TITLE = "thank-you-title";
        THANK_YOU_BODY = "thank-you-body";
        ALREADY_ANSWERED_TITLE = "already-answered-title";
        ALREADY_ANSWERED_BODY = "already-answered-body";
        BUDGET_USED_UP_TITLE = "budget-closed-title";
        BUDGET_USED_UP_BODY = "budget-closed-body";
        REFUSED_TITLE = "refused-title";
        REFUSED_BODY = "refused-body";
        RESEND_NOTICE = "resend-notice";
        BUSY_NOTICE = "busy-notice";
        BUSY_TITLE = "busy-title";
        BUSY_BODY = "busy-body";
        DAILY_CAP_TITLE = "daily-cap-title";
        DAILY_CAP_BODY = "daily-cap-body";
        SURVEY_CLOSED_TITLE = "survey-closed-title";
        SURVEY_CLOSED_BODY = "survey-closed-body";
        LINK_EXPIRED_TITLE = "link-expired-title";
        LINK_EXPIRED_BODY = "link-expired-body";
        HONEYPOT_LABEL = "survey-honeypot";
        NOT_FOUND_TITLE = "not-found-title";
        NOT_FOUND_HEADING = "not-found-heading";
        NOT_FOUND_BODY = "not-found-body";
    }

    message_keys! { SURVEY_STEPS;
        STEP_OF = "survey-step-of" [n: Number, total: Number];
        STEP_NEXT = "survey-step-next";
        STEP_BACK = "survey-step-back";
        CONTACT_HINT = "survey-contact-hint";
        CONTACT_NOTICE = "survey-contact-notice";
    }

    message_keys! { PAGES;
        UNSUBSCRIBE_TITLE = "unsubscribe-title";
        UNSUBSCRIBE_TEXT = "unsubscribe-text" [email: Text, org: Text];
        UNSUBSCRIBE_BUTTON = "unsubscribe-button";
        UNSUBSCRIBED_TITLE = "unsubscribed-title";
        UNSUBSCRIBED_TEXT = "unsubscribed-text" [email: Text, org: Text];
        OPT_OUT_TITLE = "opt-out-title";
        OPT_OUT_TEXT = "opt-out-text" [email: Text, org: Text];
        OPT_OUT_BUTTON = "opt-out-button";
        OPTED_OUT_TITLE = "opted-out-title";
        OPTED_OUT_TEXT = "opted-out-text" [email: Text, org: Text];
        UNKNOWN_PROJECT = "unsubscribe-unknown-project";
        REPORT_IN_PROGRESS_TITLE = "report-in-progress-title";
        REPORT_IN_PROGRESS_BODY = "report-in-progress-body";
    }

    message_keys! { SURVEY;
        // Sections
        SECTION_COMMUNICATION = "section-communication";
        SECTION_ACTION = "section-action";
        SECTION_CONFIDENCE = "section-confidence";
        SECTION_IN_PERSON = "section-in-person";
        SECTION_METRICS = "section-metrics";
        SECTION_CUSTOMER_NEEDS = "section-customer-needs";
        SECTION_ABOUT_YOU = "section-about-you";
        SECTION_FOLLOW_UP = "section-follow-up";
        // Questions and their options
        Q_COMM_FREQUENCY = "question-comm-frequency" [org: Text];
        FREQ_DAILY = "option-frequency-daily";
        FREQ_WEEKLY = "option-frequency-weekly";
        FREQ_EVERY_TWO_WEEKS = "option-frequency-every-two-weeks";
        FREQ_MONTHLY = "option-frequency-monthly";
        FREQ_WHEN_SOMETHING_CHANGES = "option-frequency-when-something-changes";
        Q_COMM_CHANNELS = "question-comm-channels" [org: Text];
        CHANNEL_EMAIL = "option-channel-email";
        CHANNEL_WEBSITE = "option-channel-website";
        CHANNEL_SOCIAL_MEDIA = "option-channel-social-media";
        CHANNEL_APP = "option-channel-app";
        CHANNEL_SMS = "option-channel-sms";
        CHANNEL_PHONE = "option-channel-phone";
        CHANNEL_IN_PERSON = "option-channel-in-person";
        Q_COMM_MET = "question-comm-met" [org: Text];
        SCALE_EXPECTATIONS_MIN = "scale-expectations-min";
        SCALE_EXPECTATIONS_MAX = "scale-expectations-max";
        Q_ACTION_SATISFACTION = "question-action-satisfaction" [org: Text];
        SCALE_SATISFACTION_MIN = "scale-satisfaction-min";
        SCALE_SATISFACTION_MAX = "scale-satisfaction-max";
        Q_ACTION_RELEVANCE = "question-action-relevance";
        SCALE_RELEVANCE_MIN = "scale-relevance-min";
        SCALE_RELEVANCE_MAX = "scale-relevance-max";
        Q_ACTION_TIMELINESS = "question-action-timeliness";
        SCALE_TIMELINESS_MIN = "scale-timeliness-min";
        SCALE_TIMELINESS_MAX = "scale-timeliness-max";
        Q_CONFIDENCE = "question-confidence" [org: Text];
        SCALE_CONFIDENCE_MIN = "scale-confidence-min";
        SCALE_CONFIDENCE_MAX = "scale-confidence-max";
        Q_IN_PERSON_CHANGE = "question-in-person-change" [org: Text];
        VISITS_MORE = "option-visits-more";
        VISITS_SAME = "option-visits-same";
        VISITS_LESS = "option-visits-less";
        VISITS_STOPPED = "option-visits-stopped";
        VISITS_NEVER = "option-visits-never";
        Q_IN_PERSON_CHANNELS = "question-in-person-channels";
        Q_IN_PERSON_PREFERENCE = "question-in-person-preference";
        PREFER_IN_PERSON = "option-prefer-in-person";
        PREFER_IN_PERSON_WITH_MEASURES = "option-prefer-in-person-with-measures";
        PREFER_ONLINE = "option-prefer-online";
        PREFER_PHONE = "option-prefer-phone";
        Q_NPS = "question-nps" [org: Text];
        NPS_MIN = "scale-nps-min";
        NPS_MAX = "scale-nps-max";
        Q_CSAT = "question-csat" [org: Text];
        Q_CES = "question-ces" [org: Text];
        SCALE_EFFORT_MIN = "scale-effort-min";
        SCALE_EFFORT_MAX = "scale-effort-max";
        Q_NEEDS = "question-needs" [org: Text];
        Q_INDUSTRY = "question-industry";
        Q_SIZE_REVENUE = "question-size-revenue";
        Q_SIZE_EMPLOYEES = "question-size-employees";
        Q_LOCATION = "question-location";
        Q_FOLLOW_UP = "question-follow-up" [org: Text];
        FOLLOW_UP_YES = "option-follow-up-yes";
        FOLLOW_UP_NO = "option-follow-up-no";
        Q_FOLLOW_UP_CONTACT = "question-follow-up-contact";
        // Default options a project may keep (the stored value is the English text)
        INDUSTRY_FINANCIAL_SERVICES = "industry-financial-services";
        INDUSTRY_HEALTHCARE = "industry-healthcare";
        INDUSTRY_MANUFACTURING = "industry-manufacturing";
        INDUSTRY_RETAIL = "industry-retail";
        INDUSTRY_TECHNOLOGY = "industry-technology";
        INDUSTRY_TELECOMMUNICATIONS = "industry-telecommunications";
        INDUSTRY_EDUCATION = "industry-education";
        INDUSTRY_GOVERNMENT = "industry-government";
        INDUSTRY_ENERGY = "industry-energy";
        INDUSTRY_TRANSPORT = "industry-transport";
        INDUSTRY_PROFESSIONAL_SERVICES = "industry-professional-services";
        INDUSTRY_OTHER = "industry-other";
        REVENUE_UNDER_1M = "size-revenue-under-1m";
        REVENUE_1M_10M = "size-revenue-1m-10m";
        REVENUE_10M_50M = "size-revenue-10m-50m";
        REVENUE_50M_250M = "size-revenue-50m-250m";
        REVENUE_250M_1B = "size-revenue-250m-1b";
        REVENUE_OVER_1B = "size-revenue-over-1b";
        EMPLOYEES_1_9 = "size-employees-1-9";
        EMPLOYEES_10_49 = "size-employees-10-49";
        EMPLOYEES_50_249 = "size-employees-50-249";
        EMPLOYEES_250_999 = "size-employees-250-999";
        EMPLOYEES_1000_4999 = "size-employees-1000-4999";
        EMPLOYEES_5000_PLUS = "size-employees-5000-plus";
        IN_PERSON_STORE = "in-person-store";
        IN_PERSON_BRANCH = "in-person-branch";
        IN_PERSON_RESTAURANT = "in-person-restaurant";
        IN_PERSON_EVENT = "in-person-event";
        // US states (proper names; translated where the language has its own name)
        US_ALABAMA = "us-state-alabama";
        US_ALASKA = "us-state-alaska";
        US_ARIZONA = "us-state-arizona";
        US_ARKANSAS = "us-state-arkansas";
        US_CALIFORNIA = "us-state-california";
        US_COLORADO = "us-state-colorado";
        US_CONNECTICUT = "us-state-connecticut";
        US_DELAWARE = "us-state-delaware";
        US_FLORIDA = "us-state-florida";
        US_GEORGIA = "us-state-georgia";
        US_HAWAII = "us-state-hawaii";
        US_IDAHO = "us-state-idaho";
        US_ILLINOIS = "us-state-illinois";
        US_INDIANA = "us-state-indiana";
        US_IOWA = "us-state-iowa";
        US_KANSAS = "us-state-kansas";
        US_KENTUCKY = "us-state-kentucky";
        US_LOUISIANA = "us-state-louisiana";
        US_MAINE = "us-state-maine";
        US_MARYLAND = "us-state-maryland";
        US_MASSACHUSETTS = "us-state-massachusetts";
        US_MICHIGAN = "us-state-michigan";
        US_MINNESOTA = "us-state-minnesota";
        US_MISSISSIPPI = "us-state-mississippi";
        US_MISSOURI = "us-state-missouri";
        US_MONTANA = "us-state-montana";
        US_NEBRASKA = "us-state-nebraska";
        US_NEVADA = "us-state-nevada";
        US_NEW_HAMPSHIRE = "us-state-new-hampshire";
        US_NEW_JERSEY = "us-state-new-jersey";
        US_NEW_MEXICO = "us-state-new-mexico";
        US_NEW_YORK = "us-state-new-york";
        US_NORTH_CAROLINA = "us-state-north-carolina";
        US_NORTH_DAKOTA = "us-state-north-dakota";
        US_OHIO = "us-state-ohio";
        US_OKLAHOMA = "us-state-oklahoma";
        US_OREGON = "us-state-oregon";
        US_PENNSYLVANIA = "us-state-pennsylvania";
        US_RHODE_ISLAND = "us-state-rhode-island";
        US_SOUTH_CAROLINA = "us-state-south-carolina";
        US_SOUTH_DAKOTA = "us-state-south-dakota";
        US_TENNESSEE = "us-state-tennessee";
        US_TEXAS = "us-state-texas";
        US_UTAH = "us-state-utah";
        US_VERMONT = "us-state-vermont";
        US_VIRGINIA = "us-state-virginia";
        US_WASHINGTON = "us-state-washington";
        US_WEST_VIRGINIA = "us-state-west-virginia";
        US_WISCONSIN = "us-state-wisconsin";
        US_WYOMING = "us-state-wyoming";
    }

    message_keys! { EMBED;
        EMBED_OFF_TITLE = "embed-off-title";
        EMBED_OFF_BODY = "embed-off-body" [org: Text];
        EMBED_OFF_LINK = "embed-off-link";
        EMBED_FRAME_TITLE = "embed-frame-title" [org: Text];
    }

    /// Every list of messages the code uses.
    pub const REGISTRY: &[&[super::Key]] = &[
        RESPONDENT,
        SURVEY_STEPS,
        PAGES,
        EMBED,
        SURVEY,
        crate::render::keys::REPORTS,
        crate::render::keys::CONSOLE,
        crate::render::keys::CONSOLE_SETUP,
        crate::render::keys::CONSOLE_INSIGHTS,
        crate::render::keys::CONSOLE_EMBED,
        crate::render::keys::CONSOLE_PROJECT,
        crate::render::keys::CONSOLE_SYNC,
        crate::render::keys::CONSOLE_SFTP,
        crate::render::keys::CONSOLE_HELP,
    ];
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
                let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
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

    /// Messages that may read the same as in English: proper names and
    /// numbers, and words German shares with English.
    const SAME_AS_ENGLISH: &[&str] = &[
        "us-state-",
        "size-employees-",
        "option-channel-website",
        "in-person-restaurant",
        "console-col-account",
        "mail-alert-scope-segment",
        "console-sftp-host",
        "console-sync-source-salesforce",
    ];

    #[test]
    fn no_translation_is_a_copy_of_the_english_unless_it_is_a_name() {
        for key in declared() {
            if SAME_AS_ENGLISH.iter().any(|p| key.id.starts_with(p)) {
                continue;
            }
            let args: Vec<(&str, Arg)> = key.args.iter().map(|(name, _)| (*name, 2.into())).collect();
            let english = format(Lang::En, key.id, &args).map(|(text, _)| text);
            for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
                let text = format(lang, key.id, &args).map(|(text, _)| text);
                assert_ne!(text, english, "{} in {}.ftl is the English text", key.id, lang.code());
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
            let used = code
                .match_indices(&format!("keys::{}", key.name))
                .any(|(i, m)| !code[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
            assert!(used, "{} ({}) is declared but no code uses keys::{}", key.id, key.name, key.name);
        }
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let too_long = |lang, max: usize| t_args(lang, keys::ERR_TOO_LONG, &[("max", max.into())]);
        assert_eq!(too_long(Lang::En, 1), "This answer is too long: at most one character is allowed.");
        assert_eq!(too_long(Lang::En, 200), "This answer is too long: at most 200 characters are allowed.");
        assert_eq!(too_long(Lang::De, 1), "Diese Antwort ist zu lang: höchstens ein Zeichen.");
        assert_eq!(too_long(Lang::De, 2), "Diese Antwort ist zu lang: höchstens 2 Zeichen.");
        assert_eq!(too_long(Lang::Fi, 1), "Vastaus on liian pitkä: enintään yksi merkki.");
        assert_eq!(too_long(Lang::Fi, 4000), "Vastaus on liian pitkä: enintään 4000 merkkiä.");
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
