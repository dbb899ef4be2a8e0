package io.sysfleet.playbook;

import java.util.List;

/** The syntax tree of a {@code when} expression (see {@link Condition} for the subset). */
sealed interface WhenExpr {

    record Literal(Object value) implements WhenExpr { }

    record ListLit(List<WhenExpr> items) implements WhenExpr { }

    /** A variable, optionally with dotted attribute access: {@code path = ["a", "b"]} for {@code a.b}. */
    record Var(List<String> path) implements WhenExpr {
        String dotted() {
            return String.join(".", path);
        }
    }

    record Not(WhenExpr operand) implements WhenExpr { }

    record Neg(WhenExpr operand) implements WhenExpr { }

    record And(WhenExpr left, WhenExpr right) implements WhenExpr { }

    record Or(WhenExpr left, WhenExpr right) implements WhenExpr { }

    /** {@code op} is one of == != < <= > >= in "not in". */
    record Compare(String op, WhenExpr left, WhenExpr right) implements WhenExpr { }

    /** {@code name} is defined, undefined or version. */
    record Test(String name, WhenExpr subject, List<WhenExpr> args) implements WhenExpr { }

    /** {@code name} is int, bool or default. */
    record Filter(String name, WhenExpr subject, List<WhenExpr> args) implements WhenExpr { }
}
