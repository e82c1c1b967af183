//! Item-to-item collaborative filtering: two products are alike when the same customers
//! bought both, measured by the cosine of their customer sets (customers who bought
//! both over the square root of each one's buyers). A customer's candidates are scored
//! by their likeness to what the customer bought.

use rustc_hash::FxHashMap as HashMap;

/// How many neighbours each product keeps: enough for ten suggestions after the
/// customer's own products are left out, bounded for large catalogues.
const NEIGHBOURS: usize = 50;
/// Customers two products must share to be neighbours: one alone is chance, and would
/// explain a suggestion by a product that has nothing to do with it.
const MIN_CUSTOMERS: u32 = 2;

/// A product's nearest products by customers in common.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    pub product: u32,
    pub similarity: f32,
    /// Customers who bought both.
    pub customers: u32,
}

#[derive(Debug, Default)]
pub struct ItemNeighbours {
    neighbours: Vec<Vec<Neighbour>>,
}

impl ItemNeighbours {
    /// Learns from each customer's products (`histories`) over `products` products.
    pub fn fit(histories: &[Vec<(u32, f32)>], products: usize) -> ItemNeighbours {
        let mut buyers = vec![0u32; products];
        let mut together: HashMap<(u32, u32), u32> = HashMap::default();
        for history in histories {
            for (position, &(first, _)) in history.iter().enumerate() {
                buyers[first as usize] += 1;
                for &(second, _) in &history[position + 1..] {
                    *together.entry((first, second)).or_default() += 1;
                }
            }
        }
        let mut neighbours: Vec<Vec<Neighbour>> = vec![Vec::new(); products];
        for ((first, second), customers) in together {
            if customers < MIN_CUSTOMERS {
                continue;
            }
            let similarity = customers as f32
                / ((buyers[first as usize] as f32) * (buyers[second as usize] as f32)).sqrt();
            neighbours[first as usize].push(Neighbour {
                product: second,
                similarity,
                customers,
            });
            neighbours[second as usize].push(Neighbour {
                product: first,
                similarity,
                customers,
            });
        }
        for list in &mut neighbours {
            list.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.product.cmp(&b.product))
            });
            list.truncate(NEIGHBOURS);
        }
        ItemNeighbours { neighbours }
    }

    pub fn of(&self, product: u32) -> &[Neighbour] {
        self.neighbours
            .get(product as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Adds to each candidate's score its likeness to each product of `history`.
    pub fn score(&self, history: &[(u32, f32)], scores: &mut [f32]) {
        for &(bought, _) in history {
            for neighbour in self.of(bought) {
                scores[neighbour.product as usize] += neighbour.similarity;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_bought_by_the_same_customers_are_neighbours_by_cosine() {
        // Product 0 bought by customers 0–3; product 1 by 0, 1; product 2 by 2, 3, 4;
        // product 3 by 4 and 0 (one customer in common with product 0: not a neighbour).
        let histories = vec![
            vec![(0, 1.0), (1, 1.0), (3, 1.0)],
            vec![(0, 1.0), (1, 1.0)],
            vec![(0, 1.0), (2, 1.0)],
            vec![(0, 1.0), (2, 1.0)],
            vec![(2, 1.0), (3, 1.0)],
        ];
        let model = ItemNeighbours::fit(&histories, 4);
        let first = model.of(0);
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!((first[0].product, first[0].customers), (1, 2));
        assert!((first[0].similarity - 2.0 / 8f32.sqrt()).abs() < 1e-6);
        assert_eq!((first[1].product, first[1].customers), (2, 2));
        assert!((first[1].similarity - 2.0 / 12f32.sqrt()).abs() < 1e-6);
        // Products 1 and 2 share no customer, 0 and 3 only one: not neighbours.
        assert!(model.of(1).iter().all(|neighbour| neighbour.product != 2));
        assert!(model.of(3).is_empty());
        let mut scores = vec![0.0; 4];
        model.score(&[(1, 1.0)], &mut scores);
        assert!(scores[0] > 0.0 && scores[2] == 0.0 && scores[3] == 0.0);
    }
}
