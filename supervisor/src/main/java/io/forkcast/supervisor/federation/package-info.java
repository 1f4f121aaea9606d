/**
 * Several supervisors sharing rooms through a NATS cluster: {@link io.forkcast.supervisor.federation.NatsFederation}
 * publishes this node's room events and hands the others' to the routing domain's {@code RemoteDesk} on the loop
 * thread; the subjects and the payload are drawn in {@code Subjects} and {@code FederationCodec}. See
 * docs/federation.md.
 */
package io.forkcast.supervisor.federation;
