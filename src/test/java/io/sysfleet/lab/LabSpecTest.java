package io.sysfleet.lab;

import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lab specs from command-line options: names, ports, profiles, validation; and the example inventory. */
class LabSpecTest {

    private static List<String> names(LabSpec s) {
        return s.hosts().stream().map(h -> h.name() + "/" + h.profile().id() + "/" + h.port()).toList();
    }

    @Test
    void noOptionsGiveTheDefaultLab() {
        LabSpec s = LabSpec.fromOptions(null, null, null);
        assertEquals(List.of("deb12-a/debian12/2201", "deb12-b/debian12/2202", "c7-a/centos7/2203",
                "c7-b/centos7/2204", "c6-a/centos6/2205", "c5-a/centos5/2206"), names(s));
        assertTrue(s.isDefault());
        assertFalse(LabSpec.fromOptions(null, null, 3301).isDefault());
    }

    /** inventory.example.yml must describe exactly the default lab, or `lab up` + the example would not work. */
    @Test
    void exampleInventoryDescribesTheDefaultLab() {
        Inventory inv = InventoryLoader.load(Path.of("inventory.example.yml"));
        List<String> fromExample = inv.select("all").stream()
                .map(h -> h.name() + "/" + h.address() + "/" + h.port() + "/" + h.user() + "/" + h.become() + "/"
                        + h.privateKeyFile())
                .sorted().toList();
        List<String> fromSpec = LabSpec.defaultLab().hosts().stream()
                .map(h -> h.name() + "/127.0.0.1/" + h.port() + "/sysfleet/true/.sysfleet/lab/id_ed25519")
                .sorted().toList();
        assertEquals(fromSpec, fromExample);
        for (LabHost h : LabSpec.defaultLab().hosts()) {
            List<String> inProfileGroup = inv.select(h.profile().id()).stream().map(Host::name).toList();
            assertTrue(inProfileGroup.contains(h.name()), h.name() + " is not in group " + h.profile().id());
        }
    }

    @Test
    void hostsCycleThroughTheProfiles() {
        assertEquals(List.of("deb12-a/debian12/2301", "c5-a/centos5/2302", "deb12-b/debian12/2303"),
                names(LabSpec.fromOptions(3, List.of("debian12", "centos5"), 2301)));
        assertEquals(List.of("deb12-a/debian12/2201", "c7-a/centos7/2202", "c6-a/centos6/2203", "c5-a/centos5/2204",
                "deb12-b/debian12/2205"), names(LabSpec.fromOptions(5, null, null)));
    }

    @Test
    void profilesAloneGiveOneHostEach() {
        assertEquals(List.of("c6-a/centos6/2201", "c6-b/centos6/2202"),
                names(LabSpec.fromOptions(null, List.of("centos6", "centos6"), null)));
    }

    @Test
    void manyHostsGetLetterSequences() {
        assertEquals("a", LabSpec.letters(0));
        assertEquals("z", LabSpec.letters(25));
        assertEquals("aa", LabSpec.letters(26));
        assertEquals("ab", LabSpec.letters(27));
        assertEquals("ba", LabSpec.letters(52));
        LabSpec s = LabSpec.fromOptions(100, List.of("centos7"), 10000);
        assertEquals("c7-cv", s.hosts().get(99).name());
        assertEquals(10099, s.hosts().get(99).port());
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() {
        assertMessage("unknown lab profile 'ubuntu' (known: debian12, centos7, centos6, centos5)",
                () -> LabSpec.fromOptions(null, List.of("ubuntu"), null));
        assertMessage("unknown lab profile 'Debian12'", () -> LabSpec.fromOptions(2, List.of("Debian12"), null));
        assertMessage("unknown lab profile '$(reboot)'", () -> LabSpec.fromOptions(2, List.of("$(reboot)"), null));
        assertMessage("--hosts must be from 1 to 250, got 0", () -> LabSpec.fromOptions(0, null, null));
        assertMessage("--hosts must be from 1 to 250, got 251", () -> LabSpec.fromOptions(251, null, null));
        assertMessage("--port-base must leave ports from 1024 to 65535", () -> LabSpec.fromOptions(2, null, 80));
        assertMessage("--port-base must leave ports from 1024 to 65535", () -> LabSpec.fromOptions(3, null, 65534));
        assertMessage("--profiles needs at least one profile", () -> LabSpec.fromOptions(null, List.of(), null));
    }

    @Test
    void hostsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new LabHost("a b", LabProfile.DEBIAN12, 2201));
        assertThrows(IllegalArgumentException.class, () -> new LabHost("x;rm", LabProfile.DEBIAN12, 2201));
        assertThrows(IllegalArgumentException.class, () -> new LabHost("ok", LabProfile.DEBIAN12, 22));
        LabHost a = new LabHost("a", LabProfile.DEBIAN12, 2201);
        assertMessage("duplicate lab host name or port",
                () -> new LabSpec(List.of(a, new LabHost("b", LabProfile.CENTOS5, 2201))));
        assertMessage("duplicate lab host name or port",
                () -> new LabSpec(List.of(a, new LabHost("a", LabProfile.CENTOS5, 2202))));
        assertEquals("[127.0.0.1]:2201", a.knownHostsName());
    }

    private static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(expectedStart), "message: " + x.getMessage());
    }
}
