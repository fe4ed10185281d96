package org.confab.api.store;

import java.util.List;

/** The SIP domains this server or pool serves (the brief's SIP URI domains). Names are lower case. */
public interface DomainStore {

    /** All served domains, sorted. */
    List<String> list();

    /** True when the domain (case-insensitive) is served. Served from memory: cheap on the hot path. */
    boolean isServed(String domain);

    /** Adds a domain; {@link DuplicateException} if it is served already. */
    void add(String domain);

    /** Removes a domain; {@link NotFoundException} if it is not served, {@link StoreException} while users of it exist. */
    void remove(String domain);
}
