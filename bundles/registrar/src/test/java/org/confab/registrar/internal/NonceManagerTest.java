package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.List;
import org.junit.Test;

public class NonceManagerTest {

    private final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final byte[] secret = new byte[32];

    private NonceManager manager(int max) {
        return new NonceManager(secret, clock, 300_000, max, clock.millis());
    }

    @Test
    public void nonceIsValidUntilItsLifetimeEnds() {
        NonceManager m = manager(10);
        String n = m.create("example.com");
        assertNotEquals(n, m.create("example.com"));
        assertEquals(NonceManager.Validity.VALID, m.check(n, "example.com").validity());
        clock.advanceSeconds(299);
        assertEquals(NonceManager.Validity.VALID, m.check(n, "example.com").validity());
        clock.advanceSeconds(1);
        assertEquals(NonceManager.Validity.STALE, m.check(n, "example.com").validity());
    }

    @Test
    public void foreignTamperedOrGarbageNoncesAreInvalid() {
        NonceManager m = manager(10);
        String n = m.create("example.com");
        assertEquals(NonceManager.Validity.INVALID, m.check(n, "other.org").validity());
        assertEquals(NonceManager.Validity.INVALID, m.check("not base64 !", "example.com").validity());
        assertEquals(NonceManager.Validity.INVALID, m.check("", "example.com").validity());
        assertEquals(NonceManager.Validity.INVALID, m.check(n.substring(1), "example.com").validity());
        byte[] other = new byte[32];
        other[0] = 1;
        NonceManager foreign = new NonceManager(other, clock, 300_000, 10, clock.millis());
        assertEquals(NonceManager.Validity.INVALID, m.check(foreign.create("example.com"), "example.com").validity());
    }

    @Test
    public void nonceCountMustGrow() {
        NonceManager m = manager(10);
        String n = m.create("r");
        long at = m.check(n, "r").issuedAt();
        assertEquals(NonceManager.NcResult.ACCEPTED, m.acceptNc(n, at, 1));
        assertEquals(NonceManager.NcResult.REPLAYED, m.acceptNc(n, at, 1));
        assertEquals(NonceManager.NcResult.ACCEPTED, m.acceptNc(n, at, 3));
        assertEquals(NonceManager.NcResult.REPLAYED, m.acceptNc(n, at, 2));
    }

    @Test
    public void trackingMapIsBoundedAndNeverReopensAReplay() {
        NonceManager m = manager(3);
        String first = m.create("r");
        long firstAt = m.check(first, "r").issuedAt();
        assertEquals(NonceManager.NcResult.ACCEPTED, m.acceptNc(first, firstAt, 1));
        for (int i = 0; i < 10; i++) {
            clock.advanceSeconds(1);
            String n = m.create("r");
            assertEquals(NonceManager.NcResult.ACCEPTED, m.acceptNc(n, m.check(n, "r").issuedAt(), 1));
            assertTrue(m.trackedCount() <= 3);
        }
        assertEquals(3, m.trackedCount());
        // the first nonce was evicted while still valid: its replay is not accepted, only re-challenged as stale
        assertEquals(NonceManager.Validity.VALID, m.check(first, "r").validity());
        assertEquals(NonceManager.NcResult.FORGOTTEN, m.acceptNc(first, firstAt, 1));
    }

    @Test
    public void expiredEntriesAreEvictedFirst() {
        NonceManager m = manager(2);
        String old = m.create("r");
        m.acceptNc(old, m.check(old, "r").issuedAt(), 1);
        clock.advanceSeconds(400);
        String a = m.create("r");
        long aAt = m.check(a, "r").issuedAt();
        m.acceptNc(a, aAt, 1);
        String b = m.create("r");
        m.acceptNc(b, m.check(b, "r").issuedAt(), 1);
        assertEquals(2, m.trackedCount());
        // 'a' survived because the expired one went first, so a's replay is still recognised
        assertEquals(NonceManager.NcResult.REPLAYED, m.acceptNc(a, aAt, 1));
    }

    @Test
    public void snapshotAndRestoreKeepCounts() {
        NonceManager m = manager(10);
        String n = m.create("r");
        long at = m.check(n, "r").issuedAt();
        m.acceptNc(n, at, 4);
        List<NonceManager.Tracked> saved = m.snapshot();
        assertEquals(1, saved.size());
        NonceManager next = new NonceManager(secret, clock, 300_000, 10, m.floor());
        next.restore(saved);
        assertEquals(NonceManager.NcResult.REPLAYED, next.acceptNc(n, at, 4));
        assertEquals(NonceManager.NcResult.ACCEPTED, next.acceptNc(n, at, 5));
        assertEquals(m.opaque(), next.opaque());
    }

    @Test
    public void noncesKeepTheirFormatForAnyRealm() throws Exception {
        NonceManager m = manager(10);
        String longRealm = "r".repeat(300);
        for (String realm : new String[] {"example.com", "Ex\u00e4mple.com", longRealm, "", "\uD83D\uDE00.example"}) {
            // made here, checked by the format of the first version: timestamp | random | HMAC(...)[0..16]
            byte[] raw = Base64.getUrlDecoder().decode(m.create(realm));
            assertEquals(36, raw.length);
            assertEquals(clock.millis(), ByteBuffer.wrap(raw, 0, 8).getLong());
            assertEquals(ByteBuffer.wrap(hmac(raw, realm), 0, 16), ByteBuffer.wrap(raw, 20, 16));
            // made by the format, checked here
            byte[] forged = new byte[36];
            ByteBuffer.wrap(forged).putLong(clock.millis() - 1000);
            forged[10] = 7;
            System.arraycopy(hmac(forged, realm), 0, forged, 20, 16);
            String n = Base64.getUrlEncoder().withoutPadding().encodeToString(forged);
            assertEquals(realm, NonceManager.Validity.VALID, m.check(n, realm).validity());
            assertEquals(clock.millis() - 1000, m.check(n, realm).issuedAt());
            assertEquals(NonceManager.Validity.INVALID, m.check(n, realm + "x").validity());
            forged[35] ^= 1;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(forged);
            assertEquals(NonceManager.Validity.INVALID, m.check(tampered, realm).validity());
        }
    }

    private byte[] hmac(byte[] nonce, String realm) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        mac.update(nonce, 0, 20);
        return mac.doFinal(realm.getBytes(StandardCharsets.UTF_8));
    }
}
