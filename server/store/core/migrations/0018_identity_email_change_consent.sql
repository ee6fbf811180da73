-- E-mail changes (RequestEmailChange): a link of purpose change_email
-- carries the address it confirms; the user's e-mail switches only when
-- the link is used.
ALTER TABLE user_links DROP CONSTRAINT user_links_purpose_check;
ALTER TABLE user_links ADD CONSTRAINT user_links_purpose_check
  CHECK (purpose IN ('set_password', 'reset_password', 'confirm_email', 'change_email'));
ALTER TABLE user_links ADD COLUMN new_email text;
ALTER TABLE user_links ADD CONSTRAINT user_links_new_email
  CHECK ((purpose = 'change_email') = (new_email IS NOT NULL));

-- Consent to commercial communications, given at sign-up (optional) and
-- changed by the user (UpdateCurrentUser).
ALTER TABLE users ADD COLUMN commercial_consent boolean NOT NULL DEFAULT false;
