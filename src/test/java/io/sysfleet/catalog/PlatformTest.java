package io.sysfleet.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Texts below are as CentOS 5.11, 6.10, 7.9, Rocky 9 and Debian 12 ship them. */
class PlatformTest {
    static final String CENTOS5_REDHAT = "CentOS release 5.11 (Final)\n";
    static final String RHEL5_REDHAT = "Red Hat Enterprise Linux Server release 5.11 (Tikanga)\n";
    static final String CENTOS6_REDHAT = "CentOS release 6.10 (Final)\n";
    static final String CENTOS7_REDHAT = "CentOS Linux release 7.9.2009 (Core)\n";
    static final String CENTOS7_OS_RELEASE = """
            NAME="CentOS Linux"
            VERSION="7 (Core)"
            ID="centos"
            ID_LIKE="rhel fedora"
            VERSION_ID="7"
            PRETTY_NAME="CentOS Linux 7 (Core)"
            ANSI_COLOR="0;31"
            CPE_NAME="cpe:/o:centos:centos:7"
            HOME_URL="https://www.centos.org/"
            BUG_REPORT_URL="https://bugs.centos.org/"

            CENTOS_MANTISBT_PROJECT="CentOS-7"
            CENTOS_MANTISBT_PROJECT_VERSION="7"
            REDHAT_SUPPORT_PRODUCT="centos"
            REDHAT_SUPPORT_PRODUCT_VERSION="7"

            """;
    static final String DEBIAN12_OS_RELEASE = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            HOME_URL="https://www.debian.org/"
            SUPPORT_URL="https://www.debian.org/support"
            BUG_REPORT_URL="https://bugs.debian.org/"
            """;
    static final String ROCKY9_OS_RELEASE = """
            NAME="Rocky Linux"
            VERSION="9.4 (Blue Onyx)"
            ID="rocky"
            ID_LIKE="rhel centos fedora"
            VERSION_ID="9.4"
            PLATFORM_ID="platform:el9"
            """;

    @Test
    void centos5HasOnlyRedhatRelease() {
        Platform p = Platform.detect(null, CENTOS5_REDHAT, "2.6.18-398.el5\n");
        assertEquals(new Platform("centos", "5.11", "2.6.18-398.el5"), p);
        assertEquals(5, p.majorVersion());
        assertEquals("rhel", p.family());
        assertEquals("rhel5", p.tag());
    }

    @Test
    void rhel5IsRhel() {
        Platform p = Platform.detect(null, RHEL5_REDHAT, "2.6.18-419.el5");
        assertEquals("rhel", p.osId());
        assertEquals("5.11", p.osVersion());
        assertEquals("rhel5", p.tag());
    }

    @Test
    void centos6HasOnlyRedhatReleaseToo() {
        Platform p = Platform.detect(null, CENTOS6_REDHAT, "2.6.32-754.35.1.el6.x86_64");
        assertEquals(new Platform("centos", "6.10", "2.6.32-754.35.1.el6.x86_64"), p);
        assertEquals("rhel6", p.tag());
    }

    @Test
    void centos7TakesIdFromOsReleaseAndPointReleaseFromRedhatRelease() {
        Platform p = Platform.detect(CENTOS7_OS_RELEASE, CENTOS7_REDHAT, "3.10.0-1160.el7.x86_64");
        assertEquals(new Platform("centos", "7.9.2009", "3.10.0-1160.el7.x86_64"), p);
        assertEquals(7, p.majorVersion());
        assertEquals("rhel7", p.tag());
        // Without redhat-release the os-release version is used as is.
        assertEquals("7", Platform.detect(CENTOS7_OS_RELEASE, null, null).osVersion());
    }

    @Test
    void debian12() {
        Platform p = Platform.detect(DEBIAN12_OS_RELEASE, null, "6.1.0-28-amd64");
        assertEquals(new Platform("debian", "12", "6.1.0-28-amd64"), p);
        assertEquals("debian", p.family());
        assertEquals("debian12", p.tag());
        assertEquals("debian", new Platform("ubuntu", "22.04", null).family());
    }

    @Test
    void rockyAndAlmaAreRhel() {
        assertEquals("rhel", Platform.detect(ROCKY9_OS_RELEASE, "Rocky Linux release 9.4 (Blue Onyx)", null).family());
        assertEquals("9.4", Platform.detect(ROCKY9_OS_RELEASE, "Rocky Linux release 9.4 (Blue Onyx)", null).osVersion());
        assertEquals("rhel", new Platform("almalinux", "8.10", null).family());
        assertEquals("rhel", Platform.detect(null, "AlmaLinux release 8.10 (Cerulean Leopard)", null).family());
        assertEquals("arch", new Platform("arch", null, null).family());
    }

    @Test
    void unknownPartsAreNull() {
        Platform p = Platform.detect(null, null, null);
        assertEquals(Platform.unknown(), p);
        assertNull(p.family());
        assertNull(p.tag());
        assertEquals(-1, p.majorVersion());
        assertFalse(p.kernelAtLeast("2.6"));
        Platform junk = Platform.detect("garbage\n=x\nID=\n", "not a release file", "  ");
        assertEquals(Platform.unknown(), junk);
    }

    @Test
    void kernelVersionsCompareNumerically() {
        assertTrue(kernel("3.10.0-1160.el7.x86_64").kernelAtLeast("2.6.32"));
        assertFalse(kernel("3.10.0-1160.el7.x86_64").kernelAtLeast("4.12"));
        assertFalse(kernel("2.6.18-398.el5").kernelAtLeast("2.6.32"));
        assertTrue(kernel("2.6.18-398.el5").kernelAtLeast("2.6.18"));
        assertTrue(kernel("6.1.0-28-amd64").kernelAtLeast("4.12"));
        assertTrue(kernel("4.12").kernelAtLeast("4.12"));
        assertTrue(kernel("4.12.0-rc1").kernelAtLeast("4.12"));
        assertFalse(kernel("4.11.12").kernelAtLeast("4.12"));
        assertTrue(kernel("4.100").kernelAtLeast("4.12"), "numeric, not text, comparison");
        assertTrue(kernel("5.15.0-1057-aws").kernelAtLeast("5"));
        assertFalse(kernel("6.1.0").kernelAtLeast("not-a-version"));
        assertFalse(kernel("uname failed").kernelAtLeast("1"));
    }

    private static Platform kernel(String release) {
        return new Platform(null, null, release);
    }
}
