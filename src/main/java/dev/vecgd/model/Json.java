package dev.vecgd.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for {@link ModelFormat}, with no dependencies. Values become
 * {@code Map<String, Object>} (key order kept; a duplicate key is an error), {@code List<Object>},
 * {@link String}, {@link Boolean}, {@link Number} (the exact source text, parsed later as a double or a long,
 * so no precision is lost in between) or {@link #NULL}.
 *
 * <p>Rejected, each with a {@link ModelFormatException} naming line and column: anything outside the grammar
 * (comments, single quotes, trailing commas, leading zeros, {@code NaN} literals, unescaped control characters,
 * bad escapes), content after the value, a duplicate key, nesting deeper than
 * {@value #MAX_DEPTH}, and text longer than {@value #MAX_CHARS} characters.
 */
final class Json {

    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number's source text (valid JSON number grammar). */
    record Number(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static final int MAX_DEPTH = 32;
    static final int MAX_CHARS = 1 << 28;

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value that spans the whole text (whitespace around it allowed). */
    static Object parse(String text) {
        if (text.length() > MAX_CHARS) throw new ModelFormatException("the text is too long for a model file: " + text.length() + " characters");
        Json p = new Json(text);
        p.ws();
        if (p.pos == text.length()) throw new ModelFormatException("empty input: no JSON value");
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw p.error("unexpected " + p.describe() + " after the JSON value");
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
        if (pos >= s.length()) throw error("unexpected end of input, expected a value");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describe() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++; // {
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') throw error("unexpected " + describe() + ", expected a key (a string)");
            int keyAt = pos;
            String key = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth + 1);
            if (m.putIfAbsent(key, v) != null) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            ws();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return m;
            } else {
                throw error("unexpected " + describe() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++; // [
        List<Object> a = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            return a;
        }
        while (true) {
            ws();
            a.add(value(depth + 1));
            ws();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return a;
            } else {
                throw error("unexpected " + describe() + ", expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // "
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c < 0x20) throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            if (c == '\\') {
                pos++;
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 >= s.length()) throw error("truncated \\u escape");
                        int v = 0;
                        for (int k = 1; k <= 4; k++) {
                            int d = Character.digit(s.charAt(pos + k), 16);
                            if (d < 0) throw error("bad hex digit in a \\u escape");
                            v = v * 16 + d;
                        }
                        b.append((char) v);
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
                pos++;
            } else {
                b.append(c);
                pos++;
            }
        }
    }

    private Number number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw error("leading zero in a number");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("a number needs a digit after '-'");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) throw error("a number needs a digit after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("a number needs a digit in its exponent");
            while (isDigit(peek())) pos++;
        }
        return new Number(s.substring(start, pos));
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("unexpected " + describe() + ", expected a value");
        pos += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) throw error("unexpected " + describe() + ", expected '" + c + "'");
        pos++;
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describe() {
        if (pos >= s.length()) return "end of input";
        char c = s.charAt(pos);
        return c < 0x20 || c > 0x7e ? "character U+" + String.format("%04X", (int) c) : "'" + c + "'";
    }

    private ModelFormatException error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new ModelFormatException("invalid JSON at line " + line + ", column " + col + ": " + what);
    }

    /** A JSON string literal for s (quotes, backslashes and control characters escaped). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
