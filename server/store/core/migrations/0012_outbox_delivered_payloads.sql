-- 0012_outbox_delivered_payloads.sql — delivered e-mails keep no payload.
--
-- An outbox payload holds the e-mail's links (password reset, invitation,
-- e-mail confirmation), whose tokens are live until they expire or are
-- used. Once delivered, a message needs none of it: the worker now empties
-- the payload in the transaction that marks the message delivered
-- (store/outbox_delivery_store.c). This empties the payloads of messages
-- delivered before that; recipient, template, times and attempts stay.
UPDATE outbox SET payload = '{}'::jsonb WHERE delivered_at IS NOT NULL AND payload <> '{}'::jsonb;
