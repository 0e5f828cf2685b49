package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.ExchangeLimits;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;

class FilterTest {
    private final Exchange exchange = new Exchange(new ExchangeLimits(100, 1 << 20, 60_000), 1, 0);

    private Message message(String contentType, String sender) throws Exception {
        return exchange.send("t", null, 0, new byte[0],
                contentType == null && sender == null ? null : new Metadata(contentType, sender), 0);
    }

    @Test
    void typeGlobsLookAtTheMediaTypeWithoutParameters() throws Exception {
        Filter filter = Filter.of("text/*, image/*", null);
        assertThat(filter.accepts(message("text/html; charset=utf-8", null))).isTrue();
        assertThat(filter.accepts(message("image/png", "x"))).isTrue();
        assertThat(filter.accepts(message("application/json", null))).isFalse();
        assertThat(filter.accepts(message(null, null))).isFalse(); // a text-protocol message is octet-stream
        assertThat(Filter.of("application/octet-stream", null).accepts(message(null, null))).isTrue();
    }

    @Test
    void aSenderGlobNeedsASenderUnlessItMatchesNothing() throws Exception {
        assertThat(Filter.of(null, "dug*").accepts(message("text/plain", "dugsong"))).isTrue();
        assertThat(Filter.of(null, "dug*").accepts(message("text/plain", "bob"))).isFalse();
        assertThat(Filter.of(null, "dug*").accepts(message(null, null))).isFalse();
        assertThat(Filter.of(null, "*").accepts(message(null, null))).isTrue();
        assertThat(Filter.of("text/*", "dug*").accepts(message("image/png", "dugsong"))).isFalse();
    }

    @Test
    void noParametersMeansEverything() throws Exception {
        assertThat(Filter.of(null, null)).isSameAs(Filter.NONE);
        assertThat(Filter.of(" , ", null)).isSameAs(Filter.NONE);
        assertThat(Filter.NONE.accepts(message("x/y", "z"))).isTrue();
    }
}
