package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.confab.api.transport.OutboundInterceptor;

/** The OutboundInterceptor whiteboard, kept in service-ranking order (highest first, then oldest). */
public final class InterceptorRegistry {

    private record Entry(OutboundInterceptor interceptor, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt((Entry e) -> -e.ranking()).thenComparingLong(Entry::serviceId);

    private volatile List<Entry> entries = List.of();
    private volatile List<OutboundInterceptor> ordered = List.of();

    /** Adds or re-ranks an interceptor; {@code props} are its service properties (may be empty). */
    public synchronized void add(OutboundInterceptor interceptor, Map<String, ?> props) {
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.interceptor() == interceptor);
        next.add(new Entry(interceptor, ApplicationRegistry.ranking(props), ApplicationRegistry.serviceId(props)));
        next.sort(ORDER);
        publish(next);
    }

    public synchronized void remove(OutboundInterceptor interceptor) {
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.interceptor() == interceptor);
        publish(next);
    }

    private void publish(List<Entry> next) {
        entries = List.copyOf(next);
        ordered = next.stream().map(Entry::interceptor).toList();
    }

    List<OutboundInterceptor> ordered() {
        return ordered;
    }
}
