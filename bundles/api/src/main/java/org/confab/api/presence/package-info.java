/**
 * Presence, watcher authorization and contact lists, independent of any wire format: the
 * {@link org.confab.api.presence.Presence} model holds availability, activity, notes and
 * per-endpoint state so that PIDF (RFC 3863) and Communicator's msrtc.pidf are both renderings
 * of the same state. The store bundle persists contact and allow/block lists and keeps the live
 * presence state ({@link org.confab.api.presence.PresenceStateStore}) so that it outlives an
 * update of the presence role.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.confab.api.presence;
