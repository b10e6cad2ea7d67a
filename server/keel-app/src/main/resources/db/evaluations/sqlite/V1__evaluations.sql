-- Evaluation runs (keel replay): what was compared, the aggregate, the gate's verdict, and one row per replayed request.
CREATE TABLE evaluation_runs (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    created_at  BIGINT       NOT NULL,
    spec        TEXT         NOT NULL,
    summary     TEXT         NOT NULL,
    verdict     TEXT
);
CREATE INDEX evaluation_runs_created ON evaluation_runs (created_at);

CREATE TABLE evaluation_results (
    run_id      VARCHAR(40)  NOT NULL,
    seq         INTEGER      NOT NULL,
    request_id  VARCHAR(100) NOT NULL,
    row_json    TEXT         NOT NULL,
    PRIMARY KEY (run_id, seq),
    FOREIGN KEY (run_id) REFERENCES evaluation_runs (id)
);
