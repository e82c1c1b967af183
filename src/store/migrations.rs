//! The schema's history. Append-only: a shipped step is never edited, because
//! databases in the field already ran it. The hash test below refuses an edit.

use rusqlite_migration::{M, Migrations};

const STEPS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_model_files.sql"),
    include_str!("migrations/0003_translation_memory.sql"),
    include_str!("migrations/0004_listing_translations.sql"),
    include_str!("migrations/0005_glossary.sql"),
    include_str!("migrations/0006_translation_origin.sql"),
    include_str!("migrations/0007_listing_fields.sql"),
    include_str!("migrations/0008_job_outcomes.sql"),
    include_str!("migrations/0009_photo_tags.sql"),
    include_str!("migrations/0010_channels_and_money.sql"),
    include_str!("migrations/0011_analytics_indexes_dropped.sql"),
    include_str!("migrations/0012_customer_links.sql"),
    include_str!("migrations/0013_order_lines_by_key.sql"),
    include_str!("migrations/0014_stock_levels.sql"),
    include_str!("migrations/0015_reviews.sql"),
    include_str!("migrations/0016_buyer_messages.sql"),
    include_str!("migrations/0017_order_and_rate_sources.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build brings a database to.
pub fn latest_version() -> usize {
    STEPS.len()
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// sha256 of every shipped step. Add a line when you append a step; never change one.
    const SHIPPED: &[&str] = &[
        "f1f24c5c7b4d6686baac8cd179612e18c4d47463be8cbdd9e7b07ba9a826903d",
        "ea3a6d1c4f1ccf0617dcdcce9bf2f9f8cb38261948d4f351c8a0de3efac212d6",
        "616868cf28461957d54b8a0373bf3e172d2d1acd6691400540107fe5158213de",
        "7050c43357a71f21de7dfe6cad53a6dc2f89d5868ceef058f847b372a8e25cae",
        "87c1866c09b50ab604eb0f15186fbb5aa06c62db4197261d868ae738f13b2525",
        "e13d61dafd9e4361a0f44e26056bbab4afb74c8bc0e9425b0d99aaac836845e3",
        "dbd7246aa9aaf9431bf3a4bedb09fbf18f0a51ff875fb338a72baced5bae37f5",
        "394d2c60759efb154b8d444acea7d463d4a1f48cadbc1b5bc86a9c7c19744378",
        "bcabed6de669e3fe26636a9ff54e93de1e3640ff3bdc4255c153ccd093790a36",
        "152337c35b90290095f1740b59e6f6f68b7621e23e18e87affa3303e242c572e",
        "bc46e2b4a0623c199759c64d6bd56e4c11030c9ae0149f9e4825e14817d5ad09",
        "d03fd322efbaaeccf8e54f16501cffdabb94705ba4e80b9180988881e592c0aa",
        "0fa6c54717560d1d13fac59310ed6775fb832fa5d57982831342b1563ee25ba3",
        "68373035bc7e10b2ff77f72fc894a96bc4e529999849a1cae68742daa74ef14a",
        "c865122dd831a56da6ce4302b6720994e46c1657c770a5a565e987571694dfe6",
        "417509a30fc523774b2dfd59457654b6aaee635fc8736e8ea865db224308bb97",
        "c1599fc97dfab7bae8d4a88fdc61a97a7c4b8c6262d170d17bba9f50d1eebc71",
    ];

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn shipped_migrations_are_unchanged() {
        for (index, expected) in SHIPPED.iter().enumerate() {
            let actual = hex(&Sha256::digest(STEPS[index].as_bytes()));
            assert_eq!(
                &actual,
                expected,
                "migration {} was edited after it shipped; append a new migration instead",
                index + 1
            );
        }
        assert_eq!(
            STEPS.len(),
            SHIPPED.len(),
            "pin the hash of the new migration in SHIPPED"
        );
    }

    #[test]
    fn migrates_an_empty_database_to_the_latest_version() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let version: usize = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('jobs', 'listings', 'orders', 'order_lines', 'photos', 'settings')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 6);
    }

    #[test]
    fn order_lines_keep_their_rows_and_orders_when_keyed_by_line() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrations().to_version(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO orders (id, source, name, email, financial_status, created_at, currency,
                 subtotal_minor, shipping_minor, taxes_minor, total_minor, discount_code,
                 discount_minor, refunded_minor, shipping_country, channel, customer_key)
             VALUES (7, 'a.csv', '#1', '', 'paid', '2025-01-01T00:00:00Z', 'EUR', 0, 0, 0, 3000,
                 '', 0, 0, 'DE', 'shopify', 'order:shopify:#1');
             INSERT INTO order_lines (order_id, line_no, line_key, quantity, name, sku, price_minor, total_minor)
             VALUES (7, 1, '1', 1, 'Tote', 'TOTE-1', 2000, 2000), (7, 2, '2', 1, 'Mug', 'MUG-1', 1000, 1000);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let lines: Vec<(i64, String, String)> = conn
            .prepare("SELECT line_no, line_key, name FROM order_lines WHERE order_id = 7 ORDER BY line_no")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            lines,
            [
                (1, "1".into(), "Tote".into()),
                (2, "2".into(), "Mug".into())
            ]
        );
        // A line is still upserted by its key, and goes with its order.
        conn.execute(
            "INSERT INTO order_lines (order_id, line_no, line_key, quantity, name, sku, price_minor, total_minor)
             VALUES (7, 1, '1', 2, 'Tote', 'TOTE-1', 2000, 4000)
             ON CONFLICT (order_id, line_key) DO UPDATE SET quantity = excluded.quantity",
            [],
        )
        .unwrap();
        let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap();
        assert_eq!(
            count("SELECT quantity FROM order_lines WHERE line_key = '1'"),
            2
        );
        conn.execute("DELETE FROM orders WHERE id = 7", []).unwrap();
        assert_eq!(count("SELECT count(*) FROM order_lines"), 0);
    }

    #[test]
    fn orders_and_rates_keep_where_they_came_from_as_numbered_sources() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrations().to_version(&mut conn, 16).unwrap();
        conn.execute_batch(
            "INSERT INTO orders (id, source, name, email, financial_status, created_at, currency,
                 subtotal_minor, shipping_minor, taxes_minor, total_minor, discount_code,
                 discount_minor, refunded_minor, shipping_country, channel, customer_key, net_reporting)
             VALUES (3, 'b.csv', '#1', '', 'paid', '2025-01-01T00:00:00Z', 'EUR', 0, 0, 0, 3000,
                     '', 0, 0, 'DE', 'shopify', 'order:shopify:#1', 30.0),
                    (5, 'a.csv', '#1', '', 'paid', '2025-01-02T00:00:00Z', 'EUR', 0, 0, 0, 1000,
                     '', 0, 0, 'FR', 'etsy', 'order:etsy:#1', NULL),
                    (9, 'b.csv', '#2', 'x@example.com', 'paid', '2025-01-03T00:00:00Z', 'USD', 0, 0,
                     0, 500, '', 0, 0, 'US', 'shopify', 'email:x@example.com', 5.0);
             INSERT INTO order_lines (order_id, line_no, line_key, quantity, name, sku, price_minor, total_minor)
             VALUES (3, 1, '1', 1, 'Tote', 'TOTE-1', 3000, 3000), (9, 1, '1', 1, 'Mug', 'MUG-1', 500, 500);
             INSERT INTO fx_rates (currency, day, per_euro, source)
             VALUES ('USD', '2025-01-02', 1.03, 'ECB'), ('USD', '2025-01-03', 1.04, 'set by hand');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(
            rows(
                "SELECT o.id || ' ' || s.path || ' ' || o.channel || ' ' || o.name || ' ' ||
                        coalesce(o.net_reporting, 'null')
                 FROM orders o JOIN order_sources s ON s.id = o.source_id ORDER BY o.id"
            ),
            [
                "3 b.csv shopify #1 30.0",
                "5 a.csv etsy #1 null",
                "9 b.csv shopify #2 5.0"
            ]
        );
        assert_eq!(
            rows("SELECT path FROM order_sources ORDER BY id"),
            ["b.csv", "a.csv"]
        );
        assert_eq!(
            rows("SELECT order_id || ' ' || name FROM order_lines ORDER BY order_id"),
            ["3 Tote", "9 Mug"]
        );
        assert_eq!(
            rows(
                "SELECT day || ' ' || per_euro || ' ' || s.name FROM fx_rates
                 JOIN rate_sources s ON s.id = source_id ORDER BY day"
            ),
            ["2025-01-02 1.03 ECB", "2025-01-03 1.04 set by hand"]
        );
        // The lines follow the new table: they go with their order.
        conn.execute("DELETE FROM orders WHERE id = 3", []).unwrap();
        assert_eq!(rows("SELECT name FROM order_lines"), ["Mug"]);
        let foreign_key_problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(foreign_key_problems, 0);
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}
