package io.keel.cli;

/** What the keel command's exit status means. */
final class ExitCodes {
    static final int OK = 0;
    /** Something failed while running (a missing collection, an unreadable file, a server that did not start). */
    static final int FAILED = 1;
    /** Wrong usage or invalid configuration: fix the command line or keel.yaml. */
    static final int USAGE = 2;
    /** The work finished, but some inputs were rejected (see the report). */
    static final int PARTIAL = 3;

    private ExitCodes() {
    }
}
