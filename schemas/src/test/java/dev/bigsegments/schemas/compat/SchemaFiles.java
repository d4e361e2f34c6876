package dev.bigsegments.schemas.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Reads the current .avsc files and the released versions kept under src/main/avro-history. */
final class SchemaFiles {
    static final Path CURRENT = Path.of("src/main/avro");
    static final Path HISTORY = Path.of("src/main/avro-history");
    /** Parsed first, as the build does, because the other files refer to the types they define. */
    private static final List<String> IMPORTS = List.of("ContextHash.avsc", "SegmentCommand.avsc");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.avsc");

    private SchemaFiles() {
    }

    /** The current top-level record schemas by simple name. */
    static Map<String, Schema> currentRecords() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> records = new TreeMap<>();
        for (Path file : currentFiles()) {
            Schema schema = parser.parse(file.toFile());
            if (schema.getType() == Schema.Type.RECORD) {
                records.put(schema.getName(), schema);
            }
        }
        return records;
    }

    private static List<Path> currentFiles() throws IOException {
        try (Stream<Path> files = Files.list(CURRENT)) {
            List<Path> rest = files.filter(f -> f.toString().endsWith(".avsc"))
                    .filter(f -> !IMPORTS.contains(f.getFileName().toString())).sorted().toList();
            return Stream.concat(IMPORTS.stream().map(CURRENT::resolve), rest.stream()).toList();
        }
    }

    /** The names of the folders under avro-history. */
    static List<String> historyNames() throws IOException {
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    /** Every kept version of {@code name} by number, each parsed on its own; empty when none is kept. */
    static SortedMap<Integer, Schema> history(String name) throws IOException {
        SortedMap<Integer, Schema> versions = new TreeMap<>();
        Path dir = HISTORY.resolve(name);
        if (!Files.isDirectory(dir)) {
            return versions;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = VERSION.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    throw new IllegalStateException(file + " is not named v<N>.avsc");
                }
                versions.put(Integer.parseInt(m.group(1)), new Schema.Parser().parse(file.toFile()));
            }
        }
        return versions;
    }
}
