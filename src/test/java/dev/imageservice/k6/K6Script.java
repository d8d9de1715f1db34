package dev.imageservice.k6;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.NativeJSON;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * A k6 script run on Rhino: its ES module imports and exports rewritten to plain declarations,
 * k6's modules played by k6-modules.js over a {@link K6Host}. The script's init code runs on
 * construction (as k6 runs it once per virtual user), {@link #iteration()} runs its default function.
 */
final class K6Script implements AutoCloseable {
    private static final Pattern DEFAULT_IMPORT = Pattern.compile("(?m)^import (\\w+) from '([^']+)';$");
    private static final Pattern NAMED_IMPORT = Pattern.compile("(?m)^import \\{([^}]+)\\} from '([^']+)';$");

    final K6Host host;
    private final Context context;
    private final Scriptable scope;
    private final Scriptable exports;

    K6Script(Path script, Map<String, String> env, boolean missingFilesAreEmpty) throws IOException {
        host = new K6Host(script.toAbsolutePath().getParent(), env, missingFilesAreEmpty);
        context = Context.enter();
        context.setLanguageVersion(Context.VERSION_ES6);
        scope = context.initStandardObjects();
        ScriptableObject.putProperty(scope, "__host", Context.javaToJS(host, scope));
        context.evaluateString(scope, resource("k6-modules.js"), "k6-modules.js", 1, null);
        context.evaluateString(scope, asPlainScript(Files.readString(script)), script.getFileName().toString(), 1, null);
        exports = (Scriptable) scope.get("__exports", scope);
    }

    /** Runs the default function once, as one iteration of one virtual user. */
    void iteration() {
        ((Function) exports.get("default", exports)).call(context, scope, scope, new Object[0]);
    }

    /** The exported options, as JSON. */
    String optionsJson() {
        return (String) NativeJSON.stringify(context, scope, exports.get("options", exports), null, null);
    }

    @Override
    public void close() throws Exception {
        host.grpcClose();
        Context.exit();
    }

    /** import/export declarations to plain ones; anything else of the module syntax fails the test. */
    static String asPlainScript(String source) {
        String script = DEFAULT_IMPORT.matcher(source).replaceAll("const $1 = __module('$2');");
        Matcher named = NAMED_IMPORT.matcher(script);
        StringBuilder out = new StringBuilder();
        while (named.find()) {
            StringBuilder declarations = new StringBuilder();
            for (String name : named.group(1).split(",")) {
                declarations.append("const ").append(name.trim()).append(" = __module('").append(named.group(2))
                        .append("').").append(name.trim()).append("; ");
            }
            named.appendReplacement(out, Matcher.quoteReplacement(declarations.toString().trim()));
        }
        named.appendTail(out);
        script = out.toString()
                .replaceAll("(?m)^export const (\\w+) =", "const $1 = __exports.$1 =")
                .replaceAll("(?m)^export default function", "__exports.default = function");
        if (Pattern.compile("(?m)^\\s*(import|export)\\b").matcher(script).find()) {
            throw new IllegalArgumentException("module syntax this test does not rewrite");
        }
        return script;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = K6Script.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
