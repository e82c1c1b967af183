-- Shipped in 0.2.0. Never edit this file: append a new migration instead.

-- Every segment translated once, so that the same text is never sent to a model
-- twice. A translation belongs to the model (and its revision) that made it and to
-- the glossary version in force: changing either retranslates.
CREATE TABLE translation_memory (
    source           TEXT NOT NULL,  -- normalised: trimmed, runs of whitespace as one space
    source_lang      TEXT NOT NULL,
    target_lang      TEXT NOT NULL,
    engine           TEXT NOT NULL,  -- model id(s) and revision(s), e.g. "opus-mt-en-de@refs/pr/4"
    glossary_version INTEGER NOT NULL,
    target           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (source, source_lang, target_lang, engine, glossary_version)
) STRICT;
