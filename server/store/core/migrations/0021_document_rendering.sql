-- Documents are issued in the transaction of what produces them and
-- rendered after it (jobs/document_worker.h, or GetDocument on demand): a
-- provider's report batch must not wait for PDF rendering.
--
-- A pending document has no content and no SHA-256 yet, only render_input:
-- the snapshot of what it will print, taken at issue, so it shows what was
-- delivered then whenever it is rendered. A rendering failure leaves it
-- pending with render_attempts, render_error (the renderer's message, never
-- content) and render_after (the backoff) updated: it is never given up.
-- Documents rendered before this migration stay rendered (no snapshot).
ALTER TABLE documents
  ALTER COLUMN content DROP NOT NULL,
  ALTER COLUMN sha256 DROP NOT NULL,
  ADD COLUMN render_input jsonb,
  ADD COLUMN rendered_at timestamptz,
  ADD COLUMN render_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN render_after timestamptz,
  ADD COLUMN render_error text;
UPDATE documents SET rendered_at = created_at;
ALTER TABLE documents ADD CONSTRAINT documents_pending_or_rendered CHECK (
  (content IS NULL AND sha256 IS NULL AND rendered_at IS NULL
   AND render_input IS NOT NULL AND render_after IS NOT NULL)
  OR (content IS NOT NULL AND sha256 IS NOT NULL AND rendered_at IS NOT NULL));

-- The worker's claim: pending documents by when they are due.
CREATE INDEX documents_pending_idx ON documents (render_after) WHERE content IS NULL;
