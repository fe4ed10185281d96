package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.List;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DomainStoreTest {

    private String url;
    private RtcStore store;

    @Before
    public void setUp() {
        url = StoreTestSupport.memoryUrl();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), Clock.systemUTC());
    }

    @After
    public void tearDown() {
        store.deactivate();
        StoreTestSupport.drop(url);
    }

    @Test
    public void addListAndServeCaseInsensitively() {
        assertEquals(List.of(), store.list());
        store.add("Example.COM");
        store.add("a.example.org");
        assertEquals(List.of("a.example.org", "example.com"), store.list());
        assertTrue(store.isServed("example.com"));
        assertTrue(store.isServed("EXAMPLE.com"));
        assertFalse(store.isServed("example.net"));
        assertFalse(store.isServed(null));
        assertFalse(store.isServed("exa mple.com"));
    }

    @Test
    public void duplicateIsRefusedWhateverTheCase() {
        store.add("example.com");
        try {
            store.add("EXAMPLE.COM");
            fail("duplicate domain accepted");
        } catch (DuplicateException e) {
            assertEquals("Domain example.com is served already", e.getMessage());
        }
        assertEquals(List.of("example.com"), store.list());
    }

    @Test
    public void removeUnknownIsNotFound() {
        try {
            store.remove("example.com");
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("example.com"));
        }
    }

    @Test
    public void removeRefusedWhileUsersExistThenAllowed() {
        store.add("example.com");
        store.create("sip:alice@example.com", "Alice", null);
        try {
            store.remove("example.com");
            fail("domain with users removed");
        } catch (NotFoundException e) {
            fail("wrong exception " + e);
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("still has 1 user"));
        }
        assertTrue(store.isServed("example.com"));
        store.delete("sip:alice@example.com");
        store.remove("Example.com");
        assertFalse(store.isServed("example.com"));
        assertEquals(List.of(), store.list());
    }

    @Test
    public void badNamesAreRefusedAndNothingChanges() {
        for (String bad : new String[] {null, "", "  ", "exa mple.com", "example..com", ".example.com",
                "-example.com", "example-.com", "exam_ple.com", "example.com.", "ex@mple.com",
                "a".repeat(64) + ".com", ("abc." .repeat(64)) + "com"}) {
            try {
                store.add(bad);
                fail("accepted bad domain " + bad);
            } catch (StoreException e) {
                assertFalse(e instanceof DuplicateException);
                assertTrue(e.getMessage(), e.getMessage().startsWith("Bad domain name") || e.getMessage().contains("required"));
            }
        }
        try {
            store.remove("exa mple.com");
            fail();
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("exa mple.com"));
        }
        assertEquals(List.of(), store.list());
    }

    @Test
    public void domainsSurviveRestart() {
        store.add("example.com");
        store.deactivate();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), Clock.systemUTC());
        assertEquals(List.of("example.com"), store.list());
    }
}
