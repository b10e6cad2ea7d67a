package io.keel.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar with rate and ETA. On a terminal it redraws in place; otherwise (CI logs, pipes) it
 * prints a plain line every few seconds so logs stay readable.
 */
final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final boolean interactive;
    private long lastDraw;

    ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** @param fraction 0..1; @param counts e.g. "120/5183 files  843 chunks"; @param rate e.g. 210.5 with unit */
    void update(double fraction, String counts, double rate, String rateUnit, Duration eta, boolean force) {
        long now = System.nanoTime();
        long interval = interactive ? 100_000_000L : 5_000_000_000L;
        if (!force && now - lastDraw < interval) return;
        lastDraw = now;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        String line = String.format(Locale.ROOT, "[%s%s] %3.0f%%  %s  %.1f %s  ETA %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, counts, rate, rateUnit, format(eta));
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (interactive) out.println();
    }

    static String format(Duration d) {
        if (d == null) return "--:--";
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
