//! The first run: on an empty data folder the app offers the demo shop, the seller's own
//! files, and the models for what they want to do, chosen for this computer.

use serde::Serialize;

use super::Engine;
use crate::Error;
use crate::ml::machine::Machine;
use crate::ml::plan::{self, ModelPlan, PlanRequest};
use crate::ml::store::Presence;
use crate::store::settings;

/// Set once the seller has left the first run's page, whatever they chose.
const FIRST_RUN_SETTING: &str = "first_run_done";

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FirstRun {
    /// Whether to greet the seller with it: nothing imported yet, and not left before.
    pub show: bool,
    pub machine: Machine,
}

impl Engine {
    pub fn first_run(&self) -> Result<FirstRun, Error> {
        let overview = self.overview()?;
        let empty = overview.listings == 0 && overview.orders == 0 && overview.photos == 0;
        let done = settings::get(self.store(), FIRST_RUN_SETTING)?.is_some();
        Ok(FirstRun {
            show: empty && !done,
            machine: Machine::this_one(),
        })
    }

    /// The seller has left the first run's page: it is not shown again.
    pub fn finish_first_run(&self) -> Result<(), Error> {
        Ok(settings::set(self.store(), FIRST_RUN_SETTING, "1")?)
    }

    /// The catalog's models for what the seller ticked, chosen for this computer, with
    /// which are here already.
    pub fn plan_models(&self, request: &PlanRequest) -> Result<ModelPlan, Error> {
        let catalog = self.catalog()?;
        let store = self.model_store();
        let present =
            |model: &_| matches!(store.presence(&catalog, model), Presence::Present { .. });
        Ok(plan::plan(
            &catalog,
            &Machine::this_one(),
            &present,
            request,
        ))
    }
}
