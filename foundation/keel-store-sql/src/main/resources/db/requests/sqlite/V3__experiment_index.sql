-- Experiment reports read every record of one experiment.
CREATE INDEX requests_experiment ON requests (experiment, time_ms);
