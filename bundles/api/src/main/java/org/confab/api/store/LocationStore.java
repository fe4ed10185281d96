package org.confab.api.store;

import java.time.Instant;
import java.util.List;

/**
 * The location service: registered endpoints per address of record. Reads are served from
 * memory; writes reach the database by group commit within {@link #durabilityWindowMillis()},
 * so a REGISTER refresh never waits on a disk write of its own. Bindings outlive an update of
 * the registrar (they live here) and a restart of the server (they are reloaded).
 */
public interface LocationStore {

    /** The unexpired bindings of an address of record, highest q first. */
    List<Binding> bindings(String aor);

    /**
     * Adds or replaces a binding. A binding replaces an existing one of the same AOR with the
     * same instance id and reg-id (RFC 5626 §6), or else with the same contact URI.
     */
    void put(Binding binding);

    /** Removes the binding of this AOR with this contact URI; true if there was one. */
    boolean remove(String aor, String contact);

    /** Removes all bindings of the AOR (REGISTER with {@code Contact: *}); returns how many. */
    int removeAll(String aor);

    /** Removes every binding that has lapsed at {@code now}; returns how many (Endpoint Expiration task). */
    int expire(Instant now);

    /** All unexpired bindings, for administration, sorted by AOR. */
    List<Binding> all();

    /** Number of unexpired bindings. */
    int size();

    /** The most time between {@link #put} returning and the binding being on disk. */
    long durabilityWindowMillis();

    /** Forces pending writes to disk now (used at shutdown and by tests). */
    void flush();
}
