#!/bin/sh
#
# Builds Confab if needed and starts a Standard Edition server in the foreground, on embedded
# defaults: SIP on port 5060 (UDP and TCP, all addresses), Derby under run/confab/data,
# the admin console on this terminal. Stop it with Ctrl-D or `system:shutdown`.
#
set -e
cd "$(dirname "$0")"
DIST=karaf-dist/target/confab-dist-0.1.0-SNAPSHOT.tar.gz
if [ ! -f "$DIST" ] || [ -n "$(find bundles features karaf-dist/src pom.xml -newer "$DIST" -type f 2>/dev/null | head -1)" ]; then
    mvn -B -q install -DskipTests
fi
if [ ! -d run/confab ] || [ "$DIST" -nt run/confab/.unpacked ]; then
    # Keep etc/ and data/ of an existing server: only the program files are replaced.
    mkdir -p run/confab
    tar -xzf "$DIST" -C run/confab --strip-components=1 --skip-old-files
    tar -xzf "$DIST" -C run/confab --strip-components=1 --exclude='*/etc/*' --exclude='*/data/*'
    touch run/confab/.unpacked
fi
exec run/confab/bin/confab "$@"
