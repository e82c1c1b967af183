//! Customers known only by a salted SHA-256, for exports that leave the seller's hands
//! (segments, Parquet). The salt is made once per data folder from the operating system's
//! randomness and kept, so the same customer has the same hash in every export of this
//! shop, and nobody without the salt can test a list of e-mails against the hashes.

use sha2::{Digest, Sha256};

use super::AnalyticsError;
use crate::store::{Store, settings};

const SALT_SETTING: &str = "anonymise_salt";
/// The seller's last choice for exports: anonymised ("1") or with contacts ("0").
const CHOICE_SETTING: &str = "segment_export_anonymised";

/// Whether an export is anonymised: `asked` when the seller said (and then kept as their
/// choice), else their last choice, anonymised until they make one.
pub fn anonymise(store: &Store, asked: Option<bool>) -> Result<bool, AnalyticsError> {
    match asked {
        Some(anonymise) => {
            settings::set(store, CHOICE_SETTING, if anonymise { "1" } else { "0" })?;
            Ok(anonymise)
        }
        None => Ok(settings::get(store, CHOICE_SETTING)?.is_none_or(|value| value != "0")),
    }
}

/// Hashes identities with this data folder's salt.
pub struct Anonymiser {
    salt: String,
}

impl Anonymiser {
    pub fn of(store: &Store) -> Result<Anonymiser, AnalyticsError> {
        if let Some(salt) = settings::get(store, SALT_SETTING)? {
            return Ok(Anonymiser { salt });
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|error| AnalyticsError::NoRandomness {
            detail: error.to_string(),
        })?;
        let salt: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        settings::set(store, SALT_SETTING, &salt)?;
        Ok(Anonymiser { salt })
    }

    /// 64 hex digits for `identity` (an e-mail, or a customer key).
    pub fn hash(&self, identity: &str) -> String {
        let digest = Sha256::digest(format!("{}:{identity}", self.salt).as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}
