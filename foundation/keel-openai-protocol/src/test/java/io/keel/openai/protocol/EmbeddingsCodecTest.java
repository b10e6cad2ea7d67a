package io.keel.openai.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw embeddings scanner: vectors kept as the upstream printed them, anything unusual left to the full parser. */
class EmbeddingsCodecTest {
    private static RawEmbeddings scan(String json, int expected) {
        return EmbeddingsCodec.scanRaw(json.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static String vector(RawEmbeddings raw, int i) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        raw.writeVector(i, out);
        assertThat(out.size()).isEqualTo(raw.vectorLength(i));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEachVectorAsTheUpstreamWroteIt() throws Exception {
        RawEmbeddings raw = scan("""
                {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-1.25e-3,0]},
                 {"object":"embedding","embedding":[ 1 , 2.0E+2 ],"index":0}],"model":"m\\"x[",
                 "usage":{"prompt_tokens":7,"total_tokens":7},"extra":{"a":[true,false,null,"]}"]}}
                """, 2);
        assertThat(raw).isNotNull();
        assertThat(raw.isRaw()).isTrue();
        assertThat(raw.size()).isEqualTo(2);
        assertThat(raw.promptTokens()).isEqualTo(7);
        assertThat(vector(raw, 0)).isEqualTo("[ 1 , 2.0E+2 ]");
        assertThat(vector(raw, 1)).isEqualTo("[0.5,-1.25e-3,0]");
        assertThat(raw.embeddings().vectors().get(0)).containsExactly(1f, 200f);
        assertThat(raw.embeddings().vectors().get(1)).containsExactly(0.5f, -1.25e-3f, 0f);
    }

    @Test
    void leavesAnythingUnusualToTheFullParser() {
        String ok = "{\"data\":[{\"index\":0,\"embedding\":[%s]}]}";
        assertThat(scan(ok.formatted("1,2"), 1)).isNotNull();
        for (String bad : new String[] {"NaN", "1.", "01", "-", "1,,2", ",1", "1,", "\"1\"", "1e", ".5", "[1]", "Infinity"}) {
            assertThat(scan(ok.formatted(bad), 1)).as(bad).isNull();
        }
        assertThat(scan(ok.formatted("1"), 2)).isNull(); // fewer vectors than texts
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}", 2)).isNull();
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"}]}", 1)).isNull(); // base64
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]}]} x", 1)).isNull(); // trailing garbage
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]}]", 1)).isNull(); // truncated
        assertThat(scan("{\"d\\u0061ta\":[{\"index\":0,\"embedding\":[1]}]}", 1)).isNull(); // escaped key
        assertThat(scan("{\"data\":[{\"index\":1.0,\"embedding\":[1]}]}", 2)).isNull();
    }
}
