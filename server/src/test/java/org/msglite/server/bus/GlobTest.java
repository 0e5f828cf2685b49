package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "text/*, text/plain, true",
            "text/*, text/, true",
            "text/*, image/png, false",
            "*, '', true",
            "'', '', true",
            "'', a, false",
            "dug*, dugsong, true",
            "dug*, doug, false",
            "?ug*, dugsong, true",
            "*song, dugsong, true",
            "*s*g, dugsong, true",
            "d*g*g, dugsong, true",
            "d*x, dugsong, false",
            "IMAGE/*, image/jpeg, true",
            "a?c, abc, true",
            "a?c, ac, false",
            "**, anything, true",
    })
    void matchesLikeAShellPatternIgnoringCase(String pattern, String text, boolean expected) {
        assertThat(Glob.matches(pattern, text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "News, News, true",
            "News, news, false",
            "logs.*, LOGS.web, false",
            "logs.*, logs.web, true",
    })
    void exactCaseMatchingTellsCasesApart(String pattern, String text, boolean expected) {
        assertThat(Glob.matchesExactCase(pattern, text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"40", "2000"})
    void pathologicalPatternsStayFast(int length) {
        String text = "a".repeat(length);
        String pattern = "*a".repeat(length / 4) + "b";
        long start = System.nanoTime();
        assertThat(Glob.matches(pattern, text)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L); // backtracking would take ages
    }
}
