package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void forkcastRunsGetAFreshStateDirectoryAndReferencesDoNot() {
        assertTrue(Main.isForkcastRun(List.of("/w/scripts/forkcast", "run", "--workers-max", "1100")));
        assertFalse(Main.isForkcastRun(List.of("/w/bench/target/epoll-chat")));
        assertFalse(Main.isForkcastRun(List.of("/usr/sbin/mosquitto", "-c", "m.conf")));
        assertFalse(Main.isForkcastRun(List.of("/w/scripts/forkcast", "aot")));
    }
}
