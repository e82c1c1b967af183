//! `tradewind analytics …`: the dashboard's figures, customers with their RFM groups,
//! cohorts, and the reporting currency with its exchange rates.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tradewind::analytics::cohorts::CohortSplit;
use tradewind::analytics::metrics::Granularity;
use tradewind::analytics::recommend::Method;
use tradewind::analytics::{Channel, Filter};
use tradewind::{Engine, EngineConfig, Error};

use super::print::json;

/// The filter every analysis takes.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// From this day (inclusive), like 2025-01-01.
    #[arg(long)]
    from: Option<String>,
    /// To this day (inclusive).
    #[arg(long)]
    to: Option<String>,
    /// Only these channels: shopify, etsy, amazon, ebay, woocommerce, other (files of your own layout).
    #[arg(long, value_delimiter = ',', value_parser = ["shopify", "etsy", "amazon", "ebay", "woocommerce", "other"])]
    channel: Vec<String>,
    /// Only orders shipped to these countries (as the exports write them: US, Germany…).
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Only orders in these currencies.
    #[arg(long, value_delimiter = ',')]
    currency: Vec<String>,
    /// Only orders with this SKU, or a product whose name contains this.
    #[arg(long)]
    product: Option<String>,
}

impl FilterArgs {
    pub(super) fn filter(&self) -> Filter {
        Filter {
            from: self.from.clone(),
            to: self.to.clone(),
            channels: self
                .channel
                .iter()
                .filter_map(|key| Channel::from_key(key))
                .collect(),
            countries: self.country.clone(),
            currencies: self.currency.clone(),
            product: self.product.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// Orders, customers, net sales (gross less discounts and refunds), AOV, repeat rate,
    /// refunds, and sales by month, country, channel and currency, in the reporting currency.
    Summary {
        #[command(flatten)]
        filter: FilterArgs,
        /// day, week or month.
        #[arg(long, default_value = "month", value_parser = ["day", "week", "month"])]
        by: String,
    },
    /// Customers with their orders, channels, value and RFM group, best first.
    Customers {
        #[command(flatten)]
        filter: FilterArgs,
        /// Show at most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// How many customers each RFM group holds (R and FM = (F + M) / 2 scored 1–5 by quintile).
    Rfm {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Retention and value per customer by month of first order.
    Cohorts {
        #[command(flatten)]
        filter: FilterArgs,
        /// Only customers whose first order was on this channel.
        #[arg(long, value_parser = ["shopify", "etsy", "amazon", "ebay", "woocommerce"])]
        first_channel: Option<String>,
        /// Only customers whose first order had this SKU.
        #[arg(long)]
        first_product: Option<String>,
    },
    /// Buyers known only by a channel (an Etsy username) whose name and postal code match
    /// another customer's; with --with, say whether they are the same person.
    Matches {
        /// The buyer known only by a channel, like etsy:mika_k.
        customer: Option<String>,
        /// The customer they were matched with.
        #[arg(long, requires = "customer")]
        with: Option<String>,
        /// They are not the same person (without it, --with links them).
        #[arg(long, requires = "with")]
        not_same: bool,
    },
    /// Products frequently bought together: association rules with support, confidence
    /// and lift, strongest first.
    Fbt {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Recommenders scored on your own orders (leave the last order out, hit-rate@10 and
    /// MAP@10 against best sellers); with --customer, their next products; with
    /// --product, what its buyers also bought.
    Recommend {
        #[command(flatten)]
        filter: FilterArgs,
        /// A customer's key, as `analytics customers --json` lists it (email:…, etsy:…).
        #[arg(long, conflicts_with = "for_product")]
        customer: Option<String>,
        /// A listing's handle or a SKU.
        #[arg(long = "for-product")]
        for_product: Option<String>,
        /// popular, rules, item-cf, als or content (default: the best on your orders).
        #[arg(long, value_parser = ["popular", "rules", "item-cf", "als", "content"])]
        method: Option<String>,
    },
    /// Each SKU's weekly demand ahead, chosen and backtested on your own weeks of sales,
    /// with a reorder hint where a stock level is known (`analytics stock`).
    Forecast {
        #[command(flatten)]
        filter: FilterArgs,
        /// Weeks ahead.
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=52))]
        weeks: u32,
        /// Only this SKU.
        #[arg(long)]
        sku: Option<String>,
    },
    /// Record the units in stock of a SKU and the weeks a reorder takes; without them,
    /// list what was recorded.
    Stock {
        sku: Option<String>,
        #[arg(requires = "sku", allow_negative_numbers = true)]
        units: Option<i64>,
        /// Weeks from ordering to having the stock.
        #[arg(long, default_value_t = 2.0, requires = "units")]
        lead_time_weeks: f64,
    },
    /// The RFM groups as campaign segments, with the campaign that suits each
    /// (`export segment NAME --out FILE` writes one for an e-mail tool).
    Segments {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Show the reporting currency, or change it (every order is converted again).
    Currency { code: Option<String> },
    /// The exchange rates: where they come from; import the ECB's CSV; set one by hand.
    Rates {
        /// Import rates in the ECB's CSV layout (Date,USD,JPY,…).
        #[arg(long, value_name = "CSV")]
        import: Option<PathBuf>,
        /// Set one rate: CURRENCY DAY UNITS_PER_EURO, e.g. USD 2026-11-02 1.09.
        #[arg(long, num_args = 3, value_names = ["CURRENCY", "DAY", "PER_EURO"])]
        set: Vec<String>,
    },
}

fn money(value: f64, currency: &str) -> String {
    format!("{value:.2} {currency}")
}

pub fn run(
    command: AnalyticsCommand,
    config: EngineConfig,
    as_json: bool,
) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    match command {
        AnalyticsCommand::Summary { filter, by } => {
            let granularity = match by.as_str() {
                "day" => Granularity::Day,
                "week" => Granularity::Week,
                _ => Granularity::Month,
            };
            let dashboard = engine.dashboard(&filter.filter(), granularity)?;
            if as_json {
                json(&dashboard);
                return Ok(ExitCode::SUCCESS);
            }
            let m = &dashboard.metrics;
            let c = &m.reporting_currency;
            println!(
                "{} orders, {} customers ({} new, {} returning), {} units",
                m.orders, m.customers, m.new_customers, m.returning_customers, m.units
            );
            println!(
                "gross sales {}, discounts {}, refunds {}, net sales {}",
                money(m.gross_sales, c),
                money(m.discounts, c),
                money(m.refunds, c),
                money(m.net_sales, c)
            );
            println!(
                "average order {}, repeat purchase rate {:.1} %, refund rate {:.1} %, median {} between orders",
                money(m.average_order_value, c),
                m.repeat_purchase_rate * 100.0,
                m.refund_rate * 100.0,
                m.median_days_between_orders
                    .map_or("—".to_string(), |days| format!("{days:.0} days"))
            );
            if m.cancelled_orders > 0 || m.unconverted_orders > 0 {
                println!(
                    "{} cancelled orders left out; {} orders in a currency without a rate",
                    m.cancelled_orders, m.unconverted_orders
                );
            }
            for point in &dashboard.series {
                println!(
                    "  {:<10} {:>6} orders {:>14}",
                    point.period,
                    point.orders,
                    money(point.net_sales, c)
                );
            }
            for (title, rows) in [
                ("countries", &dashboard.by_country),
                ("channels", &dashboard.by_channel),
                ("currencies", &dashboard.by_currency),
            ] {
                println!("by {title}:");
                for row in rows.iter().take(10) {
                    println!(
                        "  {:<16} {:>6} orders {:>14}",
                        row.key,
                        row.orders,
                        money(row.net_sales, c)
                    );
                }
            }
        }
        AnalyticsCommand::Customers { filter, limit } => {
            let report = engine.rfm(&filter.filter(), limit)?;
            let customers: Vec<_> = report.customers.into_iter().take(limit).collect();
            if as_json {
                json(&customers);
                return Ok(ExitCode::SUCCESS);
            }
            for customer in &customers {
                println!(
                    "{:<32} {:>4} orders {:>14}  {} (R{} F{} M{})  {}",
                    customer.name,
                    customer.orders,
                    money(customer.net_sales, &report.reporting_currency),
                    customer.group.name(),
                    customer.r,
                    customer.f,
                    customer.m,
                    customer.channels.join(", ")
                );
            }
        }
        AnalyticsCommand::Matches {
            customer,
            with,
            not_same,
        } => {
            if let (Some(customer), Some(with)) = (&customer, &with) {
                engine.decide_match(customer, with, !not_same)?;
                if !as_json {
                    let verb = if not_same {
                        "kept apart from"
                    } else {
                        "linked to"
                    };
                    println!("{customer} {verb} {with}.");
                }
                return Ok(ExitCode::SUCCESS);
            }
            let found: Vec<_> = engine
                .match_suggestions()?
                .into_iter()
                .filter(|found| {
                    customer
                        .as_ref()
                        .is_none_or(|customer| &found.customer == customer)
                })
                .collect();
            if as_json {
                json(&found);
                return Ok(ExitCode::SUCCESS);
            }
            if found.is_empty() {
                println!(
                    "No buyers to match: none known only by a channel shares a name and postal code with another customer."
                );
            }
            for pair in &found {
                println!(
                    "{} ({}) and {} ({}): both {}, {}",
                    pair.customer,
                    pair.channel,
                    pair.with,
                    pair.with_channels.join(", "),
                    pair.name,
                    pair.postal_code
                );
            }
        }
        AnalyticsCommand::Rfm { filter } => {
            let report = engine.rfm(&filter.filter(), 0)?;
            if as_json {
                json(&report.groups);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "recency counted to {}",
                report.as_of.as_deref().unwrap_or("—")
            );
            for group in &report.groups {
                println!(
                    "  {:<18} {:>6} customers {:>14}",
                    group.group.name(),
                    group.customers,
                    money(group.net_sales, &report.reporting_currency)
                );
            }
        }
        AnalyticsCommand::Cohorts {
            filter,
            first_channel,
            first_product,
        } => {
            let split = CohortSplit {
                first_channel: first_channel.as_deref().and_then(Channel::from_key),
                first_product,
            };
            let cohorts = engine.cohorts(&filter.filter(), &split)?;
            if as_json {
                json(&cohorts);
                return Ok(ExitCode::SUCCESS);
            }
            for cohort in &cohorts.cohorts {
                let retention: Vec<String> = cohort
                    .retention
                    .iter()
                    .take(13)
                    .map(|share| format!("{:>3.0}%", share * 100.0))
                    .collect();
                println!(
                    "{} {:>5} customers  {}",
                    cohort.month,
                    cohort.customers,
                    retention.join(" ")
                );
            }
        }
        AnalyticsCommand::Fbt { filter } => {
            super::recommend::bought_together(&engine, &filter.filter(), as_json)?;
        }
        AnalyticsCommand::Recommend {
            filter,
            customer,
            for_product,
            method,
        } => {
            let method = method.as_deref().and_then(Method::named);
            let filter = filter.filter();
            match (customer, for_product) {
                (Some(customer), _) => {
                    super::recommend::for_customer(&engine, &filter, &customer, method, as_json)?
                }
                (None, Some(product)) => {
                    super::recommend::also_bought(&engine, &filter, &product, as_json)?
                }
                (None, None) => super::recommend::evaluation(&engine, &filter, as_json)?,
            }
        }
        AnalyticsCommand::Forecast { filter, weeks, sku } => {
            super::forecast::forecast(&engine, &filter.filter(), weeks, sku.as_deref(), as_json)?;
        }
        AnalyticsCommand::Stock {
            sku,
            units,
            lead_time_weeks,
        } => {
            let set = sku
                .zip(units)
                .map(|(sku, units)| (sku, units, lead_time_weeks));
            super::forecast::stock(&engine, set, as_json)?;
        }
        AnalyticsCommand::Segments { filter } => {
            let segments = engine.segments(&filter.filter())?;
            if as_json {
                json(&segments);
                return Ok(ExitCode::SUCCESS);
            }
            for segment in &segments {
                println!(
                    "  {:<18} {:>6} customers  {}",
                    segment.group.name(),
                    segment.customers,
                    segment.action.sentence()
                );
            }
            println!(
                "export one: tradewind export segment at-risk --out at-risk.csv [--tool klaviyo|mailchimp|shopify-email]"
            );
        }
        AnalyticsCommand::Currency { code } => {
            if let Some(code) = code {
                engine.set_reporting_currency(&code)?;
            }
            let currency = engine.reporting_currency()?;
            if as_json {
                json(&currency);
            } else {
                println!("{currency}");
            }
        }
        AnalyticsCommand::Rates { import, set } => {
            if let Some(path) = import {
                println!(
                    "Imported {} rates from {}",
                    engine.import_fx_rates(&path)?,
                    path.display()
                );
            }
            if let [currency, day, rate] = set.as_slice() {
                let per_euro: f64 = rate.parse().map_err(|_| Error::InvalidSetting {
                    setting: "rate",
                    value: rate.clone(),
                    allowed: "units of the currency per euro, like 1.09".into(),
                })?;
                engine.set_fx_rate(currency, day, per_euro)?;
            }
            let sources = engine.fx_sources()?;
            if as_json {
                json(&sources);
            } else {
                for source in &sources {
                    println!(
                        "{}: {} currencies, {} to {}",
                        source.source, source.currencies, source.first_day, source.last_day
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
