package org.msglite.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a reply head, {@code [status, [name, value, …]]}, straight from its UTF-8 bytes as strict
 * JSON (RFC 8259). It runs for every proxied request; Gson's reader, with the String and Reader
 * it needs, took an eighth of the event loop's time under load. Anything else is the handler's
 * fault: an {@link HttpException} 502 that says what was wrong.
 */
final class ReplyHeadReader {
    private final byte[] in;
    private int pos;

    private ReplyHeadReader(byte[] in) {
        this.in = in;
    }

    static Envelope.ReplyHead read(byte[] body) throws HttpException {
        return new ReplyHeadReader(body).head();
    }

    private Envelope.ReplyHead head() throws HttpException {
        if (peek() != '[') {
            skipValue(); // still a syntax error if it is not JSON at all
            throw badShape();
        }
        pos++;
        if (peek() == ']') {
            throw badShape();
        }
        int status = status();
        List<HttpHeader> headers = new ArrayList<>();
        if (peek() == ',') {
            pos++;
            headers(headers);
        }
        if (peek() != ']') {
            if (peek() == ',') {
                throw badShape();
            }
            throw notJson();
        }
        pos++;
        if (peek() != -1) {
            throw notJson();
        }
        return new Envelope.ReplyHead(status, headers);
    }

    private int status() throws HttpException {
        int c = peek();
        String text;
        if (c == '"') {
            text = string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            text = number();
        } else {
            throw Envelope.badReply("reply status must be a 3-digit number, not " + kind(c));
        }
        if (text.length() != 3 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9') || text.charAt(0) == '0') {
            throw Envelope.badReply("reply status must be a 3-digit number, not " + text);
        }
        if (text.charAt(0) == '1') {
            // a 1xx is an interim answer: sent as the reply, the client would pair responses wrongly
            throw Envelope.badReply("reply status " + text + " is an interim (1xx) status, not a final answer");
        }
        return Integer.parseInt(text);
    }

    private void headers(List<HttpHeader> headers) throws HttpException {
        if (peek() != '[') {
            skipValue();
            throw Envelope.badReply("reply headers must be a flat [name, value, ...] array");
        }
        pos++;
        if (peek() == ']') {
            pos++;
            return;
        }
        for (int i = 0; ; i += 2) {
            String name = scalar();
            if (name == null || !Envelope.validName(name)) {
                throw Envelope.badReply("invalid reply header at position " + i);
            }
            if (peek() != ',') {
                if (peek() == ']') {
                    throw Envelope.badReply("reply headers must be a flat [name, value, ...] array");
                }
                throw notJson();
            }
            pos++;
            String value = scalar();
            if (value == null || !Envelope.validValue(value)) {
                throw Envelope.badReply("invalid reply header at position " + i);
            }
            headers.add(new HttpHeader(name, value));
            int c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw notJson();
            }
        }
    }

    /** A string or number as its text; {@code null} (after checking it is JSON) for anything else. */
    private String scalar() throws HttpException {
        int c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        skipValue();
        return null;
    }

    /** The next byte after white space, without taking it; -1 at the end. */
    private int peek() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private String string() throws HttpException {
        pos++; // the opening quote
        int start = pos;
        StringBuilder escaped = null;
        while (true) {
            if (pos >= in.length) {
                throw notJson();
            }
            int c = in[pos] & 0xff;
            if (c == '"') {
                String tail = new String(in, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return escaped == null ? tail : escaped.append(tail).toString();
            }
            if (c < 0x20) {
                throw notJson();
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            // a backslash is ASCII, so it never splits a multi-byte UTF-8 sequence
            if (escaped == null) {
                escaped = new StringBuilder();
            }
            escaped.append(new String(in, start, pos - start, StandardCharsets.UTF_8));
            escaped.append(escape());
            start = pos;
        }
    }

    /** The character of the escape at {@code pos}, which it passes. */
    private char escape() throws HttpException {
        if (pos + 1 >= in.length) {
            throw notJson();
        }
        int c = in[pos + 1];
        pos += 2;
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                if (pos + 4 > in.length) {
                    throw notJson();
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(in[pos + i], 16);
                    if (digit < 0) {
                        throw notJson();
                    }
                    code = code * 16 + digit;
                }
                pos += 4;
                return (char) code;
            default:
                throw notJson();
        }
    }

    private String number() throws HttpException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (!digits()) {
            throw notJson();
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (!digits()) {
                throw notJson();
            }
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (!digits()) {
                throw notJson();
            }
        }
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    private boolean digits() {
        int start = pos;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    /** Passes any JSON value, so that a wrong shape and a syntax error are told apart. */
    private void skipValue() throws HttpException {
        int c = peek();
        if (c == '"') {
            string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            number();
        } else if (c == '[' || c == '{') {
            pos++;
            int close = c == '[' ? ']' : '}';
            if (peek() == close) {
                pos++;
                return;
            }
            while (true) {
                if (c == '{') {
                    if (peek() != '"') {
                        throw notJson();
                    }
                    string();
                    if (peek() != ':') {
                        throw notJson();
                    }
                    pos++;
                }
                skipValue();
                int next = peek();
                pos++;
                if (next == close) {
                    return;
                }
                if (next != ',') {
                    throw notJson();
                }
            }
        } else if (!literal("true") && !literal("false") && !literal("null")) {
            throw notJson();
        }
    }

    private boolean literal(String word) {
        if (pos + word.length() > in.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        return true;
    }

    private static String kind(int c) {
        return switch (c) {
            case '[' -> "an array";
            case '{' -> "an object";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            case -1 -> "nothing";
            default -> "'" + (char) c + "'";
        };
    }

    private static HttpException badShape() {
        return Envelope.badReply("reply head must be [status, [name, value, ...]]");
    }

    private static HttpException notJson() {
        return Envelope.badReply("reply head is not JSON");
    }
}
