//! `tradewind import orders FILE`: a channel's export as it is, or a file of the seller's
//! own layout read through `--map`, shown before it is imported.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tradewind::analytics::order_mapping::{DateOrder, OrderMapping, OrderRole};
use tradewind::analytics::{Channel, OrdersPreview};

use tradewind::files::require_file;
use tradewind::{Engine, EngineConfig, Error, JobSpec};

use super::commands::parse_mapping;
use super::print::{json, table_head};

#[derive(Debug, Args)]
pub struct OrdersArgs {
    file: PathBuf,
    /// Refuse the file unless it is this channel's; with --map, the channel the orders
    /// were sold on (other when absent).
    #[arg(long, value_parser = ["shopify", "etsy", "amazon", "ebay", "woocommerce", "other"])]
    channel: Option<String>,
    /// Which column is which, for a CSV, XLSX or JSON file of your own layout:
    /// "Order No=order_id,Date=date,Total=total". Roles: order_id, date, currency, total,
    /// subtotal, shipping, taxes, discount, refunded, email, buyer_id, buyer_name,
    /// postal_code, country, status, product, sku, quantity, unit_price, line_total.
    #[arg(long, value_delimiter = ',', value_name = "COLUMN=ROLE")]
    map: Vec<String>,
    /// With --map: the currency of every amount, for a file with no currency column.
    #[arg(long, requires = "map")]
    currency: Option<String>,
    /// With --map: how the file writes 05/03/2024 (day-first when absent).
    #[arg(long, value_enum, requires = "map")]
    dates: Option<Dates>,
    /// Only say what the file is (and for a file of your own layout, the mapping proposed).
    #[arg(long)]
    preview: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Dates {
    DayFirst,
    MonthFirst,
}

/// The import job `args` ask for, after saying what the file is; None when only the
/// preview was asked for.
pub fn spec(
    config: EngineConfig,
    args: OrdersArgs,
    as_json: bool,
) -> Result<Option<JobSpec>, Error> {
    require_file(&args.file)?;
    let engine = Engine::open(config)?;
    let channel = args.channel.as_deref().and_then(Channel::from_key);
    if args.map.is_empty() {
        let found = engine.preview_orders_file(&args.file)?;
        if args.preview {
            show(&found, as_json);
            return Ok(None);
        }
        if !as_json {
            println!(
                "{}: {} ({} rows)",
                args.file.display(),
                found.name,
                found.rows
            );
        }
        return Ok(Some(JobSpec::ImportOrders {
            path: args.file,
            channel,
            mapping: None,
        }));
    }
    let mapping = OrderMapping {
        columns: parse_mapping(&args.map, &OrderRole::ALL, OrderRole::name)?,
        channel: channel.unwrap_or(Channel::Other),
        dates: match args.dates {
            Some(Dates::MonthFirst) => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        },
        currency: args.currency.map(|code| code.trim().to_ascii_uppercase()),
    };
    if args.preview {
        show(&engine.preview_orders_file(&args.file)?, as_json);
        return Ok(None);
    }
    Ok(Some(JobSpec::ImportOrders {
        path: args.file,
        channel: None,
        mapping: Some(mapping),
    }))
}

fn show(found: &OrdersPreview, as_json: bool) {
    if as_json {
        return json(found);
    }
    let Some(table) = &found.table else {
        return println!("{} rows: {}", found.rows, found.name);
    };
    println!("Not an export Tradewind knows: say which column is which with --map.");
    table_head(&table.path, table.rows, &table.columns, &table.sample);
    let proposed = &table.proposed;
    let mapped: Vec<String> = proposed
        .columns
        .iter()
        .filter(|(_, role)| **role != OrderRole::Ignore)
        .map(|(column, role)| format!("{column}={}", role.name()))
        .collect();
    let dates = match proposed.dates {
        DateOrder::DayFirst => "day-first",
        DateOrder::MonthFirst => "month-first",
    };
    println!(
        "Proposed: --map \"{}\" --dates {dates} (add --currency CODE when no column names it)",
        mapped.join(",")
    );
}
