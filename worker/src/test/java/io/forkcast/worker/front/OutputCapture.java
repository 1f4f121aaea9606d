package io.forkcast.worker.front;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/** Takes what a front door wrote into its {@link ClientOutput}, as the client would read it. For tests. */
public final class OutputCapture {
    private OutputCapture() {}

    /** Everything {@code out} holds, written to a channel that takes it all; {@code out} is empty after. */
    public static byte[] take(ClientOutput out) throws IOException {
        var sink = new ByteArrayOutputStream();
        out.flush(new GatheringByteChannel() {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    n += write(srcs[i]);
                }
                return n;
            }

            @Override
            public long write(ByteBuffer[] srcs) {
                return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                sink.write(b, 0, n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        });
        return sink.toByteArray();
    }
}
