//! Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren and
//! Volinsky, "Collaborative Filtering for Implicit Feedback Datasets", 2008): a customer
//! prefers a product they bought (1) over one they did not (0), with a confidence of
//! 1 + α × the baskets that held it; customer and product vectors are solved in turn,
//! each a small regularised least-squares problem. A customer's vector is folded in
//! from their products with the learned product vectors, so a history the training did
//! not see (a held-out order, a new customer) is scored the same way.

use rayon::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlsSettings {
    pub factors: usize,
    pub regularisation: f32,
    pub alpha: f32,
    pub iterations: usize,
    pub seed: u64,
}

impl Default for AlsSettings {
    fn default() -> AlsSettings {
        // Chosen on the demo shop by the leave-last-order-out evaluation over factors
        // 4–16, λ 0.1–150 and α 2–40: small shops (most customers with one or two
        // orders) need strong regularisation, and λ/α much above 8 falls back to the
        // best sellers.
        AlsSettings {
            factors: 16,
            regularisation: 80.0,
            alpha: 10.0,
            iterations: 12,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Als {
    settings: AlsSettings,
    /// Product vectors, `factors` numbers each.
    products: Vec<f32>,
    /// Their Gram matrix (Yᵀ Y), shared by every fold-in.
    gram: Vec<f32>,
}

impl Als {
    /// Learns from each customer's products and counts over `products` products; the
    /// same input and seed always give the same vectors.
    pub fn fit(histories: &[Vec<(u32, f32)>], products: usize, settings: AlsSettings) -> Als {
        let k = settings.factors.max(1);
        let settings = AlsSettings {
            factors: k,
            ..settings
        };
        let mut rng = fastrand::Rng::with_seed(settings.seed);
        let mut product_vectors: Vec<f32> =
            (0..products * k).map(|_| (rng.f32() - 0.5) * 0.1).collect();
        let mut customer_vectors = vec![0f32; histories.len() * k];
        let mut buyers: Vec<Vec<(u32, f32)>> = vec![Vec::new(); products];
        for (customer, history) in histories.iter().enumerate() {
            for &(product, count) in history {
                buyers[product as usize].push((customer as u32, count));
            }
        }
        for _ in 0..settings.iterations {
            solve_side(
                &mut customer_vectors,
                &product_vectors,
                histories,
                &settings,
            );
            solve_side(&mut product_vectors, &customer_vectors, &buyers, &settings);
        }
        Als {
            gram: gram(&product_vectors, k),
            products: product_vectors,
            settings,
        }
    }

    fn vector(&self, product: u32) -> &[f32] {
        let k = self.settings.factors;
        &self.products[product as usize * k..(product as usize + 1) * k]
    }

    /// The customer vector that best explains `history` (the same solve as training).
    fn fold_in(&self, history: &[(u32, f32)]) -> Vec<f32> {
        let mut vector = vec![0f32; self.settings.factors];
        solve_row(
            &mut vector,
            &self.products,
            &self.gram,
            history,
            &self.settings,
        );
        vector
    }

    /// Each product's predicted preference for a customer who bought `history`.
    pub fn score(&self, history: &[(u32, f32)], scores: &mut [f32]) {
        let customer = self.fold_in(history);
        for (product, score) in scores.iter_mut().enumerate() {
            *score = dot(&customer, self.vector(product as u32));
        }
    }

    /// The cosine of two products' vectors: which bought product a suggestion is most
    /// like, to explain it.
    pub fn likeness(&self, first: u32, second: u32) -> f32 {
        let (a, b) = (self.vector(first), self.vector(second));
        dot(a, b) / (dot(a, a).sqrt() * dot(b, b).sqrt()).max(f32::MIN_POSITIVE)
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn gram(vectors: &[f32], k: usize) -> Vec<f32> {
    let mut gram = vec![0f32; k * k];
    for vector in vectors.chunks_exact(k) {
        for row in 0..k {
            for column in 0..k {
                gram[row * k + column] += vector[row] * vector[column];
            }
        }
    }
    gram
}

/// Solves every row of `target` from the `fixed` side's vectors; each row on its own,
/// so the threads' order cannot change the result.
fn solve_side(target: &mut [f32], fixed: &[f32], rows: &[Vec<(u32, f32)>], settings: &AlsSettings) {
    let k = settings.factors;
    let gram = gram(fixed, k);
    target
        .par_chunks_mut(k)
        .zip(rows.par_iter())
        .for_each(|(vector, row)| solve_row(vector, fixed, &gram, row, settings));
}

/// x = (YᵀY + Yᵀ(C − I)Y + λI)⁻¹ Yᵀ C p for one row, by Cholesky.
fn solve_row(
    vector: &mut [f32],
    fixed: &[f32],
    gram: &[f32],
    row: &[(u32, f32)],
    settings: &AlsSettings,
) {
    let k = settings.factors;
    let mut matrix = gram.to_vec();
    for diagonal in 0..k {
        matrix[diagonal * k + diagonal] += settings.regularisation;
    }
    vector.fill(0.0);
    for &(other, count) in row {
        let confidence = 1.0 + settings.alpha * count;
        let y = &fixed[other as usize * k..(other as usize + 1) * k];
        for r in 0..k {
            vector[r] += confidence * y[r];
            for c in 0..k {
                matrix[r * k + c] += (confidence - 1.0) * y[r] * y[c];
            }
        }
    }
    cholesky_solve(&mut matrix, vector, k);
}

/// Solves A x = b in place for a symmetric positive definite A (b becomes x). The
/// regularisation keeps A positive definite; a pivot that is not (rounding) is clamped.
fn cholesky_solve(a: &mut [f32], b: &mut [f32], k: usize) {
    for j in 0..k {
        let mut pivot = a[j * k + j];
        for p in 0..j {
            pivot -= a[j * k + p] * a[j * k + p];
        }
        let pivot = pivot.max(1e-6).sqrt();
        a[j * k + j] = pivot;
        for i in j + 1..k {
            let mut value = a[i * k + j];
            for p in 0..j {
                value -= a[i * k + p] * a[j * k + p];
            }
            a[i * k + j] = value / pivot;
        }
    }
    for i in 0..k {
        let mut value = b[i];
        for p in 0..i {
            value -= a[i * k + p] * b[p];
        }
        b[i] = value / a[i * k + i];
    }
    for i in (0..k).rev() {
        let mut value = b[i];
        for p in i + 1..k {
            value -= a[p * k + i] * b[p];
        }
        b[i] = value / a[i * k + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Vec<Vec<(u32, f32)>> {
        // Two tastes: products 0–2 and 3–5, customers keeping to one.
        (0..40u32)
            .map(|customer| {
                let base = if customer % 2 == 0 { 0 } else { 3 };
                vec![(base, 1.0), (base + 1 + (customer / 2) % 2, 2.0)]
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_model_and_another_seed_does_not() {
        let settings = AlsSettings::default();
        let first = Als::fit(&shop(), 6, settings);
        assert_eq!(first, Als::fit(&shop(), 6, settings));
        let other = Als::fit(
            &shop(),
            6,
            AlsSettings {
                seed: 7,
                ..settings
            },
        );
        assert_ne!(first.products, other.products);
    }

    #[test]
    fn a_customer_is_steered_to_their_own_taste() {
        let model = Als::fit(&shop(), 6, AlsSettings::default());
        let mut scores = vec![0.0; 6];
        model.score(&[(0, 1.0)], &mut scores);
        let best_other = scores[3..].iter().copied().fold(f32::MIN, f32::max);
        assert!(
            scores[1] > best_other && scores[2] > best_other,
            "{scores:?}"
        );
        assert!(model.likeness(0, 1) > model.likeness(0, 4));
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let mut b = vec![2.0, 1.0];
        cholesky_solve(&mut a, &mut b, 2);
        assert!((b[0] - 0.5).abs() < 1e-6 && b[1].abs() < 1e-6, "{b:?}");
    }
}
