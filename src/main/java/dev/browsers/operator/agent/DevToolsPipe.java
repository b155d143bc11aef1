package dev.browsers.operator.agent;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The two ends of a Chromium started with {@code --remote-debugging-pipe}: CDP messages separated by NUL bytes, the
 * browser reading commands from its fd 3 and writing answers and events to its fd 4. Whoever started the browser owns
 * both streams; the browser exits when the stream to it closes, so a browser cannot outlive the process holding it.
 *
 * @param fromBrowser the browser's fd 4
 * @param toBrowser the browser's fd 3
 */
public record DevToolsPipe(InputStream fromBrowser, OutputStream toBrowser) {
    public DevToolsPipe {
        Objects.requireNonNull(fromBrowser, "fromBrowser");
        Objects.requireNonNull(toBrowser, "toBrowser");
    }
}
