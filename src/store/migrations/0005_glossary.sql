-- Shipped in 0.2.0. Never edit this file: append a new migration instead.

-- The seller's terms and how each must read in each language. Every change bumps
-- the `glossary_version` setting, so the translation memory keeps no stale segment.
CREATE TABLE glossary (
    source_term TEXT NOT NULL,
    locale      TEXT NOT NULL,
    target_term TEXT NOT NULL,
    PRIMARY KEY (source_term, locale)
) STRICT;
