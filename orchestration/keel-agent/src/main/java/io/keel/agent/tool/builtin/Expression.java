package io.keel.agent.tool.builtin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A safe arithmetic evaluator: numbers, {@code + - * / % ^}, parentheses, unary minus, the constants {@code pi} and
 * {@code e}, and the functions {@code sqrt abs ln log10 exp sin cos tan floor ceil round min max pow}. A recursive
 * descent parser over doubles, bounded in length and nesting; no scripting engine, no names beyond these.
 */
final class Expression {
    static final int MAX_LENGTH = 1000;
    static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;
    private int depth;

    private Expression(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException saying what is wrong and where */
    static double evaluate(String text) {
        if (text.length() > MAX_LENGTH) throw new IllegalArgumentException("the expression is longer than " + MAX_LENGTH + " characters");
        Expression e = new Expression(text);
        double v = e.sum();
        e.skipSpace();
        if (e.pos != text.length()) throw e.fail("unexpected '" + text.charAt(e.pos) + "'");
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("the result is not a finite number");
        return v;
    }

    /** The value as text: whole numbers without a fraction, others with up to 12 significant digits. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
    }

    private double sum() {
        double v = product();
        while (true) {
            if (eat('+')) v += product();
            else if (eat('-')) v -= product();
            else return v;
        }
    }

    private double product() {
        double v = unary();
        while (true) {
            if (eat('*')) v *= unary();
            else if (eat('/')) {
                double d = unary();
                if (d == 0) throw fail("division by zero");
                v /= d;
            } else if (eat('%')) {
                double d = unary();
                if (d == 0) throw fail("division by zero");
                v %= d;
            } else return v;
        }
    }

    private double unary() {
        if (eat('-')) return -unary();
        if (eat('+')) return unary();
        double base = atom();
        if (eat('^')) return Math.pow(base, unary()); // right-associative, binds tighter than unary minus on its left
        return base;
    }

    private double atom() {
        if (++depth > MAX_DEPTH) throw fail("nested more than " + MAX_DEPTH + " levels deep");
        try {
            skipSpace();
            if (eat('(')) {
                double v = sum();
                expect(')');
                return v;
            }
            if (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) return number();
            if (pos < s.length() && Character.isLetter(s.charAt(pos))) return named();
            throw fail(pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "the expression ends too early");
        } finally {
            depth--;
        }
    }

    private double number() {
        int start = pos;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')
                && pos + 1 < s.length() && (Character.isDigit(s.charAt(pos + 1)) || s.charAt(pos + 1) == '-' || s.charAt(pos + 1) == '+')) {
            pos += 2;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        }
        try {
            return Double.parseDouble(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw fail("'" + s.substring(start, pos) + "' is not a number");
        }
    }

    private double named() {
        int start = pos;
        while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) pos++;
        String name = s.substring(start, pos).toLowerCase(Locale.ROOT);
        switch (name) {
            case "pi": return Math.PI;
            case "e": return Math.E;
            default: break;
        }
        List<Double> args = arguments(name);
        DoubleUnaryOperator f = switch (name) {
            case "sqrt" -> Math::sqrt;
            case "abs" -> Math::abs;
            case "ln" -> Math::log;
            case "log10", "log" -> Math::log10;
            case "exp" -> Math::exp;
            case "sin" -> Math::sin;
            case "cos" -> Math::cos;
            case "tan" -> Math::tan;
            case "floor" -> Math::floor;
            case "ceil" -> Math::ceil;
            case "round" -> Math::rint;
            default -> null;
        };
        if (f != null) {
            if (args.size() != 1) throw fail(name + " takes one argument");
            return f.applyAsDouble(args.getFirst());
        }
        return switch (name) {
            case "min", "max" -> {
                if (args.isEmpty()) throw fail(name + " needs at least one argument");
                double v = args.getFirst();
                for (double a : args) v = name.equals("min") ? Math.min(v, a) : Math.max(v, a);
                yield v;
            }
            case "pow" -> {
                if (args.size() != 2) throw fail("pow takes two arguments");
                yield Math.pow(args.get(0), args.get(1));
            }
            default -> throw fail("unknown name '" + name + "'");
        };
    }

    private List<Double> arguments(String name) {
        if (!eat('(')) throw fail("unknown name '" + name + "'");
        List<Double> args = new ArrayList<>();
        if (eat(')')) return args;
        do {
            args.add(sum());
        } while (eat(','));
        expect(')');
        return args;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private boolean eat(char c) {
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!eat(c)) throw fail("expected '" + c + "'");
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(why + " at position " + (pos + 1));
    }
}
