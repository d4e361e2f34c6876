package dev.bigsegments.standalone;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library hides or refuses: the source address,
 * {@code Expect: 100-continue} and the interim answer, and a body still being sent while the server
 * answers (and perhaps closes). Every read is bounded by a timeout.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int CHUNK = 64 * 1024;

    /**
     * What came back: the final status (-1 when the connection ended before one), headers by lower-case
     * name, the body, the interim (1xx) statuses before it, and how many body bytes the client sent.
     */
    record Answer(int status, Map<String, String> headers, String body, List<Integer> interim, long bytesSent) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final int port;
    private InetAddress localAddress;

    RawHttp(int port) {
        this.port = port;
    }

    /** Requests come from this loopback address (any of 127.0.0.0/8), so a test can be a client of its own. */
    RawHttp from(String address) throws IOException {
        this.localAddress = InetAddress.getByName(address);
        return this;
    }

    /**
     * Sends the head, then the body on another thread while the answer is read, as a client streaming an
     * upload does; a body of unknown length goes chunked.
     *
     * @param length the Content-Length to declare, or -1 for chunked
     */
    Answer send(String method, String path, Map<String, String> headers, InputStream body, long length)
            throws Exception {
        try (Socket socket = connect()) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(length < 0 ? "Transfer-Encoding" : "Content-Length", length < 0 ? "chunked" : Long.toString(length));
            socket.getOutputStream().write(head(method, path, all));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> write(socket, body, length < 0, sent), "raw-http-body");
            writer.start();
            Answer answer = read(new BufferedInputStream(socket.getInputStream()), sent);
            // The server answered or closed: stop sending what it will not read.
            socket.shutdownInput();
            writer.join(TIMEOUT_MILLIS);
            return new Answer(answer.status(), answer.headers(), answer.body(), answer.interim(), sent.get());
        }
    }

    Answer send(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        return send(method, path, headers, new ByteArrayInputStream(body), body.length);
    }

    /**
     * {@code Expect: 100-continue}: the head alone, then the body only if the first answer is
     * {@code 100 Continue} (then listed in {@link Answer#interim}); otherwise the first answer is the final one.
     */
    Answer expectContinue(String method, String path, Map<String, String> headers, InputStream body, long length)
            throws Exception {
        try (Socket socket = connect(); InputStream content = body) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Length", Long.toString(length));
            all.put("Expect", "100-continue");
            socket.getOutputStream().write(head(method, path, all));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head first = readHead(in);
            if (first == null || first.status() != 100) {
                return first == null ? closed(0) : finish(first, in, List.of(), 0);
            }
            long sent = content.transferTo(socket.getOutputStream());
            Head last = readHead(in);
            return last == null ? closed(sent) : finish(last, in, List.of(100), sent);
        }
    }

    Answer expectContinue(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        return expectContinue(method, path, headers, new ByteArrayInputStream(body), body.length);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static byte[] head(String method, String path, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void write(Socket socket, InputStream body, boolean chunked, AtomicLong sent) {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = body) {
            OutputStream out = socket.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(buffer, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                sent.addAndGet(n);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException e) {
            // The server closed the connection: what it refused is not sent.
        }
    }

    private static Answer read(InputStream in, AtomicLong sent) throws IOException {
        List<Integer> interim = new ArrayList<>();
        try {
            while (true) {
                Head head = readHead(in);
                if (head == null) {
                    return closed(sent.get());
                }
                if (head.status() >= 200) {
                    return finish(head, in, interim, sent.get());
                }
                interim.add(head.status());
            }
        } catch (java.net.SocketException e) {
            // reset by the server before an answer arrived
            return closed(sent.get());
        }
    }

    private static Answer closed(long sent) {
        return new Answer(-1, Map.of(), "", List.of(), sent);
    }

    private static Answer finish(Head head, InputStream in, List<Integer> interim, long sent) throws IOException {
        int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8), interim, sent);
    }

    private record Head(int status, Map<String, String> headers) {
    }

    /** The status line and headers; null when the connection ended first. */
    private static Head readHead(InputStream in) throws IOException {
        String status = line(in);
        if (status == null || status.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(status.split(" ")[1]), headers);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
