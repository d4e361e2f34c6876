package dev.bigsegments.ingest.csv;

/**
 * The RFC 4180 state machine, fed bytes in pieces of any size. It copies the first field of each
 * record (unquoted, doubled quotes undone) into one reused buffer, counts physical lines, and reports
 * each record when its terminator or the end of input is seen. The delimiters are ASCII, which never
 * occurs inside a multi-byte UTF-8 sequence, so working on bytes is safe for any UTF-8 input.
 */
final class CsvScanner {

    /** Receives each record; the key buffer is reused for the next record. */
    interface Records {
        /**
         * @param keyLength the key's true length, capped at one more than the buffer holds
         * @param malformed why the record's quoting is broken, or null
         */
        void record(long line, byte[] key, int keyLength, String malformed);

        void blank(long line);
    }

    private static final byte QUOTE = '"';
    private static final byte COMMA = ',';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int AFTER_QUOTE = 3;
    /** After malformed quoting the field boundaries are guesswork: resume at the next line break. */
    private static final int SKIP_LINE = 4;

    private final Records records;
    private final byte[] key;
    private int keyLength;
    private int state = FIELD_START;
    private int column;
    private long line = 1;
    private long recordLine = 1;
    private boolean afterCr;
    private String malformed;

    CsvScanner(int maxKeyBytes, Records records) {
        this.key = new byte[maxKeyBytes];
        this.records = records;
    }

    void feed(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            // The LF of a CRLF pair: the CR already ended the record or counted the line.
            boolean crlfTail = afterCr && b == LF;
            afterCr = b == CR;
            switch (state) {
                case FIELD_START -> fieldStart(b, crlfTail);
                case UNQUOTED -> unquoted(b);
                case QUOTED -> quoted(b, crlfTail);
                case AFTER_QUOTE -> afterQuote(b);
                default -> skipLine(b);
            }
        }
    }

    /** End of input: a record without a final line break still counts; an open quote is an error. */
    void finish() {
        if (state == QUOTED) {
            fail("unterminated quoted field");
        }
        if (state != FIELD_START || column > 0) {
            emit();
        }
    }

    private void fieldStart(byte b, boolean crlfTail) {
        if (crlfTail) {
            return;
        }
        switch (b) {
            case QUOTE -> state = QUOTED;
            case COMMA -> column++;
            case CR, LF -> endRecord();
            default -> {
                append(b);
                state = UNQUOTED;
            }
        }
    }

    private void unquoted(byte b) {
        switch (b) {
            case COMMA -> nextField();
            case CR, LF -> endRecord();
            case QUOTE -> fail("quote inside an unquoted field");
            default -> append(b);
        }
    }

    private void quoted(byte b, boolean crlfTail) {
        if (b == QUOTE) {
            state = AFTER_QUOTE;
            return;
        }
        if (b == CR || (b == LF && !crlfTail)) {
            line++;
        }
        append(b);
    }

    private void afterQuote(byte b) {
        switch (b) {
            case QUOTE -> {
                append(QUOTE);
                state = QUOTED;
            }
            case COMMA -> nextField();
            case CR, LF -> endRecord();
            default -> fail("unexpected character after a closing quote");
        }
    }

    private void skipLine(byte b) {
        if (b == CR || b == LF) {
            endRecord();
        }
    }

    /** Only the first field is kept; past the buffer only the length grows, and it stops one past. */
    private void append(byte b) {
        if (column == 0 && keyLength <= key.length) {
            if (keyLength < key.length) {
                key[keyLength] = b;
            }
            keyLength++;
        }
    }

    private void nextField() {
        column++;
        state = FIELD_START;
    }

    private void fail(String reason) {
        if (malformed == null) {
            malformed = reason + " (column " + (column + 1) + ")";
        }
        state = SKIP_LINE;
    }

    private void endRecord() {
        line++;
        emit();
    }

    private void emit() {
        if (state == FIELD_START && column == 0) {
            records.blank(recordLine);
        } else {
            records.record(recordLine, key, keyLength, malformed);
        }
        recordLine = line;
        state = FIELD_START;
        column = 0;
        keyLength = 0;
        malformed = null;
    }
}
