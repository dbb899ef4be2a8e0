package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlFileTest {

    private static SysctlLine line(String raw) {
        return SysctlFile.parse(raw).lines().get(0);
    }

    @Test
    void keepsEveryByteAndLineEnding() {
        String text = "a.b = 1\r\n# c\n\n  x.y=2\r\nno equals\nlast.one = 3";
        SysctlFile f = SysctlFile.parse(text);
        assertEquals(text, f.text());
        assertEquals(6, f.lines().size());
        assertEquals(List.of("\r\n", "\n", "\n", "\r\n", "\n", ""), f.lines().stream().map(SysctlLine::ending).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), f.lines().stream().map(SysctlLine::number).toList());
    }

    @Test
    void emptyTextHasNoLines() {
        assertEquals(List.of(), SysctlFile.parse("").lines());
        assertEquals(Map.of(), SysctlFile.parse("").effectiveValues());
    }

    @Test
    void classifiesLinesLikeProcps() {
        assertEquals(SysctlLine.Kind.BLANK, line(" \t\r\n").kind());
        assertEquals(SysctlLine.Kind.COMMENT, line("# a = 1\n").kind());
        assertEquals(SysctlLine.Kind.COMMENT, line("  ; a = 1\n").kind());
        assertEquals(SysctlLine.Kind.SETTING, line("a.b=1\n").kind());
        assertEquals(SysctlLine.Kind.EXCLUDE, line("-net.ipv4.conf.*.rp_filter\n").kind());
        assertEquals(SysctlLine.Kind.INVALID, line("net.ipv4.x 1\n").kind());
        assertEquals(SysctlLine.Kind.INVALID, line(" = 1\n").kind());
        assertEquals(SysctlLine.Kind.INVALID, line("net ipv4 = 1\n").kind());
        assertEquals(SysctlLine.Kind.INVALID, line("- net.ipv4.x = 1\n").kind());
    }

    @Test
    void settingPartsRebuildTheLine() {
        SysctlLine l = line("\t-net/ipv4/tcp_fin_timeout  =\t 30 # not a comment \t\r\n");
        assertEquals("net.ipv4.tcp_fin_timeout", l.key());
        assertTrue(l.ignoreFailure());
        assertEquals("30 # not a comment", l.value());
        assertEquals("\t-net/ipv4/tcp_fin_timeout  =\t ", l.prefix());
        assertEquals(" \t", l.suffix());
        assertEquals(l.raw(), l.prefix() + l.value() + l.suffix() + l.ending());
    }

    @Test
    void valueIsEverythingAfterTheFirstEquals() {
        SysctlLine l = line("a.b = x=y\n");
        assertEquals("a.b", l.key());
        assertEquals("x=y", l.value());
        assertEquals("", line("a.b =   \n").value());
    }

    @Test
    void effectiveValuesLastWinsAcrossSpellings() {
        SysctlFile f = SysctlFile.parse("net.ipv4.x = 1\nnet/ipv4/x = 2\n# net.ipv4.x = 3\n-net.ipv4.y=4\nbad\n");
        assertEquals(Map.of("net.ipv4.x", "2", "net.ipv4.y", "4"), f.effectiveValues());
        assertEquals(List.of(5), f.invalidLines().stream().map(SysctlLine::number).toList());
    }

    @Test
    void dominantEnding() {
        assertEquals("\r\n", SysctlFile.parse("a.b=1\r\nc.d=2\r\ne.f=3\n").dominantEnding());
        assertEquals("\n", SysctlFile.parse("a.b=1\r\nc.d=2\n").dominantEnding());
        assertEquals("\n", SysctlFile.parse("").dominantEnding());
    }

    @Test
    void valuesCompareWhitespaceNormalised() {
        assertEquals(SysctlValue.normalise("1024  65000"), SysctlValue.normalise("1024\t65000"));
        assertEquals("1 2 3", SysctlValue.normalise(" \t1 \u000b2\f3  "));
        assertFalse(SysctlValue.normalise("1 2").equals(SysctlValue.normalise("12")));
    }
}
