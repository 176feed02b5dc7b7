package io.redjar.resp;

import io.redjar.internal.Internals;
import io.netty.channel.Channel;
import io.redjar.Session;
import io.redjar.internal.server.ConnectionInfo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the server knows about one connection: its session (selected db, protocol), id, name,
 * authentication and CLIENT flags. Mutated on the channel's event loop; read by CLIENT LIST from
 * other connections' loops, hence the volatiles (values may be slightly stale there, as in Redis).
 */
final class ClientState implements ConnectionInfo {
    enum ReplyMode { ON, OFF, SKIP }

    final long id;
    final Channel channel;
    final Session session;
    final long createdMillis = System.currentTimeMillis();
    volatile long lastInteractionMillis = createdMillis;
    volatile String name;
    volatile boolean authenticated;
    volatile String lastCommand = "NULL";
    volatile boolean noEvict;
    volatile boolean noTouch;
    volatile String libName;
    volatile String libVer;
    ReplyMode replyMode = ReplyMode.ON;
    boolean skipNext;
    volatile boolean monitor;

    ClientState(long id, Channel channel, Session session, boolean authenticated) {
        this.id = id;
        this.channel = channel;
        this.session = session;
        this.authenticated = authenticated;
        Internals.context(session).client(this);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    static String addr(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public String addr() {
        return addr(channel.remoteAddress());
    }

    String laddr() {
        return addr(channel.localAddress());
    }

    /** One CLIENT LIST line (Redis 7.0 field names; memory and buffer fields are not tracked: 0). */
    String infoLine() {
        long now = System.currentTimeMillis();
        StringBuilder flags = new StringBuilder();
        if (noEvict) {
            flags.append('e');
        }
        if (noTouch) {
            flags.append('T');
        }
        if (monitor) {
            flags.append('O');
        }
        if (flags.length() == 0) {
            flags.append('N');
        }
        String n = name == null ? "" : name;
        return "id=" + id + " addr=" + addr() + " laddr=" + laddr() + " fd=-1 name=" + n
            + " age=" + (now - createdMillis) / 1000 + " idle=" + (now - lastInteractionMillis) / 1000
            + " flags=" + flags + " db=" + session.database() + " sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0"
            + " argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + lastCommand
            + " user=default redir=-1 resp=" + session.protocol()
            + (libName != null ? " lib-name=" + libName : "") + (libVer != null ? " lib-ver=" + libVer : "")
            + "\n";
    }
}
