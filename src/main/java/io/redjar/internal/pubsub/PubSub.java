package io.redjar.internal.pubsub;

import io.redjar.internal.server.ClientState;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The store's pub/sub: the {@link PubSubRegistry}, the network clients' {@link ClientSubscriber}s
 * (made on a client's first subscription, dropped when it leaves everything: RESET, disconnect),
 * and the delivery threads of in-process subscribers ({@link DeliveryLanes}: one lane per core, at
 * most four, daemon threads made on first use; a listener stuck for more than 50 ms gets its lane a
 * new thread).
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class PubSub {
    private final PubSubRegistry registry = new PubSubRegistry();
    private final Map<ClientState, ClientSubscriber> clients = new ConcurrentHashMap<>();
    private final Supplier<OutputLimit> limit;
    private final DeliveryLanes delivery;

    /** @param limit the current {@code client-output-buffer-limit pubsub} */
    public PubSub(Supplier<OutputLimit> limit) {
        this.limit = limit;
        this.delivery = new DeliveryLanes(Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors())),
            50, "redjar-pubsub-delivery");
    }

    /** @return the channels and their subscribers */
    public PubSubRegistry registry() {
        return registry;
    }

    /** @return the subscriber of network client {@code c}, made on first use */
    public ClientSubscriber subscriber(ClientState c) {
        return clients.computeIfAbsent(c, x -> new ClientSubscriber(x, limit, System::nanoTime));
    }

    /** @return the subscriber of network client {@code c} if it has one, else null (makes none) */
    public ClientSubscriber subscriberIfAny(ClientState c) {
        return clients.get(c);
    }

    /** Removes every subscription of {@code c}, silently (RESET, disconnect). */
    public void leaveAll(ClientState c) {
        ClientSubscriber s = clients.remove(c);
        if (s != null) {
            registry.leaveAll(s);
        }
    }

    /** @return a new in-process subscriber (not yet subscribed to anything) */
    public LocalSubscriber local(LocalSubscriber.Listener listener) {
        return new LocalSubscriber(registry, delivery.assign(), limit, listener);
    }

    /** Stops the delivery threads (store close). */
    public void close() {
        delivery.close();
    }
}
