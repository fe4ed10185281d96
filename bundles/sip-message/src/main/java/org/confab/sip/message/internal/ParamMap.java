package org.confab.sip.message.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The parameters of one URI or header value: names and values alternating in one array, in
 * order of first appearance. A message carries a handful of these with one to four entries
 * each; a LinkedHashMap (table, one node per entry, unmodifiable wrapper) cost three times the
 * bytes and was the largest single allocation of the parser. Immutable; lookups are linear,
 * which beats hashing at these sizes.
 */
public final class ParamMap extends AbstractMap<String, String> {

    // final: a map may be made lazily by one thread and read by another without a lock
    private final String[] kv;
    private final int size;

    private ParamMap(String[] kv, int size) {
        this.kv = kv;
        this.size = size;
    }

    /** Collects parameters in order; {@link #build} hands its array to the map without a copy. */
    public static final class Builder {
        private String[] kv;
        private int size;

        /** @param expected entries that fit without growing */
        public Builder(int expected) {
            kv = new String[Math.max(2, expected * 2)];
        }

        /** Sets a parameter: a repeated name keeps its first place and takes the last value, as a LinkedHashMap would. */
        public Builder set(String name, String value) {
            for (int i = 0; i < size; i++) {
                if (kv[2 * i].equals(name)) {
                    kv[2 * i + 1] = value;
                    return this;
                }
            }
            if (2 * size == kv.length) {
                String[] bigger = new String[kv.length * 2];
                System.arraycopy(kv, 0, bigger, 0, kv.length);
                kv = bigger;
            }
            kv[2 * size] = name;
            kv[2 * size + 1] = value;
            size++;
            return this;
        }

        /** Removes a parameter. */
        public Builder remove(String name) {
            for (int i = 0; i < size; i++) {
                if (kv[2 * i].equals(name)) {
                    System.arraycopy(kv, 2 * i + 2, kv, 2 * i, 2 * (size - i - 1));
                    size--;
                    kv[2 * size] = null;
                    kv[2 * size + 1] = null;
                    return this;
                }
            }
            return this;
        }

        /** @return the entries so far; use the builder no more */
        public Map<String, String> build() {
            return size == 0 ? Collections.emptyMap() : new ParamMap(kv, size);
        }
    }

    /** The name of entry i, in order. */
    public String nameAt(int i) {
        return kv[2 * i];
    }

    /** The value of entry i, in order. */
    public String valueAt(int i) {
        return kv[2 * i + 1];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String get(Object key) {
        for (int i = 0; i < size; i++) {
            if (kv[2 * i].equals(key)) {
                return kv[2 * i + 1];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (int i = 0; i < size; i++) {
            if (kv[2 * i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(kv[2 * i], kv[2 * i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
