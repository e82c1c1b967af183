-- Orders from every channel, amounts in each currency's own minor unit, customers
-- across channels, and the euro reference rates that convert to a reporting currency.

ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'shopify';
-- Who bought: 'email:<normalised e-mail>' where the channel says it, else the channel's
-- buyer ('etsy:<user id>'), else the order alone ('order:<channel>:<id>').
ALTER TABLE orders ADD COLUMN customer_key TEXT NOT NULL DEFAULT '';
-- The channel's own name for the buyer where it gives no e-mail (an Etsy username).
ALTER TABLE orders ADD COLUMN buyer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN buyer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
-- The line items' prices times quantities, before discounts.
ALTER TABLE orders ADD COLUMN items_minor INTEGER NOT NULL DEFAULT 0;
-- Net sales (items - discount - refunded) and the parts, in the reporting currency at the
-- rate of the order's day; NULL where no rate is known. Kept current by analytics::fx.
ALTER TABLE orders ADD COLUMN net_reporting REAL;
ALTER TABLE orders ADD COLUMN gross_reporting REAL;
ALTER TABLE orders ADD COLUMN refunded_reporting REAL;

-- Until now every amount was in hundredths: currencies without a minor unit had 100
-- times their value, those with thousandths a tenth of their precision.
UPDATE order_lines SET price_cents = price_cents / 100
WHERE order_id IN (SELECT id FROM orders WHERE currency IN
    ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'));
UPDATE order_lines SET price_cents = price_cents * 10
WHERE order_id IN (SELECT id FROM orders WHERE currency IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'));
UPDATE orders SET subtotal_cents = subtotal_cents / 100, shipping_cents = shipping_cents / 100,
    taxes_cents = taxes_cents / 100, total_cents = total_cents / 100,
    discount_cents = discount_cents / 100, refunded_cents = refunded_cents / 100
WHERE currency IN
    ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF');
UPDATE orders SET subtotal_cents = subtotal_cents * 10, shipping_cents = shipping_cents * 10,
    taxes_cents = taxes_cents * 10, total_cents = total_cents * 10,
    discount_cents = discount_cents * 10, refunded_cents = refunded_cents * 10
WHERE currency IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND');

ALTER TABLE orders RENAME COLUMN subtotal_cents TO subtotal_minor;
ALTER TABLE orders RENAME COLUMN shipping_cents TO shipping_minor;
ALTER TABLE orders RENAME COLUMN taxes_cents TO taxes_minor;
ALTER TABLE orders RENAME COLUMN total_cents TO total_minor;
ALTER TABLE orders RENAME COLUMN discount_cents TO discount_minor;
ALTER TABLE orders RENAME COLUMN refunded_cents TO refunded_minor;
ALTER TABLE order_lines RENAME COLUMN price_cents TO price_minor;

UPDATE orders SET
    customer_key = CASE WHEN email <> '' THEN 'email:' || lower(trim(email)) ELSE 'order:shopify:' || name END,
    items_minor = coalesce((SELECT sum(quantity * price_minor) FROM order_lines WHERE order_id = orders.id), 0);
UPDATE orders SET email = lower(trim(email));

-- A line is known by the channel's own id for it (Shopify: its position), so an
-- overlapping export updates it instead of adding it twice.
ALTER TABLE order_lines ADD COLUMN line_key TEXT NOT NULL DEFAULT '';
-- What the line came to as the channel says it (Amazon gives only this, not a unit price).
ALTER TABLE order_lines ADD COLUMN total_minor INTEGER NOT NULL DEFAULT 0;
UPDATE order_lines SET line_key = CAST(line_no AS TEXT), total_minor = quantity * price_minor;
CREATE UNIQUE INDEX order_lines_by_key ON order_lines (order_id, line_key);

-- An order is the channel's: the same order in two exports is one order (the import
-- looks it up here; not UNIQUE, because a database may hold two shops' "#1001").
CREATE INDEX orders_by_channel ON orders (channel, name);
CREATE INDEX orders_by_day ON orders (created_at);
CREATE INDEX orders_by_customer ON orders (customer_key, created_at);

-- Units of each currency one euro buys on a day (the ECB's reference rates, or the
-- seller's own); the rate of an order's day is the last one on or before it.
CREATE TABLE fx_rates (
    currency TEXT NOT NULL,
    day      TEXT NOT NULL,
    per_euro REAL NOT NULL,
    source   TEXT NOT NULL,
    PRIMARY KEY (currency, day)
) STRICT, WITHOUT ROWID;
