package org.confab.api.presence;

import java.util.Objects;

/**
 * One entry of a user's contact list.
 *
 * @param owner       whose list it is (canonical URI)
 * @param uri         the contact's address ({@code sip:user@domain})
 * @param displayName how the owner names the contact, or empty
 * @param group       the group it is filed under, or empty
 */
public record Contact(String owner, String uri, String displayName, String group) {

    public Contact {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(uri, "uri");
        displayName = displayName == null ? "" : displayName;
        group = group == null ? "" : group;
    }
}
