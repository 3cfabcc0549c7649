-- Every figure a query answers is kept by the stream per time bucket (hours, and days beside them)
-- and per dimension value, as each stream partition's share ("part") in a generation of its state
-- ("gen"): the stream writes absolute values keyed by all of them, a query sums the rows of its range.
-- No query reads rows in proportion to the sessions or events of its range.

-- Sessions that started in a bucket, by one dimension's value (dimension 0 = all sessions, value '').
CREATE TABLE session_buckets (
    granularity      char(1)     NOT NULL,             -- 'h' hour, 'd' day (UTC)
    bucket_start     timestamptz NOT NULL,
    dimension        smallint    NOT NULL,             -- 0 all, 1 utm_source, 2 utm_medium, 3 utm_campaign, 4 device, 5 platform
    value            text        NOT NULL,
    part             smallint    NOT NULL,
    gen              bigint      NOT NULL,
    sessions         bigint      NOT NULL,
    converted        bigint      NOT NULL,
    purchases        bigint      NOT NULL,
    revenue          numeric     NOT NULL,
    duration_seconds bigint      NOT NULL,
    carts            bigint      NOT NULL,
    abandoned        bigint      NOT NULL,
    landed           bigint      NOT NULL,
    visitors         bytea,                            -- HyperLogLog sketch (Apache DataSketches HLL_4, lgK 12)
    PRIMARY KEY (granularity, dimension, bucket_start, value, part, gen)
);

-- One funnel version's figures under one mode for the sessions that started in a bucket.
CREATE TABLE funnel_buckets (
    funnel_id    integer     NOT NULL,
    mode         text        NOT NULL,
    granularity  char(1)     NOT NULL,
    bucket_start timestamptz NOT NULL,
    dimension    smallint    NOT NULL,
    value        text        NOT NULL,
    part         smallint    NOT NULL,                 -- -1: counted from PostgreSQL for sessions the stream no longer held
    gen          bigint      NOT NULL,
    sessions     bigint[]    NOT NULL,                 -- per step: sessions that reached it
    events       bigint[]    NOT NULL,                 -- per step: step events counted
    durations    bytea       NOT NULL,                 -- per step after the first: times from the previous step (log histogram)
    PRIMARY KEY (funnel_id, mode, granularity, dimension, bucket_start, value, part, gen)
);

-- Events of one type in a bucket of event time.
CREATE TABLE event_buckets (
    granularity  char(1)     NOT NULL,
    bucket_start timestamptz NOT NULL,
    event_type   text        NOT NULL,
    part         smallint    NOT NULL,
    gen          bigint      NOT NULL,
    events       bigint      NOT NULL,
    revenue      numeric     NOT NULL,
    late         bigint      NOT NULL,
    PRIMARY KEY (granularity, bucket_start, event_type, part, gen)
);

-- Saved funnels: every version, the active one per name. The stream counts each active version from
-- the registry generation it was saved in; the sessions it no longer held then are counted from here.
CREATE TABLE funnel_versions (
    id                integer     PRIMARY KEY,
    name              text        NOT NULL,
    steps             text[]      NOT NULL,
    generation        bigint      NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    retired_at        timestamptz,
    history_status    text        NOT NULL CHECK (history_status IN ('counting', 'complete')),
    history_sessions  bigint      NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX funnel_versions_active_name ON funnel_versions (name) WHERE retired_at IS NULL;
CREATE SEQUENCE funnel_version_ids START 1;
CREATE SEQUENCE funnel_generations START 1;

INSERT INTO funnel_versions (id, name, steps, generation, created_at, history_status)
SELECT nextval('funnel_version_ids'), name, steps, nextval('funnel_generations'), created_at, 'counting' FROM funnels;
DROP TABLE funnels;

-- Each stream partition's progress in counting the sessions it holds with the funnels of a generation.
CREATE TABLE funnel_progress (
    generation bigint      NOT NULL,
    part       smallint    NOT NULL,
    swept      bigint      NOT NULL,
    total      bigint      NOT NULL,
    done       boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (generation, part)
);

-- Sessions: the per-update summary no longer carries the event list; a quiet session's ordered events
-- are kept beside it. A session the stream has let go of is final, counted at a funnel generation.
CREATE TABLE session_timelines (
    session_id  text     PRIMARY KEY,
    event_types text[]   NOT NULL,
    event_times bigint[] NOT NULL
);
-- what an earlier version stored is kept: its sessions are final (the new stream state starts empty),
-- counted at generation -1, so every funnel, the default one included, counts them from here
INSERT INTO session_timelines (session_id, event_types, event_times) SELECT session_id, event_types, event_times FROM sessions;
ALTER TABLE sessions DROP COLUMN event_types;
ALTER TABLE sessions DROP COLUMN event_times;
ALTER TABLE sessions ADD COLUMN last_event_type text;
ALTER TABLE sessions ADD COLUMN truncated boolean NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN final boolean NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN funnel_generation bigint;
UPDATE sessions SET final = true, funnel_generation = -1;
CREATE INDEX sessions_final ON sessions (funnel_generation) WHERE final;

-- the built-in default funnel (the contract's FunnelDefinition.DEFAULT), version 0: its history is
-- complete at once on a new installation, and counted from the sessions kept above on an older one
INSERT INTO funnel_versions (id, name, steps, generation, created_at, history_status)
VALUES (0, 'default', ARRAY['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'], 0, now(),
        CASE WHEN EXISTS (SELECT 1 FROM sessions) THEN 'counting' ELSE 'complete' END);

-- the earlier version's figures, as buckets of part -1: sessions by start (no distinct-visitor sketch
-- can be made in SQL, so those buckets add nothing to unique visitors) and events by event time
INSERT INTO session_buckets (granularity, bucket_start, dimension, value, part, gen, sessions, converted, purchases, revenue,
                             duration_seconds, carts, abandoned, landed, visitors)
SELECT g.granularity, date_trunc(g.unit, s.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', d.dimension, d.value, -1, 0,
       count(*), count(*) FILTER (WHERE s.purchases > 0), sum(s.purchases), sum(s.revenue), sum(s.duration_seconds),
       count(*) FILTER (WHERE s.cart_adds > 0), count(*) FILTER (WHERE s.cart_adds > 0 AND s.purchases = 0),
       count(*) FILTER (WHERE s.page_views > 0), NULL
FROM sessions s
CROSS JOIN (VALUES ('h', 'hour'), ('d', 'day')) AS g(granularity, unit)
CROSS JOIN LATERAL (VALUES (0, ''), (1, coalesce(s.utm_source, '(none)')), (2, coalesce(s.utm_medium, '(none)')),
                           (3, coalesce(s.utm_campaign, '(none)')), (4, coalesce(s.device, '(none)')),
                           (5, coalesce(s.platform, '(none)'))) AS d(dimension, value)
GROUP BY 1, 2, 3, 4;


-- Events that arrived more than the grace period after their event time (counted like any other).
ALTER TABLE late_events RENAME TO old_late_events;
ALTER INDEX late_events_minute RENAME TO old_late_events_minute;
ALTER TABLE old_late_events RENAME CONSTRAINT late_events_pkey TO old_late_events_pkey;
CREATE TABLE late_events (
    event_id      text PRIMARY KEY,
    event_type    text        NOT NULL,
    session_key   text        NOT NULL,
    event_time    timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    delay_seconds bigint      NOT NULL
);
CREATE INDEX late_events_received ON late_events (received_at);

-- One-minute windows are gone: event counts are kept per hour and day in event_buckets.
INSERT INTO event_buckets (granularity, bucket_start, event_type, part, gen, events, revenue, late)
SELECT g.granularity, date_trunc(g.unit, c.minute AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', c.event_type, -1, 0,
       sum(c.events), sum(c.revenue), sum(c.late)
FROM (SELECT minute, event_type, events, revenue, 0 AS late FROM minute_counts
      UNION ALL SELECT minute, event_type, 1, revenue, 1 FROM old_late_events) c
CROSS JOIN (VALUES ('h', 'hour'), ('d', 'day')) AS g(granularity, unit)
GROUP BY 1, 2, 3;
DROP TABLE old_late_events;
DROP TABLE minute_counts;
