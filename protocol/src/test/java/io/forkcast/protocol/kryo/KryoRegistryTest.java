package io.forkcast.protocol.kryo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KryoRegistryTest {

    /** The registry as of the first frame codec. Append rows for new classes; never change or remove one. */
    private static final Map<Integer, Class<?>> IDS = new TreeMap<>(Map.ofEntries(
            Map.entry(32, WorkerMessage.Hello.class),
            Map.entry(33, WorkerMessage.ClientSaid.class),
            Map.entry(34, WorkerMessage.ClientActed.class),
            Map.entry(35, WorkerMessage.NickRequested.class),
            Map.entry(36, WorkerMessage.WhoRequested.class),
            Map.entry(37, WorkerMessage.ClientLeft.class),
            Map.entry(38, WorkerMessage.Resume.class),
            Map.entry(39, WorkerMessage.Ready.class),
            Map.entry(64, SupervisorMessage.Limits.class),
            Map.entry(65, SupervisorMessage.Welcome.class),
            Map.entry(66, SupervisorMessage.Say.class),
            Map.entry(67, SupervisorMessage.Act.class),
            Map.entry(68, SupervisorMessage.Joined.class),
            Map.entry(69, SupervisorMessage.Left.class),
            Map.entry(70, SupervisorMessage.Renamed.class),
            Map.entry(71, SupervisorMessage.Notice.class),
            Map.entry(72, SupervisorMessage.NickAccepted.class),
            Map.entry(73, SupervisorMessage.NickRefused.class),
            Map.entry(74, SupervisorMessage.WhoEntry.class),
            Map.entry(75, SupervisorMessage.WhoEntry[].class),
            Map.entry(76, SupervisorMessage.WhoList.class),
            Map.entry(77, SupervisorMessage.Disconnect.class),
            Map.entry(78, SupervisorMessage.Ack.class),
            Map.entry(79, SupervisorMessage.Assign.class)));

    /** Far above any id the registry will reach; ids are scanned up to here. */
    private static final int SCAN_LIMIT = 4096;

    @Test
    void existingClassesKeepTheirIds() {
        var kryo = KryoRegistry.newKryo();
        IDS.forEach((id, type) -> {
            var registration = kryo.getRegistration(id);
            assertNotNull(registration, "id " + id);
            assertSame(type, registration.getType(), "id " + id);
            assertEquals(id, kryo.getRegistration(type).getId(), type.getName());
        });
    }

    @Test
    void everyRegisteredIdIsUniqueAndInTheTable() {
        var kryo = KryoRegistry.newKryo();
        var registered = new TreeMap<Integer, Class<?>>();
        var types = new HashSet<Class<?>>();
        for (int id = KryoRegistry.FIRST_ID; id < SCAN_LIMIT; id++) {
            var registration = kryo.getRegistration(id);
            if (registration != null) {
                registered.put(id, registration.getType());
                // a class registered twice keeps only its last id, and an id given twice keeps only the last class
                var type = registration.getType();
                assertEquals(id, kryo.getRegistration(type).getId(), type.getName());
                assertTrue(types.add(type), type.getName());
            }
        }
        assertEquals(IDS, registered);
    }
}
