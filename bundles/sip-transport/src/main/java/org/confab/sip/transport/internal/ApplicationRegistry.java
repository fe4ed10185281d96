package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.confab.api.transport.SipApplication;

/**
 * The SipApplication whiteboard keyed by {@value SipApplication#METHOD_PROPERTY}. When several
 * serve a method, the highest service ranking (then the oldest service) wins. Remembers
 * every method that ever had an application, so that its absence reads as an upgrade (503).
 */
public final class ApplicationRegistry {

    private record Entry(SipApplication app, Set<String> methods, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt((Entry e) -> -e.ranking()).thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> everServed = ConcurrentHashMap.newKeySet();
    private volatile Map<String, SipApplication> byMethod = Map.of();

    /** Adds (or updates the properties of) an application. */
    public synchronized void add(SipApplication app, Map<String, ?> props) {
        entries.removeIf(e -> e.app() == app);
        Set<String> methods = methods(props.get(SipApplication.METHOD_PROPERTY));
        entries.add(new Entry(app, methods, ranking(props), serviceId(props)));
        everServed.addAll(methods);
        rebuild();
    }

    public synchronized void remove(SipApplication app) {
        entries.removeIf(e -> e.app() == app);
        rebuild();
    }

    private void rebuild() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        Map<String, SipApplication> m = new java.util.HashMap<>();
        for (Entry e : sorted) {
            for (String method : e.methods()) {
                m.putIfAbsent(method, e.app());
            }
        }
        byMethod = Map.copyOf(m);
    }

    /** @return the application for the method, or null */
    public SipApplication find(String method) {
        return byMethod.get(method);
    }

    /** @return the methods served right now, sorted (the Allow header of a 405) */
    public Set<String> servedMethods() {
        return new TreeSet<>(byMethod.keySet());
    }

    /** @return true when some application served this method since the transport started */
    public boolean everServed(String method) {
        return everServed.contains(method);
    }

    static Set<String> methods(Object property) {
        Set<String> s = new TreeSet<>();
        if (property instanceof String str) {
            addMethods(s, str);
        } else if (property instanceof String[] arr) {
            for (String str : arr) {
                addMethods(s, str);
            }
        } else if (property instanceof Collection<?> c) {
            for (Object o : c) {
                addMethods(s, String.valueOf(o));
            }
        }
        return Set.copyOf(s);
    }

    private static void addMethods(Set<String> s, String str) {
        if (str == null) {
            return;
        }
        for (String m : str.split("[,\\s]+")) {
            if (!m.isBlank()) {
                s.add(m.trim().toUpperCase(Locale.ROOT));
            }
        }
    }

    static int ranking(Map<String, ?> props) {
        Object r = props.get("service.ranking");
        return r instanceof Integer i ? i : 0;
    }

    static long serviceId(Map<String, ?> props) {
        Object id = props.get("service.id");
        return id instanceof Long l ? l : Long.MAX_VALUE;
    }
}
