package io.keel.core.spi;

/** Durable record of every request. Implementations must not throw on a write failure that loses no answer. */
public interface RequestLog extends AutoCloseable {
    void record(RequestRecord record);

    @Override
    default void close() {
    }

    RequestLog NONE = record -> { };
}
