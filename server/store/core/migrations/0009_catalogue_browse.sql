-- 0009_catalogue_browse.sql — browsing by name sorts accents as French
-- readers expect: "Écoles" among the E, not after "Zoo" (the database's
-- collation is C). The sort key is lower(nu_unaccent(name)); this index
-- serves the public pages sorted by it, as products_published_name_idx
-- (lower(name)) of 0006 did.
CREATE INDEX products_published_folded_name_idx ON products (lower(nu_unaccent(name)), id)
  WHERE status = 'published';
