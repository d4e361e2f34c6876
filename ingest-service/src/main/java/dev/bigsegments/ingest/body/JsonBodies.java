package dev.bigsegments.ingest.body;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Reads request bodies as JSON with the service's one configured mapper (its {@link JsonLimits}), bounded
 * in bytes by a {@link BodyLimit}, strictly UTF-8. Every failure becomes a domain error:
 * {@link InvalidRequest} naming the line, column and JSON Pointer of the fault (or the JSON limit
 * exceeded), or the body limit's {@code LimitExceeded}.
 */
public final class JsonBodies {
    private static final int MAX_POINTER_CHARS = 200;
    private static final int MAX_REASON_CHARS = 300;
    /** Jackson's own location inside a message ("[Source: REDACTED ...; line: 2, column: 9]"), shortened. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    /** Reads what it needs from a parser positioned before the body's first token. */
    public interface Reader<T> {
        T read(JsonParser parser) throws IOException;
    }

    private JsonBodies() {
    }

    /** One JSON value of {@code type}, nothing after it; null for an empty body. */
    public static <T> T readValue(ObjectMapper mapper, InputStream body, BodyLimit limit, Class<T> type) {
        return read(mapper, limit.wrap(body), parser -> {
            if (parser.nextToken() == null) {
                return null;
            }
            T value = mapper.readValue(parser, type);
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "content after the JSON value");
            }
            return value;
        });
    }

    /** Runs {@code reader} over the body, translating every failure (see the class comment). */
    public static <T> T read(ObjectMapper mapper, InputStream body, Reader<T> reader) {
        JsonParser parser = null;
        try {
            parser = mapper.createParser(new StrictUtf8InputStream(body));
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return reader.read(parser);
        } catch (LimitedInputStream.TooLarge e) {
            throw e.limit().exceeded();
        } catch (StrictUtf8InputStream.Malformed e) {
            throw new InvalidRequest(e.getMessage());
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof LimitedInputStream.TooLarge tooLarge) {
                throw tooLarge.limit().exceeded();
            }
            if (e.getCause() instanceof StrictUtf8InputStream.Malformed malformed) {
                throw new InvalidRequest(malformed.getMessage());
            }
            throw new InvalidRequest(describe(e, parser, mapper));
        } catch (IOException e) {
            throw new InvalidRequest("the body could not be read: " + e.getMessage());
        } finally {
            closeQuietly(parser);
        }
    }

    static String describe(JsonProcessingException e, JsonParser parser, ObjectMapper mapper) {
        JsonLocation at = e.getLocation() != null ? e.getLocation()
                : parser == null ? JsonLocation.NA : parser.currentLocation();
        String pointer = parser == null ? "" : pointer(parser);
        String where = "line " + at.getLineNr() + ", column " + at.getColumnNr()
                + (pointer.isEmpty() ? "" : ", at " + pointer);
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return (pointer.isEmpty() ? "the body" : pointer) + " must be " + expected(mismatch.getTargetType())
                    + " (" + where + ")";
        }
        StreamConstraintsException limit = constraint(e);
        String reason = limit != null ? JsonLimits.explain(limit, mapper.getFactory().streamReadConstraints())
                : "the body is not valid JSON: " + shorten(SOURCE.matcher(String.valueOf(e.getOriginalMessage()))
                        .replaceAll("line $1, column $2"), MAX_REASON_CHARS);
        return reason + " (" + where + ")";
    }

    /** The violated JSON limit, also when the databind layer wrapped it on its way out. */
    private static StreamConstraintsException constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    /** Where the parser stopped, as a JSON Pointer (an object's current field name included). */
    private static String pointer(JsonParser parser) {
        var context = parser.getParsingContext();
        return context == null ? "" : shorten(context.pathAsPointer().toString(), MAX_POINTER_CHARS);
    }

    private static String expected(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String shorten(String text, int max) {
        String t = String.valueOf(text);
        int newline = t.indexOf('\n');
        if (newline >= 0) {
            t = t.substring(0, newline);
        }
        return t.length() <= max ? t : t.substring(0, max) + "…";
    }

    private static void closeQuietly(JsonParser parser) {
        if (parser == null) {
            return;
        }
        try {
            parser.close();
        } catch (IOException e) {
            // the request stream is the framework's to close; nothing was held
        }
    }
}
