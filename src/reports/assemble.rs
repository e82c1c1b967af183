//! The analyses of one filter turned into a report's figures, charts and tables, worded
//! in the report's language. Customers are named only when the report is not anonymised;
//! otherwise each appears as the first digits of its salted hash (the code the segment
//! and Parquet exports give the same customer).

use super::document::{Cell, CellKind, Chart, Column, Figure, Report, Table};
use super::words::{ReportLanguage, Words};
use crate::analytics::Channel;
use crate::analytics::Filter;
use crate::analytics::anonymise::Anonymiser;
use crate::analytics::cohorts::Cohorts;
use crate::analytics::forecast::ForecastReport;
use crate::analytics::metrics::{Dashboard, Share};
use crate::analytics::recommend::RecommendationReport;
use crate::analytics::reviews::ReviewsSummary;
use crate::analytics::rfm::RfmReport;
use crate::analytics::segments::SegmentSummary;

/// Rows of the long tables (countries, products, customers, rules, forecasts, reviews).
const LISTED: usize = 15;
/// The months after the first order that the cohort table shows.
const COHORT_MONTHS: [usize; 5] = [1, 2, 3, 6, 12];
/// Digits of a customer's hash that name them in an anonymised report.
const CODE_DIGITS: usize = 12;

/// Everything a report is made of, computed for one filter.
pub struct Sources {
    pub filter: Filter,
    /// The day the report is made, like 2025-03-14.
    pub today: String,
    pub dashboard: Dashboard,
    pub rfm: RfmReport,
    pub cohorts: Cohorts,
    pub segments: Vec<SegmentSummary>,
    pub recommendations: RecommendationReport,
    pub forecast: ForecastReport,
    pub reviews: Option<ReviewsSummary>,
}

/// The report of `sources` in `language`; customers hashed by `anonymiser` when given.
pub fn assemble(
    sources: &Sources,
    language: ReportLanguage,
    anonymiser: Option<&Anonymiser>,
) -> Report {
    let words = language.words();
    let currency = &sources.dashboard.metrics.reporting_currency;
    let mut tables = vec![
        months(words, sources),
        shares(
            words,
            words.sheet_channels,
            words.table_channels,
            words.channel,
            &sources.dashboard.by_channel,
            |key| channel_name(words, key),
        ),
        shares(
            words,
            words.sheet_countries,
            words.table_countries,
            words.country,
            &sources.dashboard.by_country,
            str::to_string,
        ),
        products(words, sources),
        groups(words, sources),
        cohorts(words, &sources.cohorts),
        customers(words, &sources.rfm, anonymiser),
        recommenders(words, &sources.recommendations),
        together(words, &sources.recommendations),
        forecasts(words, &sources.forecast),
    ];
    if let Some(reviews) = sources.reviews.as_ref().filter(|r| r.reviews > 0) {
        tables.push(review_table(words, reviews));
    }
    Report {
        title: words.title.to_string(),
        language: language.code().to_string(),
        about: about(words, sources, currency, anonymiser.is_some()),
        figures: figures(words, sources),
        summary_sheet: words.sheet_summary.to_string(),
        charts: charts(words, sources),
        tables,
        anonymised: anonymiser.is_some(),
    }
}

fn about(words: &Words, sources: &Sources, currency: &str, anonymised: bool) -> Vec<String> {
    let filter = &sources.filter;
    let period = match (&filter.from, &filter.to) {
        (None, None) => words.all_orders.to_string(),
        (from, to) => words
            .period
            .replace("{from}", from.as_deref().unwrap_or("…"))
            .replace("{to}", to.as_deref().unwrap_or("…")),
    };
    let channels = if filter.channels.is_empty() {
        words.all_channels.to_string()
    } else {
        let names: Vec<String> = filter
            .channels
            .iter()
            .map(|channel| channel_name(words, channel.key()))
            .collect();
        format!("{}{}", words.channels, names.join(", "))
    };
    let mut lines = vec![
        format!("{period} · {channels}"),
        format!(
            "{}{currency} · {}{}",
            words.currency, words.made, sources.today
        ),
    ];
    if anonymised {
        lines.push(words.anonymised.to_string());
    }
    lines
}

fn channel_name(words: &Words, key: &str) -> String {
    match Channel::from_key(key) {
        Some(Channel::Shopify) => "Shopify".into(),
        Some(Channel::Etsy) => "Etsy".into(),
        Some(Channel::Amazon) => "Amazon".into(),
        Some(Channel::Ebay) => "eBay".into(),
        Some(Channel::WooCommerce) => "WooCommerce".into(),
        Some(Channel::Other) => words.other_channel.into(),
        None => key.to_string(),
    }
}

fn figures(words: &Words, sources: &Sources) -> Vec<Figure> {
    let metrics = &sources.dashboard.metrics;
    let figure = |label: &str, value| Figure {
        label: label.to_string(),
        value,
    };
    let mut figures = vec![
        figure(words.net_sales, Cell::Money(metrics.net_sales)),
        figure(words.orders, Cell::Integer(metrics.orders as i64)),
        figure(words.customers, Cell::Integer(metrics.customers as i64)),
        figure(
            words.average_order_value,
            Cell::Money(metrics.average_order_value),
        ),
        figure(
            words.repeat_rate,
            Cell::Percent(metrics.repeat_purchase_rate),
        ),
        figure(words.refund_rate, Cell::Percent(metrics.refund_rate)),
    ];
    // New and returning mean something only against a start day: without one, every
    // customer is new.
    if sources.filter.from.is_some() {
        figures.push(figure(
            words.new_customers,
            Cell::Integer(metrics.new_customers as i64),
        ));
        figures.push(figure(
            words.returning_customers,
            Cell::Integer(metrics.returning_customers as i64),
        ));
    }
    figures
}

fn charts(words: &Words, sources: &Sources) -> Vec<Chart> {
    let dashboard = &sources.dashboard;
    vec![
        Chart {
            title: words.chart_net_sales_by_month.to_string(),
            over_time: true,
            kind: CellKind::Money,
            bars: dashboard
                .series
                .iter()
                .map(|point| (point.period.clone(), point.net_sales))
                .collect(),
        },
        Chart {
            title: words.chart_net_sales_by_channel.to_string(),
            over_time: false,
            kind: CellKind::Money,
            bars: dashboard
                .by_channel
                .iter()
                .map(|share| (channel_name(words, &share.key), share.net_sales))
                .collect(),
        },
        Chart {
            title: words.chart_customers_by_group.to_string(),
            over_time: false,
            kind: CellKind::Integer,
            bars: sources
                .segments
                .iter()
                .map(|segment| {
                    (
                        words.group(segment.group).to_string(),
                        segment.customers as f64,
                    )
                })
                .collect(),
        },
    ]
}

fn table(sheet: &str, title: &str, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Table {
    Table {
        sheet: sheet.to_string(),
        title: title.to_string(),
        note: None,
        columns,
        rows,
    }
}

fn months(words: &Words, sources: &Sources) -> Table {
    table(
        words.sheet_months,
        words.table_months,
        vec![
            Column::new(words.month, CellKind::Text),
            Column::new(words.orders, CellKind::Integer),
            Column::new(words.customers, CellKind::Integer),
            Column::new(words.net_sales, CellKind::Money),
        ],
        sources
            .dashboard
            .series
            .iter()
            .map(|point| {
                vec![
                    Cell::text(&point.period),
                    Cell::Integer(point.orders as i64),
                    Cell::Integer(point.customers as i64),
                    Cell::Money(point.net_sales),
                ]
            })
            .collect(),
    )
}

fn shares(
    words: &Words,
    sheet: &str,
    title: &str,
    key_column: &str,
    shares: &[Share],
    name: impl Fn(&str) -> String,
) -> Table {
    table(
        sheet,
        title,
        vec![
            Column::new(key_column, CellKind::Text),
            Column::new(words.orders, CellKind::Integer),
            Column::new(words.customers, CellKind::Integer),
            Column::new(words.net_sales, CellKind::Money),
        ],
        shares
            .iter()
            .take(LISTED)
            .map(|share| {
                vec![
                    Cell::Text(name(&share.key)),
                    Cell::Integer(share.orders as i64),
                    Cell::Integer(share.customers as i64),
                    Cell::Money(share.net_sales),
                ]
            })
            .collect(),
    )
}

fn products(words: &Words, sources: &Sources) -> Table {
    table(
        words.sheet_products,
        words.table_products,
        vec![
            Column::new(words.sku, CellKind::Text),
            Column::new(words.product, CellKind::Text),
            Column::new(words.units, CellKind::Integer),
            Column::new(words.orders, CellKind::Integer),
            Column::new(words.gross_sales, CellKind::Money),
        ],
        sources
            .dashboard
            .top_products
            .iter()
            .take(LISTED)
            .map(|product| {
                vec![
                    Cell::text(&product.sku),
                    Cell::text(&product.name),
                    Cell::Integer(product.units as i64),
                    Cell::Integer(product.orders as i64),
                    Cell::Money(product.gross_sales),
                ]
            })
            .collect(),
    )
}

fn groups(words: &Words, sources: &Sources) -> Table {
    table(
        words.sheet_groups,
        words.table_groups,
        vec![
            Column::new(words.group, CellKind::Text),
            Column::new(words.customers, CellKind::Integer),
            Column::new(words.net_sales, CellKind::Money),
            Column::new(words.campaign, CellKind::Text),
        ],
        sources
            .segments
            .iter()
            .map(|segment| {
                vec![
                    Cell::text(words.group(segment.group)),
                    Cell::Integer(segment.customers as i64),
                    Cell::Money(segment.net_sales),
                    Cell::text(words.action(segment.action)),
                ]
            })
            .collect(),
    )
}

fn cohorts(words: &Words, cohorts: &Cohorts) -> Table {
    let mut columns = vec![
        Column::new(words.first_order_month, CellKind::Text),
        Column::new(words.customers, CellKind::Integer),
    ];
    for month in COHORT_MONTHS {
        columns.push(Column::new(
            &words.month_n.replace("{n}", &month.to_string()),
            CellKind::Percent,
        ));
    }
    let rows = cohorts
        .cohorts
        .iter()
        .map(|cohort| {
            let mut row = vec![
                Cell::text(&cohort.month),
                Cell::Integer(cohort.customers as i64),
            ];
            row.extend(COHORT_MONTHS.iter().map(|&month| {
                cohort
                    .retention
                    .get(month)
                    .map_or(Cell::Empty, |&share| Cell::Percent(share))
            }));
            row
        })
        .collect();
    let mut table = table(words.sheet_cohorts, words.table_cohorts, columns, rows);
    table.note = Some(words.note_cohorts.to_string());
    table
}

fn customers(words: &Words, rfm: &RfmReport, anonymiser: Option<&Anonymiser>) -> Table {
    // The RFM report lists the best overall and then each group's best: one row each.
    let mut best: Vec<_> = rfm.customers.iter().collect();
    best.sort_by(|a, b| b.net_sales.total_cmp(&a.net_sales));
    let mut seen = std::collections::HashSet::new();
    best.retain(|customer| seen.insert(customer.customer.as_str()));
    table(
        words.sheet_customers,
        words.table_customers,
        vec![
            Column::new(words.customer, CellKind::Text),
            Column::new(words.group, CellKind::Text),
            Column::new(words.orders, CellKind::Integer),
            Column::new(words.net_sales, CellKind::Money),
            Column::new(words.last_order, CellKind::Day),
        ],
        best.into_iter()
            .take(LISTED)
            .map(|customer| {
                let who = match anonymiser {
                    Some(anonymiser) => {
                        let mut code = anonymiser.hash(&customer.customer);
                        code.truncate(CODE_DIGITS);
                        code
                    }
                    None => customer.name.clone(),
                };
                vec![
                    Cell::Text(who),
                    Cell::text(words.group(customer.group)),
                    Cell::Integer(customer.orders as i64),
                    Cell::Money(customer.net_sales),
                    Cell::day(&customer.last_order_at),
                ]
            })
            .collect(),
    )
}

fn recommenders(words: &Words, report: &RecommendationReport) -> Table {
    let mut table = table(
        words.sheet_recommenders,
        words.table_recommenders,
        vec![
            Column::new(words.method, CellKind::Text),
            Column::new(words.hit_rate, CellKind::Percent),
            Column::new(words.map, CellKind::Decimal),
            Column::new(words.over_popular, CellKind::Decimal),
        ],
        report
            .evaluation
            .methods
            .iter()
            .map(|score| {
                vec![
                    Cell::text(words.recommender(score.method)),
                    Cell::Percent(score.hit_rate),
                    Cell::Decimal(score.map),
                    Cell::Decimal(score.over_popular),
                ]
            })
            .collect(),
    );
    table.note = Some(
        words
            .note_recommenders
            .replace("{n}", &report.evaluation.customers.to_string()),
    );
    table
}

fn together(words: &Words, report: &RecommendationReport) -> Table {
    table(
        words.sheet_together,
        words.table_together,
        vec![
            Column::new(words.if_bought, CellKind::Text),
            Column::new(words.also_bought, CellKind::Text),
            Column::new(words.orders, CellKind::Integer),
            Column::new(words.support, CellKind::Percent),
            Column::new(words.confidence, CellKind::Percent),
            Column::new(words.lift, CellKind::Decimal),
        ],
        report
            .rules
            .iter()
            .take(LISTED)
            .map(|rule| {
                vec![
                    Cell::text(&rule.if_bought.title),
                    Cell::text(&rule.then.title),
                    Cell::Integer(i64::from(rule.orders)),
                    Cell::Percent(rule.support),
                    Cell::Percent(rule.confidence),
                    Cell::Decimal(rule.lift),
                ]
            })
            .collect(),
    )
}

fn forecasts(words: &Words, report: &ForecastReport) -> Table {
    let mut table = table(
        words.sheet_forecast,
        words.table_forecast,
        vec![
            Column::new(words.sku, CellKind::Text),
            Column::new(words.product, CellKind::Text),
            Column::new(words.method, CellKind::Text),
            Column::new(words.per_week, CellKind::Decimal),
            Column::new(words.low, CellKind::Decimal),
            Column::new(words.high, CellKind::Decimal),
            Column::new(
                &words
                    .next_weeks
                    .replace("{n}", &report.horizon_weeks.to_string()),
                CellKind::Decimal,
            ),
            Column::new(words.backtest_error, CellKind::Decimal),
            Column::new(words.order_now, CellKind::Integer),
        ],
        report
            .products
            .iter()
            .take(LISTED)
            .map(|product| {
                vec![
                    Cell::text(&product.sku),
                    Cell::text(&product.name),
                    Cell::text(words.forecast_method(product.method)),
                    Cell::Decimal(product.weekly),
                    Cell::Decimal(product.low),
                    Cell::Decimal(product.high),
                    Cell::Decimal(product.horizon_units),
                    product.backtest_mae.map_or(Cell::Empty, Cell::Decimal),
                    product
                        .stock
                        .as_ref()
                        .and_then(|stock| stock.order)
                        .map_or(Cell::Empty, Cell::Integer),
                ]
            })
            .collect(),
    );
    let backtest = &report.backtest;
    table.note = Some(
        words
            .note_forecast
            .replace("{weeks}", &backtest.weeks.to_string())
            .replace("{mae}", &format!("{:.2}", backtest.mae))
            .replace("{mean}", &format!("{:.2}", backtest.mean_mae)),
    );
    table
}

fn review_table(words: &Words, summary: &ReviewsSummary) -> Table {
    let mut table = table(
        words.sheet_reviews,
        words.table_reviews,
        vec![
            Column::new(words.product, CellKind::Text),
            Column::new(words.reviews, CellKind::Integer),
            Column::new(words.average_stars, CellKind::Decimal),
            Column::new(words.top_complaint, CellKind::Text),
            Column::new(words.reviews_saying_it, CellKind::Integer),
        ],
        summary
            .products
            .iter()
            .take(LISTED)
            .map(|product| {
                let complaint = product.complaints.first();
                vec![
                    Cell::text(&product.title),
                    Cell::Integer(product.reviews as i64),
                    product
                        .average_rating
                        .map_or(Cell::Empty, |stars| Cell::Decimal(f64::from(stars))),
                    complaint.map_or(Cell::Empty, |phrase| {
                        Cell::Text(match &phrase.phrase.translated {
                            Some(translated) => {
                                format!("{translated} («{}»)", phrase.phrase.text)
                            }
                            None => phrase.phrase.text.clone(),
                        })
                    }),
                    complaint.map_or(Cell::Empty, |phrase| Cell::Integer(phrase.reviews as i64)),
                ]
            })
            .collect(),
    );
    if summary.phrase_model.is_none() {
        table.note = Some(words.note_reviews_need_model.to_string());
    }
    table
}
