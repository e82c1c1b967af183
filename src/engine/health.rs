//! The health report: version, data folder, database, CPU and devices, models, counts.

use std::path::Path;

use super::Engine;
use crate::Error;
use crate::doctor::{self, DoctorReport};
use crate::ml::store::Presence;

impl Engine {
    pub fn doctor(&self) -> Result<DoctorReport, Error> {
        let present_models = self
            .models()?
            .into_iter()
            .filter(|status| matches!(status.presence, Presence::Present { .. }))
            .map(|status| status.model.id)
            .collect();
        Ok(doctor::report(
            &self.store,
            doctor::Inputs {
                data_dir: &self.data_dir,
                jobs: &self.jobs.list()?,
                loaded: &self.loaded,
                present_models,
                translation_precision: self.translation_precision()?,
            },
        )?)
    }

    /// Writes the health report as JSON to `path`, atomically.
    pub fn save_doctor_report(&self, path: &Path) -> Result<(), Error> {
        Ok(doctor::save(&self.doctor()?, path)?)
    }
}
