/**
 * Transport-neutral SIP service API: roles register {@link org.confab.api.transport.SipApplication}
 * whiteboard services keyed by method; the transport bundle provides {@link org.confab.api.transport.SipClient}
 * and {@link org.confab.api.transport.FlowRegistry}. No MINA type ever appears here.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.confab.api.transport;
