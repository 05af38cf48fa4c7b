//! What the B2B tests share: cells and settings with every attribute type.

use std::collections::BTreeMap;

use crate::domain::settings::{AttributeDef, AttributeType, B2bImportSettings, ClientRole};

pub(super) fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(super) fn settings() -> B2bImportSettings {
    B2bImportSettings {
        attributes: vec![
            AttributeDef { name: "Employees".into(), kind: AttributeType::Integer },
            AttributeDef { name: "ARR".into(), kind: AttributeType::Decimal },
            AttributeDef { name: "Tier".into(), kind: AttributeType::Enum { values: vec!["Gold".into(), "Silver".into()] } },
            AttributeDef { name: "Renewal".into(), kind: AttributeType::DateTime },
            AttributeDef { name: "Segment".into(), kind: AttributeType::String },
        ],
        title_roles: BTreeMap::from([
            ("CFO".to_string(), ClientRole::ProcurementFinancePerson),
            ("VP Engineering".to_string(), ClientRole::DecisionMaker),
        ]),
        ..Default::default()
    }
}
