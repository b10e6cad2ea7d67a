-- Experiment reports read per-variant sums instead of every request of the experiment.
--
-- experiment_observations: each outcome an experiment report reads from one request row, once per experiment the
-- row is stamped with (a request in experiments of several layers is stamped 'prompts+retrieval' / 'v2+bm25'; each
-- experiment gets its own part of the variant, and a stamp whose parts do not pair up counts for none). Outcomes:
-- cost_usd, tokens (prompt + completion), error_rate (1 when the status is neither 'ok' nor 'blocked'),
-- guard_block_rate, latency_ms (timings.total) and latency_<stage>_ms (every other stage), groundedness and
-- retrieval_relevance (the top score) when the row has them. The same definitions as Outcomes in keel-experiments;
-- every value is a float8 computed in float8 (nanoseconds / 1e6 as Java divides them), so the sums match Java's.
CREATE VIEW experiment_observations AS
SELECT r.id, a.experiment, a.variant, m.metric, m.x
FROM requests r
CROSS JOIN LATERAL (
    SELECT p.e AS experiment, p.v AS variant
    FROM unnest(string_to_array(r.experiment, '+'),
                CASE WHEN strpos(r.experiment, '+') > 0 THEN string_to_array(r.variant, '+') ELSE ARRAY[r.variant] END) AS p(e, v)
    WHERE strpos(r.experiment, '+') = 0
       OR cardinality(string_to_array(r.experiment, '+')) = cardinality(string_to_array(r.variant, '+'))
) a
CROSS JOIN LATERAL (
    VALUES ('cost_usd', r.cost_usd::float8),
           ('tokens', (r.prompt_tokens + r.completion_tokens)::float8),
           ('error_rate', CASE WHEN r.status NOT IN ('ok', 'blocked') THEN 1.0::float8 ELSE 0.0::float8 END),
           ('guard_block_rate', CASE WHEN r.status = 'blocked' THEN 1.0::float8 ELSE 0.0::float8 END),
           ('groundedness', r.groundedness::float8),
           ('retrieval_relevance', r.top_score::float8)
    UNION ALL
    SELECT CASE WHEN t.key = 'total' THEN 'latency_ms' ELSE 'latency_' || t.key || '_ms' END,
           t.value::bigint::float8 / 1000000.0::float8
    FROM json_each_text(r.timings::json) t
) m(metric, x)
WHERE r.experiment IS NOT NULL AND r.variant IS NOT NULL AND r.retrieval IS NOT NULL AND m.x IS NOT NULL;

-- Per experiment, variant and outcome: how many observations, a shift (the first value, or the mean of the rows
-- there were when this table was made) and the sums of (x - shift) and of its squares. The mean is
-- shift + sum_dx / n and the variance (sum_dx2 - sum_dx^2 / n) / (n - 1); the shift keeps that difference accurate
-- when the values sit far from zero. Kept by the triggers below in the transaction that inserts, replaces or deletes
-- the request row, so the sums cannot drift from the rows.
CREATE TABLE experiment_sums (
    experiment TEXT             NOT NULL,
    variant    TEXT             NOT NULL,
    metric     TEXT             NOT NULL,
    n          BIGINT           NOT NULL,
    shift      DOUBLE PRECISION NOT NULL,
    sum_dx     DOUBLE PRECISION NOT NULL,
    sum_dx2    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (experiment, variant, metric)
);

INSERT INTO experiment_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
SELECT o.experiment, o.variant, o.metric, COUNT(*), m.mean, SUM(o.x - m.mean), SUM((o.x - m.mean) * (o.x - m.mean))
FROM experiment_observations o
JOIN (SELECT experiment, variant, metric, AVG(x) AS mean FROM experiment_observations GROUP BY experiment, variant, metric) m
    ON m.experiment = o.experiment AND m.variant = o.variant AND m.metric = o.metric
GROUP BY o.experiment, o.variant, o.metric, m.mean;

-- Adds (sign 1) or takes away (sign -1) the observations of one request row. Writers of experiment requests take
-- one transaction-level advisory lock first: each batch touches the variants' rows in the order its requests came,
-- and two instances taking those row locks in different orders would deadlock.
CREATE FUNCTION experiment_sums_apply(request_id TEXT, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7023001);
    IF sign > 0 THEN
        INSERT INTO experiment_sums AS s (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
        SELECT DISTINCT ON (experiment, variant, metric) experiment, variant, metric, 1, x, 0.0, 0.0
        FROM experiment_observations WHERE id = request_id
        ON CONFLICT (experiment, variant, metric) DO UPDATE SET n = s.n + 1,
            sum_dx = s.sum_dx + (excluded.shift - s.shift),
            sum_dx2 = s.sum_dx2 + (excluded.shift - s.shift) * (excluded.shift - s.shift);
    ELSE
        UPDATE experiment_sums s SET n = s.n - 1, sum_dx = s.sum_dx - (o.x - s.shift),
            sum_dx2 = s.sum_dx2 - (o.x - s.shift) * (o.x - s.shift)
        FROM experiment_observations o
        WHERE o.id = request_id AND s.experiment = o.experiment AND s.variant = o.variant AND s.metric = o.metric;
        DELETE FROM experiment_sums WHERE n <= 0;
    END IF;
END
$$;

CREATE FUNCTION experiment_sums_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM experiment_sums_apply(NEW.id, 1);
    RETURN NULL;
END
$$;

CREATE FUNCTION experiment_sums_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM experiment_sums_apply(OLD.id, -1);
    IF TG_OP = 'UPDATE' THEN
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER experiment_sums_insert AFTER INSERT ON requests
    FOR EACH ROW WHEN (NEW.experiment IS NOT NULL) EXECUTE FUNCTION experiment_sums_add();
CREATE TRIGGER experiment_sums_replace_old BEFORE UPDATE ON requests
    FOR EACH ROW WHEN (OLD.experiment IS NOT NULL) EXECUTE FUNCTION experiment_sums_remove();
CREATE TRIGGER experiment_sums_replace_new AFTER UPDATE ON requests
    FOR EACH ROW WHEN (NEW.experiment IS NOT NULL) EXECUTE FUNCTION experiment_sums_add();
CREATE TRIGGER experiment_sums_delete BEFORE DELETE ON requests
    FOR EACH ROW WHEN (OLD.experiment IS NOT NULL) EXECUTE FUNCTION experiment_sums_remove();
