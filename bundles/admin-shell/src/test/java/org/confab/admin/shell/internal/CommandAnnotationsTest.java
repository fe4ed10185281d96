package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.junit.Test;

/** What Karaf's command extender and help rely on: annotations, help files, injectable fields. */
public class CommandAnnotationsTest {

    private static final List<Class<?>> COMMANDS = List.of(DomainAddCommand.class, DomainRemoveCommand.class,
            DomainListCommand.class, UserEnableCommand.class, UserImportCommand.class, UserDisableCommand.class,
            UserPasswordCommand.class, UserListCommand.class, EndpointsCommand.class);

    @Test
    public void everyCommandIsAnnotatedForTheConfabScope() {
        Set<String> names = new HashSet<>();
        for (Class<?> type : COMMANDS) {
            assertNotNull(type + " @Service", type.getAnnotation(Service.class));
            Command cmd = type.getAnnotation(Command.class);
            assertNotNull(type + " @Command", cmd);
            assertEquals("confab", cmd.scope());
            assertTrue(cmd.name(), cmd.name().matches("[a-z]+(-[a-z]+)?"));
            assertTrue(names.add(cmd.name()));
            assertTrue(type + " needs operator documentation", cmd.description().length() > 40);
        }
        assertEquals(9, names.size());
    }

    @Test
    public void detailedHelpFilesExist() throws IOException {
        for (Class<?> type : COMMANDS) {
            String detail = type.getAnnotation(Command.class).detailedDescription();
            if (detail.isEmpty()) {
                continue;
            }
            assertTrue(detail, detail.startsWith("classpath:"));
            // Karaf's DefaultActionPreparator loads it with Class.getResourceAsStream
            try (InputStream in = type.getResourceAsStream(detail.substring("classpath:".length()))) {
                assertNotNull(detail, in);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(detail, text.contains("confab:" + type.getAnnotation(Command.class).name()));
            }
        }
    }

    @Test
    public void referencesArePackagePrivateSoTestsCanSetThem() {
        for (Class<?> type : COMMANDS) {
            for (Field f : type.getDeclaredFields()) {
                if (f.isAnnotationPresent(Reference.class)) {
                    int m = f.getModifiers();
                    assertFalse(f.toString(), Modifier.isPrivate(m) || Modifier.isPublic(m) || Modifier.isProtected(m));
                }
            }
        }
    }
}
