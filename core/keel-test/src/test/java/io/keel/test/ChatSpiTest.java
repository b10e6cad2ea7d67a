package io.keel.test;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.SseReader;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK-only pieces of the chat SPI in keel-core that the providers share. */
class ChatSpiTest {
    private static SseReader reader(String text) {
        return new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sseReaderFramesEventsAsTheSpecificationSays() throws IOException {
        SseReader r = reader(": comment\nevent: message_start\ndata: {\"a\":1}\n\ndata: line1\ndata: line2\n\n"
                + "data:no-space\r\n\r\ndata: cut off without blank line");
        assertThat(r.next()).isEqualTo(new SseReader.Event("message_start", "{\"a\":1}"));
        assertThat(r.next()).isEqualTo(new SseReader.Event("message", "line1\nline2"));
        assertThat(r.next()).isEqualTo(new SseReader.Event("message", "no-space"));
        assertThat(r.next()).as("a truncated event is dropped, never half-delivered").isNull();
    }

    @Test
    void statusesMapOntoRetryableAndNonRetryableCodes() {
        assertThat(UpstreamException.ofStatus("u", 429, "", "1.5").retryAfter()).hasValue(Duration.ofMillis(1500));
        assertThat(UpstreamException.ofStatus("u", 429, "", null).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(UpstreamException.ofStatus("u", 502, "", null).retryable()).isTrue();
        assertThat(UpstreamException.ofStatus("u", 503, "", null).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(UpstreamException.ofStatus("u", 504, "", null).code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(UpstreamException.ofStatus("u", 401, "", null).retryable()).isFalse();
        assertThat(UpstreamException.ofStatus("u", 422, "", null).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(UpstreamException.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).hasValue(Duration.ZERO);
        assertThat(UpstreamException.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void requestsAndMessagesRejectWhatNoProviderAccepts() {
        assertThatThrownBy(() -> ChatRequest.of("m", List.of())).hasMessageContaining("messages must not be empty");
        assertThatThrownBy(() -> ChatMessage.tool(" ", "x")).hasMessageContaining("tool_call_id");
        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.USER, null, List.of(), null, null))
                .hasMessageContaining("needs content or tool calls");
        assertThat(ChatMessage.Role.fromWire("developer")).isEqualTo(ChatMessage.Role.SYSTEM);
    }
}
