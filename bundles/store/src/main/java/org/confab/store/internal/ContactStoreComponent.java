package org.confab.store.internal;

import java.util.List;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Contact lists (roaming contacts) over the RTC database. A component of its own rather than a
 * service the store registers from its activation (see {@link RtcStore}).
 */
@Component(name = "org.confab.store.contacts", service = ContactStore.class)
public class ContactStoreComponent implements ContactStore {

    @Reference
    RtcStore store;

    public ContactStoreComponent() {
    }

    /** Over a store made without SCR (tests). */
    ContactStoreComponent(RtcStore store) {
        this.store = store;
    }

    @Override
    public List<Contact> contacts(String owner) {
        return store.contacts().contacts(owner);
    }

    @Override
    public Contact put(String owner, String uri, String displayName, String group) {
        return store.contacts().put(owner, uri, displayName, group);
    }

    @Override
    public boolean remove(String owner, String uri) {
        return store.contacts().remove(owner, uri);
    }

    @Override
    public List<String> groups(String owner) {
        return store.contacts().groups(owner);
    }

    @Override
    public void addGroup(String owner, String group) {
        store.contacts().addGroup(owner, group);
    }

    @Override
    public boolean removeGroup(String owner, String group) {
        return store.contacts().removeGroup(owner, group);
    }

    @Override
    public int maxContactsPerUser() {
        return store.contacts().maxContactsPerUser();
    }

    @Override
    public void setMaxContactsPerUser(int max) {
        store.contacts().setMaxContactsPerUser(max);
    }
}
