-- FunnelFlow: is the stored data consistent?
--
-- Each query below returns no rows when it is, and a row per inconsistency (named in the first column)
-- when it is not. Run it against the aggregator's database once the stream has caught up (the figures
-- are written a moment after the events they count):
--
--   psql -h 127.0.0.1 -p 5433 -U postgres -d funnelflow -f sql/validation/validate_funnel.sql
--
-- Figures are kept per bucket as partials (per partition and generation, some negative): a bucket's
-- figure is the sum of its rows. Sessions belong to the hour and day they started in, events to those
-- of their event time (UTC).

-- 1. Every session's event count equals the raw events stored for its key within its time span
--    (sessions over the per-key cap say truncated and keep only part of their events). Spans are
--    widened by a millisecond, the precision some clients send times in; sessions of a key lie at
--    least the session gap apart.
SELECT 'session_events_against_raw_events' AS inconsistency, s.session_id, s.events AS session_says,
       (SELECT count(*) FROM events e WHERE e.session_key = s.session_key
          AND e.event_time BETWEEN s.started_at - interval '1 ms' AND s.ended_at + interval '1 ms') AS raw_events
FROM sessions s
WHERE NOT s.truncated
  AND s.events <> (SELECT count(*) FROM events e WHERE e.session_key = s.session_key
                     AND e.event_time BETWEEN s.started_at - interval '1 ms' AND s.ended_at + interval '1 ms');

-- 2. No orphan raw event: each lies in a session of its key (keys with a truncated session aside).
SELECT 'event_without_session' AS inconsistency, e.event_id, e.session_key, e.event_time
FROM events e
WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = e.session_key
                    AND e.event_time BETWEEN s.started_at - interval '1 ms' AND s.ended_at + interval '1 ms')
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = e.session_key AND s.truncated);

-- 3. No orphan timeline: each belongs to a session.
SELECT 'timeline_without_session' AS inconsistency, t.session_id
FROM session_timelines t
WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = t.session_id);

-- 4. No orphan funnel figures: each belongs to a saved funnel version.
SELECT DISTINCT 'funnel_figures_without_funnel' AS inconsistency, b.funnel_id
FROM funnel_buckets b
WHERE NOT EXISTS (SELECT 1 FROM funnel_versions v WHERE v.id = b.funnel_id);

-- 5. Sessions, purchases, revenue and carts per day: the day buckets (all sessions) against the sessions.
WITH figures AS (
    SELECT bucket_start AS day, sum(sessions) AS sessions, sum(converted) AS converted, sum(purchases) AS purchases,
           sum(revenue) AS revenue, sum(carts) AS carts, sum(abandoned) AS abandoned
    FROM session_buckets WHERE granularity = 'd' AND dimension = 0
    GROUP BY 1
), stored AS (
    SELECT date_trunc('day', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, count(*) AS sessions,
           count(*) FILTER (WHERE purchases > 0) AS converted, sum(purchases) AS purchases, sum(revenue) AS revenue,
           count(*) FILTER (WHERE cart_adds > 0) AS carts, count(*) FILTER (WHERE cart_adds > 0 AND purchases = 0) AS abandoned
    FROM sessions
    GROUP BY 1
)
SELECT 'day_figures_against_sessions' AS inconsistency, coalesce(f.day, s.day) AS day,
       f.sessions AS figures_sessions, s.sessions AS stored_sessions, f.revenue AS figures_revenue, s.revenue AS stored_revenue
FROM figures f FULL JOIN stored s ON s.day = f.day
WHERE coalesce(f.sessions, 0) <> coalesce(s.sessions, 0)
   OR coalesce(f.converted, 0) <> coalesce(s.converted, 0)
   OR coalesce(f.purchases, 0) <> coalesce(s.purchases, 0)
   OR coalesce(f.revenue, 0) <> coalesce(s.revenue, 0)
   OR coalesce(f.carts, 0) <> coalesce(s.carts, 0)
   OR coalesce(f.abandoned, 0) <> coalesce(s.abandoned, 0);

-- 6. A day's hour buckets add up to its day bucket, for every breakdown value.
WITH hours AS (
    SELECT date_trunc('day', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, dimension, value,
           sum(sessions) AS sessions, sum(revenue) AS revenue
    FROM session_buckets WHERE granularity = 'h' GROUP BY 1, 2, 3
), days AS (
    SELECT bucket_start AS day, dimension, value, sum(sessions) AS sessions, sum(revenue) AS revenue
    FROM session_buckets WHERE granularity = 'd' GROUP BY 1, 2, 3
)
SELECT 'hours_against_day' AS inconsistency, coalesce(h.day, d.day) AS day, coalesce(h.dimension, d.dimension) AS dimension,
       coalesce(h.value, d.value) AS value, h.sessions AS hour_sessions, d.sessions AS day_sessions
FROM hours h FULL JOIN days d ON d.day = h.day AND d.dimension = h.dimension AND d.value = h.value
WHERE coalesce(h.sessions, 0) <> coalesce(d.sessions, 0) OR coalesce(h.revenue, 0) <> coalesce(d.revenue, 0);

-- 7. Each breakdown dimension splits the sessions of a day without losing or adding one.
WITH per_dimension AS (
    SELECT bucket_start AS day, dimension, sum(sessions) AS sessions, sum(revenue) AS revenue
    FROM session_buckets WHERE granularity = 'd' GROUP BY 1, 2
)
SELECT 'breakdown_against_all' AS inconsistency, p.day, p.dimension, p.sessions, a.sessions AS all_sessions
FROM per_dimension p JOIN per_dimension a ON a.day = p.day AND a.dimension = 0
WHERE p.dimension <> 0 AND (p.sessions <> a.sessions OR p.revenue <> a.revenue);

-- 8. Events per type and day: the event buckets against the raw events; purchase revenue too.
WITH figures AS (
    SELECT bucket_start AS day, event_type, sum(events) AS events, sum(revenue) AS revenue
    FROM event_buckets WHERE granularity = 'd' GROUP BY 1, 2
), stored AS (
    SELECT date_trunc('day', event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, event_type, count(*) AS events,
           coalesce(sum(revenue) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
    FROM events GROUP BY 1, 2
)
SELECT 'event_figures_against_events' AS inconsistency, coalesce(f.day, s.day) AS day, coalesce(f.event_type, s.event_type) AS event_type,
       f.events AS figures_events, s.events AS stored_events, f.revenue AS figures_revenue, s.revenue AS stored_revenue
FROM figures f FULL JOIN stored s ON s.day = f.day AND s.event_type = f.event_type
WHERE coalesce(f.events, 0) <> coalesce(s.events, 0)
   OR (coalesce(f.event_type, s.event_type) = 'purchase' AND coalesce(f.revenue, 0) <> coalesce(s.revenue, 0));

-- 9. Funnel steps never increase: no more sessions reach a step than the one before, in any bucket.
WITH summed AS (
    SELECT funnel_id, mode, granularity, bucket_start, dimension, value, k.step, sum(b.sessions[k.step]) AS reached
    FROM funnel_buckets b CROSS JOIN LATERAL generate_subscripts(b.sessions, 1) AS k(step)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT 'funnel_step_increases' AS inconsistency, s.funnel_id, s.mode, s.granularity, s.bucket_start, s.dimension, s.value,
       s.step, p.reached AS previous_step, s.reached
FROM summed s JOIN summed p ON p.funnel_id = s.funnel_id AND p.mode = s.mode AND p.granularity = s.granularity
    AND p.bucket_start = s.bucket_start AND p.dimension = s.dimension AND p.value = s.value AND p.step = s.step - 1
WHERE s.reached > p.reached;

-- 10. A session's revenue is that of its purchases: a session with revenue made a purchase.
SELECT 'revenue_without_purchase' AS inconsistency, session_id, revenue, purchases
FROM sessions WHERE revenue <> 0 AND purchases = 0;
