package org.confab.presence.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.AclStore;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.confab.api.presence.PresenceStateStore;
import org.confab.api.presence.Publication;
import org.confab.api.presence.Subscription;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Destination;
import org.confab.api.transport.Flow;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipClient;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** Small fakes of the services the presence core uses. */
final class Fakes {

    private Fakes() {
    }

    record Sent(SipRequest request, Destination destination, ResponseListener listener) {
    }

    static final class Client implements SipClient {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public ClientTransaction send(SipRequest request, Destination destination, ResponseListener listener) {
            sent.add(new Sent(request, destination, listener));
            return new ClientTransaction() {
                @Override
                public SipRequest request() {
                    return request;
                }

                @Override
                public String branch() {
                    return "z9hG4bKfake";
                }

                @Override
                public void cancel() {
                }

                @Override
                public boolean isTerminated() {
                    return false;
                }
            };
        }

        @Override
        public void sendStateless(SipMessage message, Destination destination) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String localSentBy(String transport) {
            return "127.0.0.1:5060";
        }
    }

    static final class TcpFlow implements Flow {
        private final String id;

        TcpFlow(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String transport() {
            return "TCP";
        }

        @Override
        public boolean isReliable() {
            return true;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 5060);
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    static final class Tx implements ServerTransaction {
        private final SipRequest request;
        private final Flow flow;
        final List<SipResponse> responses = new ArrayList<>();
        private final Map<String, Object> attributes = new HashMap<>();

        Tx(SipRequest request, Flow flow) {
            this.request = request;
            this.flow = flow;
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public Flow flow() {
            return flow;
        }

        @Override
        public SipResponse createResponse(int status) {
            SipResponse response = request.createResponse(status);
            if (status > 100 && response.to().tag() == null) {
                response.setHeader(HeaderNames.TO, response.to().withTag("srv" + request.callId().hashCode()).toString());
            }
            return response;
        }

        @Override
        public void respond(SipResponse response) {
            responses.add(response);
        }

        @Override
        public boolean isCompleted() {
            return responses.stream().anyMatch(r -> r.status() >= 200);
        }

        @Override
        public boolean isStateless() {
            return false;
        }

        @Override
        public void onCancel(Runnable callback) {
        }

        @Override
        public Object attribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        SipResponse last() {
            return responses.get(responses.size() - 1);
        }
    }

    /** Accepts {@code Proxy-Authorization: Test <uri>}; challenges otherwise. */
    static final class Auth implements Authenticator {
        @Override
        public AuthResult authenticate(SipRequest request, Flow flow, ChallengeKind kind) {
            String c = request.header(kind.credentialsHeader());
            if (c == null || !c.startsWith("Test ")) {
                return AuthResult.challenge(kind.status(), List.of(new AuthResult.Header(kind.challengeHeader(),
                        "Digest realm=\"example.com\", nonce=\"n1\"")));
            }
            return AuthResult.authenticated(c.substring(5).trim(), List.of());
        }
    }

    static final class Users implements UserStore, DomainStore {
        final Map<String, User> users = new ConcurrentHashMap<>();

        void addUser(String uri) {
            users.put(uri, new User(uri, "", true, null, Instant.EPOCH));
        }

        @Override
        public Optional<User> find(String uri) {
            return Optional.ofNullable(users.get(uri));
        }

        @Override
        public User create(String uri, String displayName, String homePool) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setEnabled(String uri, boolean enabled) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setDisplayName(String uri, String displayName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<User> list(String filter) {
            return List.copyOf(users.values());
        }

        @Override
        public void setCredentials(String uri, String scheme, List<Credential> credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
            return Optional.empty();
        }

        @Override
        public List<String> list() {
            return List.of("example.com", "other.org");
        }

        @Override
        public boolean isServed(String domain) {
            return list().contains(domain);
        }

        @Override
        public void add(String domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void remove(String domain) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Acls implements AclStore {
        final Map<String, Map<String, AclEntry>> entries = new ConcurrentHashMap<>();
        final List<AclListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean sameDomain = true;

        @Override
        public List<AclEntry> entries(String owner) {
            return List.copyOf(entries.getOrDefault(owner, Map.of()).values());
        }

        @Override
        public AclEntry put(String owner, String subject, AclRule rule) {
            AclEntry e = new AclEntry(owner, subject, rule);
            entries.computeIfAbsent(owner, k -> new ConcurrentHashMap<>()).put(subject, e);
            listeners.forEach(l -> l.aclChanged(owner));
            return e;
        }

        @Override
        public boolean remove(String owner, String subject) {
            boolean r = entries.getOrDefault(owner, new HashMap<>()).remove(subject) != null;
            listeners.forEach(l -> l.aclChanged(owner));
            return r;
        }

        @Override
        public boolean sameDomainAllowed() {
            return sameDomain;
        }

        @Override
        public void setSameDomainAllowed(boolean allowed) {
            sameDomain = allowed;
            listeners.forEach(l -> l.aclChanged(AclEntry.EVERYONE));
        }

        @Override
        public void addListener(AclListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(AclListener listener) {
            listeners.remove(listener);
        }
    }

    static final class State implements PresenceStateStore {
        final Map<String, Publication> pubs = new ConcurrentHashMap<>();
        final Map<String, Subscription> subs = new ConcurrentHashMap<>();

        @Override
        public Collection<Publication> publications() {
            return Collections.unmodifiableCollection(pubs.values()); // a live view, as the store's
        }

        @Override
        public Optional<Publication> publication(String etag) {
            return Optional.ofNullable(pubs.get(etag));
        }

        @Override
        public void putPublication(Publication publication) {
            pubs.put(publication.etag(), publication);
        }

        @Override
        public boolean removePublication(String etag) {
            return pubs.remove(etag) != null;
        }

        @Override
        public Collection<Subscription> subscriptions() {
            return Collections.unmodifiableCollection(subs.values());
        }

        @Override
        public Optional<Subscription> subscription(String id) {
            return Optional.ofNullable(subs.get(id));
        }

        @Override
        public void putSubscription(Subscription subscription) {
            subs.put(subscription.id(), subscription);
        }

        @Override
        public boolean removeSubscription(String id) {
            return subs.remove(id) != null;
        }
    }

    static final class Contacts implements ContactStore {
        final Map<String, Map<String, Contact>> lists = new ConcurrentHashMap<>();

        @Override
        public List<Contact> contacts(String owner) {
            return lists.getOrDefault(owner, Map.of()).values().stream()
                    .sorted(java.util.Comparator.comparing(Contact::uri)).toList();
        }

        @Override
        public Contact put(String owner, String uri, String displayName, String group) {
            Contact c = new Contact(owner, uri, displayName, group);
            lists.computeIfAbsent(owner, k -> new ConcurrentHashMap<>()).put(uri, c);
            return c;
        }

        @Override
        public boolean remove(String owner, String uri) {
            return lists.getOrDefault(owner, new HashMap<>()).remove(uri) != null;
        }

        @Override
        public List<String> groups(String owner) {
            return List.of();
        }

        @Override
        public void addGroup(String owner, String group) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean removeGroup(String owner, String group) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int maxContactsPerUser() {
            return DEFAULT_MAX_CONTACTS;
        }

        @Override
        public void setMaxContactsPerUser(int max) {
            throw new UnsupportedOperationException();
        }
    }

    /** Bindings in a map: what the presence core asks is whether a user has an unexpired one. */
    static final class Locations implements LocationStore {
        final Map<String, List<Binding>> bindings = new ConcurrentHashMap<>();

        void signIn(String aor, Instant until) {
            bindings.put(aor, List.of(new Binding(aor, aor + ";transport=tcp", "tcp-1", "TCP", "127.0.0.1:40000",
                    until, null, 0, "reg-" + aor, 1, "", 1000)));
        }

        void signOut(String aor) {
            bindings.remove(aor);
        }

        @Override
        public List<Binding> bindings(String aor) {
            return bindings.getOrDefault(aor, List.of());
        }

        @Override
        public void put(Binding binding) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String aor, String contact) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int removeAll(String aor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int expire(Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Binding> all() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size() {
            return bindings.size();
        }

        @Override
        public long durabilityWindowMillis() {
            return 0;
        }

        @Override
        public void flush() {
        }
    }
}
