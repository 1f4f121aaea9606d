package io.forkcast.supervisor.config;

import java.time.Duration;
import java.util.Map;

/**
 * The warm pool's settings (README, "Settings"): spares kept started, their bounds, age and ramp, and whether each
 * runs a practice session before it waits. Immutable.
 *
 * @param minSpare spares kept started and connected (pool_min_spare); 0: no pool
 * @param maxSpare most idle spares; more are retired (pool_max_spare)
 * @param spareMaxAge age after which an idle spare is retired and replaced (pool_spare_max_age)
 * @param rampMax most spares started per second when refilling (pool_ramp_max)
 * @param warmup whether a spare runs its client kinds' paths once before it waits (pool_warmup)
 */
public record PoolSettings(int minSpare, int maxSpare, Duration spareMaxAge, int rampMax, boolean warmup) {
    static PoolSettings of(Map<String, Object> values) {
        return new PoolSettings(
                (Integer) values.get("pool_min_spare"),
                (Integer) values.get("pool_max_spare"),
                (Duration) values.get("pool_spare_max_age"),
                (Integer) values.get("pool_ramp_max"),
                "on".equals(values.get("pool_warmup")));
    }
}
