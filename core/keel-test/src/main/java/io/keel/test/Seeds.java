package io.keel.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The seed of a randomized test. Each test gets a fresh seed, or the one given with {@code -Dkeel.seed=}; a failure
 * is reported with the seed and the command-line flag that replays it. Register it with
 * {@code @RegisterExtension final Seeds seeds = new Seeds();} and draw randomness from {@link #random()}.
 */
public final class Seeds implements TestExecutionExceptionHandler {
    /** The system property that replays a seed. */
    public static final String PROPERTY = "keel.seed";
    private static final SecureRandom SEEDS = new SecureRandom();
    /**
     * The seed when none is given: a fixed one, so the suite is the same run on every build; {@code -Dkeel.seed=random}
     * explores a new seed each run (and prints it on failure), {@code -Dkeel.seed=HEX} replays one.
     */
    public static final long DEFAULT = 0x20261206L;

    private final long seed;

    public Seeds() {
        String given = System.getProperty(PROPERTY);
        this.seed = given == null || given.isBlank() ? DEFAULT : given.equals("random") ? SEEDS.nextLong() : parse(given);
    }

    public long seed() {
        return seed;
    }

    /** A random source seeded with {@link #seed()}; each call starts the same sequence again. */
    public Random random() {
        return new Random(seed);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String replay = "seed " + Long.toHexString(seed) + " (replay with -D" + PROPERTY + "=" + Long.toHexString(seed)
                + " -Dtest='" + context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName() + "')";
        AssertionError reported = new AssertionError(replay + ": " + failure, failure);
        reported.setStackTrace(new StackTraceElement[0]);
        throw reported;
    }

    private static long parse(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("0x")) v = v.substring(2);
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a hexadecimal seed as printed by a failing test; got '" + value + "'");
        }
    }
}
