package org.confab.store.internal;

import java.util.List;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.AclStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Allow/block lists over the RTC database. A component of its own rather than a service the
 * store registers from its activation (see {@link RtcStore}); it follows the store: a new
 * database (JDBC URL) or an update of the store re-activates it and its users.
 */
@Component(name = "org.confab.store.acl", service = AclStore.class)
public class AclStoreComponent implements AclStore {

    @Reference
    RtcStore store;

    public AclStoreComponent() {
    }

    /** Over a store made without SCR (tests). */
    AclStoreComponent(RtcStore store) {
        this.store = store;
    }

    @Override
    public List<AclEntry> entries(String owner) {
        return store.acls().entries(owner);
    }

    @Override
    public AclEntry put(String owner, String subject, AclRule rule) {
        return store.acls().put(owner, subject, rule);
    }

    @Override
    public boolean remove(String owner, String subject) {
        return store.acls().remove(owner, subject);
    }

    @Override
    public boolean sameDomainAllowed() {
        return store.acls().sameDomainAllowed();
    }

    @Override
    public void setSameDomainAllowed(boolean allowed) {
        store.acls().setSameDomainAllowed(allowed);
    }

    @Override
    public void addListener(AclListener listener) {
        store.addAclListener(listener);
    }

    @Override
    public void removeListener(AclListener listener) {
        store.removeAclListener(listener);
    }
}
