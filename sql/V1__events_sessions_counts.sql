-- FunnelFlow schema. Every table written from a stream is written with keyed upserts, so that a replay
-- or a restart changes nothing.

-- Every accepted, deduplicated event, partitioned by day of event time (partitions are created as
-- events for a day first arrive). The key includes the partition key, as PostgreSQL requires.
CREATE TABLE events (
    event_id        text        NOT NULL,
    event_time      timestamptz NOT NULL,
    event_type      text        NOT NULL,
    session_key     text        NOT NULL,
    session_id      text,
    user_id         text,
    anonymous_id    text,
    client_time     timestamptz,
    sent_at         timestamptz,
    received_at     timestamptz NOT NULL,
    page_url        text,
    referrer        text,
    utm_source      text,
    utm_medium      text,
    utm_campaign    text,
    platform        text,
    device          text,
    product_id      text,
    product_name    text,
    price           numeric,
    quantity        integer,
    revenue         numeric,
    currency        text,
    metadata        jsonb,
    PRIMARY KEY (event_time, event_id)
) PARTITION BY RANGE (event_time);

CREATE INDEX events_session_key ON events (session_key, event_time);
CREATE INDEX events_user ON events (user_id, event_time) WHERE user_id IS NOT NULL;
CREATE INDEX events_product ON events (product_id, event_time) WHERE product_id IS NOT NULL;

-- The latest summary of every session; funnels are evaluated from its ordered event list.
CREATE TABLE sessions (
    session_id       text PRIMARY KEY,
    session_key      text        NOT NULL,
    visitor_id       text,
    user_id          text,
    anonymous_id     text,
    user_ids         text[]      NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz NOT NULL,
    duration_seconds bigint      NOT NULL,
    events           integer     NOT NULL,
    page_views       integer     NOT NULL,
    product_views    integer     NOT NULL,
    cart_adds        integer     NOT NULL,
    cart_removes     integer     NOT NULL,
    checkouts        integer     NOT NULL,
    purchases        integer     NOT NULL,
    cart_value       numeric     NOT NULL,
    revenue          numeric     NOT NULL,
    furthest_step    integer     NOT NULL,
    utm_source       text,
    utm_medium       text,
    utm_campaign     text,
    device           text,
    platform         text,
    landing_page     text,
    event_types      text[]      NOT NULL,
    event_times      bigint[]    NOT NULL,
    closed           boolean     NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_started_at ON sessions (started_at);
CREATE INDEX sessions_visitor ON sessions (visitor_id, started_at);

-- One-minute windows of event counts and revenue per event type and dimensions (absent = '').
CREATE TABLE minute_counts (
    minute       timestamptz NOT NULL,
    event_type   text        NOT NULL,
    utm_source   text        NOT NULL,
    utm_medium   text        NOT NULL,
    utm_campaign text        NOT NULL,
    device       text        NOT NULL,
    platform     text        NOT NULL,
    events       bigint      NOT NULL,
    revenue      numeric     NOT NULL,
    PRIMARY KEY (minute, event_type, utm_source, utm_medium, utm_campaign, device, platform)
);

-- Events that came after their window had closed: counted beside minute_counts, once each.
CREATE TABLE late_events (
    event_id     text PRIMARY KEY,
    minute       timestamptz NOT NULL,
    event_type   text        NOT NULL,
    utm_source   text        NOT NULL,
    utm_medium   text        NOT NULL,
    utm_campaign text        NOT NULL,
    device       text        NOT NULL,
    platform     text        NOT NULL,
    revenue      numeric     NOT NULL,
    received_at  timestamptz NOT NULL
);

CREATE INDEX late_events_minute ON late_events (minute);

-- Named funnels besides the default one.
CREATE TABLE funnels (
    name       text PRIMARY KEY,
    steps      text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
