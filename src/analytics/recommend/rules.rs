//! "Frequently bought together": association rules between two products over the
//! baskets, with the three measures a seller can check by hand. For "if A then B":
//! support is the share of baskets holding both, confidence the share of A's baskets
//! that hold B, and lift the confidence over B's own share (above 1: bought together
//! more often than chance).

use rustc_hash::FxHashMap as HashMap;

use super::baskets::Baskets;

/// One rule, "bought `if_bought` → also bought `then`", by product number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRule {
    pub if_bought: u32,
    pub then: u32,
    /// Baskets holding both.
    pub together: u32,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// The rules of every pair found together in at least `min_together` baskets (both
/// directions), strongest lift first.
pub fn pair_rules(baskets: &Baskets, min_together: u32) -> Vec<PairRule> {
    let counts = baskets.product_counts();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::default();
    for number in 0..baskets.len() {
        let basket = baskets.basket(number);
        for (position, &first) in basket.iter().enumerate() {
            for &second in &basket[position + 1..] {
                *pairs.entry((first, second)).or_default() += 1;
            }
        }
    }
    let total = baskets.len().max(1) as f64;
    let mut rules: Vec<PairRule> = pairs
        .into_iter()
        .filter(|(_, together)| *together >= min_together.max(1))
        .flat_map(|((first, second), together)| {
            [(first, second, together), (second, first, together)]
        })
        .map(|(if_bought, then, together)| {
            let support = f64::from(together) / total;
            let confidence = f64::from(together) / f64::from(counts[if_bought as usize]);
            PairRule {
                if_bought,
                then,
                together,
                support,
                confidence,
                lift: confidence / (f64::from(counts[then as usize]) / total),
            }
        })
        .collect();
    rules.sort_by(|a, b| {
        b.lift
            .total_cmp(&a.lift)
            .then(b.together.cmp(&a.together))
            .then((a.if_bought, a.then).cmp(&(b.if_bought, b.then)))
    });
    rules
}

/// How many baskets a pair must share to be a rule: a handful at least, and one in a
/// thousand in a large shop, so chance pairs are not shown as habits.
pub fn min_together(baskets: &Baskets) -> u32 {
    (baskets.len() / 1000).max(3) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::recommend::baskets::ProductRef;

    fn baskets(lists: &[&[u32]]) -> Baskets {
        let products: Vec<ProductRef> = (0..4)
            .map(|number| ProductRef {
                key: format!("p{number}"),
                title: format!("Product {number}"),
            })
            .collect();
        let mut baskets = Baskets::new(products, vec![String::new(); 4]);
        for (customer, list) in lists.iter().enumerate() {
            baskets.push(customer as u32, &mut list.to_vec());
        }
        baskets
    }

    #[test]
    fn support_confidence_and_lift_are_the_hand_computed_ones() {
        // Ten baskets: A=0 in six, B=1 in five, A and B together in four, C=2 with A twice.
        let shop = baskets(&[
            &[0, 1],
            &[0, 1],
            &[0, 1],
            &[0, 1, 2],
            &[0, 2],
            &[0],
            &[1],
            &[3],
            &[3],
            &[3],
        ]);
        let rules = pair_rules(&shop, 1);
        let rule = |from: u32, to: u32| {
            *rules
                .iter()
                .find(|rule| rule.if_bought == from && rule.then == to)
                .unwrap()
        };
        let a_b = rule(0, 1);
        assert_eq!(a_b.together, 4);
        assert!((a_b.support - 0.4).abs() < 1e-12);
        assert!((a_b.confidence - 4.0 / 6.0).abs() < 1e-12);
        assert!((a_b.lift - (4.0 / 6.0) / 0.5).abs() < 1e-12);
        let b_a = rule(1, 0);
        assert!((b_a.confidence - 0.8).abs() < 1e-12);
        assert!((b_a.lift - 0.8 / 0.6).abs() < 1e-12);
        let c_b = rule(2, 1);
        assert_eq!(c_b.together, 1);
        assert!((c_b.confidence - 0.5).abs() < 1e-12);
        assert!((c_b.lift - 1.0).abs() < 1e-12);
        // D is never bought with anything: no rule names it.
        assert!(
            rules
                .iter()
                .all(|rule| rule.if_bought != 3 && rule.then != 3)
        );
        // A pair under the minimum is left out.
        assert!(pair_rules(&shop, 2).iter().all(|rule| rule.together >= 2));
        assert_eq!(pair_rules(&shop, 2).len(), 4);
    }
}
