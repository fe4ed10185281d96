package org.confab.router.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

public class BestResponseTest {

    private static BestResponse.Outcome real(int status) {
        return new BestResponse.Outcome(status, new SipResponse(status, SipResponse.defaultReason(status)));
    }

    private static BestResponse.Outcome synthetic(int status) {
        return new BestResponse.Outcome(status, null);
    }

    @Test
    public void a6xxIsPreferredOverAnyLowerClass() {
        assertEquals(1, BestResponse.choose(List.of(real(302), real(600), real(404))));
    }

    @Test
    public void otherwiseTheLowestClassWins() {
        assertEquals(2, BestResponse.choose(List.of(real(500), real(404), real(302))));
    }

    @Test
    public void challengesComeFirstWithinTheirClass() {
        assertEquals(2, BestResponse.choose(List.of(real(486), real(404), real(407))));
    }

    @Test
    public void busyHereBeatsNotFound() {
        assertEquals(1, BestResponse.choose(List.of(real(404), real(486))));
    }

    @Test
    public void synthesizedFailuresLoseToRealOnesOfTheirClass() {
        assertEquals(1, BestResponse.choose(List.of(synthetic(408), real(480))));
        assertEquals(1, BestResponse.choose(List.of(synthetic(503), real(500))));
    }

    @Test
    public void aSynthesizedTimeoutStillBeatsAHigherClass() {
        assertEquals(1, BestResponse.choose(List.of(real(500), synthetic(408))));
    }

    @Test
    public void onlySynthesizedFailuresMeansNobodyAnswered() {
        assertEquals(-1, BestResponse.choose(List.of(synthetic(408), synthetic(503))));
    }

    @Test
    public void theFirstOfEqualRanksIsKept() {
        assertEquals(0, BestResponse.choose(List.of(real(403), real(405))));
    }
}
