//! What to suggest to whom, for the Analytics view's Recommendations and `tradewind
//! analytics fbt|recommend`: the recommenders evaluated on the shop's orders, a
//! customer's next products, a product's "also bought".

use super::Engine;
use crate::Error;
use crate::analytics::Filter;
use crate::analytics::recommend::{
    self, Baskets, CustomerSuggestions, Method, ProductSuggestions, RecommendationReport,
};
use crate::ml::catalog::Task;
use crate::ml::model::LoadedModel;

impl Engine {
    /// Every recommender scored by leave-last-order-out on the filtered orders, the best
    /// named, and the strongest "bought together" rules.
    pub fn recommendations(&self, filter: &Filter) -> Result<RecommendationReport, Error> {
        let baskets = self.baskets(filter)?;
        let embeddings = self.description_embeddings(&baskets)?;
        Ok(recommend::report(&baskets, embeddings.as_deref()))
    }

    /// Products for the next order of the customer known by `customer` (their key), by
    /// `method`, or by the method that does best on these orders.
    pub fn next_products(
        &self,
        filter: &Filter,
        customer: &str,
        method: Option<Method>,
    ) -> Result<CustomerSuggestions, Error> {
        let frame = self.frames.get(&self.store)?;
        let baskets = recommend::baskets_of(&frame, filter, &recommend::catalogue(&self.store)?)?;
        // Descriptions are embedded once: to choose the method, and for it if it is theirs.
        let (method, embeddings) = match method {
            Some(Method::Content) => (Method::Content, self.description_embeddings(&baskets)?),
            Some(method) => (method, None),
            None => {
                let embeddings = self.description_embeddings(&baskets)?;
                let best = recommend::report(&baskets, embeddings.as_deref()).best;
                (best, embeddings.filter(|_| best == Method::Content))
            }
        };
        Ok(recommend::for_customer(
            &frame,
            &baskets,
            embeddings.as_deref(),
            customer,
            method,
        )?)
    }

    /// What the buyers of `product` (a listing's handle, or a SKU) also bought.
    pub fn also_bought(&self, filter: &Filter, product: &str) -> Result<ProductSuggestions, Error> {
        Ok(recommend::also_bought(&self.baskets(filter)?, product)?)
    }

    fn baskets(&self, filter: &Filter) -> Result<Baskets, Error> {
        let frame = self.frames.get(&self.store)?;
        Ok(recommend::baskets_of(
            &frame,
            filter,
            &recommend::catalogue(&self.store)?,
        )?)
    }

    /// The products' descriptions embedded by the first sentence model on this
    /// computer; None when there is none (the content-based method then says so).
    fn description_embeddings(&self, baskets: &Baskets) -> Result<Option<Vec<Vec<f32>>>, Error> {
        let Some(id) = self.installed(Task::Embed)?.into_iter().next() else {
            return Ok(None);
        };
        let (model, _) = self.load_model(&id, None, None)?;
        let LoadedModel::Embedder(embedder) = model.as_ref() else {
            return Ok(None);
        };
        let mut vectors = Vec::with_capacity(baskets.descriptions.len());
        // In batches, so a large catalogue does not hold every activation at once.
        for batch in baskets.descriptions.chunks(64) {
            let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
            vectors.extend(embedder.embed(&texts)?);
        }
        Ok(Some(vectors))
    }
}
