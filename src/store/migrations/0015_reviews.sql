-- Product reviews from the review apps' exports (Judge.me, Shopify Product Reviews),
-- Etsy's reviews download, or any file through a mapping. A review is known by the app
-- it came from and its key there (the app's id, else a digest of its product, date,
-- reviewer and text), so importing an overlapping export again updates it.
CREATE TABLE reviews (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL,
    review_key        TEXT NOT NULL,
    product           TEXT NOT NULL,
    order_name        TEXT NOT NULL,
    rating            INTEGER CHECK (rating BETWEEN 1 AND 5),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    reviewed_on       TEXT,
    reviewer          TEXT NOT NULL,
    language          TEXT,
    language_detected INTEGER NOT NULL,
    -- What the star model read in the text (1 to 5), and which model read it.
    text_stars        REAL,
    sentiment_model   TEXT,
    UNIQUE (source, review_key)
) STRICT;

CREATE INDEX reviews_by_product ON reviews (product);
