-- What the seller decided about a buyer the exports know only by a channel's name for
-- them (an Etsy username) and whose name and postal code match another customer's:
-- the same person (linked_to names them) or not (linked_to is NULL). Asked once.
CREATE TABLE customer_links (
    customer_key TEXT PRIMARY KEY,
    linked_to    TEXT,
    -- Why they were put to the seller, as the seller saw it ("Mika Kowalski, 97205").
    reason       TEXT NOT NULL,
    decided_at   TEXT NOT NULL
) STRICT;
