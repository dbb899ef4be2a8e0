package io.sysfleet.report;

import io.sysfleet.result.HostResult.Status;
import io.sysfleet.result.Phase;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import io.sysfleet.result.HostResult;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validates the JUnit XML against src/test/resources/report/junit-report.xsd (see its header for where its
 * structure comes from) and checks the mapping of every host status and key outcome.
 */
class JUnitReportTest {
    private static final String PLAY_CLASS = "sysfleet." + SampleRuns.PLAY.replace('.', '_') + ".";

    private static Schema schema() throws SAXException {
        URL xsd = Objects.requireNonNull(JUnitReportTest.class.getResource("/report/junit-report.xsd"));
        return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
    }

    private static void validate(String xml) throws Exception {
        schema().newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    private static Document dom(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static int attr(Element e, String name) {
        assertTrue(e.hasAttribute(name), e.getTagName() + " has " + name);
        return Integer.parseInt(e.getAttribute(name));
    }

    private static long withChild(List<Element> cases, String name) {
        return cases.stream().filter(c -> child(c, name) != null).count();
    }

    /** The counts on every suite and on the root are those of the test cases they contain. */
    private static void assertCountsMatchContent(Document doc) {
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        int tests = 0;
        int failures = 0;
        int errors = 0;
        for (Element suite : children(root, "testsuite")) {
            List<Element> cases = children(suite, "testcase");
            assertEquals(cases.size(), attr(suite, "tests"), "tests of " + suite.getAttribute("name"));
            assertEquals(withChild(cases, "failure"), attr(suite, "failures"));
            assertEquals(withChild(cases, "error"), attr(suite, "errors"));
            assertEquals(withChild(cases, "skipped"), attr(suite, "skipped"));
            tests += cases.size();
            failures += (int) withChild(cases, "failure");
            errors += (int) withChild(cases, "error");
        }
        assertEquals(tests, attr(root, "tests"));
        assertEquals(failures, attr(root, "failures"));
        assertEquals(errors, attr(root, "errors"));
    }

    private static Element testcase(Document doc, String classname, String name) {
        List<Element> found = new ArrayList<>();
        for (Element suite : children(doc.getDocumentElement(), "testsuite")) {
            for (Element c : children(suite, "testcase")) {
                if (c.getAttribute("classname").equals(classname) && c.getAttribute("name").equals(name)) {
                    found.add(c);
                }
            }
        }
        assertEquals(1, found.size(), "one test case " + classname + " / " + name);
        return found.get(0);
    }

    @Test
    void applyRunIsValidAndCountsMatch() throws Exception {
        String xml = JUnitReport.render(SampleRuns.apply());
        validate(xml);
        Document doc = dom(xml);
        assertCountsMatchContent(doc);
        List<Element> suites = children(doc.getDocumentElement(), "testsuite");
        assertEquals(2, suites.size(), "one suite per play");
        Element first = suites.get(0);
        assertEquals(SampleRuns.PLAY, first.getAttribute("name"), "XML-special characters round-trip");
        // web1: host + 2 keys; web2: host + key; db1: host + 2 keys; db2, 10.0.0.9, cache1: host only
        assertEquals(11, attr(first, "tests"));
        assertEquals(3, attr(first, "failures"));
        assertEquals(1, attr(first, "errors"));
        assertEquals(2, attr(first, "skipped"));
        assertEquals("2024-05-01T10:15:30", first.getAttribute("timestamp"));
        assertEquals("12.500", doc.getDocumentElement().getAttribute("time"));
        assertEquals(13, attr(doc.getDocumentElement(), "tests"));
    }

    @Test
    void keyErrorIsAFailureWithTheKernelsWordsAndValues() throws Exception {
        Document doc = dom(JUnitReport.render(SampleRuns.apply()));
        Element c = testcase(doc, PLAY_CLASS + "db1", "Conntrack max [net.netfilter.nf_conntrack_max]");
        Element f = child(c, "failure");
        assertEquals("key", f.getAttribute("type"));
        assertEquals(SampleRuns.KERNEL_ERROR, f.getAttribute("message"));
        String body = f.getTextContent();
        assertTrue(body.contains("planned: '999999999999'\nold: '65536'\nnew: '65536'\n"), body);
        assertTrue(body.contains("host: failed in verify, rolled back"), body);

        Element host = child(testcase(doc, PLAY_CLASS + "db1", "host"), "failure");
        assertEquals("verify", host.getAttribute("type"));
        assertTrue(host.getAttribute("message").startsWith("verify: " + SampleRuns.KERNEL_ERROR), host.getAttribute("message"));
        assertTrue(host.getTextContent().contains("rolled back: yes"));

        Element fine = testcase(doc, PLAY_CLASS + "db1", "FIN timeout [net.ipv4.tcp_fin_timeout]");
        assertNull(child(fine, "failure"), "a key without error on a failed host passes");
    }

    @Test
    void hostLevelFailureUnreachableAndSkipped() throws Exception {
        Document doc = dom(JUnitReport.render(SampleRuns.apply()));
        Element plan = child(testcase(doc, PLAY_CLASS + "db2", "host"), "failure");
        assertEquals("plan", plan.getAttribute("type"));
        assertEquals("plan: playbooks/tcp.yml:12: unknown key 'net.ipv4.tcp_bogus' for CentOS 7 & <later>",
                plan.getAttribute("message"));
        assertTrue(plan.getTextContent().contains("rolled back: no"));

        Element down = testcase(doc, PLAY_CLASS + "10_0_0_9", "host");
        assertNull(child(down, "failure"));
        Element err = child(down, "error");
        assertEquals("unreachable", err.getAttribute("type"));
        assertEquals("connect: ssh: connect to 10.0.0.9 port 22: Connection refused", err.getAttribute("message"));

        assertEquals("skipped", child(testcase(doc, PLAY_CLASS + "cache1", "host"), "skipped").getAttribute("message"));
        Element skippedKey = testcase(doc, PLAY_CLASS + "web1_example_com",
                "Old conntrack [net.ipv4.netfilter.ip_conntrack_max]");
        assertEquals("when: ansible_distribution_major_version == '5' is false",
                child(skippedKey, "skipped").getAttribute("message"));
    }

    @Test
    void passingCasesCarryValuesAndDiffsInSystemOut() throws Exception {
        Document doc = dom(JUnitReport.render(SampleRuns.apply()));
        Element host = testcase(doc, PLAY_CLASS + "web2", "host");
        assertNull(child(host, "failure"));
        String out = child(host, "system-out").getTextContent();
        assertTrue(out.contains(SampleRuns.DIFF), "the diff, with non-ASCII and <&\", round-trips:\n" + out);
        assertTrue(out.contains("[WARNING] sysctl.conf had CRLF line endings; kept them"));
        Element key = testcase(doc, PLAY_CLASS + "web2", "FIN timeout [net.ipv4.tcp_fin_timeout]");
        assertEquals("task: FIN timeout\nkey: net.ipv4.tcp_fin_timeout\nplanned: '30'\nold: '60'\nnew: '30'\n"
                + "changed: true\nverified: true\n", child(key, "system-out").getTextContent());
    }

    @Test
    void charactersXmlCannotCarryAreEscapedAndNonAsciiKept() throws Exception {
        String xml = JUnitReport.render(SampleRuns.apply());
        validate(xml);
        Document doc = dom(xml);
        String out = child(testcase(doc, "sysfleet.Second play.web1_example_com", "Odd [net.core.somaxconn]"),
                "system-out").getTextContent();
        assertTrue(out.contains("note: odd output \\u0001\\u001B[0m with a lone \\uD800 surrogate and 🚀\n"), out);
    }

    @Test
    void writtenFileIsUtf8AndParses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/junit.xml");
        JUnitReport.write(SampleRuns.apply(), file);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(JUnitReport.render(SampleRuns.apply()), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        schema().newValidator().validate(new StreamSource(new ByteArrayInputStream(bytes)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        assertTrue(child(testcase(doc, PLAY_CLASS + "web2", "host"), "system-out").getTextContent()
                .contains("ünïcödé ✓"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void checkModeDriftIsAFailure() throws Exception {
        String xml = JUnitReport.render(SampleRuns.checkWithDrift());
        validate(xml);
        Document doc = dom(xml);
        assertCountsMatchContent(doc);
        Element drift = child(testcase(doc, "sysfleet.TCP.web2", "FIN timeout [net.ipv4.tcp_fin_timeout]"), "failure");
        assertEquals("drift", drift.getAttribute("type"));
        assertEquals("drift: net.ipv4.tcp_fin_timeout is '60', wanted '30'", drift.getAttribute("message"));
        Element removed = child(testcase(doc, "sysfleet.TCP.web2", "No timestamps [net.ipv4.tcp_timestamps]"), "failure");
        assertEquals("drift: net.ipv4.tcp_timestamps is '1', wanted (absent)", removed.getAttribute("message"));
        assertNull(child(testcase(doc, "sysfleet.TCP.web2", "Syncookies [net.ipv4.tcp_syncookies]"), "failure"));
        Element host = child(testcase(doc, "sysfleet.TCP.web2", "host"), "failure");
        assertEquals("drift: 2 keys would change, sysctl file edits pending", host.getAttribute("message"));
        assertTrue(host.getTextContent().contains("+net.ipv4.tcp_fin_timeout = 30"));
        assertNull(child(testcase(doc, "sysfleet.TCP.web1", "host"), "failure"));
        assertEquals(3, attr(doc.getDocumentElement(), "failures"));
    }

    @Test
    void theSameChangesInApplyModePass() throws Exception {
        RunReport check = SampleRuns.checkWithDrift();
        RunReport applied = new RunReport(check.runId(), false, check.started(), check.finished(), check.plays());
        Document doc = dom(JUnitReport.render(applied));
        assertCountsMatchContent(doc);
        assertEquals(0, attr(doc.getDocumentElement(), "failures"));
        assertEquals(0, attr(doc.getDocumentElement(), "errors"));
    }

    @Test
    void emptyRunAndSimpleRunsAreValid() throws Exception {
        String empty = JUnitReport.render(new RunReport("r", false, SampleRuns.STARTED, SampleRuns.FINISHED, List.of()));
        validate(empty);
        assertEquals(0, attr(dom(empty).getDocumentElement(), "tests"));
        for (Status s : Status.values()) {
            String xml = JUnitReport.render(SampleRuns.simple(false, s));
            validate(xml);
            assertCountsMatchContent(dom(xml));
        }
    }

    @Test
    void schemaRejectsAMissingRequiredAttribute() throws Exception {
        String xml = JUnitReport.render(SampleRuns.apply());
        String broken = xml.replaceFirst("(<testsuite name=\"[^\"]*\") tests=\"11\"", "$1");
        assertNotEquals(xml, broken);
        SAXException e = assertThrows(SAXException.class, () -> validate(broken));
        assertTrue(e.getMessage().contains("tests"), e.getMessage());
    }

    @Test
    void schemaRejectsOtherMalformedReports() throws Exception {
        String xml = JUnitReport.render(SampleRuns.apply());
        // failure without its type
        String noType = xml.replaceFirst("<failure type=\"key\" ", "<failure ");
        assertNotEquals(xml, noType);
        assertThrows(SAXException.class, () -> validate(noType));
        // two outcomes on one test case
        String twoOutcomes = xml.replaceFirst("(<skipped message=\"skipped\"></skipped>)", "$1<failure type=\"x\" message=\"y\"/>");
        assertNotEquals(xml, twoOutcomes);
        assertThrows(SAXException.class, () -> validate(twoOutcomes));
        // a count that is not a number
        String badCount = xml.replaceFirst("failures=\"3\"", "failures=\"three\"");
        assertNotEquals(xml, badCount);
        assertThrows(SAXException.class, () -> validate(badCount));
        // a timestamp with a zone, which Ant's format does not have
        String zoned = xml.replaceFirst("timestamp=\"2024-05-01T10:15:30\"", "timestamp=\"2024-05-01T10:15:30Z\"");
        assertNotEquals(xml, zoned);
        assertThrows(SAXException.class, () -> validate(zoned));
    }

    @Test
    void countCheckerNoticesWrongCounts() throws Exception {
        String xml = JUnitReport.render(SampleRuns.apply());
        Document doc = dom(xml.replaceFirst("skipped=\"2\"", "skipped=\"1\""));
        assertThrows(AssertionError.class, () -> assertCountsMatchContent(doc));
    }

    @Test
    void classnamesKeepHostsFromSplittingIntoPackages() {
        assertEquals("web1_example_com", JUnitReport.segment("web1.example.com"));
        assertEquals("unnamed", JUnitReport.segment(" "));
        assertFalse(JUnitReport.xml("a\u0000b").contains("\u0000"));
        assertEquals("a\\u0000b\\uFFFEc", JUnitReport.xml("a\u0000b\uFFFEc"));
    }

    @Test
    void aHostsCaseCarriesItsOwnTimeAndTheSuiteTheSum() throws Exception {
        HostResult a = new HostResult("a", HostResult.Status.OK, List.of(), List.of(), List.of(), null, null, false)
                .withElapsed(java.time.Duration.ofMillis(1500));
        HostResult b = HostResult.failure("b", HostResult.Status.UNREACHABLE, Phase.CONNECT, "refused")
                .withElapsed(java.time.Duration.ofMillis(250));
        RunReport r = new RunReport("r", false, java.time.Instant.parse("2026-11-25T10:00:00Z"),
                java.time.Instant.parse("2026-11-25T10:00:02Z"), List.of(new PlayResult("p", List.of(a, b), null)));
        String xml = JUnitReport.render(r);
        validate(xml);
        Document doc = dom(xml);
        org.w3c.dom.Element suite = (org.w3c.dom.Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("1.750", suite.getAttribute("time"));
        org.w3c.dom.NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals("1.500", ((org.w3c.dom.Element) cases.item(0)).getAttribute("time"));
        assertEquals("0.250", ((org.w3c.dom.Element) cases.item(1)).getAttribute("time"));
        assertTrue(JsonReport.render(r).contains("\"durationMs\" : 1500"), JsonReport.render(r));
    }
}
