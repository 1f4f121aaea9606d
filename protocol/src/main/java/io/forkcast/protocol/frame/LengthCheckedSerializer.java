package io.forkcast.protocol.frame;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.message.Message;
import java.util.HashSet;
import java.util.Set;

/**
 * Guards Kryo's String and array readers on the decoding side: the count a payload claims (chars, elements) is
 * checked against the payload bytes left before Kryo allocates for it, since each char and each element takes at
 * least one byte. Without it a 6-byte payload makes Kryo allocate an array of 2^31 elements. Same thread as its Kryo.
 */
final class LengthCheckedSerializer extends Serializer<Object> {
    private final Serializer<Object> delegate;
    private final boolean countsChars; // a String (chars) rather than an array (elements)

    private LengthCheckedSerializer(Serializer<Object> delegate, boolean countsChars) {
        this.delegate = delegate;
        this.countsChars = countsChars;
        setAcceptsNull(delegate.getAcceptsNull());
        setImmutable(delegate.isImmutable());
    }

    /** Wraps the serializers of String and of every array type a Message can contain. */
    static void install(Kryo kryo) {
        wrap(kryo, String.class, true);
        var seen = new HashSet<Class<?>>();
        visit(kryo, Message.class, seen);
    }

    private static void visit(Kryo kryo, Class<?> type, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        if (type.isArray()) {
            wrap(kryo, type, false);
            visit(kryo, type.getComponentType(), seen);
        } else if (type.isSealed()) {
            for (var permitted : type.getPermittedSubclasses()) {
                visit(kryo, permitted, seen);
            }
        } else if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                visit(kryo, component.getType(), seen);
            }
        }
    }

    private static void wrap(Kryo kryo, Class<?> type, boolean countsChars) {
        Registration registration = kryo.getClassResolver().getRegistration(type);
        if (registration == null || registration.getSerializer() instanceof LengthCheckedSerializer) {
            return; // not registered: a payload cannot name it, and writing one fails on the encoder's side
        }
        // Kryo's registrations hold raw serializers; the wrapper only passes objects through.
        @SuppressWarnings("unchecked")
        var delegate = (Serializer<Object>) registration.getSerializer();
        registration.setSerializer(new LengthCheckedSerializer(delegate, countsChars));
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        delegate.write(kryo, output, object);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
        int start = input.position();
        long claimed = countsChars ? claimedChars(input) : claimedElements(input);
        input.setPosition(start);
        int left = input.limit() - start;
        if (claimed > left) {
            String what = countsChars
                    ? "string of " + claimed + " chars"
                    : type.getSimpleName() + " of " + claimed + " elements";
            throw new KryoException(what + " claimed with " + left + " payload bytes left");
        }
        return delegate.read(kryo, input, type);
    }

    /** Kryo writes ASCII strings unprefixed (bounded by the buffer), others as a flagged varint of chars + 1. */
    private static long claimedChars(Input input) {
        return input.readVarIntFlag() ? Integer.toUnsignedLong(input.readVarIntFlag(true)) - 1 : 0;
    }

    /** Every Kryo array serializer starts with a varint of elements + 1 (0 meaning null). */
    private static long claimedElements(Input input) {
        return Integer.toUnsignedLong(input.readVarInt(true)) - 1;
    }
}
