package io.oomresponder.evidence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryQuantityTest {

    @Test
    void binarySuffixesArePowersOf1024() {
        assertThat(MemoryQuantity.bytes("1Gi")).isEqualTo(1_073_741_824L);
        assertThat(MemoryQuantity.bytes("1.5Gi")).isEqualTo(1_610_612_736L);
        assertThat(MemoryQuantity.bytes("0.5Gi")).isEqualTo(536_870_912L);
        assertThat(MemoryQuantity.bytes("512Mi")).isEqualTo(536_870_912L);
        assertThat(MemoryQuantity.bytes("250Mi")).isEqualTo(262_144_000L);
        assertThat(MemoryQuantity.bytes("64Ki")).isEqualTo(65_536L);
        assertThat(MemoryQuantity.bytes(" 4gi ")).isEqualTo(4_294_967_296L);
    }

    @Test
    void decimalSuffixesArePowersOf1000() {
        assertThat(MemoryQuantity.bytes("2G")).isEqualTo(2_000_000_000L);
        assertThat(MemoryQuantity.bytes("500M")).isEqualTo(500_000_000L);
        assertThat(MemoryQuantity.bytes("1048576")).isEqualTo(1_048_576L);
    }

    @Test
    void anythingElseIsUnknownRatherThanAGuess() {
        assertThat(MemoryQuantity.bytes(null)).isNull();
        assertThat(MemoryQuantity.bytes("")).isNull();
        assertThat(MemoryQuantity.bytes("lots")).isNull();
        assertThat(MemoryQuantity.bytes("1.5 GB")).isNull();
        assertThat(MemoryQuantity.bytes("512m")).as("Kubernetes milli, never a memory limit").isNull();
        assertThat(MemoryQuantity.bytes("-1Gi")).isNull();
    }
}
