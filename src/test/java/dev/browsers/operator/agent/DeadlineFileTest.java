package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadlineFileTest {
    @TempDir
    Path dir;

    @Test
    void followsTheFileAsTheKubeletRewritesIt() throws Exception {
        Path file = dir.resolve("expires-at");
        DeadlineFile deadline = new DeadlineFile(file);
        assertThat(deadline.get()).isEmpty();

        Files.writeString(file, "");
        assertThat(deadline.get()).isEmpty();

        Files.writeString(file, "2026-11-25T10:00:00.123Z\n");
        assertThat(deadline.get()).contains(Instant.parse("2026-11-25T10:00:00.123Z"));

        Files.writeString(file, "2026-11-25T12:30:00+02:00");
        assertThat(deadline.get()).contains(Instant.parse("2026-11-25T10:30:00Z"));
    }

    @Test
    void aMalformedDeadlineIsAnErrorNotNoDeadline() throws Exception {
        Path file = Files.writeString(dir.resolve("expires-at"), "tomorrow");

        assertThatThrownBy(() -> new DeadlineFile(file).get()).isInstanceOf(DateTimeParseException.class);
    }
}
