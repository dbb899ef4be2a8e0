package io.sysfleet.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.AstTuple;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.ExtendedScanner;
import com.hubspot.jinjava.el.ext.PowerOfOperator;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.el.ext.TruncDivOperator;
import com.hubspot.jinjava.objects.collections.PyList;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinjava's expression parser, adjusted where its JUEL roots differ from Jinja2: every operator is replaced by
 * its Python version ({@link PyOperators}); {@code not} binds looser than comparisons ({@code not a in b} is
 * {@code not (a in b)}); JUEL's word operators ({@code empty div mod eq ne lt gt le ge instanceof null}) are
 * ordinary names; Python string escapes ({@code \n \t \x41}); fully qualified filter and test names
 * ({@code | ansible.builtin.bool}, {@code is ansible.builtin.failed}) are one name; a tuple literal is marked
 * so that a test's arguments {@code is version('4.12', '<')} are told apart from one list argument.
 */
final class AnsibleSyntax {
    private AnsibleSyntax() {
    }

    /** A tuple literal's value: a list that came from {@code (a, b)}. */
    static final class Tuple extends PyList {
        Tuple(List<Object> items) {
            super(items);
        }
    }

    static final class SyntaxBuilder extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        SyntaxBuilder() {
            super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new AnsibleParser(this, expression);
        }
    }

    static final class AnsibleParser extends ExtendedParser {
        AnsibleParser(Builder context, String input) {
            super(context, input);
            replace(StringConcatOperator.TOKEN, StringConcatOperator.HANDLER, PyOperators.CONCAT);
            replace(TruncDivOperator.TOKEN, TruncDivOperator.HANDLER, PyOperators.FLOOR_DIV);
            replace(PowerOfOperator.TOKEN, PowerOfOperator.HANDLER, PyOperators.POW);
            replace(CollectionMembershipOperator.TOKEN, CollectionMembershipOperator.HANDLER, PyOperators.IN);
            replace(CollectionNonMembershipOperator.TOKEN, CollectionNonMembershipOperator.HANDLER,
                    PyOperators.NOT_IN);
        }

        private void replace(Scanner.ExtensionToken token, Parser.ExtensionHandler original, AstBinary.Operator op) {
            putExtensionHandler(token, new Parser.ExtensionHandler(original.getExtensionPoint()) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return new AstBinary(children[0], children[1], op);
                }
            });
        }

        @Override
        protected Scanner createScanner(String expression) {
            return new AnsibleScanner(expression);
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            return new AstBinary(left, right, python(operator));
        }

        private static AstBinary.Operator python(AstBinary.Operator op) {
            if (op == AstBinary.EQ) {
                return PyOperators.EQ;
            } else if (op == AstBinary.NE) {
                return PyOperators.NE;
            } else if (op == AstBinary.LT) {
                return PyOperators.LT;
            } else if (op == AstBinary.LE) {
                return PyOperators.LE;
            } else if (op == AstBinary.GT) {
                return PyOperators.GT;
            } else if (op == AstBinary.GE) {
                return PyOperators.GE;
            } else if (op == AstBinary.AND) {
                return PyOperators.AND;
            } else if (op == AstBinary.OR || op instanceof com.hubspot.jinjava.el.ext.OrOperator) {
                return PyOperators.OR;
            } else if (op == AstBinary.SUB) {
                return PyOperators.SUB;
            } else if (op == AstBinary.MUL) {
                return PyOperators.MUL;
            } else if (op == AstBinary.DIV) {
                return PyOperators.DIV;
            } else if (op == AstBinary.MOD) {
                return PyOperators.MOD;
            } else if (op == AstBinary.ADD || op instanceof com.hubspot.jinjava.el.ext.AdditionOperator) {
                return PyOperators.ADD;
            }
            return op;
        }

        @Override
        protected AstUnary createAstUnary(AstNode child, AstUnary.Operator operator) {
            if (operator == AstUnary.NOT) {
                return new AstUnary(child, PyOperators.NOT);
            }
            if (operator == AstUnary.NEG) {
                return new AstUnary(child, PyOperators.NEG);
            }
            return super.createAstUnary(child, operator);
        }

        /** Jinja2's {@code not} sits between {@code and} and the comparisons. */
        @Override
        protected AstNode eq(boolean required) throws Scanner.ScanException, Parser.ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.eq(required);
        }

        /** {@code **} binds tighter than {@code *} and the filters' operands, as in Jinja2 (JUEL gave it {@code *}'s). */
        @Override
        protected AstNode filter(boolean required) throws Scanner.ScanException, Parser.ParseException {
            AstNode v = super.filter(required);
            while (v != null && getToken().getSymbol() == Scanner.Symbol.EXTENSION
                    && "**".equals(getToken().getImage())) {
                consumeToken();
                v = new AstBinary(v, super.filter(true), PyOperators.POW);
            }
            return v;
        }

        @Override
        protected AstTuple createAstTuple(AstParameters parameters) {
            return new AstTuple(parameters) {
                @Override
                public Object eval(Bindings bindings, ELContext context) {
                    return new Tuple(((PyList) super.eval(bindings, context)).toList());
                }
            };
        }
    }

    static final class AnsibleScanner extends ExtendedScanner {
        /** JUEL keywords that are plain names in Jinja2. */
        private static final Set<String> NAMES = Set.of("empty", "div", "mod", "eq", "ne", "lt", "gt", "le", "ge",
                "instanceof", "null");
        private static final Pattern QUALIFIED = Pattern.compile(
                "ansible\\.(?:builtin|posix|utils|netcommon)\\.[A-Za-z_][A-Za-z0-9_]*");

        AnsibleScanner(String input) {
            super(input);
        }

        @Override
        protected Scanner.Token keyword(String s) {
            return NAMES.contains(s) ? null : super.keyword(s);
        }

        @Override
        protected Scanner.Token nextToken() throws Scanner.ScanException {
            if (isEval()) {
                Scanner.Token previous = getToken();
                String prev = previous == null ? "" : previous.getImage();
                if (prev.equals("|") || prev.equals("is") || prev.equals("not")) {
                    Matcher m = QUALIFIED.matcher(getInput()).region(getPosition(), getInput().length());
                    if (m.lookingAt()) {
                        return token(Scanner.Symbol.IDENTIFIER, m.group(), m.end() - getPosition());
                    }
                }
            }
            return super.nextToken();
        }

        /** Python's string escapes; JUEL knows only \\ and the quote. */
        @Override
        protected Scanner.Token nextString() throws Scanner.ScanException {
            String in = getInput();
            int start = getPosition();
            char quote = in.charAt(start);
            StringBuilder sb = new StringBuilder();
            int i = start + 1;
            while (i < in.length()) {
                char c = in.charAt(i++);
                if (c == quote) {
                    return token(Scanner.Symbol.STRING, sb.toString(), i - start);
                }
                if (c != '\\' || i == in.length()) {
                    sb.append(c);
                    continue;
                }
                char e = in.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case '\\', '\'', '"' -> sb.append(e);
                    case 'x', 'u' -> {
                        int n = e == 'x' ? 2 : 4;
                        try {
                            sb.append((char) Integer.parseInt(in.substring(i, i + n), 16));
                            i += n;
                        } catch (RuntimeException ex) {
                            throw new Scanner.ScanException(start, "invalid \\" + e + " escape", "hex digits");
                        }
                    }
                    default -> sb.append('\\').append(e);
                }
            }
            throw new Scanner.ScanException(start, "unterminated string", String.valueOf(quote));
        }
    }
}
