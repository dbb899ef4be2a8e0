package io.sysfleet.plan;

import io.sysfleet.playbook.ModprobeTask.Persistence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** community.general.modprobe's persistence rules on the module's own files (see ModuleFiles). */
class ModuleFilesTest {

    @Test
    void presentAddsTheModuleOnceAndKeepsEverythingElse() {
        assertEquals("nf_conntrack\n", ModuleFiles.modulesLoad(null, "nf_conntrack", Persistence.PRESENT));
        assertEquals("# mine\nbr_netfilter\nnf_conntrack\n",
                ModuleFiles.modulesLoad("# mine\nbr_netfilter", "nf_conntrack", Persistence.PRESENT));
        // Already listed (spaces and a trailing comment allowed, as Ansible's pattern has it): unchanged.
        for (String listed : List.of("nf_conntrack\n", "  nf_conntrack  # for the firewall\n", "nf_conntrack;x\n")) {
            assertEquals(listed, ModuleFiles.modulesLoad(listed, "nf_conntrack", Persistence.PRESENT));
        }
        // A commented line or another module with the name as prefix does not count.
        assertEquals("#nf_conntrack\nnf_conntrack_ftp\nnf_conntrack\n",
                ModuleFiles.modulesLoad("#nf_conntrack\nnf_conntrack_ftp\n", "nf_conntrack", Persistence.PRESENT));
    }

    @Test
    void absentCommentsTheModuleOutAndDisabledTouchesNothing() {
        assertEquals("#nf_conntrack\r\nbr_netfilter\n#nf_conntrack # x\n",
                ModuleFiles.modulesLoad("nf_conntrack\r\nbr_netfilter\nnf_conntrack # x\n", "nf_conntrack",
                        Persistence.ABSENT));
        assertEquals("", ModuleFiles.modulesLoad(null, "nf_conntrack", Persistence.ABSENT), "no file, no file");
        assertEquals("nf_conntrack\n", ModuleFiles.modulesLoad("nf_conntrack\n", "nf_conntrack", Persistence.DISABLED));
    }

    @Test
    void optionsAreReplacedOnlyWhenTheParametersDiffer() {
        assertEquals("options nf_conntrack hashsize=131072\n",
                ModuleFiles.options(null, "nf_conntrack", List.of("hashsize=131072"), Persistence.PRESENT));
        String same = "options nf_conntrack hashsize=131072 # tuned\n";
        assertEquals(same, ModuleFiles.options(same, "nf_conntrack", List.of("hashsize=131072"), Persistence.PRESENT));
        // Several parameters on one line are one set: order does not matter.
        String two = "options nf_conntrack hashsize=1 expect_hashsize=2\n";
        assertEquals(two, ModuleFiles.options(two, "nf_conntrack", List.of("expect_hashsize=2", "hashsize=1"),
                Persistence.PRESENT));
        assertEquals("# keep\n#options nf_conntrack hashsize=16384\noptions br_netfilter x=1\n"
                        + "options nf_conntrack hashsize=131072\n",
                ModuleFiles.options("# keep\noptions nf_conntrack hashsize=16384\noptions br_netfilter x=1\n",
                        "nf_conntrack", List.of("hashsize=131072"), Persistence.PRESENT));
        // No parameters wanted and none set: no file is made.
        assertEquals("", ModuleFiles.options(null, "nf_conntrack", List.of(), Persistence.PRESENT));
        // No parameters wanted but some set: they are commented out.
        assertEquals("#options nf_conntrack hashsize=1\n",
                ModuleFiles.options("options nf_conntrack hashsize=1\n", "nf_conntrack", List.of(), Persistence.PRESENT));
        assertEquals("#options nf_conntrack hashsize=1\n",
                ModuleFiles.options("options nf_conntrack hashsize=1\n", "nf_conntrack", List.of("a=1"),
                        Persistence.ABSENT));
        assertEquals(List.of("hashsize=1", "expect_hashsize=2"), ModuleFiles.params(two, "nf_conntrack"));
    }
}
