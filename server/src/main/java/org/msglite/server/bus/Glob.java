package org.msglite.server.bus;

/**
 * Shell-style patterns for the push filters: {@code *} matches any run of characters,
 * {@code ?} one character, everything else itself: ignoring case for the push filters (media
 * types and user names are compared that way by people), exactly for topic names (the exchange
 * tells {@code News} from {@code news}). Iterative with one backtrack point, so no pattern can make
 * matching slower than the product of the two lengths.
 */
final class Glob {
    private Glob() {}

    /** Ignoring case. */
    static boolean matches(String pattern, String text) {
        return matches(pattern, text, true);
    }

    static boolean matchesExactCase(String pattern, String text) {
        return matches(pattern, text, false);
    }

    private static boolean matches(String pattern, String text, boolean ignoreCase) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), text.charAt(t), ignoreCase))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
