/**
 * Authentication of SIP requests. The registrar bundle provides the {@link org.confab.api.auth.Authenticator};
 * schemes (Digest now, NTLM and Kerberos later) plug in as {@link org.confab.api.auth.AuthScheme} services.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.confab.api.auth;
