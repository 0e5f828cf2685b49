package org.msglite.bench;

/**
 * What a tap client needs from one monitor frame: its {@code type}, how many {@code events} a
 * {@code tap} frame carries and its {@code dropped} count. Every other field is skipped.
 *
 * <p>A JSON library would be a new dependency of a tool that is meant to stay small and
 * independent, and only these three fields matter, so this is a minimal scanner of well-formed
 * JSON: strings (with escapes) are skipped properly, so addresses or previews containing brackets
 * or quotes cannot throw the counts off. Malformed input is an {@link IllegalArgumentException}.
 *
 * @param type    the frame's {@code "type"}, or null if it has none
 * @param events  elements of the top-level {@code "events"} array (0 if absent)
 * @param dropped the top-level {@code "dropped"} number (0 if absent)
 */
record TapFrame(String type, int events, long dropped) {

    static TapFrame parse(CharSequence json) {
        return new Scanner(json).frame();
    }

    private static final class Scanner {
        private final CharSequence in;
        private int at;

        Scanner(CharSequence in) {
            this.in = in;
        }

        TapFrame frame() {
            String type = null;
            int events = 0;
            long dropped = 0;
            expect('{');
            if (!tryConsume('}')) {
                do {
                    String key = string();
                    expect(':');
                    switch (key) {
                        case "type" -> type = peek() == '"' ? string() : skipValueAsNull();
                        case "events" -> events = countArray();
                        case "dropped" -> dropped = number();
                        default -> skipValue();
                    }
                } while (tryConsume(','));
                expect('}');
            }
            skipSpace();
            if (at != in.length()) {
                throw malformed("text after the object");
            }
            return new TapFrame(type, events, dropped);
        }

        private String skipValueAsNull() {
            skipValue();
            return null;
        }

        /** The elements of an array, each skipped. */
        private int countArray() {
            expect('[');
            if (tryConsume(']')) {
                return 0;
            }
            int n = 0;
            do {
                skipValue();
                n++;
            } while (tryConsume(','));
            expect(']');
            return n;
        }

        private void skipValue() {
            char c = peek();
            switch (c) {
                case '"' -> skipString();
                case '[' -> countArray();
                case '{' -> {
                    expect('{');
                    if (!tryConsume('}')) {
                        do {
                            skipString();
                            expect(':');
                            skipValue();
                        } while (tryConsume(','));
                        expect('}');
                    }
                }
                default -> {
                    // a number or true/false/null: a run of the characters they are made of
                    int start = at;
                    while (at < in.length() && "+-.eE0123456789truefalsn".indexOf(in.charAt(at)) >= 0) {
                        at++;
                    }
                    if (at == start) {
                        throw malformed("unexpected '" + c + "'");
                    }
                }
            }
        }

        private long number() {
            skipSpace();
            int start = at;
            while (at < in.length() && (Character.isDigit(in.charAt(at)) || in.charAt(at) == '-')) {
                at++;
            }
            try {
                return Long.parseLong(in.subSequence(start, at).toString());
            } catch (NumberFormatException e) {
                throw malformed("expected a whole number");
            }
        }

        /** Skips a string without building it: previews and addresses are read past, not kept. */
        private void skipString() {
            expect('"');
            while (at < in.length()) {
                char c = in.charAt(at++);
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    at++; // the escaped character; the hex digits of a unicode escape are plain characters anyway
                }
            }
            throw malformed("unterminated string");
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= in.length()) {
                    throw malformed("unterminated string");
                }
                char c = in.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (at >= in.length()) {
                        throw malformed("unterminated escape");
                    }
                    char e = in.charAt(at++);
                    switch (e) {
                        case 'u' -> {
                            if (at + 4 > in.length()) {
                                throw malformed("short \\u escape");
                            }
                            out.append((char) Integer.parseInt(in.subSequence(at, at + 4).toString(), 16));
                            at += 4;
                        }
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        default -> out.append(e); // \" \\ \/
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private char peek() {
            skipSpace();
            if (at >= in.length()) {
                throw malformed("unexpected end");
            }
            return in.charAt(at);
        }

        private boolean tryConsume(char c) {
            if (peek() == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!tryConsume(c)) {
                throw malformed("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (at < in.length() && Character.isWhitespace(in.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException malformed(String what) {
            return new IllegalArgumentException("malformed monitor frame at " + at + ": " + what);
        }
    }
}
