package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class StackConfigTest {

    @Test
    public void appThreadsDefaultToOnePerCoreAndAtLeastTwo() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(2, cores), StackConfig.defaults().appThreads());
        assertEquals(Math.max(2, cores), StackConfig.defaults().withAppExecutor(0, 100).appThreads());
    }

    @Test
    public void appThreadsSetExplicitlyAreKept() {
        StackConfig c = StackConfig.defaults().withAppExecutor(7, 100);
        assertEquals(7, c.appThreads());
        assertEquals(100, c.appQueueSize());
    }

    @Test
    public void negativeAppThreadsAreRefusedWithTheSettingNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.defaults().withAppExecutor(-1, 100));
        assertTrue(e.getMessage(), e.getMessage().contains("app.threads"));
    }
}
