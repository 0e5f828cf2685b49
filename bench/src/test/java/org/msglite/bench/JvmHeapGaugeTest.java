package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JvmHeapGaugeTest {

    @Test
    void g1UsedHeapIsTheHeapLineOnly() throws IOException {
        String g1 = """
                4699:
                 garbage-first heap   total 397312K, used 17618K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 4 young (16384K), 0 survivors (0K)
                 Metaspace       used 8925K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        assertEquals(17618L * 1024, JvmHeapGauge.parseUsedHeap(g1));
    }

    @Test
    void parallelUsedHeapSumsYoungAndOld() throws IOException {
        String parallel = """
                4739:
                 PSYoungGen      total 113152K, used 19456K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
                  eden space 97280K, 20% used [0x0000000782700000,0x0000000783a003d0,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                  to   space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
                 ParOldGen       total 258048K, used 100K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
                  object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
                 Metaspace       used 8905K, committed 9088K, reserved 1114112K
                """;
        assertEquals((19456L + 100) * 1024, JvmHeapGauge.parseUsedHeap(parallel));
    }

    @Test
    void outputWithoutHeapLineIsAnError() {
        assertThrows(IOException.class, () -> JvmHeapGauge.parseUsedHeap("4739:\nAttachNotSupportedException\n"));
    }
}
