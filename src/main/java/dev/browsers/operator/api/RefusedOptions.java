package dev.browsers.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steel create options this server does not offer (Steel's cloud features: captcha solving, stealth, profiles,
 * extensions, regions, Selenium...). Each is accepted only with its neutral value, the one that asks for
 * nothing beyond what every session is anyway (headless, no captcha solving, no Steel proxy); any other value is
 * refused rather than silently dropped, so a caller never believes it got what it did not.
 */
final class RefusedOptions {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A neutral value: the JSON values allowed as they are, and for an object the neutral values of its members. */
    private record Neutral(String shown, Set<JsonNode> values, Map<String, Neutral> members) {
        static Neutral of(String shown, JsonNode... values) {
            return new Neutral(shown, Set.of(values), Map.of());
        }

        /** An object whose members each have their neutral value (or are absent), {} among them, or one of values. */
        static Neutral object(String shown, Map<String, Neutral> members, JsonNode... values) {
            return new Neutral(shown, Set.of(values), members);
        }

        boolean accepts(JsonNode value) {
            if (values.contains(value)) {
                return true;
            }
            if (members.isEmpty() || !value.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Neutral member = members.get(field.getKey());
                if (member == null || !(field.getValue().isNull() || member.accepts(field.getValue()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Neutral FALSE = Neutral.of("false", JSON.booleanNode(false));
    private static final Neutral NOTHING = Neutral.of("omitted or null");
    private static final Neutral EMPTY_ARRAY = Neutral.of("[]", JSON.arrayNode());

    private static final Map<String, Neutral> NEUTRAL = Map.ofEntries(
            Map.entry("concurrency", Neutral.of("1", JSON.numberNode(1))),
            Map.entry("credentials", NOTHING),
            Map.entry("debugConfig", Neutral.of("{}", JSON.objectNode())),
            Map.entry(
                    "deviceConfig",
                    Neutral.object(
                            "{} or {\"device\": \"desktop\"}",
                            Map.of("device", Neutral.of("\"desktop\"", JSON.textNode("desktop"))))),
            Map.entry("experimentalFeatures", EMPTY_ARRAY),
            Map.entry("extensionIds", EMPTY_ARRAY),
            Map.entry("headless", Neutral.of("true", JSON.booleanNode(true))),
            Map.entry("isSelenium", FALSE),
            Map.entry("namespace", Neutral.of("\"default\"", JSON.textNode("default"))),
            Map.entry(
                    "optimizeBandwidth",
                    Neutral.object(
                            "false, or an object with every member false or empty",
                            Map.of(
                                    "blockHosts", EMPTY_ARRAY,
                                    "blockImages", FALSE,
                                    "blockMedia", FALSE,
                                    "blockStylesheets", FALSE,
                                    "blockUrlPatterns", EMPTY_ARRAY),
                            JSON.booleanNode(false))),
            Map.entry("persistProfile", FALSE),
            Map.entry("profileId", NOTHING),
            Map.entry("region", NOTHING),
            Map.entry("solveCaptcha", FALSE),
            Map.entry(
                    "stealthConfig",
                    Neutral.object(
                            "{}, or autoCaptchaSolving and humanizeInteractions false",
                            Map.of(
                                    "autoCaptchaSolving",
                                    FALSE,
                                    "humanizeInteractions",
                                    FALSE,
                                    // Fingerprints are never injected here: skipping them is what happens anyway.
                                    "skipFingerprintInjection",
                                    Neutral.of("true or false", JSON.booleanNode(true), JSON.booleanNode(false))))),
            Map.entry("useProxy", FALSE));

    private RefusedOptions() {}

    static Set<String> names() {
        return NEUTRAL.keySet();
    }

    /**
     * @param options the body's fields that are refused options, in the order sent
     * @throws ApiException 400 for the first one whose value is not neutral
     */
    static void check(List<Map.Entry<String, JsonNode>> options) {
        for (Map.Entry<String, JsonNode> option : options) {
            Neutral neutral = NEUTRAL.get(option.getKey());
            JsonNode value = option.getValue();
            if (value.isNull() || neutral.accepts(value)) {
                continue;
            }
            throw ApiException.badRequest(option.getKey() + ": " + ApiErrors.shown(value.toString())
                    + " is not supported by this server (a Steel cloud feature it does not offer); allowed: "
                    + neutral.shown() + ", which asks for nothing");
        }
    }
}
