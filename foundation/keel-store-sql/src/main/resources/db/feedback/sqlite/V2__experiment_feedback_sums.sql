-- Experiment reports read per-variant sums of the feedback instead of every rating (see experiment_sums in the
-- request log's migrations): feedback_score (when the rating has a score) and thumbs_up_rate (1 up, 0 down, when it
-- has thumbs), once per experiment the rated request was stamped with.
CREATE VIEW experiment_feedback_observations AS
SELECT f.id AS id, e.value AS experiment, v.value AS variant, k.column1 AS metric,
       CASE k.column1 WHEN 'feedback_score' THEN CAST(f.score AS REAL) ELSE CAST(f.thumbs AS REAL) END AS x
FROM feedback f
JOIN json_each('[' || replace(json_quote(f.experiment), '+', '","') || ']') e
JOIN json_each('[' || replace(json_quote(f.variant), '+', CASE WHEN instr(f.experiment, '+') > 0 THEN '","' ELSE '+' END) || ']') v
    ON v.key = e.key
JOIN (VALUES ('feedback_score'), ('thumbs_up_rate')) k
WHERE f.experiment IS NOT NULL AND f.variant IS NOT NULL
  AND (instr(f.experiment, '+') = 0 OR length(f.experiment) - length(replace(f.experiment, '+', ''))
                                       = length(f.variant) - length(replace(f.variant, '+', '')))
  AND (CASE k.column1 WHEN 'feedback_score' THEN f.score ELSE f.thumbs END) IS NOT NULL;

-- The same layout as experiment_sums; kept in the transaction that inserts or deletes the rating.
CREATE TABLE experiment_feedback_sums (
    experiment TEXT    NOT NULL,
    variant    TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    shift      REAL    NOT NULL,
    sum_dx     REAL    NOT NULL,
    sum_dx2    REAL    NOT NULL,
    PRIMARY KEY (experiment, variant, metric)
);

INSERT INTO experiment_feedback_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
SELECT o.experiment, o.variant, o.metric, COUNT(*), m.mean, SUM(o.x - m.mean), SUM((o.x - m.mean) * (o.x - m.mean))
FROM experiment_feedback_observations o
JOIN (SELECT experiment, variant, metric, AVG(x) AS mean FROM experiment_feedback_observations GROUP BY experiment, variant, metric) m
    ON m.experiment = o.experiment AND m.variant = o.variant AND m.metric = o.metric
GROUP BY o.experiment, o.variant, o.metric, m.mean;

CREATE TRIGGER experiment_feedback_sums_insert AFTER INSERT ON feedback WHEN NEW.experiment IS NOT NULL
BEGIN
    INSERT INTO experiment_feedback_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
    SELECT experiment, variant, metric, 1, x, 0.0, 0.0 FROM experiment_feedback_observations WHERE id = NEW.id
    ON CONFLICT (experiment, variant, metric) DO UPDATE SET n = n + 1, sum_dx = sum_dx + (excluded.shift - shift),
        sum_dx2 = sum_dx2 + (excluded.shift - shift) * (excluded.shift - shift);
END;

CREATE TRIGGER experiment_feedback_sums_delete BEFORE DELETE ON feedback WHEN OLD.experiment IS NOT NULL
BEGIN
    UPDATE experiment_feedback_sums SET n = n - 1, sum_dx = sum_dx - (o.x - shift),
        sum_dx2 = sum_dx2 - (o.x - shift) * (o.x - shift)
    FROM experiment_feedback_observations o
    WHERE o.id = OLD.id AND experiment_feedback_sums.experiment = o.experiment
      AND experiment_feedback_sums.variant = o.variant AND experiment_feedback_sums.metric = o.metric;
    DELETE FROM experiment_feedback_sums WHERE n <= 0;
END;
