package dev.bigsegments.ingest.csv;

import java.io.InputStream;

/**
 * An endless-looking CSV file made on the fly, without allocating: row n is {@code user-n,<n>\r\n},
 * every tenth key quoted and every hundredth row blank. Nothing is kept once it has been read.
 */
final class GeneratedCsv extends InputStream {
    private final long rows;
    private final byte[] row = new byte[64];
    private int rowLength;
    private int rowPosition;
    private long nextRow = 1;

    GeneratedCsv(long rows) {
        this.rows = rows;
    }

    static boolean isBlank(long row) {
        return row % 100 == 0;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int written = 0;
        while (written < len) {
            if (rowPosition == rowLength && !makeRow()) {
                return written == 0 ? -1 : written;
            }
            int n = Math.min(len - written, rowLength - rowPosition);
            System.arraycopy(row, rowPosition, b, off + written, n);
            rowPosition += n;
            written += n;
        }
        return written;
    }

    private boolean makeRow() {
        if (nextRow > rows) {
            return false;
        }
        long n = nextRow++;
        rowLength = 0;
        rowPosition = 0;
        if (!isBlank(n)) {
            boolean quoted = n % 10 == 1;
            put(quoted ? "\"user-" : "user-");
            putNumber(n);
            put(quoted ? "\",\"" : ",\"");
            putNumber(n);
            put("\"");
        }
        put("\r\n");
        return true;
    }

    private void put(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            row[rowLength++] = (byte) ascii.charAt(i);
        }
    }

    private void putNumber(long n) {
        int start = rowLength;
        do {
            row[rowLength++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = rowLength - 1; i < j; i++, j--) {
            byte t = row[i];
            row[i] = row[j];
            row[j] = t;
        }
    }
}
