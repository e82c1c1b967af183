-- Shipped in 0.2.0. Never edit this file: append a new migration instead.

-- What a translation was asked with, so that translating one field again uses the
-- same source language and family of models as the job that made it.
ALTER TABLE listing_translations ADD COLUMN source_lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE listing_translations ADD COLUMN prefer TEXT NOT NULL DEFAULT 'marian';
