//! The model catalog and the models on this computer: listing, verifying, importing,
//! removing, loading (on the settings' device and precision) and trying one.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::Engine;
use crate::Error;
use crate::ml::catalog::{ModelEntry, Task};
use crate::ml::device::{self, DeviceChoice};
use crate::ml::loaded::LoadReport;
use crate::ml::model::{self, LoadedModel, ModelInput, ModelOutput};
use crate::ml::store::{Presence, VerifiedFile};
use crate::ml::weights::Precision;

/// A catalog model and whether it is on this computer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelStatus {
    pub model: ModelEntry,
    pub presence: Presence,
    /// Bytes of Tradewind's own copy.
    pub disk_bytes: u64,
    /// What loading it cost, while it is in memory.
    pub loaded: Option<LoadReport>,
    /// Whether it is the model that writes replies and listing copy.
    pub writes: bool,
}

/// A model's answer and what loading it cost.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelRun {
    pub load: LoadReport,
    pub output: ModelOutput,
}

impl Engine {
    /// Every catalog model with whether it is on this computer (no file is read).
    pub fn models(&self) -> Result<Vec<ModelStatus>, Error> {
        let catalog = self.catalog()?;
        let store = self.model_store();
        let loaded = self.loaded_models();
        let mut statuses: Vec<ModelStatus> = catalog
            .models
            .iter()
            .map(|model| ModelStatus {
                presence: store.presence(&catalog, model),
                disk_bytes: store.disk_use(model),
                loaded: loaded
                    .iter()
                    .find(|report| report.key.id == model.id)
                    .cloned(),
                writes: false,
                model: model.clone(),
            })
            .collect();
        // The seller's choice while it is here, else the catalog's first writer here.
        let chosen = self.chosen_writer()?;
        let can_write = |status: &&ModelStatus| {
            status.model.task == Task::Generate
                && matches!(status.presence, Presence::Present { .. })
        };
        let writer = statuses
            .iter()
            .filter(can_write)
            .find(|status| Some(&status.model.id) == chosen.as_ref())
            .or_else(|| statuses.iter().find(can_write))
            .map(|status| status.model.id.clone());
        for status in &mut statuses {
            status.writes = Some(&status.model.id) == writer.as_ref();
        }
        Ok(statuses)
    }

    /// The ids of the catalog's models for `task` that are on this computer, in the
    /// catalog's order.
    pub(super) fn installed(&self, task: Task) -> Result<Vec<String>, Error> {
        Ok(self
            .models()?
            .into_iter()
            .filter(|status| {
                status.model.task == task && matches!(status.presence, Presence::Present { .. })
            })
            .map(|status| status.model.id)
            .collect())
    }

    /// Checks every file of model `id` (size and sha256).
    pub fn verify_model(&self, id: &str) -> Result<Vec<VerifiedFile>, Error> {
        let catalog = self.catalog()?;
        Ok(self.model_store().verify(&catalog, catalog.get(id)?)?)
    }

    /// Copies model `id` from a folder (e.g. a USB stick), verifying every file first.
    pub fn import_model(&self, id: &str, folder: &Path) -> Result<Vec<VerifiedFile>, Error> {
        let catalog = self.catalog()?;
        Ok(self
            .model_store()
            .import(catalog.get(id)?, folder, &mut |_, _| true)?)
    }

    /// Deletes Tradewind's copy of model `id`; returns the bytes freed.
    pub fn remove_model(&self, id: &str) -> Result<u64, Error> {
        let catalog = self.catalog()?;
        self.loaded.unload(id);
        Ok(self.model_store().remove(catalog.get(id)?)?)
    }

    /// Runs model `id` (loading it if needed) on the settings' device and precision.
    pub fn run_model(&self, id: &str, input: &ModelInput) -> Result<ModelRun, Error> {
        let (model, load) = self.load_model(id, None, None)?;
        Ok(ModelRun {
            load,
            output: model.run(input)?,
        })
    }

    /// Model `id` ready to run, from memory if it is loaded, else verified and loaded
    /// on `device` (default: the setting) at `precision` (default: the setting, for
    /// models that offer a choice).
    pub fn load_model(
        &self,
        id: &str,
        device: Option<DeviceChoice>,
        precision: Option<Precision>,
    ) -> Result<(Arc<LoadedModel>, LoadReport), Error> {
        let catalog = self.catalog()?;
        let selected = device::select(match device {
            Some(choice) => choice,
            None => self.device_choice()?,
        });
        if let Some(reason) = &selected.fallback {
            tracing::warn!("{reason}");
        }
        let precision = match precision {
            Some(precision) => precision,
            None => self.translation_precision()?,
        };
        Ok(model::load(
            &self.loaded,
            &self.model_store(),
            &catalog,
            catalog.get(id)?,
            &selected,
            precision,
        )?)
    }

    /// Models in memory now, most recently used first, with what loading them cost.
    pub fn loaded_models(&self) -> Vec<LoadReport> {
        self.loaded.reports()
    }
}
