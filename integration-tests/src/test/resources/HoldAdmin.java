import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * java HoldAdmin.java SOCKET N: opens N connections to an admin socket, sends HELP on each and prints
 * "connection i: <first reply line>", then holds them open until killed. Run as another uid by AdminQuotaIT.
 */
public class HoldAdmin {
    public static void main(String[] args) throws Exception {
        var held = new ArrayList<SocketChannel>();
        for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
            var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(args[0]));
            held.add(channel);
            try {
                channel.write(ByteBuffer.wrap("HELP\n".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException refusedAndClosed) {
                // Its one line may still be waiting to be read.
            }
            System.out.println("connection " + i + ": " + firstLine(channel));
        }
        System.out.println("holding " + held.size());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String firstLine(SocketChannel channel) throws IOException {
        var line = new StringBuilder();
        var one = ByteBuffer.allocate(1);
        while (channel.read(one.clear()) > 0 && one.get(0) != '\n') {
            line.append((char) one.get(0));
        }
        return line.toString();
    }
}
