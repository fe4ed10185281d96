package org.confab.api.store;

/** The thing to change (a user, a domain) does not exist. */
public class NotFoundException extends StoreException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
