package io.keel.cli;

import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT for {@code keel serve}: the first starts a graceful shutdown on a thread of its own; a second one,
 * or the shutdown outlasting its deadline, ends the process at once ({@link Runtime#halt}, no more waiting).
 *
 * <p>The JVM's default for these signals runs the shutdown hooks, and a second signal during them does nothing; Kubernetes
 * and operators expect a second SIGTERM (or Ctrl-C twice) to stop the process now, hence the handlers.
 */
final class ShutdownSignals {
    /** 128 + SIGTERM, as a shell reports a process ended by the signal. */
    static final int FORCED_EXIT = 143;

    private final AtomicInteger received = new AtomicInteger();
    private final Runnable begin;
    private final Runnable graceful;
    private final Duration deadline;

    private ShutdownSignals(Runnable begin, Runnable graceful, Duration deadline) {
        this.begin = begin;
        this.graceful = graceful;
        this.deadline = deadline;
    }

    /**
     * Installs the handlers. On the first signal {@code begin} runs on the signal's thread (it must not block: it turns
     * readiness off, so that is done before the drain is reported), then {@code graceful} runs on a thread of its own;
     * {@code deadline} after that signal the process halts whatever it is doing.
     */
    static void install(Runnable begin, Runnable graceful, Duration deadline) {
        ShutdownSignals s = new ShutdownSignals(begin, graceful, deadline);
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s::received);
            } catch (IllegalArgumentException e) {
                // the signal is reserved here (-Xrs, or an unknown platform): the JVM's shutdown hook still closes Keel
            }
        }
    }

    private void received(Signal signal) {
        if (received.incrementAndGet() > 1) {
            System.err.println("keel: SIG" + signal.getName() + " again: stopping now");
            Runtime.getRuntime().halt(FORCED_EXIT);
        }
        begin.run();
        System.err.println("keel: SIG" + signal.getName() + ": draining (in-flight requests get up to the grace period; "
                + "send it again to stop now)");
        Thread watchdog = Thread.ofPlatform().daemon().name("keel-shutdown-deadline").unstarted(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("keel: shutdown did not finish within " + deadline.toSeconds() + " s: stopping now");
            Runtime.getRuntime().halt(FORCED_EXIT);
        });
        watchdog.start();
        Thread.ofPlatform().name("keel-shutdown").start(graceful);
    }
}
