package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.FreePorts;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unauthenticated upload of 300 MB to the packaged ingest service, run as a separate process: the
 * service refuses it before reading its body. What the process read is measured by the kernel
 * ({@code rchar} of {@code /proc/<pid>/io}: every byte any of its threads read, sockets included).
 */
class HostileUploadTest {
    private static final String TOKEN = "hostile-token";
    private static final long BODY_BYTES = 300_000_299L;
    private static final String BOUNDARY = "hostile-boundary";
    private static final Map<String, String> MULTIPART = Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    /**
     * "A few MiB": the 1 MiB the service drains after refusing, what the kernel had buffered for it, and
     * the little its Kafka clients read meanwhile.
     */
    private static final long READ_AT_MOST = 4L * 1024 * 1024;
    private static final Duration QUICKLY = Duration.ofSeconds(10);

    private static ServiceProcess ingest;
    private static RawHttp http;
    private static String imports;

    @BeforeAll
    static void startTheIngestService() throws Exception {
        PipelineScenario scenario = new PipelineScenario("hostile" + Long.toHexString(System.nanoTime() & 0xfffff));
        int port = FreePorts.next();
        ingest = new ServiceProcess("ingest-service", scenario.ingest(port, TOKEN)).start();
        http = new RawHttp(port);
        imports = "/api/v2/segments/" + PipelineScenario.PROJECT + "/" + scenario.environmentKey() + "/list/imports";
        ingest.awaitReady();
        // The refusing code runs once before anything is measured: class loading reads the jars too.
        http.send("POST", imports, MULTIPART, upload(2L * 1024 * 1024), 2L * 1024 * 1024);
        http.expectContinue("POST", imports, MULTIPART, upload(1024), 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void anUnauthenticatedUploadOf300MbIsAnsweredOrCutOffAfterAtMostAFewMibRead() throws Exception {
        long before = bytesRead();
        long started = System.nanoTime();
        RawHttp.Answer answer = http.send("POST", imports, MULTIPART, upload(BODY_BYTES), BODY_BYTES);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long read = bytesRead() - before;
        System.out.printf("unauthenticated %d-byte upload: the service read %d bytes, the client sent %d, answer %d"
                + " after %d ms%n", BODY_BYTES, read, answer.bytesSent(), answer.status(), took.toMillis());

        assertThat(read).as("bytes the service read (client sent %d)", answer.bytesSent()).isLessThan(READ_AT_MOST);
        assertThat(took).isLessThan(QUICKLY);
        if (answer.status() != -1) {
            assertUnauthorized(answer);
        }
        assertThat(ingest.isAlive()).isTrue();
    }

    @Test
    void withExpectContinueItIsRefusedWithoutA100ContinueAndNoneOfTheBodyIsSent() throws Exception {
        long before = bytesRead();
        RawHttp.Answer answer = http.expectContinue("POST", imports, MULTIPART, upload(BODY_BYTES), BODY_BYTES);
        long read = bytesRead() - before;

        assertThat(answer.interim()).as("no 100 Continue").isEmpty();
        assertUnauthorized(answer);
        assertThat(answer.header("Connection")).isEqualTo("close");
        assertThat(answer.bytesSent()).isZero();
        assertThat(read).isLessThan(READ_AT_MOST);
    }

    private static void assertUnauthorized(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonPath body = JsonPath.from(answer.body());
        assertThat(body.getString("code")).isEqualTo("unauthorized");
        assertThat(body.getString("message")).isEqualTo("missing Authorization header");
    }

    /** A multipart body of {@code length} bytes: a file part's head, then zeros. */
    private static InputStream upload(long length) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new SequenceInputStream(new ByteArrayInputStream(head), new Zeros(length - head.length));
    }

    /** The kernel's count of bytes the service process read (read-like system calls, any file or socket). */
    private static long bytesRead() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(ingest.pid()), "io"))) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring("rchar:".length()).trim());
            }
        }
        throw new IllegalStateException("no rchar in /proc/" + ingest.pid() + "/io");
    }

    /** {@code remaining} zero bytes, made as they are read. */
    private static final class Zeros extends InputStream {
        private long remaining;

        Zeros(long remaining) {
            this.remaining = remaining;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
