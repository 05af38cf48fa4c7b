//! Typed custom account attributes: checking a value against its declared
//! type, and when a declaration may change.

use serde::{Deserialize, Serialize};

use crate::domain::settings::{AttributeDef, AttributeType};

/// A checked attribute value, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    Integer(i64),
    Decimal(f64),
    Text(String),
}

/// Checks one value against its attribute's type; the message names the
/// allowed form.
pub fn check_value(def: &AttributeDef, raw: &str) -> Result<AttributeValue, String> {
    let v = raw.trim();
    match &def.kind {
        AttributeType::Integer => {
            v.parse::<i64>().map(AttributeValue::Integer).map_err(|_| format!("{v:?} is not an Integer (a whole number such as 42 or -7)"))
        }
        AttributeType::Decimal => match v.parse::<f64>() {
            Ok(d) if d.is_finite() && !v.contains(['e', 'E']) && !v.eq_ignore_ascii_case("nan") => Ok(AttributeValue::Decimal(d)),
            _ => Err(format!("{v:?} is not a Decimal (a number with a point, such as 12.5)")),
        },
        AttributeType::String => {
            if v.chars().count() > 1000 {
                Err("is longer than 1000 characters".to_string())
            } else {
                Ok(AttributeValue::Text(v.to_string()))
            }
        }
        AttributeType::Enum { values } => {
            if values.iter().any(|a| a == v) {
                Ok(AttributeValue::Text(v.to_string()))
            } else {
                Err(format!("{v:?} is not one of the allowed values: {}", values.join(", ")))
            }
        }
        AttributeType::DateTime => parse_date_time(v).ok_or_else(|| {
            format!("{v:?} is not an ISO 8601 date or date-time (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with Z or an offset such as +02:00)")
        }),
    }
}

/// An ISO 8601 date (as midnight UTC) or RFC 3339 date-time, as stored (UTC).
fn parse_date_time(v: &str) -> Option<AttributeValue> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(v, &Rfc3339) {
        return Some(AttributeValue::Text(crate::clock::format(t)));
    }
    let date = time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(AttributeValue::Text(crate::clock::format(date.midnight().assume_utc())))
}

/// Why a change of the declared attributes is refused (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the attribute {name:?} already holds data as {was}; its type cannot become {now}")]
pub struct AttributeLocked {
    pub name: String,
    pub was: String,
    pub now: String,
}

/// A declared type cannot change (nor the attribute go away) once data
/// exists for it; new attributes, and changes of attributes without data,
/// are fine. Enum values may be added, not removed.
pub fn check_attribute_change(old: &[AttributeDef], new: &[AttributeDef], has_data: impl Fn(&str) -> bool) -> Result<(), AttributeLocked> {
    for o in old.iter().filter(|o| has_data(&o.name)) {
        let locked = |now: String| AttributeLocked { name: o.name.clone(), was: o.kind.name().to_string(), now };
        match new.iter().find(|n| n.name == o.name) {
            None => return Err(locked("removed".into())),
            Some(n) => match (&o.kind, &n.kind) {
                (AttributeType::Enum { values: before }, AttributeType::Enum { values: after }) => {
                    if let Some(gone) = before.iter().find(|v| !after.contains(v)) {
                        return Err(locked(format!("an Enum without the value {gone:?}")));
                    }
                }
                (a, b) if a.name() != b.name() => return Err(locked(b.name().to_string())),
                _ => {}
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::settings;
    use super::*;

    #[test]
    fn typed_attributes_accept_their_form_and_name_it_otherwise() {
        let s = settings();
        let a = |i: usize| &s.attributes[i];
        assert_eq!(check_value(a(0), " 42 "), Ok(AttributeValue::Integer(42)));
        assert!(check_value(a(0), "4.2").unwrap_err().contains("Integer"));
        assert_eq!(check_value(a(1), "12.5"), Ok(AttributeValue::Decimal(12.5)));
        assert!(check_value(a(1), "1e9").is_err() && check_value(a(1), "NaN").is_err());
        assert_eq!(check_value(a(2), "Gold"), Ok(AttributeValue::Text("Gold".into())));
        assert!(check_value(a(2), "gold").unwrap_err().contains("Gold, Silver"));
        assert_eq!(check_value(a(3), "2026-11-23"), Ok(AttributeValue::Text("2026-11-23T00:00:00Z".into())));
        assert_eq!(check_value(a(3), "2026-11-23T12:00:00+02:00"), Ok(AttributeValue::Text("2026-11-23T10:00:00Z".into())));
        let e = check_value(a(3), "23.11.2026").unwrap_err();
        assert!(e.contains("ISO 8601") && e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn an_attribute_type_is_locked_once_data_exists() {
        let old = settings().attributes;
        let mut changed = old.clone();
        changed[0].kind = AttributeType::String;
        let e = check_attribute_change(&old, &changed, |n| n == "Employees").unwrap_err();
        assert_eq!((e.was.as_str(), e.now.as_str()), ("Integer", "String"));
        assert!(check_attribute_change(&old, &changed, |_| false).is_ok(), "no data yet: any change");
        let mut fewer = old.clone();
        fewer[2].kind = AttributeType::Enum { values: vec!["Gold".into()] };
        assert!(check_attribute_change(&old, &fewer, |n| n == "Tier").unwrap_err().now.contains("Silver"));
        let mut more = old.clone();
        more[2].kind = AttributeType::Enum { values: vec!["Gold".into(), "Silver".into(), "Bronze".into()] };
        assert!(check_attribute_change(&old, &more, |_| true).is_ok());
        assert!(check_attribute_change(&old, &old[1..], |n| n == "Employees").is_err(), "removing one with data");
    }
}
