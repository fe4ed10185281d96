package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.confab.api.store.StoreException;
import org.junit.Test;

public class DomainCommandsTest {

    private final Fixture fx = new Fixture();

    @Test
    public void addServesTheDomainInLowerCase() throws Exception {
        fx.domainAdd("Example.COM").execute();
        assertEquals(List.of("example.com"), fx.domains.list());
        assertEquals("Domain example.com added.\n", fx.output().replace("\r", ""));
    }

    @Test
    public void addRefusesDuplicateAndBadNames() {
        fx.domains.add("example.com");
        fx.assertRefused("Domain example.com is already served", fx.domainAdd("EXAMPLE.com"));
        fx.assertRefused("Invalid domain 'exa mple.com': it may contain only ASCII letters, digits, hyphens and dots",
                fx.domainAdd("exa mple.com"));
        fx.assertRefused("Invalid domain '': it is missing", fx.domainAdd(""));
    }

    @Test
    public void removeStopsServingAnEmptyDomain() throws Exception {
        fx.domains.add("example.com");
        fx.domains.add("example.org");
        fx.users.put("sip:alice@example.com", "", true, "fe1");
        fx.domainRemove("Example.org").execute();
        assertEquals(List.of("example.com"), fx.domains.list());
        assertTrue(fx.output().contains("Domain example.org removed."));
    }

    @Test
    public void removeRefusesDomainWithUsersEvenDisabled() {
        fx.domains.add("example.com");
        fx.domains.add("example.com.au");
        fx.users.put("sip:alice@example.com", "", false, "fe1");
        fx.users.put("sip:bob@example.com", "", true, "fe1");
        fx.users.put("sip:carol@example.com.au", "", true, "fe1");
        fx.assertRefused("Domain example.com still has 2 users (sip:alice@example.com, ...): it cannot be removed"
                + " while users of it exist", fx.domainRemove("example.com"));
        fx.users.users.remove("sip:carol@example.com.au");
        fx.users.put("sip:dave@example.com.au", "", true, "fe1");
        fx.assertRefused("Domain example.com.au still has 1 user (sip:dave@example.com.au): it cannot be removed"
                + " while users of it exist", fx.domainRemove("example.com.au"));
    }

    @Test
    public void removeIgnoresUsersOfALongerDomainWithTheSameSuffix() throws Exception {
        fx.domains.add("example.com");
        fx.domains.add("example.com.au");
        fx.users.put("sip:carol@example.com.au", "", true, "fe1");
        fx.domainRemove("example.com").execute();
        assertEquals(List.of("example.com.au"), fx.domains.list());
    }

    @Test
    public void removeRefusesUnknownAndBadDomains() {
        fx.domains.add("example.com");
        fx.assertRefused("Domain example.org is not served", fx.domainRemove("example.org"));
        fx.assertRefused("Invalid domain 'example.com.': it has an empty label (a leading, trailing or double dot)",
                fx.domainRemove("example.com."));
    }

    @Test
    public void storeRefusalBecomesOneLine() {
        fx.domains.add("example.com");
        fx.domains.failNextRemove = new StoreException("Domain example.com is in use:\nRTC.USERS has rows");
        fx.assertRefused("Domain example.com is in use: RTC.USERS has rows", fx.domainRemove("example.com"));
    }

    @Test
    public void listShowsDomainsWithUserCounts() throws Exception {
        fx.domains.add("example.com");
        fx.domains.add("example.org");
        fx.users.put("sip:alice@example.com", "", true, "fe1");
        fx.users.put("sip:bob@example.com", "", false, "fe1");
        fx.domainList().execute();
        String out = fx.output();
        assertEquals(List.of("Domain", "Users"), Fixture.header(out));
        assertEquals(List.of(List.of("example.com", "2"), List.of("example.org", "0")), Fixture.rows(out));
    }

    @Test
    public void listSaysWhenNoDomainIsServed() throws Exception {
        fx.domainList().execute();
        assertTrue(fx.output(), fx.output().contains("No domains are served (add one with confab:domain-add)"));
    }
}
