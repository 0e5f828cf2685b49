package org.msglite.bench;

import java.io.IOException;

/** Redis {@code INFO memory} used_memory: the allocator's view of everything Redis holds. */
final class RedisMemoryGauge implements MemoryGauge {
    private final Endpoint endpoint;

    RedisMemoryGauge(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public long usedBytes() throws IOException {
        try (RespConnection c = new RespConnection(endpoint)) {
            return c.usedMemory();
        }
    }

    @Override
    public String what() {
        return "Redis INFO memory used_memory";
    }
}
