package app;

import io.redjar.Store;
import io.redjar.resp.RedJarServer;
import io.redjar.resp.ServerOptions;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Uses the core in-process, then serves the same store over RESP and talks to it. */
public final class App {
    private App() {
    }

    public static void main(String[] args) throws Exception {
        try (Store store = Store.open()) {
            store.strings().set("greeting", "hello");
            try (RedJarServer server = RedJarServer.start(store, ServerOptions.defaults().port(0));
                 Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                out.write("*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] reply = in.readNBytes("$5\r\nhello\r\n".length());
                String got = new String(reply, StandardCharsets.US_ASCII);
                if (!got.equals("$5\r\nhello\r\n")) {
                    throw new IllegalStateException("unexpected reply " + got);
                }
                System.out.println("consumer-app: GET greeting over RESP = hello");
            }
        }
    }
}
