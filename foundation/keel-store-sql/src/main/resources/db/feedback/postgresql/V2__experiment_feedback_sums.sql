-- Experiment reports read per-variant sums of the feedback instead of every rating (see experiment_sums in the
-- request log's migrations): feedback_score (when the rating has a score) and thumbs_up_rate (1 up, 0 down, when it
-- has thumbs), once per experiment the rated request was stamped with.
CREATE VIEW experiment_feedback_observations AS
SELECT f.id, a.experiment, a.variant, m.metric, m.x
FROM feedback f
CROSS JOIN LATERAL (
    SELECT p.e AS experiment, p.v AS variant
    FROM unnest(string_to_array(f.experiment, '+'),
                CASE WHEN strpos(f.experiment, '+') > 0 THEN string_to_array(f.variant, '+') ELSE ARRAY[f.variant] END) AS p(e, v)
    WHERE strpos(f.experiment, '+') = 0
       OR cardinality(string_to_array(f.experiment, '+')) = cardinality(string_to_array(f.variant, '+'))
) a
CROSS JOIN LATERAL (VALUES ('feedback_score', f.score::float8), ('thumbs_up_rate', f.thumbs::float8)) m(metric, x)
WHERE f.experiment IS NOT NULL AND f.variant IS NOT NULL AND m.x IS NOT NULL;

-- The same layout as experiment_sums; kept in the transaction that inserts or deletes the rating.
CREATE TABLE experiment_feedback_sums (
    experiment TEXT             NOT NULL,
    variant    TEXT             NOT NULL,
    metric     TEXT             NOT NULL,
    n          BIGINT           NOT NULL,
    shift      DOUBLE PRECISION NOT NULL,
    sum_dx     DOUBLE PRECISION NOT NULL,
    sum_dx2    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (experiment, variant, metric)
);

INSERT INTO experiment_feedback_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
SELECT o.experiment, o.variant, o.metric, COUNT(*), m.mean, SUM(o.x - m.mean), SUM((o.x - m.mean) * (o.x - m.mean))
FROM experiment_feedback_observations o
JOIN (SELECT experiment, variant, metric, AVG(x) AS mean FROM experiment_feedback_observations GROUP BY experiment, variant, metric) m
    ON m.experiment = o.experiment AND m.variant = o.variant AND m.metric = o.metric
GROUP BY o.experiment, o.variant, o.metric, m.mean;

-- One rating touches at most one row per layer, in the order of its stamp; the advisory lock keeps concurrent
-- writers from taking those rows in different orders.
CREATE FUNCTION experiment_feedback_sums_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7023002);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO experiment_feedback_sums AS s (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
        SELECT DISTINCT ON (experiment, variant, metric) experiment, variant, metric, 1, x, 0.0, 0.0
        FROM experiment_feedback_observations WHERE id = NEW.id
        ON CONFLICT (experiment, variant, metric) DO UPDATE SET n = s.n + 1,
            sum_dx = s.sum_dx + (excluded.shift - s.shift),
            sum_dx2 = s.sum_dx2 + (excluded.shift - s.shift) * (excluded.shift - s.shift);
        RETURN NULL;
    END IF;
    UPDATE experiment_feedback_sums s SET n = s.n - 1, sum_dx = s.sum_dx - (o.x - s.shift),
        sum_dx2 = s.sum_dx2 - (o.x - s.shift) * (o.x - s.shift)
    FROM experiment_feedback_observations o
    WHERE o.id = OLD.id AND s.experiment = o.experiment AND s.variant = o.variant AND s.metric = o.metric;
    DELETE FROM experiment_feedback_sums WHERE n <= 0;
    RETURN OLD;
END
$$;

CREATE TRIGGER experiment_feedback_sums_insert AFTER INSERT ON feedback
    FOR EACH ROW WHEN (NEW.experiment IS NOT NULL) EXECUTE FUNCTION experiment_feedback_sums_apply();
CREATE TRIGGER experiment_feedback_sums_delete BEFORE DELETE ON feedback
    FOR EACH ROW WHEN (OLD.experiment IS NOT NULL) EXECUTE FUNCTION experiment_feedback_sums_apply();
