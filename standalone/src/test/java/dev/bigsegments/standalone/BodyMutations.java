package dev.bigsegments.standalone;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mutations of valid request bodies that make them invalid by construction, each with a description
 * that says exactly what was done (so a failure can be read, and replayed from its seed).
 */
final class BodyMutations {
    /** What the API validates at a field, and so which values are of the wrong type there. */
    enum Kind {
        STRING("123", "true", "{}", "[]", "1.5"),
        /** A context key or cohort id of a tool: a string or an integer. */
        ID("{}", "[]", "true", "1.5"),
        BOOLEAN("\"true\"", "1", "{}", "[]"),
        INTEGER("\"2\"", "1.5", "{}", "[]", "true"),
        ARRAY("\"x\"", "{}", "7", "true"),
        OBJECT("\"x\"", "[]", "7", "true"),
        /** An element of a list of context keys. */
        ELEMENT("7", "{}", "[]", "true", "null");

        final List<String> wrong;

        Kind(String... wrong) {
            this.wrong = List.of(wrong);
        }
    }

    /** A request body with its content type; {@code what} describes the mutation. */
    record Mutant(String what, String contentType, byte[] body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "@@fuzz@@";
    private static final byte[][] NOT_UTF8 = {{(byte) 0x80}, {(byte) 0xbf}, {(byte) 0xfe}, {(byte) 0xff},
            {(byte) 0xc3, '('}, {(byte) 0xe2, '(', (byte) 0xa1}, {(byte) 0xf0, '(', (byte) 0x8c, (byte) 0xbc}};
    private static final List<String> NOT_JSON_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz");
    private static final List<String> NOT_MULTIPART_TYPES = List.of("application/json", "text/csv", "text/plain",
            "application/x-www-form-urlencoded");
    private static final int JSON_MUTATIONS = 7;
    private static final int MULTIPART_MUTATIONS = 8;

    private final SplittableRandom random;
    private final int maxNestingDepth;
    private final int maxNumberLength;
    private final int maxStringLength;

    BodyMutations(SplittableRandom random, int maxNestingDepth, int maxNumberLength, int maxStringLength) {
        this.random = random;
        this.maxNestingDepth = maxNestingDepth;
        this.maxNumberLength = maxNumberLength;
        this.maxStringLength = maxStringLength;
    }

    /**
     * A JSON body (ASCII, no trailing whitespace, every field one the endpoint reads) mutated one way.
     *
     * @param fields the fields the endpoint validates, by JSON Pointer
     * @param typed whether the endpoint refuses a body that is not declared application/json
     */
    Mutant json(String valid, Map<String, Kind> fields, boolean typed) {
        byte[] body = valid.getBytes(StandardCharsets.UTF_8);
        List<String> pointers = fields.keySet().stream().sorted().toList();
        String field = pointers.get(random.nextInt(pointers.size()));
        int choice = random.nextInt(typed ? JSON_MUTATIONS : JSON_MUTATIONS - 1);
        return switch (choice) {
            case 0 -> {
                int at = random.nextInt(body.length);
                yield new Mutant("truncated to " + at + " of " + body.length + " bytes", "application/json",
                        Arrays.copyOf(body, at));
            }
            case 1 -> {
                byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
                int at = random.nextInt(body.length + 1);
                yield new Mutant("bytes " + hex(bad) + " (not UTF-8) inserted at " + at, "application/json",
                        insert(body, at, bad));
            }
            case 2 -> {
                List<String> wrong = fields.get(field).wrong;
                yield replaced(valid, field, wrong.get(random.nextInt(wrong.size())), "a value of the wrong type");
            }
            case 3 -> {
                int depth = maxNestingDepth + 1 + random.nextInt(3_000);
                yield replaced(valid, field, "[".repeat(depth) + "]".repeat(depth), "arrays nested " + depth + " deep");
            }
            case 4 -> {
                int digits = maxNumberLength + 1 + random.nextInt(3_000);
                yield replaced(valid, field, "9".repeat(digits), "a number of " + digits + " digits");
            }
            case 5 -> {
                int length = maxStringLength + 1 + random.nextInt(maxStringLength);
                yield replaced(valid, field, "\"" + "s".repeat(length) + "\"", "a string of " + length + " characters");
            }
            default -> {
                String type = NOT_JSON_TYPES.get(random.nextInt(NOT_JSON_TYPES.size()));
                yield new Mutant("declared as " + type, type, body);
            }
        };
    }

    /** A multipart upload ({@code file} part first, then {@code mode}) mutated one way. */
    Mutant multipart(String boundary, String fileContent, String mode) {
        String valid = multipartBody(boundary, fileContent, mode);
        String type = "multipart/form-data; boundary=" + boundary;
        byte[] body = valid.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(MULTIPART_MUTATIONS)) {
            case 0 -> {
                int at = random.nextInt(valid.indexOf("\r\n--" + boundary + "--"));
                yield new Mutant("cut short at " + at + " of " + body.length + " bytes", type, Arrays.copyOf(body, at));
            }
            case 1 -> {
                String other = garbled(boundary);
                yield new Mutant("boundary " + other + " declared", "multipart/form-data; boundary=" + other, body);
            }
            case 2 -> {
                String declared = "multipart/form-data; boundary=" + garbled(boundary) + "; boundary=" + garbled(boundary);
                yield new Mutant("two boundaries declared, neither the body's: " + declared, declared, body);
            }
            case 3 -> new Mutant("no boundary declared", "multipart/form-data", body);
            case 4 -> {
                int which = random.nextInt(3);
                int at = -1;
                for (int i = 0; i <= which; i++) {
                    at = valid.indexOf("--" + boundary, at + 1);
                }
                String body2 = valid.substring(0, at + 2) + garbled(boundary) + valid.substring(at + 2 + boundary.length());
                yield new Mutant("delimiter " + which + " of 3 garbled", type, body2.getBytes(StandardCharsets.UTF_8));
            }
            case 5 -> {
                String name = random.nextBoolean() ? "name=\"file\"" : "name=\"mode\"";
                int at = valid.indexOf(name) + 8;
                byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
                yield new Mutant("bytes " + hex(bad) + " (not UTF-8) inserted into " + name, type, insert(body, at, bad));
            }
            case 6 -> {
                String wrong = List.of("upsert", "", "merge;replace").get(random.nextInt(3));
                yield new Mutant("mode '" + wrong + "'", type,
                        multipartBody(boundary, fileContent, wrong).getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                String other = NOT_MULTIPART_TYPES.get(random.nextInt(NOT_MULTIPART_TYPES.size()));
                yield new Mutant("declared as " + other, other, body);
            }
        };
    }

    static String multipartBody(String boundary, String fileContent, String mode) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"keys.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + fileContent + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" + mode + "\r\n--" + boundary + "--\r\n";
    }

    /** The body with the value at {@code pointer} replaced by the raw JSON text {@code value}. */
    private static Mutant replaced(String valid, String pointer, String value, String what) {
        try {
            JsonNode root = JSON.readTree(valid);
            JsonPointer at = JsonPointer.compile(pointer);
            JsonNode parent = root.at(at.head());
            if (parent instanceof ObjectNode object) {
                object.set(at.last().getMatchingProperty(), TextNode.valueOf(PLACEHOLDER));
            } else {
                ((ArrayNode) parent).set(at.last().getMatchingIndex(), TextNode.valueOf(PLACEHOLDER));
            }
            String body = JSON.writeValueAsString(root).replace("\"" + PLACEHOLDER + "\"", value);
            String shown = value.length() > 20 ? value.substring(0, 20) + "…" : value;
            return new Mutant(what + " at " + pointer + ": " + shown, "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another boundary of the same length. */
    private String garbled(String boundary) {
        String other;
        do {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < boundary.length(); i++) {
                s.append((char) ('a' + random.nextInt(26)));
            }
            other = s.toString();
        } while (other.equals(boundary));
        return other;
    }

    private static byte[] insert(byte[] body, int at, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.write(bytes, 0, bytes.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
