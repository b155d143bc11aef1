package dev.browsers.operator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte, for what HTTP clients refuse or rewrite: bad percent-escapes, "//" and
 * dot segments, request lines and headers beyond any limit. One request per connection.
 */
public final class RawHttp {
    /** @param headers names in lower case */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    public static Answer send(URI server, String method, String target, Map<String, String> headers)
            throws IOException {
        return send(server, method, target, headers, null);
    }

    /**
     * @param target the request target exactly as sent, e.g. {@code /v1/sessions/%ZZ}
     * @param body sent with a Content-Length, from another thread, so that a server answering before it has read
     *     the body (too large) is heard; null for none
     */
    public static Answer send(URI server, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        return send(server, method, target, headers, body, false);
    }

    /** The body in 4 KiB chunks, without a Content-Length, so that the server learns its size only by reading it. */
    public static Answer sendChunked(URI server, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        return send(server, method, target, headers, body, true);
    }

    private static Answer send(
            URI server, String method, String target, Map<String, String> headers, byte[] body, boolean chunked)
            throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
                    .append("Host: ")
                    .append(server.getHost())
                    .append(':')
                    .append(server.getPort())
                    .append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (body != null) {
                Thread writer = new Thread(
                        () -> {
                            try {
                                out.write(chunked ? chunks(body) : body);
                                out.flush();
                            } catch (IOException e) {
                                // The server answered and closed without reading it all: what a size limit does.
                            }
                        },
                        "raw-http-body");
                writer.setDaemon(true);
                writer.start();
            }
            return parse(socket.getInputStream());
        }
    }

    private static byte[] chunks(byte[] body) {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (int start = 0; start < body.length; start += 4096) {
            int length = Math.min(4096, body.length - start);
            framed.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            framed.write(body, start, length);
            framed.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return framed.toByteArray();
    }

    private static Answer parse(InputStream in) throws IOException {
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP answer: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(end + 4));
    }
}
