//! Orders from every channel and what they tell of the customers, for the Analytics view
//! and `tradewind analytics`: files looked at before import, the reporting currency and
//! its exchange rates.

use std::path::Path;

use super::Engine;
use crate::Error;
use crate::analytics::cohorts::{self, CohortSplit, Cohorts};
use crate::analytics::matching::{self, MatchSuggestion};
use crate::analytics::metrics::{self, Dashboard, Granularity};
use crate::analytics::orders_list::{self, OrderRow};
use crate::analytics::rfm::{self, RfmReport};
use crate::analytics::rfm_history::{self, GroupAt};
use crate::analytics::{self, Filter, OrdersPreview, fx};

impl Engine {
    /// Which channel and layout an orders file is, before it is imported.
    pub fn preview_orders_file(&self, path: &Path) -> Result<OrdersPreview, Error> {
        Ok(analytics::preview(path)?)
    }

    /// The currency every amount is converted into for the analyses.
    pub fn reporting_currency(&self) -> Result<String, Error> {
        Ok(fx::reporting_currency(&self.store)?)
    }

    pub fn set_reporting_currency(&self, currency: &str) -> Result<(), Error> {
        Ok(fx::set_reporting_currency(&self.store, currency)?)
    }

    /// Imports exchange rates in the ECB's CSV layout; returns how many.
    pub fn import_fx_rates(&self, path: &Path) -> Result<u64, Error> {
        Ok(fx::import_rates(&self.store, path)?)
    }

    /// One rate by hand: `per_euro` units of `currency` bought one euro on `day`.
    pub fn set_fx_rate(&self, currency: &str, day: &str, per_euro: f64) -> Result<(), Error> {
        Ok(fx::set_rate(&self.store, currency, day, per_euro)?)
    }

    /// Where the exchange rates come from and which days they cover.
    pub fn fx_sources(&self) -> Result<Vec<fx::RateSource>, Error> {
        Ok(fx::sources(&self.store)?)
    }

    /// The dashboard's figures, series and breakdowns for `filter`.
    pub fn dashboard(&self, filter: &Filter, granularity: Granularity) -> Result<Dashboard, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(metrics::dashboard(&frame, filter, granularity)?)
    }

    /// The RFM groups of the filtered orders' customers, and the `listed` best of them
    /// overall and of each group with their scores.
    pub fn rfm(&self, filter: &Filter, listed: usize) -> Result<RfmReport, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(rfm::rfm(&frame, filter, listed)?)
    }

    /// One customer's RFM group at the end of each month since their first order.
    pub fn customer_groups(&self, filter: &Filter, customer: &str) -> Result<Vec<GroupAt>, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(rfm_history::history(&frame, filter, customer)?)
    }

    /// Buyers known only by a channel whose name and postal code match another customer's,
    /// for the seller to say whether they are one.
    pub fn match_suggestions(&self) -> Result<Vec<MatchSuggestion>, Error> {
        Ok(matching::suggestions(&self.store)?)
    }

    /// The seller's answer on a suggested pair: the same person (`same`) or not.
    pub fn decide_match(&self, customer: &str, with: &str, same: bool) -> Result<(), Error> {
        Ok(matching::decide(&self.store, customer, with, same)?)
    }

    pub fn cohorts(&self, filter: &Filter, split: &CohortSplit) -> Result<Cohorts, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(cohorts::cohorts(&frame, filter, split)?)
    }

    /// The orders behind a chart or segment (one customer's, when given), newest first.
    pub fn orders(
        &self,
        filter: &Filter,
        customer: Option<&str>,
        limit: usize,
    ) -> Result<Vec<OrderRow>, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(orders_list::orders(
            &frame,
            &self.store,
            filter,
            customer,
            limit,
        )?)
    }
}
