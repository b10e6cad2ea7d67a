package io.keel.stream.kafka;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.ForwardingCollectionIndex;

/**
 * A real collection index with injected commit failures. {@link #crashingAt} dies as a process killed at the worst
 * moment would: commit number {@code n} reaches the disk but its caller never learns so (the Kafka offsets stay
 * uncommitted), and every later commit fails without writing. {@link #failingFirst} fails its first {@code n}
 * commits without writing, like a disk that is briefly full, and then works. Everything else goes straight to the
 * real index.
 */
final class CrashingIndex extends ForwardingCollectionIndex {
    private final int crashAt;
    private final int failFirst;
    private int commits;
    private volatile boolean crashed;

    private CrashingIndex(CollectionIndex delegate, int crashAt, int failFirst) {
        super(delegate);
        this.crashAt = crashAt;
        this.failFirst = failFirst;
    }

    static CrashingIndex crashingAt(CollectionIndex delegate, int commit) {
        return new CrashingIndex(delegate, commit, 0);
    }

    static CrashingIndex failingFirst(CollectionIndex delegate, int commits) {
        return new CrashingIndex(delegate, Integer.MAX_VALUE, commits);
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public synchronized long commit() {
        commits++;
        if (commits <= failFirst) throw new KeelException(ErrorCode.UNAVAILABLE, "simulated failure of commit " + commits);
        if (commits == crashAt) {
            delegate().commit();
            crashed = true;
        }
        if (crashed) throw new KeelException(ErrorCode.UNAVAILABLE, "simulated crash at commit " + commits);
        return delegate().commit();
    }
}
