package org.confab.router.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.confab.api.store.Binding;
import org.confab.api.store.LocationStore;
import org.confab.api.transport.Destination;
import org.confab.api.transport.Flow;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;

/** Where a request goes: a registered endpoint's own flow, or a URI's host and port. */
final class Targets {

    /** A destination with the transport it will use (for a Via of our own). */
    record Hop(Destination destination, String transport) {
    }

    private Targets() {
    }

    /**
     * The flow the endpoint registered on (DESIGN §3: a request for a user goes over the connection
     * on which that user registered), with a fallback for when that flow is gone: over UDP the
     * source address of the REGISTER (what NAT left open); over TCP/TLS the Contact address, as
     * RFC 3261 §10 would, unless the endpoint registered with RFC 5626 outbound (instance and
     * reg-id), whose flow is the only way to it (MS-DIALECT §2: those clients listen nowhere).
     * Null when the binding names neither.
     */
    static Hop toBinding(Binding binding, Uri contact) {
        String transport = binding.transport() != null ? binding.transport().toUpperCase(Locale.ROOT)
                : contact instanceof SipUri sip ? transportOf(sip) : "UDP";
        boolean reliable = !transport.equals("UDP");
        boolean outbound = binding.instanceId() != null && binding.regId() > 0;
        HostPort address = null;
        if (reliable && contact instanceof SipUri sip) {
            address = outbound && binding.flowId() != null ? null
                    : new HostPort(HostPort.bare(sip.host()), Self.effectivePort(sip));
        } else if (binding.source() != null && !binding.source().isBlank()) {
            address = HostPort.parse(binding.source(), HostPort.defaultPort(transport));
        } else if (contact instanceof SipUri sip) {
            address = new HostPort(HostPort.bare(sip.host()), Self.effectivePort(sip));
        }
        if (binding.flowId() != null) {
            return new Hop(address == null ? Destination.flow(binding.flowId())
                    : Destination.flowOrAddress(binding.flowId(), transport, address.host(), address.port()), transport);
        }
        return address == null ? null
                : new Hop(Destination.address(transport, address.host(), address.port()), transport);
    }

    /** RFC 3263 without DNS: the URI's host and port over its transport parameter (default UDP). */
    static Hop toUri(SipUri uri) {
        String transport = transportOf(uri);
        return new Hop(Destination.address(transport, HostPort.bare(uri.host()), Self.effectivePort(uri)), transport);
    }

    /** Upper-case transport named by the URI: its transport parameter, TLS for sips, else UDP. */
    static String transportOf(SipUri uri) {
        String t = uri.transport();
        if (t != null && !t.isEmpty()) {
            return t.toUpperCase(Locale.ROOT);
        }
        return uri.isSecure() ? "TLS" : "UDP";
    }

    /** The caller's side of a transaction, for responses sent outside it (RFC 3261 §18.2.2). */
    static Destination back(Flow flow) {
        return Destination.flowOrAddress(flow.id(), flow.transport(),
                flow.remoteAddress().getHostString(), flow.remoteAddress().getPort());
    }

    /** The unexpired bindings of an AOR, highest q first. */
    static List<Binding> live(LocationStore locations, String aor) {
        Instant now = Instant.now();
        List<Binding> out = new ArrayList<>();
        for (Binding b : locations.bindings(aor)) {
            if (!b.isExpired(now)) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * The binding of one of these AORs whose contact is the target: equal by RFC 3261 §19.1.4
     * first, else same user, host and port (clients add or drop parameters between REGISTER and
     * INVITE).
     */
    static Binding matchContact(LocationStore locations, List<String> aors, SipUri target) {
        Binding loose = null;
        for (String aor : aors) {
            for (Binding b : live(locations, aor)) {
                SipUri contact = parseSip(b.contact());
                if (contact == null) {
                    continue;
                }
                if (contact.equals(target)) {
                    return b;
                }
                if (loose == null && Objects.equals(contact.user(), target.user())
                        && HostPort.bare(contact.host()).equals(HostPort.bare(target.host()))
                        && Self.effectivePort(contact) == Self.effectivePort(target)) {
                    loose = b;
                }
            }
        }
        return loose;
    }

    /** True when the flow is one an endpoint of this AOR registered from. */
    static boolean isFlowOf(LocationStore locations, String aor, Flow flow) {
        InetSocketAddress remote = flow.remoteAddress();
        for (Binding b : live(locations, aor)) {
            if (b.flowId() != null && b.flowId().equals(flow.id())) {
                return true;
            }
            if (remote != null && b.source() != null) {
                try {
                    HostPort source = HostPort.parse(b.source(), 5060);
                    if (source.port() == remote.getPort() && sameAddress(source.host(), remote)) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // an unreadable source matches nothing
                }
            }
        }
        return false;
    }

    /** Compares an IP literal (as the transport records sources) without ever resolving a name. */
    private static boolean sameAddress(String host, InetSocketAddress remote) {
        if (remote.getAddress() == null) {
            return host.equalsIgnoreCase(remote.getHostString());
        }
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(host).equals(remote.getAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A binding's contact as a URI (stored bare or, defensively, in angle brackets), or null. */
    static Uri contactUri(String contact) {
        try {
            String c = contact.trim();
            return c.startsWith("<") || c.indexOf('<') > 0 ? NameAddr.parse(c).uri() : Uri.parse(c);
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
    }

    static SipUri parseSip(String text) {
        return contactUri(text) instanceof SipUri sip ? sip : null;
    }
}
