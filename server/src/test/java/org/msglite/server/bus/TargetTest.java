package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msglite.server.http.HttpException;

class TargetTest {

    @Test
    void splitsAndDecodesSegmentsAndQuery() throws Exception {
        Target target = Target.parse("/msgbus/caf%C3%A9?type=text/*,image/*&sender=dug%2A&empty&x=a+b");
        assertThat(target.segments()).containsExactly("msgbus", "café");
        assertThat(target.trailingSlash()).isFalse();
        assertThat(target.query()).containsEntry("type", "text/*,image/*").containsEntry("sender", "dug*")
                .containsEntry("empty", "").containsEntry("x", "a b");
    }

    @Test
    void knowsTheShapes() throws Exception {
        assertThat(Target.parse("/").segments()).isEmpty();
        assertThat(Target.parse("/").trailingSlash()).isTrue();
        assertThat(Target.parse("/msgbus/").segments()).containsExactly("msgbus");
        assertThat(Target.parse("/msgbus/").trailingSlash()).isTrue();
        assertThat(Target.parse("/topic").singleSegment()).isEqualTo("topic");
        assertThat(Target.parse("/topic/").singleSegment()).isNull();
        assertThat(Target.parse("/a/b").singleSegment()).isNull();
        assertThat(Target.parse("http://host:1/t?x=1").singleSegment()).isEqualTo("t");
    }

    @Test
    void anEncodedSlashStaysInsideItsSegment() throws Exception {
        assertThat(Target.parse("/a%2Fb").segments()).isEqualTo(List.of("a/b"));
        assertThat(Target.parse("/..%2f..%2fetc").segments()).isEqualTo(List.of("../../etc"));
        assertThat(Target.parse("/%2e%2e/x").segments()).isEqualTo(List.of("..", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "/a%zz", "/a%2", "/a%", "/%C3%28", "/a%00b", "/a%0Ab", "/?q=%ff", "/a\u0001"})
    void refusesMalformedTargetsWith400(String raw) {
        assertThatThrownBy(() -> Target.parse(raw)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }
}
