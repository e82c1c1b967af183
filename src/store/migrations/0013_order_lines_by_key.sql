-- An order's lines are only ever found by their order (and upserted by the line's key):
-- keyed by (order_id, line_key) in one B-tree, without a rowid and a second unique index
-- on (order_id, line_no), an import writes one B-tree per line instead of three.
CREATE TABLE order_lines_keyed (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_key    TEXT NOT NULL,
    line_no     INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    sku         TEXT NOT NULL,
    price_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_key)
) STRICT, WITHOUT ROWID;

INSERT INTO order_lines_keyed (order_id, line_key, line_no, quantity, name, sku, price_minor, total_minor)
    SELECT order_id, line_key, line_no, quantity, name, sku, price_minor, total_minor FROM order_lines;

DROP TABLE order_lines;
ALTER TABLE order_lines_keyed RENAME TO order_lines;
