package dev.browsers.operator.testing;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr.ExprKind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime.Program;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CRD's {@code x-kubernetes-validations} rules, read from its YAML and evaluated with cel-java the way the API
 * server evaluates them: on create every rule without {@code oldSelf}; on update every rule, a transition rule (one
 * that references {@code oldSelf}) only where the value exists in both the old and the new object. A rule applies to
 * the value at its place in the schema and only when that value is present.
 *
 * <p>Differences from the API server, none of which the rules here depend on: {@code self} and {@code oldSelf} are
 * dynamically typed (the API server types them from the schema, so a type error shows here only on evaluation);
 * there is no cost budget; only standard CEL is available, so a rule using one of Kubernetes' own CEL libraries fails
 * to compile here instead of passing untested. Standard CEL's {@code duration()} parses Go duration strings
 * ("1h30m", "1.5h", "250ms", "5µs") in cel-java as in cel-go, which Kubernetes uses. Rules inside arrays are
 * evaluated per item, never as transition rules (the API server correlates old items only in list-maps).
 */
public final class CrdValidationRules {
    /** One rule at its place in the schema; {@code path} is "" for the root, else like ".spec.timeout". */
    public record Rule(String path, String rule, String message, boolean transition) {}

    private record Compiled(Rule rule, Program program) {}

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();

    private final Map<String, Object> schema;
    private final List<Compiled> rules = new ArrayList<>();

    private CrdValidationRules(Map<String, Object> schema) {
        this.schema = schema;
        collect(schema, "");
    }

    /** The rules of the first version of the CRD in {@code crdYaml}. */
    @SuppressWarnings("unchecked")
    public static CrdValidationRules of(Path crdYaml) throws IOException {
        Map<String, Object> crd = Serialization.unmarshal(Files.readString(crdYaml), Map.class);
        Map<String, Object> version = ((List<Map<String, Object>>) at(crd, "spec", "versions")).get(0);
        return new CrdValidationRules((Map<String, Object>) at(version, "schema", "openAPIV3Schema"));
    }

    public List<Rule> rules() {
        return rules.stream().map(Compiled::rule).toList();
    }

    /** The messages of the rules that reject creating {@code object}; empty when it is admitted. */
    public List<String> onCreate(Object object) {
        List<String> violations = new ArrayList<>();
        validate(schema, "", plain(object), null, false, violations);
        return violations;
    }

    /** The messages of the rules that reject updating {@code oldObject} to {@code object}. */
    public List<String> onUpdate(Object oldObject, Object object) {
        List<String> violations = new ArrayList<>();
        validate(schema, "", plain(object), plain(oldObject), true, violations);
        return violations;
    }

    @SuppressWarnings("unchecked")
    private void collect(Map<String, Object> node, String path) {
        for (Map<String, Object> rule :
                (List<Map<String, Object>>) node.getOrDefault("x-kubernetes-validations", List.of())) {
            String expression = (String) rule.get("rule");
            CelAbstractSyntaxTree ast;
            try {
                ast = CEL.compile(expression).getAst();
            } catch (CelValidationException e) {
                throw new IllegalStateException("rule at '" + path + "' does not compile: " + expression, e);
            }
            boolean transition = CelNavigableAst.fromAst(ast)
                    .getRoot()
                    .allNodes()
                    .anyMatch(n -> n.getKind() == ExprKind.Kind.IDENT
                            && n.expr().ident().name().equals("oldSelf"));
            try {
                rules.add(new Compiled(
                        new Rule(path, expression, (String) rule.get("message"), transition), CEL.createProgram(ast)));
            } catch (CelEvaluationException e) {
                throw new IllegalStateException(e);
            }
        }
        ((Map<String, Map<String, Object>>) node.getOrDefault("properties", Map.of()))
                .forEach((name, child) -> collect(child, path + "." + name));
        if (node.get("items") instanceof Map<?, ?> items) {
            collect((Map<String, Object>) items, path + "[]");
        }
    }

    @SuppressWarnings("unchecked")
    private void validate(
            Map<String, Object> node,
            String path,
            Object value,
            Object oldValue,
            boolean update,
            List<String> violations) {
        for (Compiled compiled : rules) {
            Rule rule = compiled.rule();
            if (!rule.path().equals(path) || (rule.transition() && (!update || oldValue == null))) {
                continue;
            }
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("self", value);
            if (rule.transition()) {
                variables.put("oldSelf", oldValue);
            }
            try {
                if (!Boolean.TRUE.equals(compiled.program().eval(variables))) {
                    violations.add(rule.message());
                }
            } catch (CelEvaluationException e) {
                violations.add(rule.message() + " (evaluation error: " + e.getMessage() + ")");
            }
        }
        if (value instanceof Map<?, ?> object) {
            ((Map<String, Map<String, Object>>) node.getOrDefault("properties", Map.of())).forEach((name, child) -> {
                Object childValue = object.get(name);
                if (childValue != null) {
                    Object oldChild = oldValue instanceof Map<?, ?> old ? old.get(name) : null;
                    validate(child, path + "." + name, childValue, oldChild, update, violations);
                }
            });
        }
        if (value instanceof List<?> list && node.get("items") instanceof Map<?, ?> items) {
            for (Object item : list) {
                validate((Map<String, Object>) items, path + "[]", item, null, update, violations);
            }
        }
    }

    /**
     * JSON-shaped maps and lists with CEL's number types (int is a Java long) and without nulls, which the API
     * server prunes before validation.
     */
    private static Object plain(Object object) {
        return longs(Serialization.jsonMapper().convertValue(object, Object.class));
    }

    @SuppressWarnings("unchecked")
    private static Object longs(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> {
                if (v != null) {
                    copy.put(k, longs(v));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CrdValidationRules::longs).toList();
        }
        return value instanceof Integer i ? Long.valueOf(i) : value;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = ((Map<String, Object>) value).get(key);
        }
        return value;
    }
}
