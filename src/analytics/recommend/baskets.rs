//! The orders as recommendations see them: each order a basket of distinct products,
//! where a product is a listing (all its variants' SKUs together, so a different size of
//! the same bag is not a recommendation) or, for a SKU the catalogue lacks, the SKU or
//! name the order exports gave it.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::super::AnalyticsError;
use super::super::frame::{OrdersFrame, Selection};
use crate::store::Store;

/// A product as the seller knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductRef {
    /// The listing's handle, or the SKU (or name) of a product the catalogue lacks.
    pub key: String,
    pub title: String,
}

/// One listing variant of the catalogue: its SKU and the listing it belongs to.
#[derive(Debug, Clone)]
pub struct CatalogueVariant {
    pub sku: String,
    pub handle: String,
    pub title: String,
    /// Title, maker, type and tags: what the content-based suggestions compare.
    pub description: String,
}

/// The baskets of some orders: products, orders as lists of product numbers, and whose.
#[derive(Debug, Clone)]
pub struct Baskets {
    pub products: Vec<ProductRef>,
    /// What each product is, in words (the listing's description, else its title).
    pub descriptions: Vec<String>,
    /// Each basket's products (distinct, ascending) one after the other; basket `b` is
    /// `items[starts[b]..starts[b + 1]]`.
    items: Vec<u32>,
    starts: Vec<u32>,
    /// The customer (frame number) of each basket.
    pub customer: Vec<u32>,
}

impl Baskets {
    /// The baskets of the orders `selection` keeps, in the order they were placed.
    pub fn of(
        frame: &OrdersFrame,
        selection: &Selection,
        catalogue: &[CatalogueVariant],
    ) -> Baskets {
        let listing_of: HashMap<&str, &CatalogueVariant> = catalogue
            .iter()
            .filter(|variant| !variant.sku.is_empty())
            .map(|variant| (variant.sku.as_str(), variant))
            .collect();
        let mut numbers: HashMap<String, u32> = HashMap::default();
        let mut products: Vec<ProductRef> = Vec::new();
        let mut descriptions: Vec<String> = Vec::new();
        let product_of_item: Vec<u32> = frame
            .items
            .iter()
            .map(|item| {
                let (key, title, description) = match listing_of.get(&*item.sku) {
                    Some(variant) => (&*variant.handle, &*variant.title, &*variant.description),
                    None => (
                        frame.products[item.product as usize].0.as_ref(),
                        &*item.name,
                        &*item.name,
                    ),
                };
                *numbers.entry(key.to_string()).or_insert_with(|| {
                    products.push(ProductRef {
                        key: key.to_string(),
                        title: title.to_string(),
                    });
                    descriptions.push(description.to_string());
                    products.len() as u32 - 1
                })
            })
            .collect();
        let mut baskets = Baskets::new(products, descriptions);
        let mut basket = Vec::new();
        for &order in &selection.orders {
            basket.clear();
            basket.extend(
                frame
                    .orders
                    .lines(order)
                    .map(|line| product_of_item[frame.lines.item[line] as usize]),
            );
            baskets.push(frame.orders.customer[order as usize], &mut basket);
        }
        baskets
    }

    /// No baskets yet, of these products.
    pub fn new(products: Vec<ProductRef>, descriptions: Vec<String>) -> Baskets {
        Baskets {
            products,
            descriptions,
            items: Vec::new(),
            starts: vec![0],
            customer: Vec::new(),
        }
    }

    /// Adds a basket of `products` (sorted and made distinct here) bought by `customer`.
    pub fn push(&mut self, customer: u32, products: &mut Vec<u32>) {
        products.sort_unstable();
        products.dedup();
        if products.is_empty() {
            return;
        }
        self.items.extend_from_slice(products);
        self.starts.push(self.items.len() as u32);
        self.customer.push(customer);
    }

    pub fn len(&self) -> usize {
        self.customer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    pub fn basket(&self, number: usize) -> &[u32] {
        &self.items[self.starts[number] as usize..self.starts[number + 1] as usize]
    }

    /// How many baskets hold each product.
    pub fn product_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.products.len()];
        for &product in &self.items {
            counts[product as usize] += 1;
        }
        counts
    }

    /// Each customer's products with how many of their baskets held each, customers
    /// numbered densely in the order they first appear; with the frame number of each.
    pub fn histories(&self) -> (Vec<Vec<(u32, f32)>>, Vec<u32>) {
        let mut dense: HashMap<u32, usize> = HashMap::default();
        let mut histories: Vec<HashMap<u32, f32>> = Vec::new();
        let mut frame_customers = Vec::new();
        for number in 0..self.len() {
            let customer = self.customer[number];
            let index = *dense.entry(customer).or_insert_with(|| {
                histories.push(HashMap::default());
                frame_customers.push(customer);
                histories.len() - 1
            });
            for &product in self.basket(number) {
                *histories[index].entry(product).or_default() += 1.0;
            }
        }
        let histories = histories
            .into_iter()
            .map(|history| {
                let mut history: Vec<(u32, f32)> = history.into_iter().collect();
                history.sort_unstable_by_key(|(product, _)| *product);
                history
            })
            .collect();
        (histories, frame_customers)
    }
}

/// The catalogue's variants with their listings, to group order lines by listing.
pub fn catalogue(store: &Store) -> Result<Vec<CatalogueVariant>, AnalyticsError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT v.sku, l.handle, l.title, l.vendor, l.product_type, l.tags
             FROM listing_variants v JOIN listings l ON l.id = v.listing_id
             WHERE v.sku <> '' ORDER BY l.id, v.position",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            let title: String = row.get(2)?;
            let described: Vec<String> = [title.clone(), row.get(3)?, row.get(4)?, row.get(5)?]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect();
            Ok(CatalogueVariant {
                sku: row.get(0)?,
                handle: row.get(1)?,
                title,
                description: described.join(". "),
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}
