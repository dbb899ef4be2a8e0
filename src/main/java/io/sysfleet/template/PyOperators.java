package io.sysfleet.template;

import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;

import java.util.function.BinaryOperator;

/**
 * Jinja2's operators with Python's semantics ({@link Py}), replacing JUEL's, which coerce between types
 * ({@code "5" == 5} is true there, {@code 'x' < 1} compares numbers). {@code and}/{@code or} return an operand
 * and short-circuit, as in Python.
 */
final class PyOperators {
    private PyOperators() {
    }

    private record Simple(String name, BinaryOperator<Object> fn) implements AstBinary.Operator {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            return fn.apply(a, b);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final AstBinary.Operator EQ = new Simple("==", (a, b) -> Py.eq(a, b));
    static final AstBinary.Operator NE = new Simple("!=", (a, b) -> !Py.eq(a, b));
    static final AstBinary.Operator LT = new Simple("<", (a, b) -> Py.order("<", a, b));
    static final AstBinary.Operator LE = new Simple("<=", (a, b) -> Py.order("<=", a, b));
    static final AstBinary.Operator GT = new Simple(">", (a, b) -> Py.order(">", a, b));
    static final AstBinary.Operator GE = new Simple(">=", (a, b) -> Py.order(">=", a, b));
    static final AstBinary.Operator IN = new Simple("in", (a, b) -> Py.contains(b, a));
    static final AstBinary.Operator NOT_IN = new Simple("not in", (a, b) -> !Py.contains(b, a));
    static final AstBinary.Operator ADD = new Simple("+", Py::add);
    static final AstBinary.Operator SUB = new Simple("-", Py::sub);
    static final AstBinary.Operator MUL = new Simple("*", Py::mul);
    static final AstBinary.Operator DIV = new Simple("/", Py::div);
    static final AstBinary.Operator FLOOR_DIV = new Simple("//", Py::floorDiv);
    static final AstBinary.Operator MOD = new Simple("%", Py::mod);
    static final AstBinary.Operator POW = new Simple("**", Py::pow);
    static final AstBinary.Operator CONCAT = new Simple("~", Py::concat);

    static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return Py.truthy(a) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    static final AstBinary.Operator OR = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return Py.truthy(a) ? a : right.eval(bindings, context);
        }

        @Override
        public String toString() {
            return "or";
        }
    };

    static final AstUnary.Operator NOT = new AstUnary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode node) {
            return !Py.truthy(node.eval(bindings, context));
        }

        @Override
        public String toString() {
            return "not";
        }
    };

    static final AstUnary.Operator NEG = new AstUnary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode node) {
            return Py.neg(node.eval(bindings, context));
        }

        @Override
        public String toString() {
            return "-";
        }
    };
}
