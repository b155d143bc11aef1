package dev.browsers.operator.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's objects on disk: one file per object, holding its API path and the object as the store served
 * it, readable by this user only. Each write goes to a temporary file first and is renamed over the old one, so a
 * process killed mid-write leaves the old version or the new one, never half of one. Nothing is synced to the disk
 * on each write: a killed process loses nothing (the kernel has the data), a power cut may lose the last writes.
 */
final class StoreFiles {
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Logger LOG = LoggerFactory.getLogger(StoreFiles.class);
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String UNREADABLE_SUFFIX = ".unreadable";
    /** File names stay well under the usual 255-byte limit; longer paths are shortened with a hash. */
    private static final int MAX_NAME = 200;

    private final Path dir;

    /** An object as stored: its API path (e.g. {@code /api/v1/namespaces/default/pods/x}) and its JSON. */
    record Stored(String path, String object) {}

    StoreFiles(Path dir) {
        this.dir = dir;
        try {
            ownerOnlyDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory, readable by this user only; an existing one is made so. */
    static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }

    /** Replaces a file atomically with content only this user can read. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
        try (SeekableByteChannel out = Files.newByteChannel(
                temp,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                ownerOnly)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void write(String path, String object) throws IOException {
        String envelope = "{\"path\":" + JSON.writeValueAsString(path) + ",\"object\":" + object + "}";
        writeAtomically(dir.resolve(fileName(path)), envelope.getBytes(StandardCharsets.UTF_8));
    }

    void delete(String path) throws IOException {
        Files.deleteIfExists(dir.resolve(fileName(path)));
    }

    /**
     * Every stored object. A temporary file left by a killed write is removed (the object's previous file is whole);
     * a file that cannot be read is renamed {@code *.unreadable}, with a warning, and left for the user to look at.
     */
    List<Stored> readAll() throws IOException {
        List<Stored> stored = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    try {
                        JsonNode envelope = JSON.readTree(file.toFile());
                        stored.add(new Stored(
                                envelope.get("path").asText(),
                                envelope.get("object").toString()));
                    } catch (IOException | RuntimeException e) {
                        Path aside = file.resolveSibling(name + UNREADABLE_SUFFIX);
                        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                        LOG.warn("Cannot read the stored object {} ({}): kept as {}", file, e.getMessage(), aside);
                    }
                }
            }
        }
        return stored;
    }

    /**
     * A file name for an API path: its characters that are safe in names kept, {@code /} as {@code ~}, any other as
     * {@code %XX}; so a name can neither leave the directory nor collide with another path's.
     */
    static String fileName(String path) {
        StringBuilder name = new StringBuilder();
        for (byte b : path.replaceFirst("^/", "").getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
                name.append(c);
            } else if (c == '/') {
                name.append('~');
            } else {
                name.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (name.length() > MAX_NAME) {
            return name.substring(0, MAX_NAME - 65) + "~" + sha256(path) + SUFFIX;
        }
        return name + SUFFIX;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
