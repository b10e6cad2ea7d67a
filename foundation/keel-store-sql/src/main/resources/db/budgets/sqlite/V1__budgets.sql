-- Spend per budget and period bucket. budget_subject is the budget's own subject ('*' for a per-subject budget),
-- subject the concrete tenant/app/user/key charged; a '*' budget and a named budget for the same subject keep
-- separate counters. limit_nanos is the limit last applied (informational: reservations check the configured one).
CREATE TABLE budget_spend (
    scope          TEXT    NOT NULL,
    budget_subject TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    bucket         TEXT    NOT NULL,
    spent_nanos    INTEGER NOT NULL DEFAULT 0,
    reserved_nanos INTEGER NOT NULL DEFAULT 0,
    limit_nanos    INTEGER NOT NULL,
    PRIMARY KEY (scope, budget_subject, subject, period, bucket)
);

-- One row per charge of a reservation not yet settled. released = 1 once a restart gave a stale reservation's amount
-- back to its budget; a late settle then still books the actual spend.
CREATE TABLE budget_reservations (
    id             TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    scope          TEXT    NOT NULL,
    budget_subject TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    bucket         TEXT    NOT NULL,
    nanos          INTEGER NOT NULL,
    created_ms     INTEGER NOT NULL,
    released       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, seq)
);

CREATE INDEX budget_reservations_age ON budget_reservations (released, created_ms);
