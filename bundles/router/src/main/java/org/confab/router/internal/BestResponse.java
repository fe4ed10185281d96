package org.confab.router.internal;

import java.util.List;
import org.confab.sip.message.SipResponse;

/**
 * Chooses the response sent upstream when every branch has failed (RFC 3261 §16.7 step 6):
 * a 6xx wins, else the lowest class; within a class the most useful to the caller.
 */
final class BestResponse {

    /** What one branch ended with: a response, or (response null) a timeout as 408 or a transport error as 503. */
    record Outcome(int status, SipResponse response) {

        boolean synthetic() {
            return response == null;
        }
    }

    private BestResponse() {
    }

    /**
     * The index of the outcome to answer with, or -1 when every branch ended without any response
     * (all timed out or unreachable: the caller gets 480).
     */
    static int choose(List<Outcome> outcomes) {
        int best = -1;
        boolean anyReal = false;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            anyReal |= !o.synthetic();
            if (best < 0 || rank(o) < rank(outcomes.get(best))) {
                best = i;
            }
        }
        return anyReal ? best : -1;
    }

    /** Smaller is better. */
    static int rank(Outcome o) {
        int cls = o.status() / 100;
        int classRank = cls == 6 ? 0 : cls;
        return classRank * 10 + (o.synthetic() ? 9 : preference(o.status()));
    }

    private static int preference(int status) {
        switch (status) {
            case 401:
            case 407:
                return 0; // credentials fix it; challenges are aggregated (§16.7 step 7)
            case 486:
            case 600:
            case 603:
                return 1; // the user is there but busy or declines
            case 415:
            case 420:
            case 484:
            case 488:
            case 606:
                return 2; // the caller can change the request
            case 404:
            case 408:
            case 480:
                return 5; // says least about the user
            default:
                return 3;
        }
    }
}
