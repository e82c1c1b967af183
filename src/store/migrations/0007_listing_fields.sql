-- Shipped in 0.3.0. Never edit this file: append a new migration instead.

-- Translatable text of a listing beyond its own columns: option names and values,
-- text metafields, and the columns a seller marks for translation in a file of their
-- own layout. `name` is the field's name in listing_translations.
CREATE TABLE listing_fields (
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,  -- option_name:<n>, option_value:<n>:<value>, metafield:<namespace.key>, column:<header>
    text       TEXT NOT NULL,
    html       INTEGER NOT NULL CHECK (html IN (0, 1)),
    position   INTEGER NOT NULL,
    PRIMARY KEY (listing_id, name)
) STRICT;

-- How a file of the seller's own layout was read (the column mapping they confirmed,
-- as JSON), so that its translated copies put each translation back in its column.
CREATE TABLE listing_sources (
    source  TEXT PRIMARY KEY,
    mapping TEXT NOT NULL
) STRICT;
