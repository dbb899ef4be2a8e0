package io.sysfleet.cli;

import io.sysfleet.lab.Docker;
import io.sysfleet.lab.Lab;
import io.sysfleet.lab.LabProfile;
import io.sysfleet.lab.LabSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** {@code sysfleet lab up|down|status}: a local lab of real sshd hosts in Docker containers, on 127.0.0.1. */
@Command(name = "lab", description = "Start, stop and show a local lab of sshd test hosts (Docker, 127.0.0.1 ports only).",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class})
public final class LabCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing lab subcommand (up, down or status)");
    }

    /** What all lab subcommands share: the lab directory. */
    abstract static class LabBase extends BaseCommand {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The lab's directory: key pair, known_hosts, inventory.yml (default .sysfleet/lab).")
        Path dir = Lab.DEFAULT_DIR;

        Lab lab() {
            return new Lab(dir, new Docker(), out(), err(), projectRoot());
        }
    }

    @Command(name = "up", description = {
            "Start the lab's hosts (idempotent: running hosts are kept) and wait until each sshd answers.",
            "Without options: the hosts of inventory.example.yml on 127.0.0.1:2201-2206."})
    static final class Up extends LabBase {
        private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,127}(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?");

        @Option(names = "--hosts", paramLabel = "N", description = "Number of hosts (1-100), cycling through the profiles.")
        Integer hosts;

        @Option(names = "--profiles", split = ",", paramLabel = "PROFILE", converter = ProfileConverter.class,
                description = "Host profiles, comma-separated: ${COMPLETION-CANDIDATES}.")
        List<LabProfile> profiles;

        @Option(names = "--port-base", paramLabel = "PORT", description = "Port of the first host (default 2201).")
        Integer portBase;

        @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to wait for sshd (default 120).")
        int waitSeconds = 120;

        @Option(names = "--image", paramLabel = "IMAGE", description = "Host image (default sysfleet-host:latest).")
        String image = Lab.DEFAULT_IMAGE;

        @Override
        public Integer call() {
            LabSpec labSpec;
            try {
                labSpec = LabSpec.fromOptions(hosts, profiles == null ? null
                        : profiles.stream().map(LabProfile::id).toList(), portBase);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (waitSeconds < 1 || waitSeconds > 3600) {
                throw new ParameterException(spec.commandLine(), "--wait must be from 1 to 3600 seconds");
            }
            if (!IMAGE.matcher(image).matches()) {
                throw new ParameterException(spec.commandLine(), "--image is not an image name: '" + image + "'");
            }
            lab().up(labSpec, image, Duration.ofSeconds(waitSeconds));
            return 0;
        }
    }

    @Command(name = "down", description = "Remove the lab's containers; keep its key pair, known_hosts and inventory.")
    static final class Down extends LabBase {
        @Override
        public Integer call() {
            lab().down();
            return 0;
        }
    }

    @Command(name = "status", description = {"One line per lab host: name, profile, port, running or stopped, reachable.",
            "Exit 0 when every host runs and answers, 3 otherwise (or when the lab has no hosts)."})
    static final class Status extends LabBase {
        @Override
        public Integer call() {
            return lab().status().code();
        }
    }

    /** {@code --profiles} words to profiles, with the lab's own message for an unknown one. */
    static final class ProfileConverter implements picocli.CommandLine.ITypeConverter<LabProfile> {
        @Override
        public LabProfile convert(String value) {
            try {
                return LabProfile.parse(value.strip());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The sysfleet source tree (has scripts/build-test-image.sh): above the jar or the current directory. */
    static Path projectRoot() {
        try {
            Path code = Path.of(LabCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path found = findUp(code.toAbsolutePath());
            if (found != null) {
                return found;
            }
        } catch (Exception e) {
            // no code source (unusual class loader): fall back to the current directory
        }
        return findUp(Path.of("").toAbsolutePath());
    }

    private static Path findUp(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/build-test-image.sh"))) {
                return p;
            }
        }
        return null;
    }
}
