package org.confab.admin.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.confab.api.store.Binding;
import org.confab.api.store.LocationStore;

/** In-memory LocationStore: bindings in insertion order, expiry against a fixed "now". */
final class FakeLocationStore implements LocationStore {

    final List<Binding> bindings = new ArrayList<>();
    Instant now = Instant.parse("2024-06-01T12:00:00Z");

    @Override
    public List<Binding> bindings(String aor) {
        return bindings.stream().filter(b -> b.aor().equals(aor) && !b.isExpired(now))
                .sorted(Comparator.comparingInt(Binding::q).reversed()).toList();
    }

    @Override
    public void put(Binding binding) {
        remove(binding.aor(), binding.contact());
        bindings.add(binding);
    }

    @Override
    public boolean remove(String aor, String contact) {
        return bindings.removeIf(b -> b.aor().equals(aor) && b.contact().equals(contact));
    }

    @Override
    public int removeAll(String aor) {
        int before = bindings.size();
        bindings.removeIf(b -> b.aor().equals(aor));
        return before - bindings.size();
    }

    @Override
    public int expire(Instant at) {
        int before = bindings.size();
        bindings.removeIf(b -> b.isExpired(at));
        return before - bindings.size();
    }

    @Override
    public List<Binding> all() {
        return bindings.stream().filter(b -> !b.isExpired(now)).sorted(Comparator.comparing(Binding::aor)).toList();
    }

    @Override
    public int size() {
        return all().size();
    }

    @Override
    public long durabilityWindowMillis() {
        return 0;
    }

    @Override
    public void flush() {
        // nothing is pending in memory
    }

    String snapshot() {
        return bindings.toString();
    }
}
