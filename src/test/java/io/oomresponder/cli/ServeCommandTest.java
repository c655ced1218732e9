package io.oomresponder.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {

    @Test
    void outOfRangeOptionsAreUsageErrors() {
        assertThat(Main.run("serve", "--port", "70000")).isEqualTo(2);
        assertThat(Main.run("serve", "--workers", "0")).isEqualTo(2);
        assertThat(Main.run("serve", "--queue-capacity", "0")).isEqualTo(2);
    }

    @Test
    void helpDescribesTheRoutes() {
        assertThat(Main.run("serve", "--help")).isZero();
    }
}
