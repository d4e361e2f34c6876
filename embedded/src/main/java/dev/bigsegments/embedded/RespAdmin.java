package dev.bigsegments.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One administrative command to one Redis server over a plain socket (RESP2, as {@code redis-cli} sends it): how
 * the cluster and Sentinel launchers build and inspect their servers with nothing but {@code redis-server}. A
 * reply reads as {@code redis-cli --raw} prints it: a string as it is, an array one element per line (nested
 * arrays flattened); an error reply is thrown.
 */
final class RespAdmin {
    private static final int TIMEOUT_MS = 10_000;

    private RespAdmin() {
    }

    /** Sends {@code args} as one command to the server on {@code port}; returns its reply. */
    static String call(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            List<String> lines = new ArrayList<>();
            String error = read(new BufferedInputStream(socket.getInputStream()), lines);
            if (error != null) {
                throw new IllegalStateException("redis on port " + port + " refused " + String.join(" ", args)
                        + ": " + error);
            }
            return String.join("\n", lines);
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + " did not answer " + String.join(" ", args), e);
        }
    }

    /** Reads one reply into {@code lines}; returns the error message of an error reply, else null. */
    private static String read(InputStream in, List<String> lines) throws IOException {
        String line = readLine(in);
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+', ':' -> lines.add(rest);
            case '-' -> {
                return rest;
            }
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length >= 0) {
                    lines.add(new String(in.readNBytes(length), StandardCharsets.UTF_8).stripTrailing());
                    readLine(in);
                }
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                String firstError = null;
                for (int i = 0; i < count; i++) {
                    String error = read(in, lines);
                    firstError = firstError == null ? error : firstError;
                }
                return firstError;
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("the connection closed in the middle of a reply");
            }
            line.append((char) b);
        }
        if (in.read() != '\n') {
            throw new IOException("a RESP line not ended by CRLF");
        }
        return line.toString();
    }
}
