-- Experiment reports read per-variant sums instead of every request of the experiment.
--
-- experiment_observations: each outcome an experiment report reads from one request row, once per experiment the
-- row is stamped with (a request in experiments of several layers is stamped 'prompts+retrieval' / 'v2+bm25'; each
-- experiment gets its own part of the variant, and a stamp whose parts do not pair up counts for none). Outcomes:
-- cost_usd, tokens (prompt + completion), error_rate (1 when the status is neither 'ok' nor 'blocked'),
-- guard_block_rate, latency_ms (timings.total) and latency_<stage>_ms (every other stage), groundedness and
-- retrieval_relevance (the top score) when the row has them. The same definitions as Outcomes in keel-experiments.
-- CROSS JOIN keeps the outcome list the inner loop: the row and its stamp are read once, not once per outcome.
CREATE VIEW experiment_observations AS
SELECT r.id AS id, e.value AS experiment, v.value AS variant, k.column1 AS metric,
       CASE k.column1
           WHEN 'cost_usd' THEN CAST(r.cost_usd AS REAL)
           WHEN 'tokens' THEN CAST(r.prompt_tokens + r.completion_tokens AS REAL)
           WHEN 'error_rate' THEN CASE WHEN r.status NOT IN ('ok', 'blocked') THEN 1.0 ELSE 0.0 END
           WHEN 'guard_block_rate' THEN CASE WHEN r.status = 'blocked' THEN 1.0 ELSE 0.0 END
           WHEN 'groundedness' THEN CAST(r.groundedness AS REAL)
           WHEN 'retrieval_relevance' THEN CAST(r.top_score AS REAL)
       END AS x
FROM requests r
JOIN json_each('[' || replace(json_quote(r.experiment), '+', '","') || ']') e
JOIN json_each('[' || replace(json_quote(r.variant), '+', CASE WHEN instr(r.experiment, '+') > 0 THEN '","' ELSE '+' END) || ']') v
    ON v.key = e.key
CROSS JOIN (VALUES ('cost_usd'), ('tokens'), ('error_rate'), ('guard_block_rate'), ('groundedness'), ('retrieval_relevance')) k
WHERE r.experiment IS NOT NULL AND r.variant IS NOT NULL AND r.retrieval IS NOT NULL
  AND (instr(r.experiment, '+') = 0 OR length(r.experiment) - length(replace(r.experiment, '+', ''))
                                       = length(r.variant) - length(replace(r.variant, '+', '')))
  AND (k.column1 <> 'groundedness' OR r.groundedness IS NOT NULL)
  AND (k.column1 <> 'retrieval_relevance' OR r.top_score IS NOT NULL)
UNION ALL
SELECT r.id, e.value, v.value,
       CASE WHEN t.key = 'total' THEN 'latency_ms' ELSE 'latency_' || t.key || '_ms' END,
       CAST(t.value AS REAL) / 1000000.0
FROM requests r
JOIN json_each('[' || replace(json_quote(r.experiment), '+', '","') || ']') e
JOIN json_each('[' || replace(json_quote(r.variant), '+', CASE WHEN instr(r.experiment, '+') > 0 THEN '","' ELSE '+' END) || ']') v
    ON v.key = e.key
JOIN json_each(r.timings) t
WHERE r.experiment IS NOT NULL AND r.variant IS NOT NULL AND r.retrieval IS NOT NULL
  AND (instr(r.experiment, '+') = 0 OR length(r.experiment) - length(replace(r.experiment, '+', ''))
                                       = length(r.variant) - length(replace(r.variant, '+', '')));

-- Per experiment, variant and outcome: how many observations, a shift (the first value, or the mean of the rows
-- there were when this table was made) and the sums of (x - shift) and of its squares. The mean is
-- shift + sum_dx / n and the variance (sum_dx2 - sum_dx^2 / n) / (n - 1); the shift keeps that difference accurate
-- when the values sit far from zero. Kept by the triggers below in the transaction that inserts, replaces or deletes
-- the request row, so the sums cannot drift from the rows.
CREATE TABLE experiment_sums (
    experiment TEXT    NOT NULL,
    variant    TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    shift      REAL    NOT NULL,
    sum_dx     REAL    NOT NULL,
    sum_dx2    REAL    NOT NULL,
    PRIMARY KEY (experiment, variant, metric)
);

INSERT INTO experiment_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
SELECT o.experiment, o.variant, o.metric, COUNT(*), m.mean, SUM(o.x - m.mean), SUM((o.x - m.mean) * (o.x - m.mean))
FROM experiment_observations o
JOIN (SELECT experiment, variant, metric, AVG(x) AS mean FROM experiment_observations GROUP BY experiment, variant, metric) m
    ON m.experiment = o.experiment AND m.variant = o.variant AND m.metric = o.metric
GROUP BY o.experiment, o.variant, o.metric, m.mean;

CREATE TRIGGER experiment_sums_insert AFTER INSERT ON requests WHEN NEW.experiment IS NOT NULL
BEGIN
    INSERT INTO experiment_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
    SELECT experiment, variant, metric, 1, x, 0.0, 0.0 FROM experiment_observations WHERE id = NEW.id
    ON CONFLICT (experiment, variant, metric) DO UPDATE SET n = n + 1, sum_dx = sum_dx + (excluded.shift - shift),
        sum_dx2 = sum_dx2 + (excluded.shift - shift) * (excluded.shift - shift);
END;

CREATE TRIGGER experiment_sums_replace_old BEFORE UPDATE ON requests WHEN OLD.experiment IS NOT NULL
BEGIN
    UPDATE experiment_sums SET n = n - 1, sum_dx = sum_dx - (o.x - shift), sum_dx2 = sum_dx2 - (o.x - shift) * (o.x - shift)
    FROM experiment_observations o
    WHERE o.id = OLD.id AND experiment_sums.experiment = o.experiment AND experiment_sums.variant = o.variant
      AND experiment_sums.metric = o.metric;
    DELETE FROM experiment_sums WHERE n <= 0;
END;

CREATE TRIGGER experiment_sums_replace_new AFTER UPDATE ON requests WHEN NEW.experiment IS NOT NULL
BEGIN
    INSERT INTO experiment_sums (experiment, variant, metric, n, shift, sum_dx, sum_dx2)
    SELECT experiment, variant, metric, 1, x, 0.0, 0.0 FROM experiment_observations WHERE id = NEW.id
    ON CONFLICT (experiment, variant, metric) DO UPDATE SET n = n + 1, sum_dx = sum_dx + (excluded.shift - shift),
        sum_dx2 = sum_dx2 + (excluded.shift - shift) * (excluded.shift - shift);
END;

CREATE TRIGGER experiment_sums_delete BEFORE DELETE ON requests WHEN OLD.experiment IS NOT NULL
BEGIN
    UPDATE experiment_sums SET n = n - 1, sum_dx = sum_dx - (o.x - shift), sum_dx2 = sum_dx2 - (o.x - shift) * (o.x - shift)
    FROM experiment_observations o
    WHERE o.id = OLD.id AND experiment_sums.experiment = o.experiment AND experiment_sums.variant = o.variant
      AND experiment_sums.metric = o.metric;
    DELETE FROM experiment_sums WHERE n <= 0;
END;
