-- Shipped in 0.4.0. Never edit this file: append a new migration instead.

-- What a job did, as data the interface renders in the seller's language (the
-- `message` column keeps the English sentence for the command line and old rows), and
-- for a failed job the stable kind of its error.
ALTER TABLE jobs ADD COLUMN outcome TEXT;
ALTER TABLE jobs ADD COLUMN error_kind TEXT;
