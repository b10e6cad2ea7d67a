-- Request and token counts per credential and one-minute window (win = epoch minutes), shared by every instance on
-- the same database. Rows of windows before the previous one are deleted as newer windows start.
CREATE TABLE rate_windows (
    subject TEXT   NOT NULL,
    win     BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (subject, win)
);
