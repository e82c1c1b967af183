//! What the seller writes once for every reply: the shop's name and its policies, in
//! their own words. Kept as one setting.

use serde::{Deserialize, Serialize};

use super::AssistantError;
use crate::store::{Store, settings};

const SETTING: &str = "shop_policies";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ShopPolicies {
    pub shop_name: String,
    /// How long orders take to leave and to arrive, and how they travel.
    pub shipping: String,
    /// Returns and refunds.
    pub returns: String,
    /// Anything else a reply may rely on (custom orders, care, opening hours).
    pub other: String,
}

impl ShopPolicies {
    /// The policies as lines of facts, leaving out what the seller has not written.
    pub fn facts(&self) -> Vec<String> {
        [
            ("Shop", &self.shop_name),
            ("Shipping policy", &self.shipping),
            ("Returns policy", &self.returns),
            ("Other policy", &self.other),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| format!("{label}: {}", text.trim()))
        .collect()
    }
}

pub fn load(store: &Store) -> Result<ShopPolicies, AssistantError> {
    match settings::get(store, SETTING)? {
        Some(json) => serde_json::from_str(&json).map_err(|error| AssistantError::Policies {
            detail: error.to_string(),
        }),
        None => Ok(ShopPolicies::default()),
    }
}

pub fn save(store: &Store, policies: &ShopPolicies) -> Result<(), AssistantError> {
    let json = serde_json::to_string(policies).map_err(|error| AssistantError::Policies {
        detail: error.to_string(),
    })?;
    Ok(settings::set(store, SETTING, &json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DATABASE_FILE, StoreOptions};

    #[test]
    fn policies_read_back_and_only_written_ones_become_facts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        assert_eq!(load(&store).unwrap(), ShopPolicies::default());
        let policies = ShopPolicies {
            shop_name: "Kumo Ceramics".into(),
            shipping: "Orders leave within 2 working days.".into(),
            ..ShopPolicies::default()
        };
        save(&store, &policies).unwrap();
        assert_eq!(load(&store).unwrap(), policies);
        assert_eq!(
            policies.facts(),
            [
                "Shop: Kumo Ceramics",
                "Shipping policy: Orders leave within 2 working days."
            ]
        );
    }
}
