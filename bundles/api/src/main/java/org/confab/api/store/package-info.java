/**
 * Persistence services of the RTC database: served domains, users and their credentials, and
 * the location service (registered endpoints). Provided by the store bundle; every table access
 * stays behind these interfaces so that another database can serve large pools.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.confab.api.store;
