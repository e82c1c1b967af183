-- Shipped in 0.2.0. Never edit this file: append a new migration instead.

-- A listing field in another language. `source` is the text it was translated from,
-- so a re-imported catalogue retranslates only fields whose source changed; a field
-- the seller edited or approved is never overwritten by the machine.
CREATE TABLE listing_translations (
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    field      TEXT NOT NULL,  -- title, body_html, seo_title, seo_description, tags, image_alt:<position>
    locale     TEXT NOT NULL,
    source     TEXT NOT NULL,
    translated TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('machine', 'edited', 'approved')),
    flags      TEXT NOT NULL,  -- JSON: what a reviewer should look at
    engine     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (listing_id, field, locale)
) STRICT;
