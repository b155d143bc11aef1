package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.agent.TokenGuard.Presented;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenGuardTest {
    private final TokenGuard guard = new TokenGuard("a/b+c=");

    @Test
    void acceptsABearerHeaderWhateverTheSchemeCase() {
        assertThat(guard.check("Bearer a/b+c=", null)).contains(Presented.HEADER);
        assertThat(guard.check("bearer a/b+c=", "token=wrong")).contains(Presented.HEADER);
    }

    @Test
    void acceptsAUrlEncodedQueryToken() {
        assertThat(guard.check(null, "x=1&token=a%2Fb%2Bc%3D")).contains(Presented.QUERY);
        assertThat(guard.check("Bearer wrong", "token=a%2Fb%2Bc%3D")).contains(Presented.QUERY);
    }

    @Test
    void refusesAnythingElse() {
        assertThat(guard.check(null, null)).isEmpty();
        assertThat(guard.check("Basic a/b+c=", null)).isEmpty();
        assertThat(guard.check("Bearer a/b+c", null)).isEmpty();
        assertThat(guard.check("Bearer a/b+c==", null)).isEmpty();
        assertThat(guard.check(null, "token=a/b c=")).isEmpty();
        assertThat(guard.check(null, "token=%zz")).isEmpty();
        assertThat(guard.check(null, "xtoken=a%2Fb%2Bc%3D")).isEqualTo(Optional.empty());
    }

    @Test
    void removesTheTokenFromAForwardedQuery() {
        assertThat(TokenGuard.withoutToken("token=abc&about:blank")).isEqualTo("about:blank");
        assertThat(TokenGuard.withoutToken("https://example.com/?a=1&b=2&token=abc"))
                .isEqualTo("https://example.com/?a=1&b=2");
        assertThat(TokenGuard.withoutToken("token=abc")).isNull();
        assertThat(TokenGuard.withoutToken(null)).isNull();
    }
}
