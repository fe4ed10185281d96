package org.confab.admin.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.confab.api.store.DomainStore;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;

/** In-memory DomainStore with the contract's refusals; can be told to fail the next remove. */
final class FakeDomainStore implements DomainStore {

    final TreeSet<String> domains = new TreeSet<>();
    StoreException failNextRemove;

    @Override
    public List<String> list() {
        return new ArrayList<>(domains);
    }

    @Override
    public boolean isServed(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public void add(String domain) {
        if (!domains.add(domain.toLowerCase(Locale.ROOT))) {
            throw new DuplicateException("Domain " + domain + " is already served");
        }
    }

    @Override
    public void remove(String domain) {
        if (failNextRemove != null) {
            StoreException e = failNextRemove;
            failNextRemove = null;
            throw e;
        }
        if (!domains.remove(domain.toLowerCase(Locale.ROOT))) {
            throw new NotFoundException("Domain " + domain + " is not served");
        }
    }

    String snapshot() {
        return domains.toString();
    }
}
