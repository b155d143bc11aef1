package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.Processes;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A local-mode operator killed with SIGKILL runs no shutdown hook, so nothing it does on exit can end its browsers:
 * they must end by themselves, because the DevTools pipe the operator held is closed by the kernel. While they run,
 * they have no CDP port for anything but their agents.
 */
class LocalModeKillIT {
    private static final Duration ALL_GONE_WITHIN = Duration.ofSeconds(5);

    @Test
    void everyBrowserProcessEndsWithinFiveSecondsOfKillMinus9() throws Exception {
        List<ProcessHandle> browsers;
        LocalOperatorProcess operator = LocalOperatorProcess.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                                .header("steel-api-key", "local")
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 600000}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(new JsonObject(created.body()).getString("status")).isEqualTo("live");
            }
            // Every Chromium process: the three browsers and their zygotes, renderers, GPU and utility processes.
            browsers = operator.process()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").contains("chromium"))
                    .toList();
            assertThat(browsers.stream()
                            .filter(p -> p.parent()
                                    .map(operator.process().toHandle()::equals)
                                    .orElse(false)))
                    .as("browser main processes")
                    .hasSize(3);
            // Nothing reaches these browsers but the agents: no DevTools port, no listening socket at all.
            assertThat(browsers)
                    .allSatisfy(
                            p -> assertThat(p.info().arguments().map(List::of).orElse(List.of()))
                                    .noneMatch(arg -> arg.startsWith("--remote-debugging-port")));
            assertThat(Processes.listeningTcpPorts(browsers))
                    .as("TCP ports the browsers listen on")
                    .isEmpty();
        } catch (Throwable e) {
            operator.close();
            throw e;
        }

        long killedNanos = System.nanoTime();
        operator.process().destroyForcibly();
        assertThat(operator.process().waitFor(10, TimeUnit.SECONDS))
                .as("operator killed")
                .isTrue();
        try {
            await().atMost(ALL_GONE_WITHIN)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> browsers.stream().noneMatch(ProcessHandle::isAlive));
            System.out.printf(
                    "kill -9 of the operator: all %d Chromium processes gone %d ms later%n",
                    browsers.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos));
        } catch (ConditionTimeoutException e) {
            List<ProcessHandle> left =
                    browsers.stream().filter(ProcessHandle::isAlive).toList();
            System.out.printf(
                    "kill -9 of the operator: %d of %d Chromium processes still running %d ms later%n",
                    left.size(), browsers.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos));
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError(
                    left.size() + " Chromium processes outlived the killed operator by "
                            + ALL_GONE_WITHIN + ": "
                            + left.stream()
                                    .map(p -> p.pid() + " "
                                            + p.info().commandLine().orElse("?"))
                                    .toList(),
                    e);
        }
    }
}
