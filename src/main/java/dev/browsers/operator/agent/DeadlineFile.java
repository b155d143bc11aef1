package dev.browsers.operator.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The hard deadline as the kubelet projects it from the pod's annotation (downward API): an RFC 3339 timestamp, or an
 * empty or missing file while there is none. Read anew each time because the kubelet rewrites it when the deadline
 * moves.
 */
final class DeadlineFile implements Supplier<Optional<Instant>> {
    private final Path path;

    DeadlineFile(Path path) {
        this.path = path;
    }

    @Override
    public Optional<Instant> get() {
        String text;
        try {
            text = Files.readString(path).trim();
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.isEmpty()
                ? Optional.empty()
                : Optional.of(OffsetDateTime.parse(text).toInstant());
    }
}
