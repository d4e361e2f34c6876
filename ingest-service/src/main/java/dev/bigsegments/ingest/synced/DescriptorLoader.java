package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads integration descriptors: one {@code <integrationKey>.json} file per tool, shaped like an
 * integration-framework manifest ({@code capabilities.syncedSegment.requestParser}, and
 * {@code jsonResponseBody} when the tool wants Heap's response body). Every file is validated.
 */
public final class DescriptorLoader {
    /** The classpath folder of the descriptors shipped with the service. */
    public static final String CLASSPATH_FOLDER = "integrations";
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DescriptorLoader() {
    }

    /** Parses and validates one descriptor; the integration key is the file name without {@code .json}. */
    public static IntegrationDescriptor parse(String fileName, InputStream in) {
        String key = fileName.substring(0, fileName.length() - SUFFIX.length());
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidDescriptorException(fileName, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read integration descriptor " + fileName, e);
        }
        JsonNode synced = root == null ? null : root.path("capabilities").path("syncedSegment");
        if (synced == null || !synced.isObject()) {
            throw new InvalidDescriptorException(fileName, "capabilities.syncedSegment is required");
        }
        RequestParserSpec spec;
        try {
            spec = synced.hasNonNull("requestParser")
                    ? JSON.treeToValue(synced.get("requestParser"), RequestParserSpec.class) : null;
        } catch (JsonProcessingException e) {
            throw new InvalidDescriptorException(fileName, "requestParser: " + e.getOriginalMessage(), e);
        }
        return DescriptorValidator.validate(fileName, key, spec, synced.hasNonNull("jsonResponseBody"));
    }

    /** Every {@code *.json} of a folder, by integration key. */
    public static Map<String, IntegrationDescriptor> fromDirectory(Path dir) {
        Map<String, IntegrationDescriptor> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    IntegrationDescriptor d = parse(file.getFileName().toString(), in);
                    out.put(d.key(), d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read integration descriptors in " + dir, e);
        }
        return out;
    }

    /** Every descriptor in the {@value #CLASSPATH_FOLDER} folder of the classpath (folders and jars). */
    public static Map<String, IntegrationDescriptor> fromClasspath(ClassLoader loader) {
        Map<String, IntegrationDescriptor> out = new TreeMap<>();
        try {
            Enumeration<URL> roots = loader.getResources(CLASSPATH_FOLDER);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    out.putAll(fromJar(root));
                } else if ("file".equals(root.getProtocol())) {
                    out.putAll(fromDirectory(Paths.get(root.toURI())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list integration descriptors", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list integration descriptors", e);
        }
        return out;
    }

    private static Map<String, IntegrationDescriptor> fromJar(URL root) throws IOException {
        Map<String, IntegrationDescriptor> out = new TreeMap<>();
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            String prefix = CLASSPATH_FOLDER + "/";
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith(prefix) && name.endsWith(SUFFIX) && name.indexOf('/', prefix.length()) < 0) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        IntegrationDescriptor d = parse(name.substring(prefix.length()), in);
                        out.put(d.key(), d);
                    }
                }
            }
        }
        return out;
    }
}
