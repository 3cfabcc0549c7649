-- The prediction service's model registry: every trained version with its metrics, whether it passed
-- the gates to be served, and where its files are.
CREATE TABLE models (
    version          text PRIMARY KEY,
    trained_at       timestamptz      NOT NULL,
    status           text             NOT NULL CHECK (status IN ('served', 'rejected')),
    reason           text,
    algorithm        text             NOT NULL,
    auc              double precision,
    log_loss         double precision,
    accuracy         double precision,
    positives        integer          NOT NULL,
    negatives        integer          NOT NULL,
    base_rate        double precision NOT NULL,
    card             jsonb            NOT NULL,
    provenance       text             NOT NULL,
    propensity_file  text,
    persona_file     text,
    files_sha256     text
);

CREATE INDEX models_served ON models (trained_at) WHERE status = 'served';

-- Every prediction published for a session, keyed by the session's event count when it was scored, so
-- that scoring the same session update again (a replay, a restart) overwrites instead of adding.
CREATE TABLE predictions (
    session_id           text             NOT NULL,
    session_events       integer          NOT NULL,
    scored_at            timestamptz      NOT NULL,
    session_start        timestamptz      NOT NULL,
    visitor_id           text,
    user_id              text,
    purchase_probability double precision NOT NULL,
    confidence_low       double precision NOT NULL,
    confidence_high      double precision NOT NULL,
    persona              text             NOT NULL,
    incentive            text             NOT NULL,
    incentive_reason     text             NOT NULL,
    held_out             boolean          NOT NULL,
    model_version        text             NOT NULL,
    purchased            boolean          NOT NULL,
    closed               boolean          NOT NULL,
    PRIMARY KEY (session_id, session_events)
);

CREATE INDEX predictions_session_start ON predictions (session_start);
