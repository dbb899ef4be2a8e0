package io.sysfleet.lab;

import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure lab-file functions: generated inventory (read back by sysfleet's loader), known_hosts, key parsing. */
class LabFilesTest {
    @TempDir
    Path tmp;

    @Test
    void generatedInventoryLoadsWithTheLabsHostsAndConnectionVariables() throws Exception {
        LabSpec spec = LabSpec.fromOptions(3, List.of("debian12", "centos5"), 3301);
        String key = tmp.resolve("it's here/id_ed25519").toString();
        Path file = tmp.resolve("inventory.yml");
        Files.writeString(file, LabFiles.inventory(spec, key, "line one\nline two"));
        Inventory inv = InventoryLoader.load(file);
        List<Host> hosts = inv.select("all");
        assertEquals(List.of("deb12-a", "deb12-b", "c5-a"), hosts.stream().map(Host::name).toList());
        for (Host h : hosts) {
            assertEquals("127.0.0.1", h.address());
            assertEquals("sysfleet", h.user());
            assertTrue(h.become());
            assertEquals(key, h.privateKeyFile());
            assertEquals(spec.host(h.name()).port(), h.port());
        }
        assertEquals(List.of("c5-a"), inv.select("centos5").stream().map(Host::name).toList());
        assertEquals("net.ipv4.netfilter.ip_conntrack_", inv.select("c5-a").get(0).vars().get("conntrack_prefix"));
        assertTrue(Files.readString(file).startsWith("# line one\n# line two\nall:\n"));
    }

    @Test
    void controlCharactersInTheKeyPathAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LabFiles.inventory(LabSpec.defaultLab(), "/tmp/x\n  evil: 1", "c"));
    }

    @Test
    void knownHostsHasOneLinePerHostKeyInSpecOrder() {
        LabSpec spec = LabSpec.fromOptions(null, List.of("debian12", "centos7"), 2401);
        String text = LabFiles.knownHosts(spec, Map.of(
                "c7-a", List.of("ssh-ed25519 BBBB"),
                "deb12-a", List.of("ssh-ed25519 AAAA", "ssh-rsa AAAB3=")));
        assertEquals("[127.0.0.1]:2401 ssh-ed25519 AAAA\n[127.0.0.1]:2401 ssh-rsa AAAB3=\n"
                + "[127.0.0.1]:2402 ssh-ed25519 BBBB\n", text);
        assertThrows(IllegalArgumentException.class,
                () -> LabFiles.knownHosts(spec, Map.of("deb12-a", List.of("ssh-ed25519 AAAA"))));
    }

    @Test
    void hostKeysAreParsedWithoutComments() {
        String pubFiles = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpT root@deb12-a\n"
                + "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= root@deb12-a\n\n"
                + "ssh-rsa AAAAB3NzaC1yc2E+/x==\n";
        assertEquals(List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpT", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=",
                "ssh-rsa AAAAB3NzaC1yc2E+/x=="), LabFiles.parseHostKeys(pubFiles));
    }

    @Test
    void anythingButPublicKeysIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LabFiles.parseHostKeys(""));
        assertThrows(IllegalArgumentException.class, () -> LabFiles.parseHostKeys("cat: /etc/ssh/x: No such file"));
        assertThrows(IllegalArgumentException.class, () -> LabFiles.parseHostKeys("ssh-ed25519 AAAA;rm"));
        assertThrows(IllegalArgumentException.class, () -> LabFiles.parseHostKeys("@cert-authority * ssh-rsa AAAA"));
    }

    @Test
    void labIdDependsOnTheAbsoluteDirectory() {
        String a = LabFiles.labId(tmp.resolve("a"));
        assertEquals(12, a.length());
        assertTrue(a.matches("[0-9a-f]{12}"));
        assertEquals(a, LabFiles.labId(tmp.resolve("x/../a")));
        assertNotEquals(a, LabFiles.labId(tmp.resolve("b")));
    }
}
