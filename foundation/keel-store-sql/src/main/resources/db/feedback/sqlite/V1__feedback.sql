-- User feedback on requests: one row per rating. experiment and variant are copied from the rated request's record so
-- that a report reads its outcomes without a join. thumbs is 1 (up), 0 (down) or NULL; comment is redacted text.
CREATE TABLE feedback (
    id           INTEGER NOT NULL PRIMARY KEY,
    request_id   TEXT    NOT NULL,
    experiment   TEXT,
    variant      TEXT,
    tenant       TEXT    NOT NULL,
    user_id      TEXT,
    app          TEXT,
    score        REAL,
    thumbs       INTEGER,
    comment      TEXT,
    time_ms      INTEGER  NOT NULL
);

CREATE INDEX feedback_experiment ON feedback (experiment, time_ms);
CREATE INDEX feedback_request ON feedback (request_id);
