package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.TcpListeners;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the packaged jar's REST API listens in local mode: on loopback unless told otherwise, and never beyond it
 * with the well-known key.
 */
class ApiBindingIT {

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        try (LocalOperatorProcess operator = LocalOperatorProcess.start()) {
            int port = operator.httpUri("").getPort();

            assertThat(TcpListeners.addresses(port))
                    .isNotEmpty()
                    .allSatisfy(address -> assertThat(address)
                            .as("a socket listening on port %d", port)
                            .isIn("127.0.0.1", "0:0:0:0:0:0:0:1"));
            for (InetAddress address : thisMachinesOtherAddresses()) {
                assertThatThrownBy(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(address, port), 2_000);
                            }
                        })
                        .as("connecting via %s", address)
                        .isInstanceOfAny(ConnectException.class, SocketTimeoutException.class);
            }
        }
    }

    @Test
    void refusesToStartOnAllInterfacesWithTheWellKnownKey() throws Exception {
        try (LocalOperatorProcess operator = LocalOperatorProcess.launch("-Dquarkus.http.host=0.0.0.0")) {
            assertThat(operator.process().waitFor(60, TimeUnit.SECONDS))
                    .as("exited")
                    .isTrue();

            assertThat(operator.process().exitValue()).isNotZero();
            assertThat(operator.log())
                    .contains(
                            "Refusing to start: quarkus.http.host=0.0.0.0 would serve the REST API "
                                    + "beyond this machine with the well-known API key \"local\". Set browser-operator.api.local-key");
        }
    }

    @Test
    void listensOnAllInterfacesWhenToldToWithASecretKey() throws Exception {
        String key = UUID.randomUUID().toString();
        try (LocalOperatorProcess operator =
                LocalOperatorProcess.start("-Dquarkus.http.host=0.0.0.0", "-Dbrowser-operator.api.local-key=" + key)) {
            assertThat(TcpListeners.addresses(operator.httpUri("").getPort()))
                    .containsAnyOf("0.0.0.0", "0:0:0:0:0:0:0:0");

            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(
                                    HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                                            .header("steel-api-key", key)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                                            .header("steel-api-key", ApiConfig.WELL_KNOWN_LOCAL_KEY)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    private static List<InetAddress> thisMachinesOtherAddresses() throws Exception {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
    }
}
