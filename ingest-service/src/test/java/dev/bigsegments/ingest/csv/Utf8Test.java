package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void validSequencesOfEveryLengthAreAccepted() {
        assertValid("plain ascii");
        assertValid("é€😀");
        assertValid(0xED, 0x9F, 0xBF); // U+D7FF, just below the surrogates
        assertValid(0xEE, 0x80, 0x80); // U+E000, just above them
        assertValid(0xF4, 0x8F, 0xBF, 0xBF); // U+10FFFF
        assertValid(0x00); // NUL is a character like any other
    }

    @Test
    void overlongEncodingsAreInvalid() {
        assertInvalid(0xC0, 0xAF);
        assertInvalid(0xC1, 0xBF);
        assertInvalid(0xE0, 0x80, 0xAF);
        assertInvalid(0xE0, 0x9F, 0xBF);
        assertInvalid(0xF0, 0x80, 0x80, 0xAF);
        assertInvalid(0xF0, 0x8F, 0xBF, 0xBF);
    }

    @Test
    void encodedSurrogatesAreInvalid() {
        assertInvalid(0xED, 0xA0, 0x80); // U+D800
        assertInvalid(0xED, 0xBF, 0xBF); // U+DFFF
        assertInvalid(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80); // CESU-8 style pair for U+1F600
    }

    @Test
    void codePointsAboveTheUnicodeRangeAreInvalid() {
        assertInvalid(0xF4, 0x90, 0x80, 0x80);
        assertInvalid(0xF5, 0x80, 0x80, 0x80);
        assertInvalid(0xFF);
    }

    @Test
    void loneContinuationBytesAreInvalid() {
        assertInvalid(0x80);
        assertInvalid('a', 0xBF, 'b');
        assertInvalid(0xC3, 0xA9, 0xA9); // é followed by a spare continuation byte
    }

    @Test
    void truncatedSequencesAreInvalid() {
        assertInvalid(0xC3);
        assertInvalid(0xE2, 0x82);
        assertInvalid(0xF0, 0x9F, 0x98);
        assertInvalid(0xE2, 'a', 0xAC); // the sequence is cut by an ASCII byte
    }

    @Test
    void onlyTheGivenRangeIsChecked() {
        byte[] bytes = {(byte) 0xFF, 'o', 'k', (byte) 0xC3};
        assertThat(Utf8.isValid(bytes, 1, 2)).isTrue();
        assertThat(Utf8.isValid(bytes, 1, 3)).isFalse();
    }

    @Test
    void agreesWithTheJdkStrictDecoderOnRandomBytes() {
        Random random = new Random(4180);
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
            0xE0, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
        for (int run = 0; run < 200_000; run++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : random.nextInt(256));
            }
            assertThat(Utf8.isValid(bytes, 0, bytes.length)).as("%s", HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkAccepts(bytes));
        }
    }

    @Test
    void invalidKeysAreRejectedRowsWithTheirLine() {
        byte[] csv = CsvKeyReaderTest.bytes(new byte[] {'o', 'k', '\n', (byte) 0xC0, (byte) 0xAF, '\n',
            (byte) 0xED, (byte) 0xA0, (byte) 0x80, ',', 'x', '\n', (byte) 0x80, '\n', 'a', (byte) 0xE2,
            (byte) 0x82, ',', 'b', '\n', 'o', 'k', ',', (byte) 0xFF, '\n', 'z', (byte) 0xF0, (byte) 0x9F}, "");
        assertThat(CsvRecording.read(csv, CsvImportLimits.DEFAULTS).events).containsExactly(
                "key 1 ok", "rejected 2 invalid UTF-8", "rejected 3 invalid UTF-8", "rejected 4 invalid UTF-8",
                "rejected 5 invalid UTF-8", "key 6 ok", "rejected 7 invalid UTF-8");
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void assertValid(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).as(text).isTrue();
    }

    private static void assertValid(int... values) {
        assertThat(Utf8.isValid(toBytes(values), 0, values.length)).isTrue();
    }

    private static void assertInvalid(int... values) {
        byte[] bytes = toBytes(values);
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes)).isFalse();
        assertThat(jdkAccepts(bytes)).as("the JDK agrees").isFalse();
    }

    private static byte[] toBytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
