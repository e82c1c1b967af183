//! Reports for `tradewind report` and the Analytics view's report export: the dashboard,
//! customer groups, cohorts, recommendations, forecasts and reviews of one filter, written
//! as HTML, PDF, XLSX or CSV in the seller's language.

use std::path::Path;

use super::Engine;
use super::settings::Language;
use crate::Error;
use crate::analytics::anonymise::{self, Anonymiser};
use crate::analytics::cohorts::CohortSplit;
use crate::analytics::metrics::Granularity;
use crate::analytics::reviews;
use crate::reports::{self, ReportError, ReportLanguage, ReportRequest, ReportWritten, Sources};

/// The customers a report lists, and the weeks its forecasts look ahead.
const LISTED_CUSTOMERS: usize = 15;
const FORECAST_WEEKS: u32 = 12;

impl Engine {
    /// Writes the report `request` asks for to `out` (atomically).
    pub fn write_report(
        &self,
        request: &ReportRequest,
        out: &Path,
    ) -> Result<ReportWritten, Error> {
        let filter = &request.filter;
        let dashboard = self.dashboard(filter, Granularity::Month)?;
        if dashboard.metrics.orders == 0 {
            return Err(ReportError::NoOrders.into());
        }
        let language = match request.language {
            Some(language) => language,
            None => match self.language()? {
                Language::English => ReportLanguage::English,
                Language::SimplifiedChinese => ReportLanguage::Chinese,
            },
        };
        // The buyers' complaints translated into the report's language, not the app's.
        let phrases_in = match language {
            ReportLanguage::English => "en",
            ReportLanguage::Chinese => "zh",
        };
        let sources = Sources {
            filter: filter.clone(),
            today: chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string(),
            rfm: self.rfm(filter, LISTED_CUSTOMERS)?,
            cohorts: self.cohorts(filter, &CohortSplit::default())?,
            segments: self.segments(filter)?,
            recommendations: self.recommendations(filter)?,
            forecast: self.forecast(filter, FORECAST_WEEKS)?,
            reviews: match reviews::all(&self.store)?.is_empty() {
                true => None,
                false => Some(self.reviews_summary_in(None, phrases_in)?),
            },
            dashboard,
        };
        let anonymiser = match anonymise::anonymise(&self.store, request.anonymise)? {
            true => Some(Anonymiser::of(&self.store)?),
            false => None,
        };
        let report = reports::assemble(&sources, language, anonymiser.as_ref());
        Ok(reports::write(&report, request.format, out)?)
    }
}
