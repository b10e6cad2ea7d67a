package io.keel.store.sql;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/** Opens databases for a dialect's tests and closes whatever a test opened, newest first. */
abstract class StoreContract {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new connection pool on this test's storage (the same file or schema every time within a test). */
    protected abstract Database connect();

    /** Runs after everything a test opened is closed (e.g. drops the test's schema). */
    protected void cleanUp() throws Exception {
    }

    protected Database db() {
        return track(connect());
    }

    protected <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    @AfterEach
    void closeOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
        opened.clear();
        cleanUp();
    }
}
