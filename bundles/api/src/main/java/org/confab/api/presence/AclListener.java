package org.confab.api.presence;

/** Told after a user's allow/block list changed, so live subscriptions follow at once. */
public interface AclListener {

    /** The list of this owner (canonical URI) changed. Called on the writer's thread: must not block. */
    void aclChanged(String owner);
}
