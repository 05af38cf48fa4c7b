//! Project settings and invitation messages as YAML or JSON files, read
//! into the shared crate's own types (`deny_unknown_fields`, the API's
//! schema) and checked with the same rules before anything is sent. A typo
//! in a field name is named with the nearest field there is.

use std::collections::BTreeMap;
use std::path::Path;

use pulse_shared::domain::distribution::{check_messages, Message, Reminder};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::kinds::Kind;
use pulse_shared::domain::project::{merge_patch, Settings};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::{Failure, Result};

/// `pulse projects create -f`: the body of `POST /admin/projects`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub kind: Kind,
    pub settings: Settings,
}

/// `pulse send --message-file`: the invitation and its optional reminder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageFile {
    pub messages: BTreeMap<Lang, Message>,
    #[serde(default)]
    pub reminder: Option<Reminder>,
}

/// A file's document as JSON: `.json` as JSON, anything else as YAML.
pub fn read_document(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let value: Value = if is_json {
        serde_json::from_str(&text).map_err(|e| Failure::Usage(format!("{}: not valid JSON: {e}", path.display())))?
    } else {
        serde_norway::from_str(&text).map_err(|e| Failure::Usage(format!("{}: not valid YAML: {e}", path.display())))?
    };
    if !value.is_object() {
        return Err(Failure::Usage(format!("{}: expected a mapping of fields at the top", path.display())));
    }
    Ok(value)
}

/// The words between backticks in a serde message, in order.
fn quoted(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// The candidate nearest to `word`, if it is near enough to be a typo.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Reads `value` as `T`, naming the field at fault and, for an unknown
/// field or value, the near miss.
pub fn typed<T: DeserializeOwned>(file: &Path, value: &Value, prefix: &str) -> Result<T> {
    serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let inner = e.inner().to_string();
        let at = |p: &str| {
            let full = [prefix, p].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(".");
            if full.is_empty() {
                String::new()
            } else {
                format!(" at `{full}`")
            }
        };
        let words = quoted(&inner);
        let message = if inner.starts_with("unknown field") || inner.starts_with("unknown variant") {
            let what = if inner.starts_with("unknown field") { "field" } else { "value" };
            let unknown = words.first().copied().unwrap_or_default();
            // the path ends with the unknown field's own name
            let parent = match path.rsplit_once('.') {
                Some((p, last)) if last == unknown => p.to_string(),
                _ if path == unknown => String::new(),
                _ => path.clone(),
            };
            let hint = match nearest(unknown, &words[1..]) {
                Some(n) => format!(", did you mean `{n}`?"),
                None if words.len() > 1 => {
                    format!("; expected one of {}", words[1..].iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", "))
                }
                None => String::new(),
            };
            format!("unknown {what} `{unknown}`{}{hint}", at(&parent))
        } else {
            format!("{}{}", inner, at(&path))
        };
        Failure::Usage(format!("{}: {message}", file.display()))
    })
}

/// A project file read and checked as the API will: the body to send.
pub fn project_file(path: &Path) -> Result<Value> {
    let value = read_document(path)?;
    let project: ProjectFile = typed(path, &value, "")?;
    if project.settings.logo.is_some() {
        return Err(Failure::Usage(format!("{}: settings.logo is set by `pulse projects logo`, not in the file", path.display())));
    }
    project.settings.normalise().map_err(|e| Failure::Usage(format!("{}: settings.{}: {}", path.display(), e.field, e.message)))?;
    Ok(value)
}

/// A settings change (a merge patch, with or without a `settings:` key
/// around it) checked against the project's current settings: the patch.
pub fn settings_patch(path: &Path, current: &Value) -> Result<Value> {
    let value = read_document(path)?;
    let patch = match value.as_object() {
        Some(o) if o.len() == 1 && o.contains_key("settings") => value["settings"].clone(),
        _ => value,
    };
    if patch.get("logo").is_some() {
        return Err(Failure::Usage(format!("{}: the logo is set by `pulse projects logo`, not in the file", path.display())));
    }
    let mut merged = current.clone();
    merge_patch(&mut merged, &patch);
    let settings: Settings = typed(path, &merged, "settings")?;
    settings.normalise().map_err(|e| Failure::Usage(format!("{}: settings.{}: {}", path.display(), e.field, e.message)))?;
    Ok(patch)
}

/// A message file checked against the project's languages and fields.
/// A sync's settings file, read as the API reads it.
pub fn sync_file(path: &Path) -> Result<Value> {
    let value = read_document(path)?;
    typed::<pulse_shared::domain::b2b::sync::SyncSettings>(path, &value, "")?;
    Ok(value)
}

/// A public key file, checked with the API's own rule.
pub fn public_key_file(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    pulse_shared::domain::b2b::ssh::parse(&text).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    Ok(text.trim().to_string())
}

pub fn message_file(path: &Path, settings: &Settings) -> Result<MessageFile> {
    let value = read_document(path)?;
    let file: MessageFile = typed(path, &value, "")?;
    let bad =
        |e: pulse_shared::domain::distribution::MessageError| Failure::Usage(format!("{}: {}: {}", path.display(), e.field, e.message));
    check_messages("messages", &file.messages, &settings.languages, &settings.operational_fields).map_err(bad)?;
    if let Some(r) = &file.reminder {
        check_messages("reminder.messages", &r.messages, &settings.languages, &settings.operational_fields).map_err(bad)?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pulse-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn a_typo_in_a_field_name_is_named_with_the_near_miss() {
        let path = write("typo.yaml", "kind: quick_check_in\nsettings:\n  organisaton_name: Demo GmbH\n  business_type: B2B\n");
        let Err(Failure::Usage(m)) = project_file(&path) else { panic!("accepted") };
        assert!(m.ends_with("unknown field `organisaton_name` at `settings`, did you mean `organisation_name`?"), "{m}");
        assert!(m.starts_with(&path.display().to_string()), "{m}");
    }

    #[test]
    fn a_typo_in_a_value_and_a_broken_rule_are_named() {
        let path = write(
            "lang.yaml",
            "kind: quick_check_in\nsettings:\n  organisation_name: Demo\n  business_type: B2B\n  languages: [de, enn]\n",
        );
        let Err(Failure::Usage(m)) = project_file(&path) else { panic!("accepted") };
        assert!(m.contains("unknown value `enn` at `settings.languages[1]`, did you mean `en`?"), "{m}");
        let path = write("rule.json", r#"{"kind": "quick_check_in", "settings": {"organisation_name": " ", "business_type": "B2B"}}"#);
        let Err(Failure::Usage(m)) = project_file(&path) else { panic!("accepted") };
        assert!(m.ends_with("settings.organisation_name: must not be empty"), "{m}");
        let path = write("kind.yaml", "kind: quick\nsettings: {organisation_name: Demo, business_type: B2B}\n");
        let Err(Failure::Usage(m)) = project_file(&path) else { panic!("accepted") };
        assert!(m.contains("unknown value `quick` at `kind`; expected one of `quick_check_in`, `assessment`"), "{m}");
    }

    #[test]
    fn a_good_file_is_the_body_sent() {
        let path = write(
            "good.yaml",
            "kind: quick_check_in\nsettings:\n  organisation_name: Demo GmbH\n  business_type: B2B\n  languages: [de, en]\n",
        );
        let body = project_file(&path).expect("valid");
        assert_eq!(body["settings"]["languages"], serde_json::json!(["de", "en"]));
    }

    #[test]
    fn a_patch_is_checked_against_the_current_settings() {
        let current = serde_json::json!({"organisation_name": "Demo", "business_type": "B2B", "languages": ["en"]});
        let path = write("patch.yaml", "settings:\n  quiet_period_days: 30\n");
        assert_eq!(settings_patch(&path, &current).expect("valid"), serde_json::json!({"quiet_period_days": 30}));
        let path = write("patch-typo.yaml", "quiet_period_dys: 30\n");
        let Err(Failure::Usage(m)) = settings_patch(&path, &current) else { panic!("accepted") };
        assert!(m.ends_with("unknown field `quiet_period_dys` at `settings`, did you mean `quiet_period_days`?"), "{m}");
    }

    #[test]
    fn messages_must_cover_the_projects_languages() {
        let settings: Settings =
            serde_json::from_value(serde_json::json!({"organisation_name": "Demo", "business_type": "B2B", "languages": ["de", "en"]}))
                .expect("settings");
        let path = write("m.yaml", "messages:\n  en: {subject: Hi, body: \"Answer {{SurveyLink}}\"}\n");
        let Err(Failure::Usage(m)) = message_file(&path, &settings) else { panic!("accepted") };
        assert!(m.contains("messages"), "{m}");
        let path = write("m-typo.yaml", "mesages:\n  en: {subject: Hi, body: x}\n");
        let Err(Failure::Usage(m)) = message_file(&path, &settings) else { panic!("accepted") };
        assert!(m.contains("unknown field `mesages`, did you mean `messages`?"), "{m}");
    }

    #[test]
    fn near_misses_only() {
        assert_eq!(nearest("organisaton_name", &["organisation_name", "business_type"]), Some("organisation_name"));
        assert_eq!(nearest("colour", &["organisation_name", "business_type"]), None);
    }
}
