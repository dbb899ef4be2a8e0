package io.sysfleet.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.ElseIfTag;
import com.hubspot.jinjava.lib.tag.ElseTag;
import com.hubspot.jinjava.lib.tag.EndTag;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.lib.tag.RawTag;
import com.hubspot.jinjava.lib.tag.SetTag;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.TreeBuilderException;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.ExpressionFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jinjava set up as Ansible's Jinja2: Python operators ({@link AnsibleSyntax}), Python values
 * ({@link PyResolver}, {@link Py}), Ansible's filters and tests only, the tags {@code if elif else for set
 * raw} with Python truthiness and iteration, the functions {@code lookup}/{@code query}/{@code q} and
 * {@code range}. Nothing that reads files, includes templates, renders strings as templates, or calls Java
 * methods is reachable. Built once per {@link TemplateEngine}; immutable afterwards.
 */
final class Jinja {
    private final TemplateEngine engine;
    private final AnsibleJinjava jinjava;
    private final JinjavaConfig config;
    private final Context root;
    private final Map<String, Tag> tags = new HashMap<>();

    Jinja(TemplateEngine engine) {
        this.engine = engine;
        Limits limits = engine.limits();
        this.config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(false)
                .withNestedInterpretationEnabled(false)
                .withMaxOutputSize(limits.maxOutputLength())
                .withMaxStringLength(limits.maxOutputLength())
                .withMaxListSize(limits.maxCollectionSize())
                .withMaxMapSize(limits.maxCollectionSize())
                .withRangeLimit(limits.maxCollectionSize())
                .withMaxRenderDepth(1)
                .withEnableRecursiveMacroCalls(false)
                .withElResolver(new PyResolver())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withKeepNullableLoopValues(false)
                        .build())
                .build();
        this.jinjava = new AnsibleJinjava(config);
        this.root = new Context();
        for (Tag t : List.of(new PyIfTag(), new ElseIfTag(), new ElseTag(), new PyForTag(), new SetTag(),
                new RawTag())) {
            tags.put(t.getName(), t);
            if (t.getEndTagName() != null) {
                tags.put(t.getEndTagName(), new EndTag(t));
            }
        }
    }

    AnsibleInterpreter interpreter(Session session) {
        return new AnsibleInterpreter(jinjava, new AnsibleContext(root), config, session);
    }

    /**
     * Parses a template and every expression in it (Jinjava parses expressions only when it renders them), so
     * syntax errors and unknown filters or tests are reported without rendering anything.
     */
    void checkTemplate(String template, Session session) {
        AnsibleInterpreter interpreter = interpreter(session);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            checkNodes(interpreter.parse(template));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** The top-level names a template's expressions use, in order (loop and set names included). */
    java.util.Set<String> variables(String template, Session session) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        AnsibleInterpreter interpreter = interpreter(session);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            collect(interpreter.parse(template), out);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        out.removeAll(java.util.Set.of("none", "None", "omit", "____int3rpr3t3r____"));
        out.removeIf(n -> n.startsWith("filter:") || n.startsWith("exptest:"));
        return out;
    }

    private void collect(Node node, java.util.Set<String> out) {
        for (Node child : node.getChildren()) {
            String expr = child instanceof ExpressionNode && child.getMaster() instanceof ExpressionToken t
                    ? t.getExpr() : child instanceof TagNode tag && (tag.getName().equals("if")
                    || tag.getName().equals("elif")) ? tag.getHelpers() : null;
            if (expr != null) {
                for (IdentifierNode n : jinjava.store.get("#{" + expr.strip() + "}").getIdentifierNodes()) {
                    out.add(n.getName());
                }
            }
            collect(child, out);
        }
    }

    private void checkNodes(Node node) {
        for (Node child : node.getChildren()) {
            if (child instanceof ExpressionNode && child.getMaster() instanceof ExpressionToken t) {
                checkExpression(t.getExpr());
            } else if (child instanceof TagNode tag && (tag.getName().equals("if") || tag.getName().equals("elif"))) {
                checkExpression(tag.getHelpers());
            }
            checkNodes(child);
        }
    }

    private void checkExpression(String expression) {
        Tree tree;
        try {
            tree = jinjava.store.get("#{" + expression.strip() + "}");
        } catch (TreeBuilderException e) {
            throw Py.fail(syntaxError(expression.strip(), e));
        }
        if (tree.getRoot().getCardinality() > 0
                && tree.getRoot().getChild(0) instanceof com.hubspot.jinjava.el.ext.AstNamedParameter) {
            throw Py.fail("syntax error: unexpected '=' (use '==' to compare)");
        }
        for (IdentifierNode n : tree.getIdentifierNodes()) {
            String name = n.getName();
            if (name.startsWith("filter:") && !Filters.all().containsKey(name.substring(7))) {
                throw Py.fail("No filter named '" + name.substring(7) + "'.");
            }
            if (name.startsWith("exptest:") && !Tests.all().containsKey(name.substring(8))) {
                throw Py.fail("No test named '" + name.substring(8) + "'.");
            }
        }
    }

    /** A parse error in Jinja2's terms: what came where, 1-based column in the expression. */
    static String syntaxError(String expression, TreeBuilderException e) {
        int col = e.getPosition() - 1;
        String enc = e.getEncountered();
        String found = col > expression.length() || enc == null || enc.equals("EOF") ? "end of expression" : enc;
        String exp = e.getExpected() == null ? "" : e.getExpected();
        String want = exp.contains("IDENTIFIER") ? ", expected an expression"
                : exp.equals("'}'") || exp.isEmpty() ? "" : ", expected " + exp.replace("|", " or ");
        return "syntax error: unexpected " + found + " at column " + Math.min(col, expression.length() + 1) + want;
    }

    /** The per-rendering context: only sysfleet's filters, tests and tags can be found. */
    private final class AnsibleContext extends Context {
        AnsibleContext(Context parent) {
            super(parent, null, null);
        }

        @Override
        public Filter getFilter(String name) {
            Filter f = Filters.all().get(name);
            if (f == null) {
                throw Py.fail("No filter named '" + name + "'.");
            }
            return f;
        }

        @Override
        public ExpTest getExpTest(String name) {
            ExpTest t = Tests.all().get(name);
            if (t == null) {
                throw Py.fail("No test named '" + name + "'.");
            }
            return t;
        }

        @Override
        public Tag getTag(String name) {
            Tag t = tags.get(name);
            if (t == null) {
                throw Py.fail("Encountered unknown tag '" + name + "' (sysfleet supports if, elif, else, for, "
                        + "set, raw).");
            }
            return t;
        }
    }

    /** Jinjava with sysfleet's expression parser and Python truthiness for conversions to boolean. */
    private static final class AnsibleJinjava extends Jinjava {
        private final ExpressionFactory factory;
        private final TreeStore store = new TreeStore(new AnsibleSyntax.SyntaxBuilder(), new Cache(1000));
        private final Context functions;

        AnsibleJinjava(JinjavaConfig config) {
            super(config);
            this.factory = new ExpressionFactoryImpl(store, new PyTypeConverter());
            List<ELFunctionDefinition> fns = new ArrayList<>();
            for (String name : List.of("lookup", "query", "q")) {
                fns.add(new ELFunctionDefinition("", name, Lookups.class, name.equals("lookup") ? "lookup" : "query",
                        Object.class, Object[].class));
            }
            fns.add(new ELFunctionDefinition("", "range", Lookups.class, "range", Object.class, Object[].class));
            this.functions = new Context() {
                @Override
                public Collection<ELFunctionDefinition> getAllFunctions() {
                    return fns;
                }
            };
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return factory;
        }

        @Override
        public ExpressionFactory getEagerExpressionFactory() {
            return factory;
        }

        @Override
        public Context getGlobalContext() {
            return functions;
        }
    }

    /** Conversions to boolean (the {@code x if c else y} choice) use Python's truthiness. */
    private static final class PyTypeConverter extends com.hubspot.jinjava.el.TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        protected Boolean coerceToBoolean(Object value) {
            return Py.truthy(value);
        }
    }

    /** {@code if} and {@code elif} with Python's truthiness (Jinjava's treats the string "false" as false). */
    private static final class PyIfTag extends IfTag {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isPositiveIfElseNode(TagNode tagNode, JinjavaInterpreter interpreter) {
            return Py.truthy(interpreter.resolveELExpression(tagNode.getHelpers(), tagNode.getLineNumber(),
                    tagNode.getStartPosition()));
        }
    }

    /** {@code for} with Python's iteration: a mapping's keys, a string's characters; anything else fails. */
    private static final class PyForTag extends ForTag {
        private static final long serialVersionUID = 1L;

        @Override
        public String renderForCollection(TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars,
                                          Object collection) {
            return super.renderForCollection(tagNode, interpreter, loopVars, Filters.iterate(collection));
        }
    }

    /** {@code lookup('env', 'NAME')} and {@code range()}: the functions templates may call. */
    static final class Lookups {
        private Lookups() {
        }

        public static Object lookup(Object plugin, Object... terms) {
            return run(plugin, terms, false);
        }

        public static Object query(Object plugin, Object... terms) {
            return run(plugin, terms, true);
        }

        private static Object run(Object plugin, Object[] terms, boolean list) {
            String name = Py.str(Py.defined(plugin));
            List<String> names = new ArrayList<>();
            Map<String, Object> kwargs = new HashMap<>();
            for (Object t : terms) {
                if (t instanceof NamedParameter p) {
                    kwargs.put(p.getName(), Py.defined(p.getValue()));
                } else {
                    names.add(Py.str(Py.defined(t)));
                }
            }
            if (!name.equals("env") && !name.equals("ansible.builtin.env")) {
                throw Py.fail("lookup plugin '" + name + "' is not supported by sysfleet (supported: env)");
            }
            Session s = Session.current();
            Map<String, String> env = s == null ? Map.of() : s.engine.environment();
            Object dflt = kwargs.getOrDefault("default", "");
            List<Object> values = new ArrayList<>();
            for (String n : names) {
                values.add(env.containsKey(n) ? env.get(n) : dflt);
            }
            if (list || Py.truthy(kwargs.getOrDefault("wantlist", false))) {
                return values;
            }
            List<String> text = new ArrayList<>();
            for (Object v : values) {
                text.add(Py.str(v));
            }
            return values.size() == 1 ? values.get(0) : String.join(",", text);
        }

        public static Object range(Object first, Object... more) {
            List<Object> args = new ArrayList<>();
            args.add(first);
            args.addAll(List.of(more));
            for (Object a : args) {
                if (!Py.isInt(Py.defined(a)) && !(a instanceof Boolean)) {
                    throw Py.fail("'" + Py.typeName(a) + "' object cannot be interpreted as an integer");
                }
            }
            long start = args.size() > 1 ? Py.big(args.get(0)).longValue() : 0;
            long stop = Py.big(args.get(args.size() > 1 ? 1 : 0)).longValue();
            long step = args.size() > 2 ? Py.big(args.get(2)).longValue() : 1;
            if (step == 0) {
                throw Py.fail("range() arg 3 must not be zero");
            }
            long n = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
            Session.checkSize(n);
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(start + i * step);
            }
            return out;
        }
    }
}
