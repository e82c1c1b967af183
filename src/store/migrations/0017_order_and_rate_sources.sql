-- Where orders and rates came from, kept once and known by number. Every order held its
-- file's whole path (and a unique index on path and order name), and every bundled rate
-- the 60-character name of the ECB's table: a million-line import wrote the path 600,000
-- times into the table and as often into the index, and the first import 290,000 rate
-- names. Imports find an order by its channel and name in memory, so nothing needs the
-- unique index; the orders of a file are found by its number.

CREATE TABLE order_sources (
    id   INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO order_sources (path) SELECT source FROM orders GROUP BY source ORDER BY min(id);

-- SQLite cannot drop a column of a UNIQUE constraint, so the table is made again. With
-- foreign keys on, renaming the table points order_lines at the old one; they are made
-- again too, pointing at the new table, before the old one goes (dropping a parent
-- table would otherwise delete its children).
-- The references of orders and lines are checked when a transaction commits rather than
-- after each statement: an import writes many rows to a statement (`store::many_rows`),
-- and SQLite would otherwise keep a journal for each such statement to undo it halfway,
-- which an import, kept or undone whole, never needs. Deleting an order still deletes
-- its lines at once.
ALTER TABLE orders RENAME TO orders_before_sources;

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES order_sources (id) DEFERRABLE INITIALLY DEFERRED,
    channel            TEXT NOT NULL,
    name               TEXT NOT NULL,
    email              TEXT NOT NULL,
    buyer_id           TEXT NOT NULL,
    buyer_name         TEXT NOT NULL,
    postal_code        TEXT NOT NULL,
    financial_status   TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    currency           TEXT NOT NULL,
    subtotal_minor     INTEGER NOT NULL,
    shipping_minor     INTEGER NOT NULL,
    taxes_minor        INTEGER NOT NULL,
    total_minor        INTEGER NOT NULL,
    discount_code      TEXT NOT NULL,
    discount_minor     INTEGER NOT NULL,
    refunded_minor     INTEGER NOT NULL,
    items_minor        INTEGER NOT NULL,
    shipping_country   TEXT NOT NULL,
    cancelled_at       TEXT,
    customer_key       TEXT NOT NULL,
    gross_reporting    REAL,
    refunded_reporting REAL,
    net_reporting      REAL
) STRICT;

INSERT INTO orders (id, source_id, channel, name, email, buyer_id, buyer_name, postal_code,
        financial_status, created_at, currency, subtotal_minor, shipping_minor, taxes_minor,
        total_minor, discount_code, discount_minor, refunded_minor, items_minor, shipping_country,
        cancelled_at, customer_key, gross_reporting, refunded_reporting, net_reporting)
    SELECT o.id, s.id, o.channel, o.name, o.email, o.buyer_id, o.buyer_name, o.postal_code,
        o.financial_status, o.created_at, o.currency, o.subtotal_minor, o.shipping_minor,
        o.taxes_minor, o.total_minor, o.discount_code, o.discount_minor, o.refunded_minor,
        o.items_minor, o.shipping_country, o.cancelled_at, o.customer_key, o.gross_reporting,
        o.refunded_reporting, o.net_reporting
    FROM orders_before_sources AS o JOIN order_sources AS s ON s.path = o.source;

-- An import clears its file's earlier orders, and a resumed one finds those it wrote.
CREATE INDEX orders_by_source ON orders (source_id);

CREATE TABLE order_lines_new (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    line_key    TEXT NOT NULL,
    line_no     INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    sku         TEXT NOT NULL,
    price_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_key)
) STRICT, WITHOUT ROWID;
INSERT INTO order_lines_new SELECT order_id, line_key, line_no, quantity, name, sku, price_minor,
    total_minor FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_new RENAME TO order_lines;
DROP TABLE orders_before_sources;

CREATE TABLE rate_sources (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO rate_sources (name) SELECT source FROM fx_rates GROUP BY source;

CREATE TABLE fx_rates_new (
    currency  TEXT NOT NULL,
    day       TEXT NOT NULL,
    per_euro  REAL NOT NULL,
    source_id INTEGER NOT NULL REFERENCES rate_sources (id),
    PRIMARY KEY (currency, day)
) STRICT, WITHOUT ROWID;
INSERT INTO fx_rates_new (currency, day, per_euro, source_id)
    SELECT r.currency, r.day, r.per_euro, s.id FROM fx_rates AS r JOIN rate_sources AS s ON s.name = r.source;
DROP TABLE fx_rates;
ALTER TABLE fx_rates_new RENAME TO fx_rates;
