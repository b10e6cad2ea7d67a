package io.keel.app.log;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.List;

/** Hands every record to several logs in order (the durable request log, the metrics). */
public final class CompositeRequestLog implements RequestLog {
    private final List<RequestLog> logs;

    public CompositeRequestLog(List<RequestLog> logs) {
        this.logs = List.copyOf(logs);
    }

    @Override
    public void record(RequestRecord record) {
        for (RequestLog log : logs) log.record(record);
    }

    @Override
    public void close() {
        for (RequestLog log : logs) log.close();
    }
}
