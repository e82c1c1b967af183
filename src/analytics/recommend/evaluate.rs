//! Whether a recommender is worth using on this shop: each customer with two orders or
//! more has their last order hidden, the recommenders learn from everything else, and
//! each suggests ten products the customer had not bought before. A hit is a suggestion
//! the hidden order holds (hit-rate@10: the share of customers with one); MAP@10 also
//! rewards putting them first. Customers whose last order holds only products they had
//! bought before are not counted: there was nothing new to guess.

use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;

use super::baskets::Baskets;
use super::{Method, Models, TOP};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MethodScore {
    pub method: Method,
    /// Share of the customers held out whose last order held one of the ten suggestions.
    pub hit_rate: f64,
    /// Mean average precision of the ten suggestions.
    pub map: f64,
    /// Hit-rate over the popularity baseline's (above 1: better than suggesting the
    /// best sellers to everyone).
    pub over_popular: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evaluation {
    /// Customers whose last order was held out and held something new to them.
    pub customers: u64,
    pub methods: Vec<MethodScore>,
}

/// The baskets without each repeat customer's last one, and what those held that was
/// new to the customer, by customer.
fn hold_out_last_orders(baskets: &Baskets) -> (Baskets, Vec<(u32, Vec<u32>)>) {
    let mut last: HashMap<u32, usize> = HashMap::default();
    let mut count: HashMap<u32, u32> = HashMap::default();
    for number in 0..baskets.len() {
        last.insert(baskets.customer[number], number);
        *count.entry(baskets.customer[number]).or_default() += 1;
    }
    let held: HashSet<usize> = last
        .iter()
        .filter(|(customer, _)| count[*customer] >= 2)
        .map(|(_, number)| *number)
        .collect();
    let mut training = Baskets::new(baskets.products.clone(), baskets.descriptions.clone());
    let mut seen: HashMap<u32, HashSet<u32>> = HashMap::default();
    for number in 0..baskets.len() {
        if !held.contains(&number) {
            let mut products = baskets.basket(number).to_vec();
            seen.entry(baskets.customer[number])
                .or_default()
                .extend(products.iter().copied());
            training.push(baskets.customer[number], &mut products);
        }
    }
    let mut targets: Vec<(u32, Vec<u32>)> = held
        .into_iter()
        .filter_map(|number| {
            let customer = baskets.customer[number];
            let bought = seen.get(&customer)?;
            let new: Vec<u32> = baskets
                .basket(number)
                .iter()
                .copied()
                .filter(|product| !bought.contains(product))
                .collect();
            (!new.is_empty()).then_some((customer, new))
        })
        .collect();
    targets.sort_unstable_by_key(|(customer, _)| *customer);
    (training, targets)
}

/// Average precision of `suggested` (best first) for the `relevant` products, over the
/// most hits ten suggestions could have.
fn average_precision(suggested: &[u32], relevant: &[u32]) -> f64 {
    let mut hits = 0.0;
    let mut sum = 0.0;
    for (rank, product) in suggested.iter().enumerate() {
        if relevant.contains(product) {
            hits += 1.0;
            sum += hits / (rank as f64 + 1.0);
        }
    }
    sum / relevant.len().clamp(1, TOP) as f64
}

/// Scores `methods` on `baskets` by leave-last-order-out; `embeddings` (one per
/// product) for the content-based method.
pub fn evaluate(
    baskets: &Baskets,
    embeddings: Option<&[Vec<f32>]>,
    methods: &[Method],
) -> Evaluation {
    let (training, targets) = hold_out_last_orders(baskets);
    let models = Models::fit(&training, embeddings, methods);
    let (histories, customers) = training.histories();
    let history_of: HashMap<u32, &[(u32, f32)]> = customers
        .iter()
        .zip(&histories)
        .map(|(customer, history)| (*customer, history.as_slice()))
        .collect();
    let mut scores: Vec<MethodScore> = methods
        .iter()
        .map(|method| {
            let (mut hits, mut precision) = (0.0, 0.0);
            for (customer, relevant) in &targets {
                let history = history_of.get(customer).copied().unwrap_or_default();
                let suggested: Vec<u32> = models
                    .top(*method, history, TOP)
                    .into_iter()
                    .map(|(product, _)| product)
                    .collect();
                if suggested.iter().any(|product| relevant.contains(product)) {
                    hits += 1.0;
                }
                precision += average_precision(&suggested, relevant);
            }
            let customers = targets.len().max(1) as f64;
            MethodScore {
                method: *method,
                hit_rate: hits / customers,
                map: precision / customers,
                over_popular: 0.0,
            }
        })
        .collect();
    let popular = scores
        .iter()
        .find(|score| score.method == Method::Popular)
        .map_or(0.0, |score| score.hit_rate);
    for score in &mut scores {
        score.over_popular = if popular > 0.0 {
            score.hit_rate / popular
        } else {
            0.0
        };
    }
    Evaluation {
        customers: targets.len() as u64,
        methods: scores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_precision_rewards_early_hits() {
        assert!((average_precision(&[5, 1, 2], &[5]) - 1.0).abs() < 1e-12);
        assert!((average_precision(&[1, 5, 2], &[5]) - 0.5).abs() < 1e-12);
        assert!((average_precision(&[5, 1, 2], &[5, 2]) - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(average_precision(&[1, 2], &[5]), 0.0);
    }
}
