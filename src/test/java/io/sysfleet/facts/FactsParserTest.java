package io.sysfleet.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.facts.FactsParser.FactsFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link FactsParser} on output captured from the test image's centos5 profile, and on broken output. */
class FactsParserTest {
    /**
     * Captured: FactsProbe.command("/etc/sysctl.conf", [tcp_fin_timeout, tcp_tw_recycle,
     * netfilter.ip_conntrack_max, ip_local_port_range, net.ipv4, route.flush]) as user sysfleet on the centos5
     * profile (ip_conntrack_max comes from the image's sysctl-legacy-double test double). It was captured when the
     * probe was given dotted key names; it is now given /proc/sys paths. The output format is the same: each
     * {@code live} line echoes the argument it answers, and the parser keeps it as given.
     */
    static final String CENTOS5 = """
sysfleet-facts 1
os-release 0
redhat-release 1 x43656e744f532072656c6561736520352e3131202846696e616c290a
kernel x362e31382e34342d66632d763738320a
file x2f6574632f73797363746c2e636f6e66 1 644 x726f6f74 x726f6f74 3928dfdaf13a8ca3a6309c3eb2aaf09bcbe\
059f7dd261304260d436c97b77954 x230a23202f6574632f73797363746c2e636f6e66202d20436f6e66696775726174696\
f6e2066696c6520666f722073657474696e672073797374656d207661726961626c65730a2320536565202f6574632f73797\
363746c2e642f20666f72206164646974696f6e616c2073797374656d207661726961626c65732e0a2320536565207379736\
3746c2e636f6e662028352920666f7220696e666f726d6174696f6e2e0a230a0a236b65726e656c2e646f6d61696e6e616d6\
5203d206578616d706c652e636f6d0a0a2320556e636f6d6d656e742074686520666f6c6c6f77696e6720746f2073746f702\
06c6f772d6c6576656c206d65737361676573206f6e20636f6e736f6c650a236b65726e656c2e7072696e746b203d2033203\
4203120330a0a232323232323232323232323232323232323232323232323232323232323232323232323232323232323232\
323232323232323232323232323232323232323232323230a232046756e6374696f6e732070726576696f75736c7920666f7\
56e6420696e206e6574626173650a230a0a2320556e636f6d6d656e7420746865206e6578742074776f206c696e657320746\
f20656e61626c652053706f6f662070726f74656374696f6e2028726576657273652d706174682066696c746572290a23205\
475726e206f6e20536f75726365204164647265737320566572696669636174696f6e20696e20616c6c20696e74657266616\
3657320746f0a232070726576656e7420736f6d652073706f6f66696e672061747461636b730a236e65742e697076342e636\
f6e662e64656661756c742e72705f66696c7465723d310a236e65742e697076342e636f6e662e616c6c2e72705f66696c746\
5723d310a0a2320556e636f6d6d656e7420746865206e657874206c696e6520746f20656e61626c65205443502f495020535\
94e20636f6f6b6965730a232053656520687474703a2f2f6c776e2e6e65742f41727469636c65732f3237373134362f0a232\
04e6f74653a2054686973206d617920696d706163742049507636205443502073657373696f6e7320746f6f0a236e65742e6\
97076342e7463705f73796e636f6f6b6965733d310a0a2320556e636f6d6d656e7420746865206e657874206c696e6520746\
f20656e61626c65207061636b657420666f7277617264696e6720666f7220495076340a236e65742e697076342e69705f666\
f72776172643d310a0a2320556e636f6d6d656e7420746865206e657874206c696e6520746f20656e61626c65207061636b6\
57420666f7277617264696e6720666f7220495076360a232020456e61626c696e672074686973206f7074696f6e206469736\
1626c65732053746174656c6573732041646472657373204175746f636f6e66696775726174696f6e0a23202062617365642\
06f6e20526f75746572204164766572746973656d656e747320666f72207468697320686f73740a236e65742e697076362e6\
36f6e662e616c6c2e666f7277617264696e673d310a0a0a23232323232323232323232323232323232323232323232323232\
3232323232323232323232323232323232323232323232323232323232323232323232323232323230a23204164646974696\
f6e616c2073657474696e6773202d2074686573652073657474696e67732063616e20696d70726f766520746865206e65747\
76f726b0a23207365637572697479206f662074686520686f737420616e642070726576656e7420616761696e737420736f6\
d65206e6574776f726b2061747461636b730a2320696e636c7564696e672073706f6f66696e672061747461636b7320616e6\
4206d616e20696e20746865206d6964646c652061747461636b73207468726f7567680a23207265646972656374696f6e2e2\
0536f6d65206e6574776f726b20656e7669726f6e6d656e74732c20686f77657665722c20726571756972652074686174207\
4686573650a232073657474696e6773206172652064697361626c656420736f2072657669657720616e6420656e61626c652\
07468656d206173206e65656465642e0a230a2320446f206e6f74206163636570742049434d5020726564697265637473202\
870726576656e74204d49544d2061747461636b73290a236e65742e697076342e636f6e662e616c6c2e6163636570745f726\
564697265637473203d20300a236e65742e697076362e636f6e662e616c6c2e6163636570745f726564697265637473203d2\
0300a23205f6f725f0a23204163636570742049434d5020726564697265637473206f6e6c7920666f7220676174657761797\
3206c697374656420696e206f75722064656661756c740a232067617465776179206c6973742028656e61626c65642062792\
064656661756c74290a23206e65742e697076342e636f6e662e616c6c2e7365637572655f726564697265637473203d20310\
a230a2320446f206e6f742073656e642049434d50207265646972656374732028776520617265206e6f74206120726f75746\
572290a236e65742e697076342e636f6e662e616c6c2e73656e645f726564697265637473203d20300a230a2320446f206e6\
f742061636365707420495020736f7572636520726f757465207061636b6574732028776520617265206e6f74206120726f7\
5746572290a236e65742e697076342e636f6e662e616c6c2e6163636570745f736f757263655f726f757465203d20300a236\
e65742e697076362e636f6e662e616c6c2e6163636570745f736f757263655f726f757465203d20300a230a23204c6f67204\
d61727469616e205061636b6574730a236e65742e697076342e636f6e662e616c6c2e6c6f675f6d61727469616e73203d203\
10a230a0a2323232323232323232323232323232323232323232323232323232323232323232323232323232323232323232\
32323232323232323232323232323232323232323230a23204d616769632073797374656d2072657175657374204b65790a2\
320303d64697361626c652c20313d656e61626c6520616c6c2c203e31206269746d61736b206f662073797372712066756e6\
374696f6e730a23205365652068747470733a2f2f7777772e6b65726e656c2e6f72672f646f632f68746d6c2f6c617465737\
42f61646d696e2d67756964652f73797372712e68746d6c0a2320666f722077686174206f746865722076616c75657320646\
f0a236b65726e656c2e73797372713d3433380a0a
live x6e65742e697076342e7463705f66696e5f74696d656f7574 present x3630
live x6e65742e697076342e7463705f74775f72656379636c65 absent
live x6e65742e697076342e6e657466696c7465722e69705f636f6e6e747261636b5f6d6178 present x3635353336
live x6e65742e697076342e69705f6c6f63616c5f706f72745f72616e6765 present x3332373638093630393939
live x6e65742e69707634 dir
live x6e65742e697076342e726f7574652e666c757368 unreadable
end
            """;

    private static HostFacts parse(String s) {
        return FactsParser.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesCapturedCentos5Output() {
        HostFacts f = parse(CENTOS5);
        assertNull(f.osRelease());
        assertEquals("CentOS release 5.11 (Final)\n", f.redhatRelease());
        assertTrue(f.kernelRelease().matches("\\d+\\.\\d+\\.\\S+"), f.kernelRelease());
        FileFact file = f.sysctlFile();
        assertEquals("/etc/sysctl.conf", file.path());
        assertTrue(file.exists() && file.readable());
        assertEquals("644", file.mode());
        assertEquals("root", file.owner());
        assertEquals("root", file.group());
        assertTrue(file.text().startsWith("#\n# /etc/sysctl.conf"), file.text());
        assertEquals(FactsParser.sha256(file.content()), file.sha256());
        assertEquals(new LiveValue(LiveValue.State.PRESENT, "60"), f.live().get("net.ipv4.tcp_fin_timeout"));
        assertEquals(LiveValue.State.ABSENT, f.live().get("net.ipv4.tcp_tw_recycle").state());
        assertEquals("65536", f.live().get("net.ipv4.netfilter.ip_conntrack_max").value());
        assertEquals("32768\t60999", f.live().get("net.ipv4.ip_local_port_range").value());
        assertEquals(LiveValue.State.DIRECTORY, f.live().get("net.ipv4").state());
        assertEquals(LiveValue.State.UNREADABLE, f.live().get("net.ipv4.route.flush").state());
        assertEquals(6, f.live().size());
    }

    @Test
    void parsesMissingAndUnreadableFiles() {
        String head = "sysfleet-facts 1\nos-release 1 x49443d64656269616e0a\nredhat-release 0\nkernel x360a\n";
        HostFacts missing = parse(head + "file x2f78 0\nend\n");
        assertEquals("ID=debian\n", missing.osRelease());
        assertNull(missing.redhatRelease());
        assertEquals("6", missing.kernelRelease());
        assertEquals(FileFact.missing("/x"), missing.sysctlFile());
        FileFact unreadable = parse(head + "file x2f78 2 600 x726f6f74 x726f6f74\nend\n").sysctlFile();
        assertTrue(unreadable.exists());
        assertEquals(false, unreadable.readable());
        assertNull(unreadable.content());
        FileFact empty = parse(head + "file x2f78 1 644 x61 x62 - x\nend\n").sysctlFile();
        assertEquals(0, empty.content().length);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", empty.sha256());
    }

    private static void assertMalformed(String output, String expected) {
        FactsFormatException e = assertThrows(FactsFormatException.class, () -> parse(output));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void malformedOutputIsAClearError() {
        assertMalformed("", "expected 'sysfleet-facts 1'");
        assertMalformed("sh: 1: od: not found\n", "expected 'sysfleet-facts 1', got 'sh: 1: od: not found'");
        assertMalformed(CENTOS5.replace("end\n", ""), "truncated");
        assertMalformed(CENTOS5.replace("os-release 0\n", ""), "missing os-release");
        assertMalformed(CENTOS5.replace("kernel x", "kernel xz"), "line 4: bad hex field");
        assertMalformed(CENTOS5.replace("kernel x", "kernel "), "line 4: bad hex field");
        assertMalformed(CENTOS5.replace(" absent", " gone"), "unknown key state 'gone'");
        assertMalformed(CENTOS5 + "extra\n", "unexpected output after 'end'");
        assertMalformed(CENTOS5.replace("redhat-release 1", "redhat-release 7"), "malformed redhat-release");
        assertMalformed(CENTOS5.replace(" 644 ", " 6x4 "), "bad file mode");
        // flip one content byte: the remote sha256 no longer matches
        String corrupted = CENTOS5.replace("x230a2320", "x230a2321");
        assertMalformed(corrupted, "does not match its content");
        String twice = CENTOS5.replace("end\n", CENTOS5.lines().filter(l -> l.startsWith("live")).findFirst()
                .orElseThrow() + "\nend\n");
        assertMalformed(twice, "key reported twice");
    }
}
