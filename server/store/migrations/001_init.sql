-- Candor organisation service: first schema. Runs on PostgreSQL 15+ and PGlite (PostgreSQL 18).

-- Org settings (showRepNames, reviewIntervalMonths, lastReviewAt, anonymousKey…), one row per key.
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

-- Console accounts: passwords hashed with scrypt (server/http/auth.ts).
CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'compliance', 'manager')),
  team text,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE enrollment_codes (
  id uuid PRIMARY KEY,
  code_hash text NOT NULL UNIQUE,
  team text NOT NULL,
  created_by uuid REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  max_uses integer NOT NULL CHECK (max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  revoked_at timestamptz
);

-- One row per extension install (its pseudonymous rep id).
CREATE TABLE installs (
  install_id text PRIMARY KEY,
  team text NOT NULL,
  display_name text,
  extension_version text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);

-- Install tokens, stored hashed; re-enrolling revokes the previous ones.
CREATE TABLE install_tokens (
  token_hash text PRIMARY KEY,
  install_id text NOT NULL REFERENCES installs (install_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX install_tokens_install ON install_tokens (install_id);

-- Every envelope id ever stored, with a hash of its body: the idempotency record.
CREATE TABLE ingested (
  id uuid PRIMARY KEY,
  install_id text,
  kind text NOT NULL,
  body_hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Each install's consent chain as received (keyed by seq); the chain row says how far it verifies.
CREATE TABLE consent_records (
  install_id text NOT NULL,
  seq integer NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  entry jsonb NOT NULL,
  team text NOT NULL,
  at timestamptz NOT NULL,
  type text NOT NULL,
  category text,
  rule text,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (install_id, seq)
);
CREATE INDEX consent_records_at ON consent_records (at);

CREATE TABLE chains (
  install_id text PRIMARY KEY,
  -- first_seq..verified_seq verify as a chain; min_seq/max_seq: the lowest/highest seq stored.
  first_seq integer,
  verified_seq integer,
  min_seq integer,
  head_hash text,
  max_seq integer,
  -- Sticky: broken, fork or rollback once flagged; never cleared by the service.
  flag text CHECK (flag IN ('broken', 'fork', 'rollback')),
  flag_seq integer,
  flag_reason text,
  flagged_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A second, different record for a seq already stored, or a record that does not link: kept, never applied.
CREATE TABLE chain_conflicts (
  id bigserial PRIMARY KEY,
  install_id text NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('broken', 'fork', 'rollback')),
  prev_hash text NOT NULL,
  hash text NOT NULL,
  stored_hash text,
  entry jsonb NOT NULL,
  body_id uuid NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chain_conflicts_install ON chain_conflicts (install_id, seq);

-- Signed checkpoints, append-only.
CREATE TABLE checkpoints (
  id bigserial PRIMARY KEY,
  install_id text NOT NULL,
  seq integer NOT NULL,
  hash text NOT NULL,
  at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
CREATE INDEX checkpoints_install ON checkpoints (install_id, id DESC);

CREATE TABLE witness_keys (
  key_id text PRIMARY KEY,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);

CREATE TABLE purge_receipts (
  id uuid PRIMARY KEY,
  install_id text NOT NULL,
  team text NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  count integer NOT NULL,
  oldest timestamptz,
  newest timestamptz
);
CREATE INDEX purge_receipts_at ON purge_receipts (at);

CREATE TABLE access_log (
  id uuid PRIMARY KEY,
  install_id text NOT NULL,
  team text NOT NULL,
  at timestamptz NOT NULL,
  purpose text NOT NULL,
  action text NOT NULL,
  call_count integer NOT NULL,
  approver text,
  reference text
);
CREATE INDEX access_log_at ON access_log (at);

-- Concerns: the rep's copy (latest updatedAt wins) and the organisation's triage.
CREATE TABLE concerns (
  id uuid PRIMARY KEY,
  install_id text,
  team text,
  anonymous boolean NOT NULL,
  category text NOT NULL,
  text text NOT NULL,
  rep_status text NOT NULL,
  call_id uuid,
  statement_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  reply text,
  triaged_at timestamptz,
  triaged_by uuid REFERENCES accounts (id)
);
CREATE INDEX concerns_created ON concerns (created_at);

CREATE TABLE call_summaries (
  install_id text NOT NULL,
  call_id uuid NOT NULL,
  team text NOT NULL,
  platform text NOT NULL,
  ended_at timestamptz,
  category text,
  checklist text NOT NULL,
  checklist_ms bigint,
  human_nuance boolean NOT NULL,
  ai_statements integer NOT NULL,
  ai_marked integer NOT NULL,
  ai_wrong integer NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (install_id, call_id)
);
CREATE INDEX call_summaries_ended ON call_summaries (ended_at);

CREATE TABLE approvals (
  id uuid PRIMARY KEY,
  code_hash text NOT NULL UNIQUE,
  purpose text NOT NULL DEFAULT 'performance',
  reference text NOT NULL,
  approver_id uuid NOT NULL REFERENCES accounts (id),
  approver_name text NOT NULL,
  approver_role text NOT NULL,
  scope text,
  max_uses integer NOT NULL CHECK (max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE approval_redemptions (
  id bigserial PRIMARY KEY,
  approval_id uuid NOT NULL REFERENCES approvals (id),
  install_id text NOT NULL,
  team text NOT NULL,
  action text NOT NULL,
  call_count integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- Rollup for the console: consent records per UTC day, team, entry type, call type and rule.
CREATE TABLE consent_daily (
  day date NOT NULL,
  team text NOT NULL,
  type text NOT NULL,
  category text NOT NULL DEFAULT '',
  rule text NOT NULL DEFAULT '',
  n integer NOT NULL,
  PRIMARY KEY (day, team, type, category, rule)
);

-- What console accounts did (approvals, triage, enrollment codes, revocations, settings).
CREATE TABLE console_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  account_id uuid,
  action text NOT NULL,
  detail jsonb NOT NULL
);
