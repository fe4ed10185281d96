package org.confab.api.store;

/** The thing to create (a user, a domain) exists already. */
public class DuplicateException extends StoreException {

    private static final long serialVersionUID = 1L;

    public DuplicateException(String message) {
        super(message);
    }
}
