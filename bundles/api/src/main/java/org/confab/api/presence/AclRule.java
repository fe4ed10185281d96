package org.confab.api.presence;

/** Whether an allow/block-list entry lets the watcher see the user's presence. */
public enum AclRule {
    /** The watcher sees the user's presence. */
    ALLOW,
    /** The watcher is told the user is offline (polite blocking). */
    BLOCK
}
