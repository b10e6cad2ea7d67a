-- Usage grouped by experiment and variant over the whole log (the console's experiments page) reads this index alone
-- instead of every row with its texts: it holds every column the usage sums read, in the grouping order.
CREATE INDEX requests_usage_by_experiment ON requests (experiment, variant, status, prompt_tokens, completion_tokens,
    estimated, cost_nanos, tenant);
