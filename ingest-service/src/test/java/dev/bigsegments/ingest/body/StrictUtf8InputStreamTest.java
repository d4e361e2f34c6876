package dev.bigsegments.ingest.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8InputStreamTest {
    @Test
    void validUtf8PassesUnchangedEvenWhenEverySequenceIsSplitAcrossReads() throws IOException {
        byte[] text = "ключ-🙂-é-\uFEFF-x".getBytes(StandardCharsets.UTF_8);
        assertThat(readOneByteAtATime(text)).isEqualTo(text);
        assertThat(new StrictUtf8InputStream(new ByteArrayInputStream(text)).readAllBytes()).isEqualTo(text);
    }

    @Test
    void theFirstByteThatIsNotUtf8FailsTheReadWithItsOffset() {
        assertMalformedAt(new byte[] {'a', 'b', (byte) 0xff, 'c'}, 2);
        assertMalformedAt(new byte[] {'a', (byte) 0x80}, 1);
        assertMalformedAt(new byte[] {'a', (byte) 0xc0, (byte) 0xaf}, 1);
        assertMalformedAt(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, 0);
        assertMalformedAt(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0);
        assertMalformedAt(new byte[] {'a', 'b', (byte) 0xe2, (byte) 0x82}, 2);
    }

    private static void assertMalformedAt(byte[] bytes, long offset) {
        String message = "the body is not valid UTF-8 (byte " + offset + ")";
        assertThatThrownBy(() -> new StrictUtf8InputStream(new ByteArrayInputStream(bytes)).readAllBytes())
                .isInstanceOf(StrictUtf8InputStream.Malformed.class).hasMessage(message);
        assertThatThrownBy(() -> readOneByteAtATime(bytes)).isInstanceOf(StrictUtf8InputStream.Malformed.class)
                .hasMessage(message);
    }

    private static byte[] readOneByteAtATime(byte[] bytes) throws IOException {
        InputStream in = new StrictUtf8InputStream(new ByteArrayInputStream(bytes));
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            out[n++] = (byte) b;
        }
        return out;
    }
}
