package io.oomresponder.evidence;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class IdleBoundedMapTest {

    private final AtomicLong now = new AtomicLong();
    private final IdleBoundedMap<String, String> map = new IdleBoundedMap<>(3, Duration.ofMinutes(60), now::get);

    @Test
    void theLeastRecentlyUsedEntryGoesWhenFull() {
        map.put("a", "1");
        map.put("b", "2");
        map.put("c", "3");
        assertThat(map.get("a")).isEqualTo("1"); // a is now the most recently used
        map.put("d", "4");

        assertThat(map.size()).isEqualTo(3);
        assertThat(map.get("b")).as("least recently used").isNull();
        assertThat(map.get("a")).isEqualTo("1");
    }

    @Test
    void entriesUnusedForTheIdleTimeAreDroppedAndUseKeepsThemAlive() {
        map.put("client-1", "x");
        map.put("client-2", "y");
        now.addAndGet(Duration.ofMinutes(40).toNanos());
        assertThat(map.get("client-2")).isEqualTo("y");
        now.addAndGet(Duration.ofMinutes(40).toNanos());

        assertThat(map.get("client-1")).as("idle 80 min").isNull();
        assertThat(map.get("client-2")).as("used 40 min ago").isEqualTo("y");
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.computeIfAbsent("client-1", k -> "rebuilt")).isEqualTo("rebuilt");
    }

    @Test
    void anEntryExpiringAfterWriteGoesAtItsLifetimeHoweverOftenItIsReadAndAPutRenewsIt() {
        IdleBoundedMap<String, String> env = IdleBoundedMap.expiringAfterWrite(3, Duration.ofMinutes(15), now::get);
        env.put("env-1", "workspace-a");
        env.put("env-2", "workspace-b");
        for (int i = 0; i < 14; i++) {
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertThat(env.get("env-1")).isEqualTo("workspace-a");
        }
        env.put("env-2", "workspace-c"); // read again at minute 14
        now.addAndGet(Duration.ofMinutes(2).toNanos());

        assertThat(env.get("env-1")).as("put 16 min ago, read every minute").isNull();
        assertThat(env.get("env-2")).as("put 2 min ago").isEqualTo("workspace-c");
        env.put("env-3", "x");
        env.put("env-4", "y");
        env.put("env-5", "z");
        assertThat(env.get("env-2")).as("oldest put goes first when full").isNull();
        assertThat(env.size()).isEqualTo(3);
    }
}
