-- Shipped in 0.1.0. Never edit this file: append a new migration instead.

-- Checksums Tradewind computed for model files: for files the catalog gives no checksum
-- (recorded on first use, then enforced), and for files already verified, so that an
-- unchanged file (same size and modification time) is not hashed again at every load.
CREATE TABLE model_files (
    model_id    TEXT NOT NULL,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    modified_ns INTEGER NOT NULL,
    verified_at TEXT NOT NULL,
    PRIMARY KEY (model_id, file)
) STRICT;
