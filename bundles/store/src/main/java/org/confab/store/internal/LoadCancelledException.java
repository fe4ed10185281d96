package org.confab.store.internal;

import org.confab.api.store.StoreException;

/** A cache load given up because the store is stopping: nothing is wrong with the database. */
final class LoadCancelledException extends StoreException {

    private static final long serialVersionUID = 1L;

    LoadCancelledException() {
        super("The RTC store is stopping: the cache load was given up");
    }
}
