package io.sysfleet.vault;

import io.sysfleet.transport.Secret;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The vault passwords of a run, each with its vault id, in the order Ansible tries them:
 * {@code ANSIBLE_VAULT_IDENTITY_LIST}, then every {@code --vault-id [LABEL@]SOURCE}, then every
 * {@code --vault-password-file FILE} and {@code ANSIBLE_VAULT_PASSWORD_FILE} (id "default"). A source is a file
 * (its content, whitespace stripped), an executable script (its standard output; a script named
 * {@code *-client[.ext]} gets {@code --vault-id LABEL}), or {@code prompt}. Immutable.
 */
public final class VaultSecrets {
    /** The vault id of passwords given without a label, as in Ansible. */
    public static final String DEFAULT_ID = "default";
    private static final int MAX_PASSWORD_BYTES = 64 * 1024;

    /** One password and its vault id. */
    public record Entry(String id, Secret password) {
    }

    private final List<Entry> entries;

    private VaultSecrets(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No vault passwords: vaulted values stay encrypted; using one is an error. */
    public static VaultSecrets none() {
        return new VaultSecrets(List.of());
    }

    public static VaultSecrets of(List<Entry> entries) {
        return new VaultSecrets(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * Reads the passwords the options and environment name, in Ansible's order.
     *
     * @param vaultIds      {@code --vault-id} values: {@code [LABEL@]FILE}, {@code [LABEL@]prompt}
     * @param passwordFiles {@code --vault-password-file} values
     * @param env           the environment ({@code ANSIBLE_VAULT_IDENTITY_LIST}, {@code ANSIBLE_VAULT_PASSWORD_FILE})
     * @throws VaultException when a password cannot be read
     */
    public static VaultSecrets load(List<String> vaultIds, List<Path> passwordFiles, Map<String, String> env) {
        List<String> specs = new ArrayList<>();
        String identityList = env.get("ANSIBLE_VAULT_IDENTITY_LIST");
        if (identityList != null && !identityList.isBlank()) {
            for (String s : identityList.split(",")) {
                if (!s.isBlank()) {
                    specs.add(s.strip());
                }
            }
        }
        specs.addAll(vaultIds);
        List<String> files = new ArrayList<>();
        passwordFiles.forEach(p -> files.add(p.toString()));
        String envFile = env.get("ANSIBLE_VAULT_PASSWORD_FILE");
        if (envFile != null && !envFile.isBlank()) {
            files.add(envFile);
        }
        files.forEach(f -> specs.add(DEFAULT_ID + "@" + f));
        List<Entry> out = new ArrayList<>();
        for (String spec : specs) {
            int at = spec.indexOf('@');
            String label = at < 0 ? "" : spec.substring(0, at);
            String source = at < 0 ? spec : spec.substring(at + 1);
            String id = label.isEmpty() ? DEFAULT_ID : label;
            if (source.isEmpty()) {
                throw new VaultException("--vault-id '" + spec + "' names no password file");
            }
            out.add(new Entry(id, source.equals("prompt") || source.equals("prompt_ask_vault_pass")
                    ? prompt(id) : read(Path.of(source), id)));
        }
        return new VaultSecrets(out);
    }

    /**
     * Decrypts vault text, trying the password whose id the envelope names first, then every other one in
     * order (Ansible's default: the id is a hint, any password may fit).
     *
     * @param where names the value or file in messages ({@code file:line:col})
     * @throws VaultException when there is no password, none fits, or the data is malformed
     */
    public byte[] decrypt(String vaultText, String where) {
        VaultEnvelope env;
        try {
            env = VaultEnvelope.parse(vaultText);
        } catch (IllegalArgumentException e) {
            throw new VaultException(where + ": malformed vault data: " + e.getMessage());
        }
        String wanted = env.vaultId() == null ? DEFAULT_ID : env.vaultId();
        if (entries.isEmpty()) {
            throw new VaultException(where + ": vault-encrypted" + (env.vaultId() == null ? "" : " (vault id '"
                    + env.vaultId() + "')") + ", but no vault password was given: use --vault-password-file FILE,"
                    + " --vault-id [LABEL@]FILE or ANSIBLE_VAULT_PASSWORD_FILE");
        }
        List<Entry> order = new ArrayList<>();
        entries.stream().filter(e -> e.id().equals(wanted)).forEach(order::add);
        entries.stream().filter(e -> !e.id().equals(wanted)).forEach(order::add);
        for (Entry e : order) {
            byte[] pw = e.password().reveal().getBytes(StandardCharsets.UTF_8);
            try {
                byte[] plain = VaultCipher.decrypt(env, pw);
                if (plain != null) {
                    return plain;
                }
            } catch (IllegalArgumentException bad) {
                throw new VaultException(where + ": " + bad.getMessage());
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
        }
        throw new VaultException(where + ": wrong vault password: none of the " + entries.size()
                + " vault password(s) given decrypts it" + (env.vaultId() == null ? "" : " (vault id '"
                + env.vaultId() + "')"));
    }

    /** Decrypts vault text that must be UTF-8 text (a value or a YAML/INI file). */
    public String decryptText(String vaultText, String where) {
        byte[] plain = decrypt(vaultText, where);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new VaultException(where + ": the decrypted vault data is not UTF-8 text");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static Secret read(Path file, String id) {
        String source = "vault password file " + file;
        if (!Files.isRegularFile(file)) {
            throw new VaultException("the vault password file " + file + " was not found");
        }
        byte[] bytes;
        if (anyExecuteBit(file)) {
            bytes = runScript(file, id);
            bytes = strip(bytes, "\r\n");
        } else {
            try {
                bytes = io.sysfleet.config.InputFiles.read(file, MAX_PASSWORD_BYTES);
            } catch (io.sysfleet.core.ConfigException e) {
                // a FIFO, a device, a link to /dev/zero or a file too large: one line, the vault's exit code
                throw new VaultException("the vault password file " + e.oneLine());
            }
            bytes = strip(strip(bytes, " \t\n\r\u000b\f"), "\r\n");
        }
        if (bytes.length == 0) {
            throw new VaultException("the vault password from " + file + " is empty");
        }
        try {
            return Secret.of(source, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw new VaultException("the vault password from " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Ansible's executable test: any of the three execute bits (a non-POSIX file system: not executable). */
    private static boolean anyExecuteBit(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.OWNER_EXECUTE) || p.contains(PosixFilePermission.GROUP_EXECUTE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Runs a password script: its standard output is the password; a "-client" script is told the vault id. */
    private static byte[] runScript(Path file, String id) {
        List<String> cmd = new ArrayList<>(List.of(file.toString()));
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        if (stem.endsWith("-client")) {
            cmd.addAll(List.of("--vault-id", id));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new VaultException("cannot run the vault password script " + file + ": " + e.getMessage()
                    + " (if it is not a script, remove its execute bit)");
        }
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readNBytes(MAX_PASSWORD_BYTES + 1);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new VaultException("the vault password script " + file + " did not finish in 5 minutes");
            }
            if (out.length > MAX_PASSWORD_BYTES) {
                throw new VaultException("the vault password script " + file + " printed more than "
                        + MAX_PASSWORD_BYTES + " bytes");
            }
            if (p.exitValue() == 2 && cmd.size() > 1) {
                throw new VaultException("the vault password client script " + file + " has no password for vault id '"
                        + id + "'");
            }
            if (p.exitValue() != 0) {
                throw new VaultException("the vault password script " + file + " exited " + p.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new VaultException("cannot read the output of the vault password script " + file + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while running the vault password script " + file);
        }
    }

    private static Secret prompt(String id) {
        Console console = System.console();
        if (console == null) {
            throw new VaultException("--vault-id " + id + "@prompt needs a terminal to ask for the vault password");
        }
        char[] pw = console.readPassword("Vault password (%s): ", id);
        if (pw == null || pw.length == 0) {
            throw new VaultException("no vault password was entered for vault id '" + id + "'");
        }
        try {
            return Secret.of("vault password prompt (" + id + ")", new String(pw));
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static byte[] strip(byte[] b, String chars) {
        int from = 0;
        int to = b.length;
        while (from < to && chars.indexOf(b[from]) >= 0) {
            from++;
        }
        while (to > from && chars.indexOf(b[to - 1]) >= 0) {
            to--;
        }
        return Arrays.copyOfRange(b, from, to);
    }
}
