package org.confab.router.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.confab.router} (underscores become dots: {@code max.branches}). */
@ObjectClassDefinition(name = "Confab router",
        description = "Proxy core: routing of MESSAGE, INVITE and in-dialog requests to registered endpoints")
public @interface RouterConfig {

    @AttributeDefinition(description = "Retry-After seconds in the 503 sent while no Authenticator (registrar) is available")
    int retry_after_s() default 5;

    @AttributeDefinition(description = "Most registered endpoints one request is forked to in parallel (highest q first)")
    int max_branches() default 10;

    @AttributeDefinition(description = "Methods listed in the Allow header of the 200 to an OPTIONS addressed to the server")
    String allow() default "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, UPDATE, PRACK, REFER, NOTIFY, REGISTER, SUBSCRIBE, PUBLISH";
}
