-- Accounts, sessions and the audit log (issue 4's foundation).

CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer', 'wall', 'device')),
  -- scrypt, self-describing: $scrypt$N$r$p$salt$hash (lib/auth/password.ts)
  password_hash text NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);

-- A session is a random token the browser holds in a cookie; only its
-- SHA-256 is stored. Wall displays get long-lived sessions that are revoked,
-- not expired.
CREATE TABLE sessions (
  id            bigserial PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id       int NOT NULL REFERENCES users(id),
  kind          text NOT NULL DEFAULT 'browser' CHECK (kind IN ('browser', 'wall')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Who did what, when (UTC), from where. Append-only: the trigger below
-- refuses UPDATE, DELETE and TRUNCATE for every role, the application's
-- included, on both engines.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_user_id int,
  actor         text,
  role          text,
  action        text NOT NULL,
  target        text,
  outcome       text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  ip            text,
  detail        jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
