package org.confab.api.transport;

import java.util.Collection;
import java.util.Optional;

/** Looks up live flows; provided by the transport bundle. */
public interface FlowRegistry {

    /** The flow with this id, if it is still open. */
    Optional<Flow> find(String flowId);

    /** All open flows (for administration). */
    Collection<Flow> flows();

    /** Registers a listener told when a flow closes (bindings on it become unreachable). */
    void addFlowListener(FlowListener listener);

    void removeFlowListener(FlowListener listener);

    /** Told when a flow is closed, by either side or by the idle timer; on a transport thread: must not block. */
    interface FlowListener {
        void flowClosed(Flow flow);
    }
}
