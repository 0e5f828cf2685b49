package org.msglite.server.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class JsonStringsTest {
    private static String quoted(String value) {
        return JsonStrings.quote(new StringBuilder(), value).toString();
    }

    @Test
    void everyCharacterOfTheBasicPlaneSurvivesAStrictJsonParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            all.append(c);
        }
        all.append("\uD83D\uDE00 end"); // a surrogate pair, passed through as it is
        String value = all.toString();

        assertThat(JsonParser.parseString(quoted(value)).getAsString()).isEqualTo(value);
    }

    @Test
    void escapesWhatJsonAndJavaScriptRequireAndNothingElse() {
        assertThat(quoted("plain text, ünïcode")).isEqualTo("\"plain text, ünïcode\"");
        assertThat(quoted("a\"b\\c\nd\re\tf\u0001g")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"");
        assertThat(quoted("line\u2028para\u2029")).isEqualTo("\"line\\u2028para\\u2029\"");
        assertThat(quoted("")).isEqualTo("\"\"");
    }
}
