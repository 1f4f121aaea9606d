package io.forkcast.supervisor.route.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Topic filters as sections 4.7 and 4.8 draw them: +, #, $-topics, shared subscriptions. */
class TopicFilterTest {
    @Test
    void plusMatchesExactlyOneLevel() {
        assertTrue(TopicFilter.matches("a/+/c", "a/b/c"));
        assertTrue(TopicFilter.matches("a/+", "a/"));
        assertTrue(TopicFilter.matches("+/+", "/x"));
        assertTrue(TopicFilter.matches("+", "a"));
        assertFalse(TopicFilter.matches("a/+", "a"));
        assertFalse(TopicFilter.matches("a/+", "a/b/c"));
        assertFalse(TopicFilter.matches("+", "a/b"));
        assertFalse(TopicFilter.matches("a/+/c", "a/b/d"));
    }

    @Test
    void hashMatchesTheRestAndTheParentLevel() {
        assertTrue(TopicFilter.matches("#", "a/b/c"));
        assertTrue(TopicFilter.matches("a/#", "a"));
        assertTrue(TopicFilter.matches("a/#", "a/b/c"));
        assertTrue(TopicFilter.matches("a/+/#", "a/b"));
        assertFalse(TopicFilter.matches("a/#", "b/a"));
        assertFalse(TopicFilter.matches("a/b/#", "a"));
    }

    @Test
    void exactFiltersMatchOnlyTheSameTopic() {
        assertTrue(TopicFilter.matches("forkcast/rooms/lobby", "forkcast/rooms/lobby"));
        assertFalse(TopicFilter.matches("forkcast/rooms/lobby", "forkcast/rooms/lobby2"));
        assertFalse(TopicFilter.matches("forkcast/rooms", "forkcast/rooms/lobby"));
        assertFalse(TopicFilter.matches("a/b", "a/b/"));
    }

    @Test
    void dollarTopicsAreNotMatchedByALeadingWildcard() {
        assertFalse(TopicFilter.matches("#", "$SYS/uptime"));
        assertFalse(TopicFilter.matches("+/uptime", "$SYS/uptime"));
        assertTrue(TopicFilter.matches("$SYS/#", "$SYS/uptime"));
        assertTrue(TopicFilter.matches("$SYS/+", "$SYS/uptime"));
    }

    @Test
    void invalidFiltersAndTopicsAreRecognised() {
        assertTrue(TopicFilter.validFilter("a/+/#"));
        assertFalse(TopicFilter.validFilter("a/#/b"));
        assertFalse(TopicFilter.validFilter("a/b#"));
        assertFalse(TopicFilter.validFilter("a+/b"));
        assertFalse(TopicFilter.validFilter(""));
        assertFalse(TopicFilter.validFilter("$share/g"));
        assertFalse(TopicFilter.validFilter("$share//a"));
        assertFalse(TopicFilter.validFilter("$share/g+/a"));
        assertTrue(TopicFilter.validTopic("a/b"));
        assertFalse(TopicFilter.validTopic("a/+"));
        assertFalse(TopicFilter.validTopic(""));
    }

    @Test
    void sharedFiltersNameTheirGroupAndMatchWithTheRest() {
        String shared = "$share/workers/jobs/+";
        assertTrue(TopicFilter.validFilter(shared));
        assertTrue(TopicFilter.isShared(shared));
        assertEquals("workers", TopicFilter.group(shared));
        assertEquals("jobs/+", TopicFilter.matchPart(shared));
        assertFalse(TopicFilter.isShared("jobs/+"));
        assertEquals("jobs/+", TopicFilter.matchPart("jobs/+"));
    }
}
