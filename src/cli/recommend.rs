//! `tradewind analytics fbt|recommend`: bought-together rules, the recommenders scored on
//! the seller's orders, a customer's next products and a product's "also bought".

use tradewind::analytics::Filter;
use tradewind::analytics::recommend::{Method, Rule};
use tradewind::{Engine, Error};

use super::print::json;

fn print_rule(rule: &Rule) {
    println!(
        "  {} → {}: {} orders, support {:.1} %, confidence {:.0} %, lift {:.2}",
        rule.if_bought.title,
        rule.then.title,
        rule.orders,
        rule.support * 100.0,
        rule.confidence * 100.0,
        rule.lift
    );
}

pub fn bought_together(engine: &Engine, filter: &Filter, as_json: bool) -> Result<(), Error> {
    let report = engine.recommendations(filter)?;
    if as_json {
        json(&report.rules);
        return Ok(());
    }
    if report.rules.is_empty() {
        println!(
            "No two products were bought together often enough to be a rule ({} orders).",
            report.orders
        );
    }
    for rule in &report.rules {
        print_rule(rule);
    }
    Ok(())
}

pub fn evaluation(engine: &Engine, filter: &Filter, as_json: bool) -> Result<(), Error> {
    let report = engine.recommendations(filter)?;
    if as_json {
        json(&report);
        return Ok(());
    }
    println!(
        "{} orders, {} customers, {} products; {} repeat customers' last orders held out",
        report.orders, report.customers, report.products, report.evaluation.customers
    );
    println!("  method      hit-rate@10   MAP@10   vs best sellers");
    for score in &report.evaluation.methods {
        println!(
            "  {:<10} {:>10.1} % {:>8.3} {:>10.2}×",
            score.method.name(),
            score.hit_rate * 100.0,
            score.map,
            score.over_popular
        );
    }
    if report.content_needs_model {
        println!(
            "  content    needs a sentence-embedding model: `tradewind models import all-minilm-l6-v2 FOLDER`"
        );
    }
    println!("best on these orders: {}", report.best.name());
    Ok(())
}

pub fn for_customer(
    engine: &Engine,
    filter: &Filter,
    customer: &str,
    method: Option<Method>,
    as_json: bool,
) -> Result<(), Error> {
    let found = engine.next_products(filter, customer, method)?;
    if as_json {
        json(&found);
        return Ok(());
    }
    let bought: Vec<&str> = found
        .bought
        .iter()
        .map(|product| product.title.as_str())
        .collect();
    println!("{} bought: {}", found.customer, bought.join(", "));
    println!("next ({}):", found.method.name());
    for suggestion in &found.suggestions {
        match &suggestion.because {
            Some(because) => println!(
                "  {}  (because they bought {})",
                suggestion.product.title, because.title
            ),
            None => println!("  {}  (a best seller)", suggestion.product.title),
        }
    }
    Ok(())
}

pub fn also_bought(
    engine: &Engine,
    filter: &Filter,
    product: &str,
    as_json: bool,
) -> Result<(), Error> {
    let found = engine.also_bought(filter, product)?;
    if as_json {
        json(&found);
        return Ok(());
    }
    println!("{} ({} orders)", found.product.title, found.orders);
    println!("bought together:");
    for rule in &found.together {
        print_rule(rule);
    }
    println!("customers who bought it also bought:");
    for other in &found.also_bought {
        println!(
            "  {}  ({} customers, cosine {:.2})",
            other.product.title, other.customers, other.similarity
        );
    }
    Ok(())
}
