package org.msglite.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppOptionsTest {
    @Test
    void noArgumentsEmbedsADaemonOnTheDefaultPort() {
        assertThat(AppOptions.parse(List.of())).isEqualTo(new AppOptions(null, null, "127.0.0.1:9813"));
    }

    @Test
    void connectTakesAWebSocketUrlAndToken() {
        AppOptions options = AppOptions.parse(List.of("--connect", "ws://10.0.0.5:9814/", "--token", "s3cret"));

        assertThat(options.connect()).isEqualTo(URI.create("ws://10.0.0.5:9814/"));
        assertThat(options.token()).isEqualTo("s3cret");
    }

    @Test
    void badArgumentsAreExplained() {
        assertThatThrownBy(() -> AppOptions.parse(List.of("--connect", "http://x/"))).hasMessageContaining("ws://HOST:PORT/");
        assertThatThrownBy(() -> AppOptions.parse(List.of("--token", "t"))).hasMessageContaining("--connect");
        assertThatThrownBy(() -> AppOptions.parse(List.of("--bogus"))).hasMessageContaining("usage");
        assertThatThrownBy(() -> AppOptions.parse(List.of("--connect"))).hasMessageContaining("needs a value");
    }
}
