package dev.browsers.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import dev.browsers.operator.testing.CrdValidationRules;
import dev.browsers.operator.testing.CrdValidationRules.Rule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admission rules of the committed CRD (CrdDriftIT keeps it equal to the generated one), evaluated with cel-java
 * on objects the API server would admit and reject, updates included.
 */
class CrdValidationRulesTest {
    static final String TIMEOUT =
            "spec.timeout must be a duration greater than 0 and at most 24h, such as 90s, 10m" + " or 1h30m";
    static final String INACTIVITY =
            "spec.inactivityTimeout must be a duration greater than 0 and at most 24h, such" + " as 90s, 10m or 1h30m";
    static final String TTL =
            "spec.ttlAfterFinished must be a duration from 0s to 8760h (a year), such as 0s, 10m or" + " 24h";
    static final String NAME = "metadata.name must be at most 63 characters (it is a label value on the session's pod)";
    static final String RELEASED = "spec.released is one-way: once true it can be neither set to false nor removed";
    static final String CLASS =
            "spec.browserClassName is immutable: it can be neither set, changed nor removed after" + " creation";

    static CrdValidationRules rules;

    @BeforeAll
    static void readCommittedCrd() throws IOException {
        rules = CrdValidationRules.of(Path.of("crds", CrdDriftIT.FILE));
    }

    static BrowserSession session(BrowserSessionSpec spec) {
        return new BrowserSession("team-a", "checkout-test", spec);
    }

    static BrowserSession edited(BrowserSession session, Consumer<BrowserSession> edit) {
        BrowserSession copy = session(
                session.getSpec() == null
                        ? null
                        : new BrowserSessionSpec()
                                .withTimeout(session.getSpec().getTimeout())
                                .withInactivityTimeout(session.getSpec().getInactivityTimeout())
                                .withBrowserClassName(session.getSpec().getBrowserClassName()));
        if (copy.getSpec() != null) {
            copy.getSpec().setReleased(session.getSpec().getReleased());
            copy.getSpec().setDimensions(session.getSpec().getDimensions());
            copy.getSpec().setUserAgent(session.getSpec().getUserAgent());
            copy.getSpec().setBlockAds(session.getSpec().getBlockAds());
            copy.getSpec().setProxy(session.getSpec().getProxy());
            SessionContext context = session.getSpec().getContext();
            copy.getSpec()
                    .setContext(
                            context == null
                                    ? null
                                    : new SessionContext(context.getSecretRef(), context.getSaveToSecret()));
        }
        edit.accept(copy);
        return copy;
    }

    @Test
    void everyRuleIsWhereItBelongsAndItsMessageNamesItsField() {
        assertThat(rules.rules())
                .extracting(Rule::path, Rule::message, Rule::transition)
                .containsExactlyInAnyOrder(
                        tuple("", NAME, false),
                        tuple("", RELEASED, true),
                        tuple("", CLASS, true),
                        tuple("", immutable("dimensions"), true),
                        tuple("", immutable("userAgent"), true),
                        tuple("", immutable("blockAds"), true),
                        tuple("", immutable("proxy"), true),
                        tuple("", immutable("context"), true),
                        tuple(".spec.timeout", TIMEOUT, false),
                        tuple(".spec.inactivityTimeout", INACTIVITY, false),
                        tuple(".spec.ttlAfterFinished", TTL, false));
    }

    @Test
    void admitsATypicalSessionAndOneWithoutSpec() {
        assertThat(rules.onCreate(session(new BrowserSessionSpec()
                        .withTimeout("10m")
                        .withInactivityTimeout("1m")
                        .withBrowserClassName("default")
                        .withReleased(false))))
                .isEmpty();
        assertThat(rules.onCreate(session(null))).isEmpty();
    }

    /** Go duration strings, as the CRD's pattern admits them, up to the documented maximum. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1ns",
                "250ms",
                "90s",
                "10m",
                "1h30m",
                "1.5h",
                "2h45m30.5s",
                "5µs",
                "5us",
                "24h",
                "23h59m60s",
                "1440m"
            })
    void admitsDurationsAboveZeroUpTo24h(String duration) {
        assertThat(rules.onCreate(
                        session(new BrowserSessionSpec().withTimeout(duration).withInactivityTimeout(duration))))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0h0m", "0.0s", "24h0m0.001s", "25h", "48h", "1441m", "2562047h"})
    void rejectsZeroAndMoreThan24h(String duration) {
        assertThat(rules.onCreate(session(new BrowserSessionSpec().withTimeout(duration))))
                .containsExactly(TIMEOUT);
        assertThat(rules.onCreate(session(new BrowserSessionSpec().withInactivityTimeout(duration))))
                .containsExactly(INACTIVITY);
    }

    /**
     * Past Go's largest duration (about 2562047h) Kubernetes' duration() fails, and a rule that fails rejects;
     * cel-java parses up to CEL's 10000 years and the rule itself rejects. Past that both fail: rejected either way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"9999999h", "99999999999h"})
    void rejectsDurationsTooLargeForGo(String duration) {
        assertThat(rules.onCreate(session(new BrowserSessionSpec().withTimeout(duration))))
                .singleElement()
                .asString()
                .startsWith(TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0h0m", "1s", "10m", "24h", "8760h"})
    void admitsTtlsFromZeroToAYear(String ttl) {
        assertThat(rules.onCreate(session(new BrowserSessionSpec().withTtlAfterFinished(ttl))))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8760h0m0.001s", "8761h", "9999999h"})
    void rejectsTtlsOverAYear(String ttl) {
        assertThat(rules.onCreate(session(new BrowserSessionSpec().withTtlAfterFinished(ttl))))
                .singleElement()
                .asString()
                .startsWith(TTL);
    }

    @Test
    void durationRulesHoldOnUpdateToo() {
        BrowserSession live = session(new BrowserSessionSpec().withTimeout("10m"));
        assertThat(rules.onUpdate(live, edited(live, s -> s.getSpec().setTimeout("30m"))))
                .isEmpty();
        assertThat(rules.onUpdate(live, edited(live, s -> s.getSpec().setTimeout("30h"))))
                .containsExactly(TIMEOUT);
    }

    @Test
    void nameHasAtMost63Characters() {
        BrowserSession longest = session(new BrowserSessionSpec());
        longest.getMetadata().setName("a".repeat(63));
        assertThat(rules.onCreate(longest)).isEmpty();
        BrowserSession tooLong = session(new BrowserSessionSpec());
        tooLong.getMetadata().setName("a".repeat(64));
        assertThat(rules.onCreate(tooLong)).containsExactly(NAME);
    }

    @Test
    void releasedMayBecomeTrue() {
        BrowserSession unset = session(new BrowserSessionSpec().withTimeout("10m"));
        BrowserSession notReleased = edited(unset, s -> s.getSpec().setReleased(false));
        BrowserSession released = edited(unset, s -> s.getSpec().setReleased(true));
        assertThat(rules.onUpdate(unset, released)).isEmpty();
        assertThat(rules.onUpdate(notReleased, released)).isEmpty();
        assertThat(rules.onUpdate(notReleased, unset)).isEmpty();
        assertThat(rules.onUpdate(session(null), released)).isEmpty();
    }

    @Test
    void releasedNeverGoesBack() {
        BrowserSession released =
                session(new BrowserSessionSpec().withTimeout("10m").withReleased(true));
        assertThat(rules.onUpdate(released, edited(released, s -> s.getSpec().setReleased(false))))
                .containsExactly(RELEASED);
        assertThat(rules.onUpdate(released, edited(released, s -> s.getSpec().setReleased(null))))
                .containsExactly(RELEASED);
        assertThat(rules.onUpdate(released, edited(released, s -> s.setSpec(null))))
                .containsExactly(RELEASED);
        // Other edits of a released session are admitted.
        assertThat(rules.onUpdate(released, edited(released, s -> s.getSpec().setTimeout("20m"))))
                .isEmpty();
    }

    @Test
    void browserClassNameIsImmutable() {
        BrowserSession withClass = session(new BrowserSessionSpec().withBrowserClassName("default"));
        BrowserSession withoutClass = session(new BrowserSessionSpec().withTimeout("10m"));
        assertThat(rules.onUpdate(withClass, edited(withClass, s -> s.getSpec().setTimeout("20m"))))
                .isEmpty();
        assertThat(rules.onUpdate(
                        withoutClass, edited(withoutClass, s -> s.getSpec().setReleased(true))))
                .isEmpty();
        assertThat(rules.onUpdate(withClass, edited(withClass, s -> s.getSpec().setBrowserClassName("gpu"))))
                .containsExactly(CLASS);
        assertThat(rules.onUpdate(withClass, edited(withClass, s -> s.getSpec().setBrowserClassName(null))))
                .containsExactly(CLASS);
        assertThat(rules.onUpdate(withClass, edited(withClass, s -> s.setSpec(null))))
                .containsExactly(CLASS);
        assertThat(rules.onUpdate(
                        withoutClass, edited(withoutClass, s -> s.getSpec().setBrowserClassName("default"))))
                .containsExactly(CLASS);
        assertThat(rules.onUpdate(session(null), withClass)).containsExactly(CLASS);
    }

    static String immutable(String field) {
        return "spec." + field
                + " is immutable: the browser starts with it; it can be neither set, changed nor removed after creation";
    }

    @Test
    void browserOptionsAreImmutable() {
        BrowserSession sized = session(new BrowserSessionSpec()
                .withDimensions(new Dimensions(1280, 720))
                .withUserAgent("a")
                .withBlockAds(true)
                .withProxy(new SessionProxy("http://proxy.example:3128", null)));
        BrowserSession plain = session(new BrowserSessionSpec().withTimeout("10m"));
        assertThat(rules.onUpdate(sized, edited(sized, s -> s.getSpec().setTimeout("20m"))))
                .isEmpty();
        assertThat(rules.onUpdate(sized, edited(sized, s -> s.getSpec().setDimensions(new Dimensions(1280, 720)))))
                .isEmpty();
        assertThat(rules.onUpdate(sized, edited(sized, s -> s.getSpec().setDimensions(new Dimensions(800, 600)))))
                .containsExactly(immutable("dimensions"));
        assertThat(rules.onUpdate(sized, edited(sized, s -> s.getSpec().setUserAgent("b"))))
                .containsExactly(immutable("userAgent"));
        assertThat(rules.onUpdate(sized, edited(sized, s -> s.getSpec().setBlockAds(null))))
                .containsExactly(immutable("blockAds"));
        assertThat(rules.onUpdate(
                        sized,
                        edited(sized, s -> s.getSpec().setProxy(new SessionProxy("http://other.example:3128", null)))))
                .containsExactly(immutable("proxy"));
        assertThat(rules.onUpdate(
                        plain,
                        edited(
                                plain,
                                s -> s.getSpec().setContext(new SessionContext(new SecretReference("login-context"))))))
                .containsExactly(immutable("context"));
        BrowserSession restoring =
                session(new BrowserSessionSpec().withContext(new SessionContext(new SecretReference("login"))));
        assertThat(rules.onUpdate(
                        restoring,
                        edited(restoring, s -> s.getSpec().getContext().setSaveToSecret("login"))))
                .containsExactly(immutable("context"));
        assertThat(rules.onUpdate(restoring, edited(restoring, s -> s.getSpec().setTimeout("20m"))))
                .isEmpty();
        assertThat(rules.onUpdate(plain, edited(plain, s -> s.getSpec().setUserAgent("a"))))
                .containsExactly(immutable("userAgent"));
    }

    @Test
    void transitionRulesAreNotEvaluatedOnCreate() {
        assertThat(rules.onCreate(
                        session(new BrowserSessionSpec().withReleased(true).withBrowserClassName("gpu"))))
                .isEmpty();
    }

    @Test
    void statusUpdatesPassTheRootRules() {
        BrowserSession released =
                session(new BrowserSessionSpec().withReleased(true).withBrowserClassName("default"));
        BrowserSession withStatus = edited(released, s -> {
            s.setStatus(new BrowserSessionStatus());
            s.getStatus().setMessage("released on request (spec.released)");
        });
        assertThat(rules.onUpdate(released, withStatus)).isEmpty();
    }
}
