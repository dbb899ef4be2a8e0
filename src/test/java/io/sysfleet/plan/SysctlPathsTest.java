package io.sysfleet.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlPathsTest {
    private final SysctlPaths d = SysctlPaths.defaults();

    @Test
    void sysctlFilesOnlyByDefault() {
        for (String ok : List.of("/etc/sysctl.conf", "/etc/sysctl.d/90-net.conf", "/run/sysctl.d/a.conf",
                "/usr/lib/sysctl.d/50-default.conf")) {
            assertTrue(d.refusal(ok).isEmpty(), ok);
        }
        for (String bad : List.of("/etc/shadow", "/etc/sysctl.d/x", "/etc/sysctl.d/sub/x.conf", "/etc/sysctl.confx",
                "/etc/sysctl.d/", "/tmp/x.conf", "/etc/sysctl.d/../shadow", "/etc//sysctl.conf", "etc/sysctl.conf",
                "/etc/sysctl.d/./a.conf", "/etc/sysctl.d/a\\nb.conf", "/etc/sysctl.d/$(id).conf")) {
            assertTrue(d.refusal(bad).isPresent(), bad);
        }
        assertEquals("sysctl_file '/etc/shadow' is not a sysctl file: sysfleet manages /etc/sysctl.conf and *.conf in "
                + "/etc/sysctl.d/, /run/sysctl.d/, /usr/lib/sysctl.d/ (allow another path with --allow-sysctl-path)",
                d.refusal("/etc/shadow").get());
        assertEquals("sysctl_file '/etc/sysctl.d/../shadow' must be a normalised path (no '.' or '..')",
                d.refusal("/etc/sysctl.d/../shadow").get());
        assertEquals("sysctl_file '/etc/a\\e[2J' may contain only letters, digits and . _ + @ - between '/'",
                d.refusal("/etc/a\u001b[2J").get());
    }

    @Test
    void theAllowListAddsFilesAndDirectories() {
        SysctlPaths p = SysctlPaths.allowing(List.of("/opt/tuning/", "/srv/net.sysctl"));
        assertTrue(p.refusal("/opt/tuning/a").isEmpty());
        assertTrue(p.refusal("/srv/net.sysctl").isEmpty());
        assertTrue(p.refusal("/opt/tuning/sub/a").isPresent());
        assertTrue(p.refusal("/srv/other").isPresent());
        assertTrue(p.refusal("/etc/sysctl.conf").isEmpty(), "the defaults stay");
        assertThrows(IllegalArgumentException.class, () -> SysctlPaths.allowing(List.of("/opt/../etc/")));
        assertThrows(IllegalArgumentException.class, () -> SysctlPaths.allowing(List.of("relative/")));
    }
}
