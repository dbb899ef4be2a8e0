package io.sysfleet.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PyLiteral} against the real thing: Ansible's INI plugin types values with Python's
 * {@code ast.literal_eval}, so python3 (which ansible-core runs on) is the oracle. Thousands of generated
 * literals (numbers in every base and spelling, strings with prefixes and escapes, nested containers, complex
 * numbers, comments) and near-misses (each mutated by a random edit) go through one python3 process; for every
 * one, sysfleet must give the same JSON (Python's json.dumps of the value, or of the text kept as a string), or
 * fail where Python fails. Seed: {@code -Dsysfleet.literal.seed}, count: {@code -Dsysfleet.literal.cases}.
 */
class PyLiteralOracleTest {
    private static final String ORACLE = String.join("\n",
            "import ast, json, sys",
            "for line in sys.stdin:",
            "    s = json.loads(line)",
            "    try:",
            "        try:",
            "            v = ast.literal_eval(s)",
            "        except (ValueError, SyntaxError):",
            "            v = s",
            "        if isinstance(v, bytes):",
            "            v = v.decode('utf-8')",
            "        out = json.dumps(v, sort_keys=True, indent=4, ensure_ascii=False)",
            "    except Exception as e:",
            "        out = 'ERROR'",
            "    print(json.dumps(out), flush=False)",
            "");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void literalEvalAsPythonDoesIt() throws Exception {
        long seed = Long.getLong("sysfleet.literal.seed", 20261125L);
        int cases = Integer.getInteger("sysfleet.literal.cases", 4000);
        Random rnd = new Random(seed);
        List<String> inputs = new ArrayList<>(List.of("", " ", "1", "01", "00", "0_0", "1_", "0x_1f", "0b102",
                "1e5", "1E+5j", "1.", ".5", "1..2", "'a' 'b'", "'a' b'b'", "b'\\xff'", "'\\N{EM DASH}'",
                "'\\N{NO SUCH NAME}'", "'\\x4'", "'\\777'", "b'\\777'", "'\\q'", "-True", "--1", "+1", "-(1)",
                "(1)+(2j)", "1+2+3j", "1+-2j", "-1-2j", "1j+1", "{1: 2, 1.0: 3, True: 4}", "{[1]: 2}", "{(1,): 2}",
                "{'a': 1, 1: 2}", "set()", "{1, 2}", "...", "[...]", "1e999", "-1e999", "()", "(1,)", "1,", "1,2",
                "[1, 2,]", "[,]", "{}", "{,}", "None", "True", "true", "yes", "1 # c", "# c", "u'x'", "U'x'",
                "ur'x'", "rb'\\n'", "Rb'x'", "f'x'", "'a' f'b'", "'''x'''", "\"\"\"x\"\"\"", "'a", "r'\\'",
                "1 if 1 else 2", "1if 1else 2", "[1][0]", "'a'.upper()", "not 1", "~1", "1 < 2", "lambda: 1",
                "0xFFFFFFFFFFFFFFFFFFFF", "123456789012345678901234567890", "1" + "0".repeat(5000),
                "1e16", "1e15", "0.0001", "0.00001", "123456789.123456789", "5e-324", "1.7976931348623157e308",
                "-0.0", "0.1+0.2", "{'b': 1, 'a': [1, {'z': None}]}", "{2: 'b', 10: 'a'}", "{None: 1}",
                "{None: 1, 2: 3}", "[b'x']", "('a', [1])", "  1", "\t1", "1\t", "\f1"));
        while (inputs.size() < cases) {
            String lit = literal(rnd, 0);
            inputs.add(rnd.nextInt(4) == 0 ? mutate(rnd, lit) : lit);
        }
        Process p = new ProcessBuilder("python3", "-c", ORACLE).redirectErrorStream(false).start();
        List<String> theirs = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    theirs.add(JSON.readValue(line, String.class));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(),
                StandardCharsets.UTF_8))) {
            for (String in : inputs) {
                w.write(JSON.writeValueAsString(in));
                w.write('\n');
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
        reader.join(10_000);
        assertEquals(0, p.exitValue(), "python3 failed: " + new String(p.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals(inputs.size(), theirs.size(), "python3 answered a different number of cases");
        int literals = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String in = inputs.get(i);
            String ours;
            try {
                Object v = PyLiteral.valueOf(in);
                literals += v instanceof String s && s.equals(in) ? 0 : 1;
                ours = PyJson.dumps(v);
            } catch (PyLiteral.Unsupported e) {
                ours = "ERROR";
            }
            assertEquals(theirs.get(i), ours, "case " + i + " (seed " + seed + "): " + JSON.writeValueAsString(in));
        }
        assertTrue(literals > inputs.size() / 2, "the generator must mostly make literals, made " + literals);
    }

    // ---- generator ----

    private static String literal(Random r, int depth) {
        int kind = r.nextInt(depth > 2 ? 6 : 11);
        return switch (kind) {
            case 0, 1 -> integer(r);
            case 2 -> floating(r);
            case 3, 4 -> string(r);
            case 5 -> List.of("True", "False", "None", "yes", "-1j", "2J", "1+2j", "...", "set()").get(r.nextInt(9));
            case 6 -> container(r, depth, "[", "]");
            case 7 -> container(r, depth, "(", ")");
            case 8, 9 -> dict(r, depth);
            default -> r.nextBoolean() ? "-" + integer(r) : space(r) + literal(r, depth + 1) + space(r)
                    + (r.nextInt(5) == 0 ? "# note" : "");
        };
    }

    private static String integer(Random r) {
        long v = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(10);
            case 1 -> r.nextInt(100_000);
            case 2 -> r.nextLong();
            default -> Math.abs(r.nextLong()) / (1 + r.nextInt(1000));
        };
        v = Math.abs(v);
        String s = switch (r.nextInt(8)) {
            case 0 -> "0x" + Long.toHexString(v);
            case 1 -> "0o" + Long.toOctalString(v);
            case 2 -> "0b" + Long.toBinaryString(v % 5000);
            case 3 -> "0" + v;
            default -> Long.toString(v);
        };
        if (r.nextInt(5) == 0 && s.length() > 2) {
            int at = 1 + r.nextInt(s.length() - 1);
            s = s.substring(0, at) + "_" + s.substring(at);
        }
        return r.nextInt(6) == 0 ? s.toUpperCase() : s;
    }

    private static String floating(Random r) {
        double d = switch (r.nextInt(4)) {
            case 0 -> r.nextDouble();
            case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 2 -> r.nextInt(1000) / 8.0;
            default -> Double.longBitsToDouble(r.nextLong());
        };
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            d = 1.5;
        }
        String s = switch (r.nextInt(5)) {
            case 0 -> String.format("%.3e", Math.abs(d));
            case 1 -> Double.toString(Math.abs(d)).replace("E", r.nextBoolean() ? "e" : "E");
            case 2 -> r.nextInt(100) + ".";
            case 3 -> "." + r.nextInt(1000);
            default -> new java.math.BigDecimal(Math.abs(d)).toPlainString();
        };
        return r.nextInt(7) == 0 ? s + "j" : s;
    }

    private static final String[] PIECES = {"a", "web", " ", "é", "☃", "\\n", "\\t", "\\\\", "\\'", "\\\"",
        "\\x41", "\\u00e9", "\\U0001F600", "\\101", "\\q", "#", "{{ x }}", "=", ",", "\\N{EM DASH}", "'", "\""};

    private static String string(Random r) {
        StringBuilder body = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            body.append(PIECES[r.nextInt(PIECES.length)]);
        }
        String prefix = List.of("", "", "", "r", "u", "b", "rb", "R", "B", "f").get(r.nextInt(10));
        String q = r.nextInt(6) == 0 ? "'''" : r.nextBoolean() ? "'" : "\"";
        String lit = prefix + q + body + q;
        if (r.nextInt(6) == 0) {
            lit = lit + " " + string(r);
        }
        return lit;
    }

    private static String container(Random r, int depth, String open, String close) {
        int n = r.nextInt(4);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(literal(r, depth + 1));
        }
        String sep = r.nextBoolean() ? ", " : ",";
        return open + String.join(sep, items) + (n > 0 && r.nextInt(4) == 0 ? "," : "") + close;
    }

    private static String dict(Random r, int depth) {
        int n = r.nextInt(4);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = switch (r.nextInt(6)) {
                case 0 -> integer(r);
                case 1 -> "None";
                case 2 -> "True";
                default -> string(r);
            };
            items.add(key + (r.nextBoolean() ? ": " : ":") + literal(r, depth + 1));
        }
        return "{" + String.join(", ", items) + "}";
    }

    private static String space(Random r) {
        return List.of("", "", " ", "  ", "\t").get(r.nextInt(5));
    }

    private static String mutate(Random r, String s) {
        if (s.isEmpty()) {
            return "(";
        }
        int at = r.nextInt(s.length());
        String[] edits = {"", "(", ")", "[", "]", ",", ":", "'", "\"", "\\", " ", "_", "e", "j", "x", "-", "+",
            ".", "#", "{", "}", "0", "9", "N", "u", "b"};
        String e = edits[r.nextInt(edits.length)];
        return r.nextBoolean() ? s.substring(0, at) + e + s.substring(at) : s.substring(0, at) + e
                + s.substring(at + 1);
    }
}
