package dev.browsers.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the real-client scripts in src/test/node (puppeteer-core, steel-sdk) and collects its output. */
public final class NodeScript {
    public static final Path DIR = Path.of("src/test/node");

    public record Run(int exitCode, String output) {
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private NodeScript() {}

    public static Run run(String script, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException("client test packages missing: run (cd src/test/node && npm ci)");
        }
        List<String> command =
                new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("node-script", ".log");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            builder.environment().put("PUPPETEER_SKIP_DOWNLOAD", "1");
            Process node = builder.start();
            if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                node.destroyForcibly().waitFor();
                throw new AssertionError(
                        script + " did not finish within " + timeout + ":\n" + Files.readString(output));
            }
            return new Run(node.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
