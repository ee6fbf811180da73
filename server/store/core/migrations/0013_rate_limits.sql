-- Rate-limit counters shared by every server of the database: one row per
-- bucket and fixed window. A bucket is a keyed digest (BLAKE2b under the
-- server's NU_KEY_RATE_LIMIT subkey) of what is counted — a method and a
-- client address, or a login — so neither addresses nor logins are stored
-- in clear. Rows of windows that ended are deleted a few at a time by the
-- calls that open new windows.
CREATE TABLE rate_limit_hits (
  bucket bytea NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  hits bigint NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_hits_end_idx ON rate_limit_hits (window_end);
