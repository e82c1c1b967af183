//! Customers to reach with a campaign, for `tradewind analytics segments`, `tradewind
//! export segment` and the Analytics view: the groups with their actions, and a segment
//! written as an e-mail tool's CSV, anonymised unless the seller asks for contacts.

use std::path::Path;

use super::Engine;
use crate::Error;
use crate::analytics::Filter;
use crate::analytics::parquet_export::{self, ParquetFile};
use crate::analytics::segments::{self, EmailTool, SegmentChoice, SegmentExport, SegmentSummary};

impl Engine {
    /// Each RFM group of the filtered orders' customers with the campaign that suits it.
    pub fn segments(&self, filter: &Filter) -> Result<Vec<SegmentSummary>, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(segments::segments(&frame, filter)?)
    }

    /// Writes the customers of `choice` to `out` in `tool`'s columns; anonymised when
    /// `anonymise` says so, else by the seller's last choice (anonymised at first).
    pub fn export_segment(
        &self,
        filter: &Filter,
        choice: &SegmentChoice,
        tool: EmailTool,
        anonymise: Option<bool>,
        out: &Path,
    ) -> Result<SegmentExport, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(segments::export(
            &frame,
            &self.store,
            filter,
            choice,
            tool,
            anonymise,
            out,
        )?)
    }

    /// The filtered orders, their customers and the monthly metrics as Parquet files in
    /// `folder`; anonymised as `anonymise` says, else by the seller's last choice.
    pub fn export_parquet(
        &self,
        filter: &Filter,
        anonymise: Option<bool>,
        folder: &Path,
    ) -> Result<Vec<ParquetFile>, Error> {
        let frame = self.frames.get(&self.store)?;
        let anonymise = crate::analytics::anonymise::anonymise(&self.store, anonymise)?;
        Ok(parquet_export::export_parquet(
            &frame,
            &self.store,
            filter,
            anonymise,
            folder,
        )?)
    }

    /// Whether the next export is anonymised when nothing is said.
    pub fn segment_exports_anonymised(&self) -> Result<bool, Error> {
        Ok(crate::analytics::anonymise::anonymise(&self.store, None)?)
    }
}
