package io.keel.test;

import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;

import java.util.ArrayList;
import java.util.List;

/** Records every callback of a stream, and on which thread, so tests can check the listener contract. */
public final class RecordingStreamListener implements StreamListener {
    public final List<String> tokens = new ArrayList<>();
    public final List<ToolCallDelta> deltas = new ArrayList<>();
    public final List<Thread> threads = new ArrayList<>();
    public ChatResponse completed;
    public Throwable error;
    public int terminals;

    @Override
    public void onToken(String token) {
        threads.add(Thread.currentThread());
        tokens.add(token);
    }

    @Override
    public void onToolCallDelta(ToolCallDelta delta) {
        threads.add(Thread.currentThread());
        deltas.add(delta);
    }

    @Override
    public void onComplete(ChatResponse response) {
        threads.add(Thread.currentThread());
        completed = response;
        terminals++;
    }

    @Override
    public void onError(Throwable e) {
        threads.add(Thread.currentThread());
        error = e;
        terminals++;
    }
}
