-- Shipped in 0.4.0. Never edit this file: append a new migration instead.

-- What tagging, checking and exporting photos keeps. A photo is re-imported in place
-- (by source and file name), so its tags and captions survive an unchanged file.
ALTER TABLE photos ADD COLUMN format TEXT NOT NULL DEFAULT '';
-- Measurements the checks and colours are made from (JSON, see photos::measure).
ALTER TABLE photos ADD COLUMN measures TEXT NOT NULL DEFAULT '{}';
-- A 64-bit perceptual hash (difference hash) for near-duplicates without a model.
ALTER TABLE photos ADD COLUMN phash INTEGER NOT NULL DEFAULT 0;

-- A photo's tags: proposed by the tagger (with its score), or the seller's own word on
-- one (accepted, removed, added), which the tagger learns from.
CREATE TABLE photo_tags (
    photo_id   INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    grp        TEXT NOT NULL,
    label      TEXT NOT NULL,
    score      REAL,
    state      TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'removed', 'added')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (photo_id, grp, label)
) STRICT;

-- Image embeddings, per model (id@revision) and photo content.
CREATE TABLE photo_embeddings (
    photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    vector   BLOB NOT NULL,
    PRIMARY KEY (photo_id, model)
) STRICT;

-- Text embeddings of label prompts, per model: computed once.
CREATE TABLE label_embeddings (
    model  TEXT NOT NULL,
    prompt TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, prompt)
) STRICT;

-- Alt text per language: the caption model's (in English), its translations, or the
-- seller's edit.
CREATE TABLE photo_captions (
    photo_id   INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    locale     TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('machine', 'edited')),
    made_from  TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (photo_id, locale)
) STRICT;

-- The seller's own labels, offered to the tagger beside the shipped vocabularies.
CREATE TABLE custom_labels (
    grp   TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (grp, label)
) STRICT;
