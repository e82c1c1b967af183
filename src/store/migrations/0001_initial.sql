-- Shipped in 0.1.0. Never edit this file: append a new migration instead
-- (store::migrations::tests::shipped_migrations_are_unchanged pins its hash).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    stage       TEXT NOT NULL DEFAULT '',
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER,
    unit        TEXT NOT NULL DEFAULT 'items',
    checkpoint  TEXT NOT NULL DEFAULT '{}',
    message     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    finished_at TEXT
) STRICT;

CREATE TABLE listings (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    handle          TEXT NOT NULL,
    title           TEXT NOT NULL,
    vendor          TEXT NOT NULL,
    product_type    TEXT NOT NULL,
    tags            TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    seo_title       TEXT NOT NULL,
    seo_description TEXT NOT NULL,
    status          TEXT NOT NULL,
    UNIQUE (source, handle)
) STRICT;

CREATE TABLE listing_variants (
    id          INTEGER PRIMARY KEY,
    listing_id  INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    options     TEXT NOT NULL,
    price_cents INTEGER,
    UNIQUE (listing_id, position)
) STRICT;

CREATE TABLE listing_images (
    id         INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    src        TEXT NOT NULL,
    alt_text   TEXT NOT NULL,
    UNIQUE (listing_id, position)
) STRICT;

-- Amounts are integers in hundredths of the order's currency unit, so sums are exact.
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    financial_status TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    currency         TEXT NOT NULL,
    subtotal_cents   INTEGER NOT NULL,
    shipping_cents   INTEGER NOT NULL,
    taxes_cents      INTEGER NOT NULL,
    total_cents      INTEGER NOT NULL,
    discount_code    TEXT NOT NULL,
    discount_cents   INTEGER NOT NULL,
    refunded_cents   INTEGER NOT NULL,
    shipping_country TEXT NOT NULL,
    cancelled_at     TEXT,
    UNIQUE (source, name)
) STRICT;

CREATE INDEX orders_by_email ON orders (email);

CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no     INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    sku         TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    UNIQUE (order_id, line_no)
) STRICT;

CREATE TABLE photos (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    file_name TEXT NOT NULL,
    path      TEXT NOT NULL,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    thumbnail BLOB NOT NULL,
    UNIQUE (source, file_name)
) STRICT;
