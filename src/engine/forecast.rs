//! Demand per SKU and what to reorder, for `tradewind analytics forecast|stock` and the
//! Analytics view: the forecast over the filtered orders, with the stock levels and lead
//! times the seller entered.

use super::Engine;
use crate::Error;
use crate::analytics::Filter;
use crate::analytics::forecast::{self, ForecastReport, StockLevel, stock};

impl Engine {
    /// Each SKU's weekly demand `horizon_weeks` ahead, with its backtest and, where the
    /// seller gave a stock level, a reorder hint.
    pub fn forecast(&self, filter: &Filter, horizon_weeks: u32) -> Result<ForecastReport, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(forecast::forecast(
            &frame,
            filter,
            horizon_weeks,
            &stock::levels(&self.store)?,
        )?)
    }

    /// The seller's stock of a SKU and the weeks a reorder takes.
    pub fn set_stock_level(&self, level: &StockLevel) -> Result<(), Error> {
        Ok(stock::set(&self.store, level)?)
    }

    pub fn stock_levels(&self) -> Result<Vec<StockLevel>, Error> {
        Ok(stock::levels(&self.store)?)
    }
}
