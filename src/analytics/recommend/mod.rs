//! What to suggest to whom: products bought together, products for a customer's next
//! order, each recommender scored on the shop's own orders against suggesting the best
//! sellers to everyone (`evaluate`), so the seller sees whether it is worth using.
//!
//! Five recommenders over the same baskets (`baskets`: orders as sets of listings):
//! best sellers (`Popular`, the baseline), association rules (`rules`), item-to-item
//! collaborative filtering (`item_cf`), implicit ALS (`als`) and, for products nobody
//! has bought yet, listing descriptions compared by sentence embeddings (`Content`; the
//! engine embeds `Baskets::descriptions` with an installed model). Every suggestion
//! names the bought product that explains it.

mod als;
mod baskets;
mod evaluate;
mod item_cf;
mod rules;

use serde::{Deserialize, Serialize};

pub use als::{Als, AlsSettings};
pub use baskets::{Baskets, CatalogueVariant, ProductRef, catalogue};
pub use evaluate::{Evaluation, MethodScore, evaluate};
use item_cf::ItemNeighbours;
use rules::PairRule;

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::OrdersFrame;

/// How many suggestions are made and evaluated.
pub const TOP: usize = 10;
/// How many rules a report lists.
const LISTED_RULES: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Popular,
    Rules,
    ItemCf,
    Als,
    Content,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Popular,
        Method::Rules,
        Method::ItemCf,
        Method::Als,
        Method::Content,
    ];

    /// The name the CLI takes and prints.
    pub fn name(self) -> &'static str {
        match self {
            Method::Popular => "popular",
            Method::Rules => "rules",
            Method::ItemCf => "item-cf",
            Method::Als => "als",
            Method::Content => "content",
        }
    }

    pub fn named(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.name() == name)
    }
}

/// "Bought `if_bought` → also bought `then`", with its measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rule {
    pub if_bought: ProductRef,
    pub then: ProductRef,
    /// Orders holding both.
    pub orders: u32,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// One suggested product and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suggestion {
    pub product: ProductRef,
    pub score: f32,
    /// The bought product that explains it most (none for best sellers).
    pub because: Option<ProductRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecommendationReport {
    pub orders: u64,
    pub customers: u64,
    pub products: u64,
    pub evaluation: Evaluation,
    /// The method with the best MAP@10 (the best sellers when none beats them).
    pub best: Method,
    /// Whether the content-based method was left out for want of a sentence model.
    pub content_needs_model: bool,
    /// The strongest "bought together" rules, by lift.
    pub rules: Vec<Rule>,
}

/// What a customer bought and what to suggest for their next order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustomerSuggestions {
    pub customer: String,
    pub method: Method,
    pub bought: Vec<ProductRef>,
    pub suggestions: Vec<Suggestion>,
}

/// "Customers who bought this also bought": the rules from a product and its nearest
/// products by customers in common.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductSuggestions {
    pub product: ProductRef,
    /// Orders that held it.
    pub orders: u32,
    pub together: Vec<Rule>,
    pub also_bought: Vec<AlsoBought>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlsoBought {
    pub product: ProductRef,
    /// Customers who bought both.
    pub customers: u32,
    pub similarity: f32,
}

/// The recommenders fitted on some baskets; each only when asked for.
pub struct Models {
    popularity: Vec<u32>,
    rules_from: Vec<Vec<PairRule>>,
    neighbours: Option<ItemNeighbours>,
    als: Option<Als>,
    /// Unit-length description embeddings, one per product.
    content: Option<Vec<Vec<f32>>>,
}

impl Models {
    /// Fits the recommenders `methods` need on `baskets`.
    pub fn fit(baskets: &Baskets, embeddings: Option<&[Vec<f32>]>, methods: &[Method]) -> Models {
        let wants = |method: Method| methods.contains(&method);
        let mut rules_from = vec![Vec::new(); baskets.products.len()];
        if wants(Method::Rules) {
            for rule in rules::pair_rules(baskets, rules::min_together(baskets)) {
                rules_from[rule.if_bought as usize].push(rule);
            }
        }
        let needs_histories = wants(Method::ItemCf) || wants(Method::Als);
        let (histories, _) = if needs_histories {
            baskets.histories()
        } else {
            (Vec::new(), Vec::new())
        };
        Models {
            popularity: baskets.product_counts(),
            rules_from,
            neighbours: wants(Method::ItemCf)
                .then(|| ItemNeighbours::fit(&histories, baskets.products.len())),
            als: wants(Method::Als)
                .then(|| Als::fit(&histories, baskets.products.len(), AlsSettings::default())),
            content: embeddings
                .filter(|vectors| wants(Method::Content) && vectors.len() == baskets.products.len())
                .map(<[Vec<f32>]>::to_vec),
        }
    }

    fn scores(&self, method: Method, history: &[(u32, f32)]) -> Vec<f32> {
        let mut scores = vec![0f32; self.popularity.len()];
        match method {
            Method::Popular => {}
            Method::Rules => {
                for &(bought, _) in history {
                    for rule in &self.rules_from[bought as usize] {
                        let score = &mut scores[rule.then as usize];
                        *score = score.max(rule.confidence as f32);
                    }
                }
            }
            Method::ItemCf => {
                if let Some(neighbours) = &self.neighbours {
                    neighbours.score(history, &mut scores);
                }
            }
            Method::Als => {
                if let Some(als) = &self.als {
                    als.score(history, &mut scores);
                }
            }
            Method::Content => {
                if let Some(vectors) = &self.content {
                    for &(bought, _) in history {
                        for (score, vector) in scores.iter_mut().zip(vectors) {
                            *score += cosine(&vectors[bought as usize], vector);
                        }
                    }
                    // A proven product ranks above its untried twin; one nobody has
                    // bought yet keeps its likeness alone (measured on the demo shop:
                    // likeness alone 0.99× the best sellers' hit-rate, weighted 1.14×).
                    for (score, orders) in scores.iter_mut().zip(&self.popularity) {
                        *score *= (1.0 + *orders as f32).sqrt();
                    }
                }
            }
        }
        scores
    }

    /// The `count` best products for a customer who bought `history`, leaving out what
    /// they bought; ties (and products a method says nothing of) go to the best sellers.
    pub fn top(&self, method: Method, history: &[(u32, f32)], count: usize) -> Vec<(u32, f32)> {
        let scores = self.scores(method, history);
        let mut candidates: Vec<u32> = (0..scores.len() as u32)
            .filter(|product| {
                history
                    .binary_search_by_key(product, |(bought, _)| *bought)
                    .is_err()
            })
            .collect();
        candidates.sort_by(|a, b| {
            scores[*b as usize]
                .total_cmp(&scores[*a as usize])
                .then(self.popularity[*b as usize].cmp(&self.popularity[*a as usize]))
                .then(a.cmp(b))
        });
        candidates
            .into_iter()
            .take(count)
            .map(|product| (product, scores[product as usize]))
            .collect()
    }

    /// The bought product that explains suggesting `product` most under `method`.
    fn because(&self, method: Method, history: &[(u32, f32)], product: u32) -> Option<u32> {
        let strength = |bought: u32| -> f32 {
            match method {
                Method::Popular => 0.0,
                Method::Rules => self.rules_from[bought as usize]
                    .iter()
                    .find(|rule| rule.then == product)
                    .map_or(0.0, |rule| rule.confidence as f32),
                Method::ItemCf => self.neighbours.as_ref().map_or(0.0, |neighbours| {
                    neighbours
                        .of(bought)
                        .iter()
                        .find(|neighbour| neighbour.product == product)
                        .map_or(0.0, |neighbour| neighbour.similarity)
                }),
                Method::Als => self
                    .als
                    .as_ref()
                    .map_or(0.0, |als| als.likeness(bought, product)),
                Method::Content => self.content.as_ref().map_or(0.0, |vectors| {
                    cosine(&vectors[bought as usize], &vectors[product as usize])
                }),
            }
        };
        history
            .iter()
            .map(|(bought, _)| (*bought, strength(*bought)))
            .filter(|(_, strength)| *strength > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(bought, _)| bought)
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The baskets of the orders `filter` keeps, grouped by the catalogue's listings.
pub fn baskets_of(
    frame: &OrdersFrame,
    filter: &Filter,
    catalogue: &[CatalogueVariant],
) -> Result<Baskets, AnalyticsError> {
    Ok(Baskets::of(frame, &frame.select(filter)?, catalogue))
}

fn rule_of(baskets: &Baskets, rule: &PairRule) -> Rule {
    Rule {
        if_bought: baskets.products[rule.if_bought as usize].clone(),
        then: baskets.products[rule.then as usize].clone(),
        orders: rule.together,
        support: rule.support,
        confidence: rule.confidence,
        lift: rule.lift,
    }
}

/// Every recommender evaluated, the best named, and the strongest rules.
pub fn report(baskets: &Baskets, embeddings: Option<&[Vec<f32>]>) -> RecommendationReport {
    let methods: Vec<Method> = Method::ALL
        .into_iter()
        .filter(|method| *method != Method::Content || embeddings.is_some())
        .collect();
    let evaluation = evaluate(baskets, embeddings, &methods);
    let popular_map = evaluation
        .methods
        .iter()
        .find(|score| score.method == Method::Popular)
        .map_or(0.0, |score| score.map);
    let best = evaluation
        .methods
        .iter()
        .filter(|score| score.map > popular_map)
        .max_by(|a, b| a.map.total_cmp(&b.map))
        .map_or(Method::Popular, |score| score.method);
    let rules = rules::pair_rules(baskets, rules::min_together(baskets))
        .iter()
        .take(LISTED_RULES)
        .map(|rule| rule_of(baskets, rule))
        .collect();
    let mut customers = baskets.customer.clone();
    customers.sort_unstable();
    customers.dedup();
    RecommendationReport {
        orders: baskets.len() as u64,
        customers: customers.len() as u64,
        products: baskets.products.len() as u64,
        evaluation,
        best,
        content_needs_model: embeddings.is_none(),
        rules,
    }
}

/// Suggestions for the next order of the customer known by `customer_key`.
pub fn for_customer(
    frame: &OrdersFrame,
    baskets: &Baskets,
    embeddings: Option<&[Vec<f32>]>,
    customer_key: &str,
    method: Method,
) -> Result<CustomerSuggestions, AnalyticsError> {
    let not_found = || AnalyticsError::NotInOrders {
        what: "customer",
        key: customer_key.to_string(),
    };
    let number = frame
        .customers
        .iter()
        .position(|customer| &*customer.key == customer_key)
        .ok_or_else(not_found)? as u32;
    let (histories, customers) = baskets.histories();
    let history = customers
        .iter()
        .position(|customer| *customer == number)
        .map(|dense| &histories[dense])
        .ok_or_else(not_found)?;
    let models = Models::fit(baskets, embeddings, &[method]);
    let suggestions = models
        .top(method, history, TOP)
        .into_iter()
        .map(|(product, score)| Suggestion {
            product: baskets.products[product as usize].clone(),
            score,
            because: models
                .because(method, history, product)
                .map(|bought| baskets.products[bought as usize].clone()),
        })
        .collect();
    Ok(CustomerSuggestions {
        customer: customer_key.to_string(),
        method,
        bought: history
            .iter()
            .map(|(product, _)| baskets.products[*product as usize].clone())
            .collect(),
        suggestions,
    })
}

/// What the buyers of the product known by `product_key` (a listing's handle, or a SKU)
/// also bought.
pub fn also_bought(
    baskets: &Baskets,
    product_key: &str,
) -> Result<ProductSuggestions, AnalyticsError> {
    let product = baskets
        .products
        .iter()
        .position(|product| product.key == product_key)
        .ok_or_else(|| AnalyticsError::NotInOrders {
            what: "product",
            key: product_key.to_string(),
        })? as u32;
    let mut together: Vec<Rule> = rules::pair_rules(baskets, rules::min_together(baskets))
        .iter()
        .filter(|rule| rule.if_bought == product)
        .map(|rule| rule_of(baskets, rule))
        .collect();
    together.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    together.truncate(TOP);
    let (histories, _) = baskets.histories();
    let neighbours = ItemNeighbours::fit(&histories, baskets.products.len());
    Ok(ProductSuggestions {
        product: baskets.products[product as usize].clone(),
        orders: baskets.product_counts()[product as usize],
        together,
        also_bought: neighbours
            .of(product)
            .iter()
            .take(TOP)
            .map(|neighbour| AlsoBought {
                product: baskets.products[neighbour.product as usize].clone(),
                customers: neighbour.customers,
                similarity: neighbour.similarity,
            })
            .collect(),
    })
}
