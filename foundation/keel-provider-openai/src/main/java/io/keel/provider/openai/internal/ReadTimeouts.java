package io.keel.provider.openai.internal;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Read timeouts for blocking sockets without timed reads. A timed socket read on a virtual thread arms a timer in the
 * scheduler's delay queue and cancels it afterwards, waking the scheduler's timer thread each time; measured through
 * Keel's gateway on 2 cores at 50 connections, that was a quarter of a request's CPU. Here one daemon thread watches
 * every armed connection and closes the socket of one that has received nothing for its timeout, so its blocked read
 * fails at once. The thread sleeps until the earliest deadline and is woken only when an earlier one is armed: a busy
 * client with equal timeouts causes no wake-ups at all (OkHttp's {@code AsyncTimeout} works the same way).
 */
final class ReadTimeouts {
    static final ReadTimeouts SHARED = new ReadTimeouts();

    private final ConcurrentSkipListSet<Watch> armed = new ConcurrentSkipListSet<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread watchdog;

    ReadTimeouts() {
        watchdog = Thread.ofPlatform().daemon().name("keel-http-read-timeouts").start(this::run);
    }

    /** One connection's timeout, from {@link #arm} to {@link #disarm}. */
    final class Watch implements Comparable<Watch> {
        private final Socket socket;
        private final long timeoutNanos;
        private final long id = ids.incrementAndGet();
        /** When the watchdog looks at this watch next; the set's sort key, so changed only while it is not in the set. */
        private long checkAt;
        private volatile long lastReceived;
        private volatile boolean active = true;
        private volatile boolean expired;

        private Watch(Socket socket, long timeoutNanos) {
            this.socket = socket;
            this.timeoutNanos = timeoutNanos;
            this.lastReceived = System.nanoTime();
            this.checkAt = lastReceived + timeoutNanos;
        }

        /** Bytes arrived: the timeout starts again. */
        void received() {
            lastReceived = System.nanoTime();
        }

        /** Whether the watchdog closed the socket because nothing arrived for the timeout. */
        boolean expired() {
            return expired;
        }

        Duration timeout() {
            return Duration.ofNanos(timeoutNanos);
        }

        /** Stops watching; once this returns, the watchdog no longer closes the socket. */
        void disarm() {
            synchronized (this) {
                active = false;
            }
            armed.remove(this);
        }

        private synchronized void expire() {
            if (!active) return;
            expired = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }

        @Override
        public int compareTo(Watch o) {
            int c = Long.compare(checkAt - o.checkAt, 0);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    /** Starts watching {@code socket}: it is closed when nothing arrives for {@code timeout}. */
    Watch arm(Socket socket, Duration timeout) {
        Watch w = new Watch(socket, Math.max(1, timeout.toNanos()));
        armed.add(w);
        if (first() == w) LockSupport.unpark(watchdog);
        return w;
    }

    private Watch first() {
        try {
            return armed.first();
        } catch (NoSuchElementException e) {
            return null;
        }
    }

    private void run() {
        while (true) {
            Watch first = first();
            if (first == null) {
                LockSupport.park(this);
                continue;
            }
            long now = System.nanoTime();
            if (first.checkAt - now > 0) {
                LockSupport.parkNanos(this, first.checkAt - now);
                continue;
            }
            if (!armed.remove(first)) continue;   // disarmed meanwhile
            long due = first.lastReceived + first.timeoutNanos;
            if (due - now > 0) {
                first.checkAt = due;               // bytes arrived since it was armed: look again at the new deadline
                armed.add(first);
                if (!first.active) armed.remove(first);
            } else {
                first.expire();
            }
        }
    }
}
