package io.forkcast.supervisor.front;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One kind of client as the supervisor sees it: the name its workers are started with ({@code --kind}) and greet
 * with ({@code Hello2.kind}), and how a client the supervisor turns away before any worker serves it is told why,
 * in that client's own protocol. A new client kind is a new implementation here and a front door under the
 * worker's {@code front/}. Immutable; used on the loop thread.
 */
public interface FrontDoorKind {
    /** The kind's name: {@code telnet}. */
    String name();

    /** The bytes that tell a refused client {@code reason} ("server full, please try again later"). */
    ByteBuffer refusal(String reason);

    /** What its workers are started with besides the common flags ({@code --broker-max-message-bytes N}). */
    default List<String> workerArguments() {
        return List.of();
    }
}
