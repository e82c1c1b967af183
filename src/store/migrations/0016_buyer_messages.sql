-- Buyers' messages imported from a file, to be answered one by one. A message is known
-- by a digest of its buyer, order number, date and text, so importing an overlapping
-- export again adds only the new ones.
CREATE TABLE buyer_messages (
    id          INTEGER PRIMARY KEY,
    message_key TEXT NOT NULL UNIQUE,
    buyer       TEXT NOT NULL,
    order_name  TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     TEXT,
    source      TEXT NOT NULL
) STRICT;
