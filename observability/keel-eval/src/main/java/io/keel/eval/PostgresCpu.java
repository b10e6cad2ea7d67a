package io.keel.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time spent so far by the PostgreSQL server processes on this machine, read from {@code /proc}: the sum of
 * user and system time of every process named {@code postgres} (the postmaster, its background workers and the
 * backends of open connections). Benchmarks take the difference over a phase to report the database's CPU per query
 * beside Keel's own; the backends of a connection pool live for the whole phase, so little is lost to processes that
 * exit in between. Linux only: elsewhere, or when {@code /proc} cannot be read, {@link #nanos()} is -1.
 */
final class PostgresCpu {
    /** USER_HZ: the unit of the times in {@code /proc/PID/stat}; 100 on every Linux architecture Keel runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private PostgresCpu() {
    }

    static long nanos() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return -1;
        long ticks = 0;
        try (Stream<Path> pids = Files.list(proc)) {
            for (Path p : (Iterable<Path>) pids.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                ticks += ticksOf(p);
            }
        } catch (IOException | SecurityException e) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }

    /** utime + stime of a postgres process, 0 for any other (or one that has exited). */
    private static long ticksOf(Path pid) {
        try {
            String stat = Files.readString(pid.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) return 0;
            String[] f = stat.substring(close + 2).split(" ");
            // after "(comm) ": state is field 3 of the man page, so utime (14) and stime (15) are at 11 and 12 here
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
