package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one RESP {@code PING} over a plain socket; enough to tell that a Redis server is serving. */
final class RespPing {
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String PONG = "+PONG";
    private static final int TIMEOUT_MS = 1000;

    private RespPing() {
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            return readLine(socket.getInputStream()).equals(PONG);
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
