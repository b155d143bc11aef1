package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which quarkus.http.host values keep local mode's well-known key on this machine. */
class LocalApiKeyTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true",
        "localhost, true",
        "::1, true",
        "127.0.0.2, true",
        "0.0.0.0, false",
        "::, false",
        "192.0.2.10, false",
    })
    void onlyLoopbackAddressesKeepTheKeyLocal(String host, boolean loopbackOnly) {
        assertThat(LocalApiKey.loopbackOnly(host)).isEqualTo(loopbackOnly);
    }
}
