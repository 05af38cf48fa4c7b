//! Survey languages, choosing one for a respondent, and the interface texts
//! of the respondent pages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A language the respondent pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's own name, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// Reads a code such as `de`, `de-AT` or `EN`.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }
}

/// Text in several languages.
pub type Localized = BTreeMap<Lang, String>;

/// Builds a [`Localized`] from English and German.
pub fn en_de(en: &str, de: &str) -> Localized {
    BTreeMap::from([(Lang::En, en.to_string()), (Lang::De, de.to_string())])
}

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

/// Interface texts of the respondent pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    Submit,
    Required,
    Optional,
    ErrorSummary,
    ThankYouTitle,
    ThankYouBody,
    AlreadyAnsweredTitle,
    AlreadyAnsweredBody,
    ResourceLink,
    Language,
    NotLikely,
    ExtremelyLikely,
    ChooseOne,
    ChooseAny,
    ErrRequired,
    ErrNotANumber,
    ErrOutOfRange,
    ErrNotAnOption,
    ErrTooLong,
    ErrContactNeeded,
    ErrContactInvalid,
    LogoAlt,
    SurveyTitle,
    DurationQuick,
    DurationAssessment,
    BudgetUsedUpTitle,
    BudgetUsedUpBody,
}

/// The interface text `key` in `lang`.
pub fn ui(lang: Lang, key: Ui) -> &'static str {
    use Ui::*;
    match (lang, key) {
        (Lang::En, Submit) => "Submit",
        (Lang::De, Submit) => "Absenden",
        (Lang::En, Required) => "required",
        (Lang::De, Required) => "Pflichtfeld",
        (Lang::En, Optional) => "optional",
        (Lang::De, Optional) => "freiwillig",
        (Lang::En, ErrorSummary) => "Please check the answers marked below.",
        (Lang::De, ErrorSummary) => "Bitte prüfen Sie die unten markierten Antworten.",
        (Lang::En, ThankYouTitle) => "Thank you!",
        (Lang::De, ThankYouTitle) => "Vielen Dank!",
        (Lang::En, ThankYouBody) => "Your answers have been received.",
        (Lang::De, ThankYouBody) => "Ihre Antworten sind bei uns eingegangen.",
        (Lang::En, AlreadyAnsweredTitle) => "Already answered",
        (Lang::De, AlreadyAnsweredTitle) => "Bereits beantwortet",
        (Lang::En, AlreadyAnsweredBody) => "This survey link has already been used to answer. Thank you for taking part.",
        (Lang::De, AlreadyAnsweredBody) => "Mit diesem Umfragelink wurde bereits geantwortet. Vielen Dank für Ihre Teilnahme.",
        (Lang::En, ResourceLink) => "More information and resources",
        (Lang::De, ResourceLink) => "Weitere Informationen und Hilfe",
        (Lang::En, Language) => "Language",
        (Lang::De, Language) => "Sprache",
        (Lang::En, NotLikely) => "Not at all likely",
        (Lang::De, NotLikely) => "Überhaupt nicht wahrscheinlich",
        (Lang::En, ExtremelyLikely) => "Extremely likely",
        (Lang::De, ExtremelyLikely) => "Äußerst wahrscheinlich",
        (Lang::En, ChooseOne) => "Choose one",
        (Lang::De, ChooseOne) => "Bitte eine Antwort wählen",
        (Lang::En, ChooseAny) => "Choose all that apply",
        (Lang::De, ChooseAny) => "Mehrfachauswahl möglich",
        (Lang::En, ErrRequired) => "Please answer this question.",
        (Lang::De, ErrRequired) => "Bitte beantworten Sie diese Frage.",
        (Lang::En, ErrNotANumber) => "Please choose one of the numbers shown.",
        (Lang::De, ErrNotANumber) => "Bitte wählen Sie eine der angezeigten Zahlen.",
        (Lang::En, ErrOutOfRange) => "This answer is outside the scale.",
        (Lang::De, ErrOutOfRange) => "Diese Antwort liegt außerhalb der Skala.",
        (Lang::En, ErrNotAnOption) => "Please choose one of the options shown.",
        (Lang::De, ErrNotAnOption) => "Bitte wählen Sie eine der angezeigten Optionen.",
        (Lang::En, ErrTooLong) => "This answer is too long.",
        (Lang::De, ErrTooLong) => "Diese Antwort ist zu lang.",
        (Lang::En, ErrContactNeeded) => "Please tell us how to reach you, or choose not to be contacted.",
        (Lang::De, ErrContactNeeded) => "Bitte geben Sie an, wie wir Sie erreichen, oder wählen Sie, nicht kontaktiert zu werden.",
        (Lang::En, ErrContactInvalid) => "Please enter an email address or a phone number.",
        (Lang::De, ErrContactInvalid) => "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein.",
        (Lang::En, LogoAlt) => "logo",
        (Lang::De, LogoAlt) => "Logo",
        (Lang::En, SurveyTitle) => "Your feedback",
        (Lang::De, SurveyTitle) => "Ihre Meinung",
        (Lang::En, DurationQuick) => "This quick check-in takes about two minutes.",
        (Lang::De, DurationQuick) => "Diese kurze Umfrage dauert etwa zwei Minuten.",
        (Lang::En, DurationAssessment) => "This survey takes about five to seven minutes.",
        (Lang::De, DurationAssessment) => "Diese Umfrage dauert etwa fünf bis sieben Minuten.",
        (Lang::En, BudgetUsedUpTitle) => "This survey is closed for this month",
        (Lang::De, BudgetUsedUpTitle) => "Diese Umfrage ist für diesen Monat geschlossen",
        (Lang::En, BudgetUsedUpBody) => "This survey is not accepting any more responses this month, so your answers were not recorded. Thank you for wanting to take part.",
        (Lang::De, BudgetUsedUpBody) => "Diese Umfrage nimmt in diesem Monat keine weiteren Antworten an; Ihre Antworten wurden daher nicht gespeichert. Vielen Dank, dass Sie teilnehmen wollten.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_with_regions() {
        assert_eq!(Lang::parse("de-AT"), Some(Lang::De));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse("fi"), None);
    }

    #[test]
    fn explicit_beats_contact_beats_header_beats_default() {
        let both = [Lang::En, Lang::De];
        assert_eq!(choose(&both, Some("de"), Some(Lang::En), Some("en")), Lang::De);
        assert_eq!(choose(&both, None, Some(Lang::De), Some("en")), Lang::De);
        assert_eq!(choose(&both, None, None, Some("fr-FR, de;q=0.8, en;q=0.5")), Lang::De);
        assert_eq!(choose(&both, None, None, Some("fi")), Lang::En);
        assert_eq!(choose(&[Lang::En], Some("de"), Some(Lang::De), Some("de")), Lang::En);
        assert_eq!(choose(&both, None, None, Some("de;q=0, en")), Lang::En);
    }

    #[test]
    fn every_interface_text_exists_in_every_language() {
        use Ui::*;
        for key in [Submit, Required, Optional, ErrorSummary, ThankYouTitle, ThankYouBody, AlreadyAnsweredTitle, AlreadyAnsweredBody,
            ResourceLink, Language, NotLikely, ExtremelyLikely, ChooseOne, ChooseAny, ErrRequired, ErrNotANumber, ErrOutOfRange,
            ErrNotAnOption, ErrTooLong, ErrContactNeeded, ErrContactInvalid, LogoAlt, SurveyTitle, DurationQuick, DurationAssessment, BudgetUsedUpTitle, BudgetUsedUpBody] {
            for l in Lang::ALL {
                assert!(!ui(l, key).is_empty());
            }
            assert_ne!(ui(Lang::En, key), ui(Lang::De, key), "{key:?} is not translated");
        }
    }
}
