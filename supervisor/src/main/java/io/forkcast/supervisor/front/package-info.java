/**
 * The client kinds the supervisor serves, one {@link io.forkcast.supervisor.front.FrontDoorKind} each: the name
 * its workers run under, and how a client is refused before a worker serves it. The supervisor never parses what
 * a client sends; everything else about a kind's wire format lives in the worker's front door.
 */
package io.forkcast.supervisor.front;
