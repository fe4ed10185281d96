package org.confab.registrar.internal;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.LocationStore;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.confab.api.transport.Flow;
import org.confab.api.transport.ServerTransaction;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** Small in-memory fakes of the API services the registrar uses, and a movable clock. */
final class Fakes {

    private Fakes() {
    }

    /** A RegistrarConfig with the annotation defaults, overridden by "key.with.dots" entries. */
    static RegistrarConfig config(Map<String, Object> overrides) {
        return (RegistrarConfig) Proxy.newProxyInstance(RegistrarConfig.class.getClassLoader(),
                new Class<?>[] {RegistrarConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (overrides.containsKey(key)) {
                        return overrides.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("annotationType")) {
                        return RegistrarConfig.class;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static RegistrarConfig config() {
        return config(Map.of());
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advanceSeconds(long s) {
            now = now.plusSeconds(s);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class FakeUserStore implements UserStore {
        final Map<String, User> users = new LinkedHashMap<>();
        final Map<String, List<Credential>> credentials = new HashMap<>();
        int credentialLookups;

        /** Adds an enabled user sip:user@domain with Digest credentials for the password. */
        void addUser(String uri, String password) {
            create(uri, "", "pool1");
            setCredentials(uri, DigestSecrets.SCHEME, DigestSecrets.credentials(uri, uri.substring(uri.indexOf('@') + 1), password));
        }

        @Override
        public Optional<User> find(String uri) {
            return Optional.ofNullable(users.get(uri));
        }

        @Override
        public User create(String uri, String displayName, String homePool) {
            if (users.containsKey(uri)) {
                throw new DuplicateException(uri);
            }
            User u = new User(uri, displayName, true, homePool, Instant.EPOCH);
            users.put(uri, u);
            return u;
        }

        @Override
        public void setEnabled(String uri, boolean enabled) {
            User u = users.get(uri);
            if (u == null) {
                throw new NotFoundException(uri);
            }
            users.put(uri, new User(uri, u.displayName(), enabled, u.homePool(), u.created()));
        }

        @Override
        public void setDisplayName(String uri, String displayName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String uri) {
            users.remove(uri);
            credentials.remove(uri);
        }

        @Override
        public List<User> list(String filter) {
            return new ArrayList<>(users.values());
        }

        @Override
        public void setCredentials(String uri, String scheme, List<Credential> creds) {
            credentials.put(uri, List.copyOf(creds));
        }

        @Override
        public Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
            credentialLookups++;
            for (Map.Entry<String, List<Credential>> e : credentials.entrySet()) {
                for (Credential c : e.getValue()) {
                    if (c.scheme().equals(scheme) && c.realm().equals(realm) && c.username().equals(username)
                            && c.algorithm().equals(algorithm)) {
                        return Optional.of(new StoredCredential(e.getKey(), c));
                    }
                }
            }
            return Optional.empty();
        }
    }

    static final class FakeDomainStore implements DomainStore {
        final Set<String> domains = new TreeSet<>();

        @Override
        public List<String> list() {
            return new ArrayList<>(domains);
        }

        @Override
        public boolean isServed(String domain) {
            return domain != null && domains.contains(domain.toLowerCase(Locale.ROOT));
        }

        @Override
        public void add(String domain) {
            domains.add(domain);
        }

        @Override
        public void remove(String domain) {
            domains.remove(domain);
        }
    }

    /** Follows the LocationStore.put replacement rule: same instance and reg-id, else same contact. */
    static final class FakeLocationStore implements LocationStore {
        final List<Binding> bindings = new ArrayList<>();
        final Clock clock;
        RuntimeException failWith;

        FakeLocationStore(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized List<Binding> bindings(String aor) {
            fail();
            Instant now = clock.instant();
            return bindings.stream().filter(b -> b.aor().equals(aor) && !b.isExpired(now))
                    .sorted(Comparator.comparingInt(Binding::q).reversed()).toList();
        }

        @Override
        public synchronized void put(Binding b) {
            fail();
            Binding old = null;
            if (b.instanceId() != null) {
                old = bindings.stream().filter(x -> x.aor().equals(b.aor()) && b.instanceId().equals(x.instanceId())
                        && x.regId() == b.regId()).findFirst().orElse(null);
            }
            if (old == null) {
                old = bindings.stream().filter(x -> x.aor().equals(b.aor()) && x.contact().equals(b.contact()))
                        .findFirst().orElse(null);
            }
            bindings.remove(old);
            bindings.add(b);
        }

        @Override
        public synchronized boolean remove(String aor, String contact) {
            return bindings.removeIf(b -> b.aor().equals(aor) && b.contact().equals(contact));
        }

        @Override
        public synchronized int removeAll(String aor) {
            int before = bindings.size();
            bindings.removeIf(b -> b.aor().equals(aor));
            return before - bindings.size();
        }

        @Override
        public synchronized int expire(Instant now) {
            fail();
            int before = bindings.size();
            bindings.removeIf(b -> b.isExpired(now));
            return before - bindings.size();
        }

        @Override
        public synchronized List<Binding> all() {
            return List.copyOf(bindings);
        }

        @Override
        public synchronized int size() {
            return bindings.size();
        }

        @Override
        public long durabilityWindowMillis() {
            return 0;
        }

        @Override
        public void flush() {
        }

        private void fail() {
            if (failWith != null) {
                throw failWith;
            }
        }
    }

    static final class FakeFlow implements Flow {
        final String id;
        final String transport;
        final InetSocketAddress remote;

        FakeFlow(String id, String transport, String host, int port) {
            this.id = id;
            this.transport = transport;
            this.remote = new InetSocketAddress(host, port);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public boolean isReliable() {
            return !"UDP".equals(transport);
        }

        @Override
        public boolean isSecure() {
            return "TLS".equals(transport);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
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

    static final class FakeTransaction implements ServerTransaction {
        final SipRequest request;
        final Flow flow;
        final List<SipResponse> responses = new ArrayList<>();
        final Map<String, Object> attributes = new HashMap<>();

        FakeTransaction(SipRequest request, Flow flow) {
            this.request = request;
            this.flow = flow;
        }

        SipResponse finalResponse() {
            if (responses.size() != 1) {
                throw new AssertionError("expected exactly one response, got " + responses.size());
            }
            return responses.get(0);
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
            SipResponse r = request.createResponse(status);
            if (status > 100 && r.to().tag() == null) {
                r.setHeader("To", r.to().withTag("srv1").toString());
            }
            return r;
        }

        @Override
        public void respond(SipResponse response) {
            responses.add(response);
        }

        @Override
        public boolean isCompleted() {
            return !responses.isEmpty();
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
    }
}
