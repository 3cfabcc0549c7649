-- The lead lifecycle (crm-service): each lead as it stands, every transition of its fields, the
-- append-only override log, call notes and e-mail drafts, and every version of the rules.
-- Written by crm-service's sink from its exactly-once topics with keyed upserts: a replay changes nothing.

CREATE TABLE IF NOT EXISTS leads (
    lead_id           text PRIMARY KEY,
    origin            text NOT NULL,
    created_at        timestamptz,
    stage             text NOT NULL,
    computed_stage    text NOT NULL,
    stage_reason      text,
    stage_since       timestamptz,
    intent_score      integer NOT NULL,
    engagement_health text NOT NULL,
    nurture_track     text,
    owner_team        text,
    sales_owner       text,
    last_engaged      timestamptz,
    company_size      text,
    source            text,
    engagement_channel text,
    rules_version     integer NOT NULL,
    evaluated_at      timestamptz,
    lead              jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS leads_stage ON leads (stage, lead_id);
CREATE INDEX IF NOT EXISTS leads_health ON leads (engagement_health, lead_id);
CREATE INDEX IF NOT EXISTS leads_track ON leads (nurture_track, lead_id);
CREATE INDEX IF NOT EXISTS leads_owner ON leads (owner_team, lead_id);

CREATE TABLE IF NOT EXISTS lead_transitions (
    transition_id text PRIMARY KEY,
    lead_id       text NOT NULL,
    field         text NOT NULL,
    from_value    text,
    to_value      text,
    reason        text,
    rule_id       text,
    rule_version  integer,
    source        text NOT NULL,
    actor         text,
    why           text,
    at            timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS lead_transitions_lead ON lead_transitions (lead_id, at, transition_id);
CREATE INDEX IF NOT EXISTS lead_transitions_stage ON lead_transitions (field, lead_id, at) WHERE field = 'stage';

CREATE TABLE IF NOT EXISTS lead_overrides (
    override_id text PRIMARY KEY,
    lead_id     text NOT NULL,
    field       text NOT NULL,
    action      text NOT NULL,
    value       text,
    previous    text,
    by_whom     text,
    why         text,
    at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS lead_overrides_at ON lead_overrides (at, override_id);
CREATE INDEX IF NOT EXISTS lead_overrides_lead ON lead_overrides (lead_id, at);

CREATE TABLE IF NOT EXISTS lead_notes (
    note_id      text PRIMARY KEY,
    lead_id      text NOT NULL,
    notes        text NOT NULL,
    summary      text NOT NULL,
    analyst      jsonb NOT NULL,
    created_by   text,
    created_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS lead_notes_lead ON lead_notes (lead_id, created_at);

CREATE TABLE IF NOT EXISTS lead_email_drafts (
    draft_id     text PRIMARY KEY,
    lead_id      text NOT NULL,
    subject      text NOT NULL,
    body         text NOT NULL,
    analyst      jsonb NOT NULL,
    status       text NOT NULL,
    created_by   text,
    created_at   timestamptz NOT NULL,
    approved_by  text,
    approved_at  timestamptz
);
CREATE INDEX IF NOT EXISTS lead_email_drafts_lead ON lead_email_drafts (lead_id, created_at);

CREATE TABLE IF NOT EXISTS crm_rules (
    version     integer PRIMARY KEY,
    document    jsonb NOT NULL,
    applied_by  text,
    why         text,
    applied_at  timestamptz NOT NULL
);
