-- Stock the seller has of a SKU and how many weeks a reorder takes to arrive, as they
-- entered them, for the demand forecast's reorder hint.
CREATE TABLE stock_levels (
    sku             TEXT PRIMARY KEY,
    units           INTEGER NOT NULL CHECK (units >= 0),
    lead_time_weeks REAL NOT NULL CHECK (lead_time_weeks >= 0),
    updated_at      TEXT NOT NULL
) STRICT;
