package dev.bigsegments.cli.diff;

import dev.bigsegments.store.SetOp;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints a diff per segment ref: counts and a few example context hashes, never raw context keys. */
public final class DiffReport {
    private static final String ROW = "%-40s %-9s %10s %10s  %s%n";

    private DiffReport() {
    }

    public static void print(PrintWriter out, MembershipDiff diff, int examples) {
        Map<String, Row> rows = new TreeMap<>();
        diff.missing().forEach(op -> rows.computeIfAbsent(rowKey(op), k -> new Row(op)).missing(op, examples));
        diff.extra().forEach(op -> rows.computeIfAbsent(rowKey(op), k -> new Row(op)).extra(op, examples));
        out.printf(ROW, "SEGMENT REF", "LIST", "MISSING", "EXTRA", "EXAMPLE HASHES");
        for (Row row : rows.values()) {
            out.printf(ROW, row.ref, row.list, row.missing, row.extra, String.join(" ", row.examples));
        }
        for (Slot slot : diff.wrongType()) {
            out.printf(ROW, "(key of the wrong type)", list(slot), "-", "-", slot.contextHash());
        }
        out.printf("total: %,d missing, %,d extra, %,d keys of the wrong type%n", diff.missing().size(),
                diff.extra().size(), diff.wrongType().size());
        out.flush();
    }

    private static String rowKey(SetOp op) {
        return op.segmentRef() + "\0" + op.list();
    }

    private static String list(Slot slot) {
        return slot.list().name().toLowerCase();
    }

    private static final class Row {
        final String ref;
        final String list;
        final List<String> examples = new ArrayList<>();
        long missing;
        long extra;

        Row(SetOp op) {
            this.ref = op.segmentRef();
            this.list = op.list().name().toLowerCase();
        }

        void missing(SetOp op, int max) {
            missing++;
            example(op, max);
        }

        void extra(SetOp op, int max) {
            extra++;
            example(op, max);
        }

        private void example(SetOp op, int max) {
            if (examples.size() < max) {
                examples.add(op.contextHash());
            }
        }
    }
}
