package dev.browsers.operator.testing;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;

/**
 * Runs an Argo CD health check (Lua) on an object as Argo CD runs a check from argocd-cm: the object as the global
 * {@code obj}, only the package, base and table libraries, the returned table read as {status, message}, and a status
 * outside Argo CD's set turned into Unknown as Argo CD does.
 */
public final class ArgoCdHealth {
    /** The chart ships the check; README and the tests read this file. */
    public static final Path SCRIPT = Path.of("helm/browser-operator/files/argocd-health.lua");

    static final List<String> STATUSES =
            List.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

    public record Health(String status, String message) {}

    private ArgoCdHealth() {}

    public static String script() throws IOException {
        return Files.readString(SCRIPT);
    }

    /** The health of {@code object} (a model object or JSON-shaped maps) by the shipped script. */
    public static Health of(Object object) throws IOException {
        return of(script(), object);
    }

    public static Health of(String script, Object object) {
        Globals globals = new Globals();
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.set("obj", lua(Serialization.jsonMapper().convertValue(object, Object.class)));
        LuaValue result = globals.load(script, "health.lua").call();
        if (!result.istable()) {
            throw new IllegalStateException("expect table output from Lua script, not " + result.typename());
        }
        String status = result.get("status").optjstring(null);
        if (!STATUSES.contains(status)) {
            return new Health("Unknown", "Lua returned an invalid health status");
        }
        return new Health(status, result.get("message").optjstring(null));
    }

    private static LuaValue lua(Object value) {
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(LuaValue.valueOf((String) k), lua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, lua(list.get(i)));
            }
            return table;
        }
        if (value instanceof String s) {
            return LuaValue.valueOf(s);
        }
        if (value instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (value instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return LuaValue.NIL;
    }
}
