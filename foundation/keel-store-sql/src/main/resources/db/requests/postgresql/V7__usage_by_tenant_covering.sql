-- Usage sums by tenant and time (the console's budget burn-down: a month of rows by tenant and day; the overview's
-- breakdowns) read this index alone instead of every row with its texts: it holds every column the sums read.
DROP INDEX requests_tenant_time;
CREATE INDEX requests_tenant_time ON requests (tenant, time_ms) INCLUDE (status, prompt_tokens, completion_tokens,
    estimated, cost_nanos);
