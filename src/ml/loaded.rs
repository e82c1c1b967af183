//! Models kept in memory between uses, so switching views does not reload them,
//! within a memory budget: when a load would exceed it, the least recently used
//! models are dropped first (a model in use elsewhere lives on until its last user
//! lets go).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use super::MlError;
use super::model::LoadedModel;

/// Which model, on which device, at which precision: each is a separate load.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelKey {
    pub id: String,
    pub device: String,
    pub precision: String,
}

/// What a load cost, for `doctor` and the Models view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoadReport {
    pub key: ModelKey,
    pub load_ms: u64,
    /// Bytes the model is counted as in the budget: its weight files' size.
    pub weight_bytes: u64,
    /// Growth of the process's resident memory during the load, where the OS says.
    pub resident_growth_bytes: Option<u64>,
    /// Whether this use found the model already loaded.
    pub cache_hit: bool,
}

struct Entry {
    report: LoadReport,
    model: Arc<LoadedModel>,
    last_used: Instant,
}

pub struct LoadedModels {
    budget_bytes: u64,
    entries: Mutex<Vec<Entry>>,
}

/// The process's resident memory in bytes (Linux), for load reports.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

impl LoadedModels {
    pub fn new(budget_bytes: u64) -> LoadedModels {
        LoadedModels {
            budget_bytes,
            entries: Mutex::new(Vec::new()),
        }
    }

    pub fn budget_bytes(&self) -> u64 {
        self.budget_bytes
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A panic while holding the lock leaves the list itself consistent.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The model for `key`, loaded by `load` unless it is in memory already.
    /// `weight_bytes` is what it counts for in the budget. Loading happens outside
    /// the lock, so other models stay usable meanwhile.
    pub fn get_or_load(
        &self,
        key: ModelKey,
        weight_bytes: u64,
        load: impl FnOnce() -> Result<LoadedModel, MlError>,
    ) -> Result<(Arc<LoadedModel>, LoadReport), MlError> {
        if let Some(entry) = self
            .entries()
            .iter_mut()
            .find(|entry| entry.report.key == key)
        {
            entry.last_used = Instant::now();
            let report = LoadReport {
                cache_hit: true,
                ..entry.report.clone()
            };
            return Ok((entry.model.clone(), report));
        }
        self.make_room(weight_bytes);
        let before = resident_bytes();
        let started = Instant::now();
        let model = Arc::new(load()?);
        let report = LoadReport {
            key,
            load_ms: started.elapsed().as_millis() as u64,
            weight_bytes,
            resident_growth_bytes: before
                .zip(resident_bytes())
                .map(|(before, after)| after.saturating_sub(before)),
            cache_hit: false,
        };
        let mut entries = self.entries();
        entries.retain(|entry| entry.report.key != report.key);
        entries.push(Entry {
            report: report.clone(),
            model: model.clone(),
            last_used: Instant::now(),
        });
        Ok((model, report))
    }

    /// Drops least recently used models until `incoming` more bytes fit the budget.
    fn make_room(&self, incoming: u64) {
        let mut entries = self.entries();
        entries.sort_by_key(|entry| entry.last_used);
        while !entries.is_empty() {
            let held: u64 = entries.iter().map(|entry| entry.report.weight_bytes).sum();
            if held + incoming <= self.budget_bytes {
                break;
            }
            let dropped = entries.remove(0);
            tracing::info!(
                "unloading model '{}' to stay within the memory budget",
                dropped.report.key.id
            );
        }
    }

    /// What is loaded now, most recently used first.
    pub fn reports(&self) -> Vec<LoadReport> {
        let mut entries: Vec<(Instant, LoadReport)> = self
            .entries()
            .iter()
            .map(|entry| (entry.last_used, entry.report.clone()))
            .collect();
        entries.sort_by_key(|(last_used, _)| std::cmp::Reverse(*last_used));
        entries.into_iter().map(|(_, report)| report).collect()
    }

    pub fn unload(&self, id: &str) {
        self.entries().retain(|entry| entry.report.key.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::embed::SentenceEmbedder;
    use crate::ml::fixtures::{BERT_ID, verified_fixture};
    use crate::ml::weights::ModelFiles;
    use candle_core::Device;

    fn key(id: &str) -> ModelKey {
        ModelKey {
            id: id.into(),
            device: "cpu".into(),
            precision: "f32".into(),
        }
    }

    #[test]
    fn a_second_use_is_a_cache_hit_and_the_least_recently_used_model_leaves_first() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), BERT_ID, 7).unwrap();
        let load = || {
            Ok(LoadedModel::Embedder(SentenceEmbedder::load(
                &ModelFiles::new(BERT_ID, &files),
                &Device::Cpu,
            )?))
        };
        let loaded = LoadedModels::new(250);
        let (first, report) = loaded.get_or_load(key("a"), 100, load).unwrap();
        assert!(!report.cache_hit);
        let (again, report) = loaded
            .get_or_load(key("a"), 100, || panic!("loaded twice"))
            .unwrap();
        assert!(report.cache_hit && Arc::ptr_eq(&first, &again));

        loaded.get_or_load(key("b"), 100, load).unwrap();
        loaded.get_or_load(key("a"), 100, load).unwrap(); // "a" is now the most recent
        loaded.get_or_load(key("c"), 100, load).unwrap(); // over budget: "b" goes
        let ids: Vec<String> = loaded
            .reports()
            .into_iter()
            .map(|report| report.key.id)
            .collect();
        assert_eq!(ids, ["c", "a"]);
        // The dropped model's users keep theirs.
        assert!(matches!(*first, LoadedModel::Embedder(_)));

        let error = loaded
            .get_or_load(key("d"), 1, || Err(MlError::Stopped))
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(error, MlError::Stopped));
        assert_eq!(
            loaded.reports().len(),
            2,
            "a failed load leaves nothing behind"
        );
        loaded.unload("a");
        assert_eq!(loaded.reports().len(), 1);
    }
}
