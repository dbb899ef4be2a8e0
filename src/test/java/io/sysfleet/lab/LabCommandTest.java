package io.sysfleet.lab;

import io.sysfleet.testing.Cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Argument validation of {@code sysfleet lab}: bad options end with exit 5 and a one-line message before Docker
 * is ever called (these tests need no Docker engine).
 */
class LabCommandTest {

    private static String[] run(String... args) {
        Cli.Result r = Cli.run(args);
        return new String[] {Integer.toString(r.exit()), r.out(), r.err()};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "lab up --profiles ubuntu|Invalid value for option '--profiles' (PROFILE): unknown lab profile 'ubuntu' (known: "
                    + "debian12, centos7, centos6, centos5)",
            "lab up --hosts 0|--hosts must be from 1 to 100, got 0",
            "lab up --hosts 500|--hosts must be from 1 to 100, got 500",
            "lab up --hosts two|Invalid value for option '--hosts'",
            "lab up --port-base 22|--port-base must leave ports from 1024 to 65535",
            "lab up --wait 0|--wait must be from 1 to 3600 seconds",
            "lab up --image sysfleet-host;reboot|--image is not an image name",
            "lab up --image -v|--image is not an image name",
            "lab|missing lab subcommand (up, down or status)",
            "lab sideways|Unmatched argument at index 1: 'sideways'"})
    void badArgumentsAreUsageErrors(String args, String message) {
        String[] r = run(args.split(" "));
        assertEquals("5", r[0], r[2]);
        assertTrue(r[2].startsWith("sysfleet: " + message), r[2]);
        assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
    }

    @Test
    void helpListsTheSubcommands() {
        String[] r = run("lab", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("up") && r[1].contains("down") && r[1].contains("status"), r[1]);
    }
}
