package io.sysfleet.vault;

import io.sysfleet.inventory.ConnectionVars;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.testing.AnsibleInventory;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vault data made by the real {@code ansible-vault} (encrypt_string and encrypt, formats 1.1 and 1.2 with vault
 * ids, fresh random salts at every run) read by sysfleet: inline {@code !vault} values print exactly as
 * ansible-inventory prints them, with or without the password; encrypted variable files and inventories are
 * decrypted, their values printed masked where ansible-inventory prints the plaintext (the expected output is
 * ansible-inventory's own on a copy where each encrypted file is replaced by the masks); the plaintexts are the
 * ones encrypted; wrong and missing passwords are one line and exit code 9.
 */
class VaultOracleTest {
    @TempDir
    static Path tmp;

    private static AnsibleInventory ansible;
    private static Path inv;
    private static Path pwDefault;
    private static Path pwProd;
    private static Path pwWrong;
    /** Plaintexts that cover: empty-ish, multi-byte UTF-8, exactly 16 bytes (a full padding block), long. */
    private static final List<String> SECRETS = List.of("s3cr3t", "pässwörd ☃", "0123456789abcdef",
            "x".repeat(300) + "\nsecond line");

    @BeforeAll
    static void makeVaults() throws Exception {
        ansible = new AnsibleInventory(tmp.resolve("ansible"));
        pwDefault = write(tmp.resolve("pw-default"), "correct horse battery staple\n");
        pwProd = write(tmp.resolve("pw-prod"), "  prod-password  \n\n");
        pwWrong = write(tmp.resolve("pw-wrong"), "not the password\n");
        inv = tmp.resolve("inv");
        Files.createDirectories(inv.resolve("group_vars/all"));
        Files.createDirectories(inv.resolve("group_vars/db"));
        Files.createDirectories(inv.resolve("host_vars"));
        // inline values: 1.1 (no id) and 1.2 (vault id prod)
        List<String> args = new ArrayList<>(List.of("ansible-vault", "encrypt_string", "--vault-password-file",
                pwDefault.toString()));
        for (int i = 0; i < SECRETS.size(); i++) {
            args.addAll(List.of("--name", "secret" + i));
        }
        args.addAll(SECRETS);
        String inline = ansible.run(args.toArray(String[]::new));
        String inlineProd = ansible.run("ansible-vault", "encrypt_string", "--vault-id", "prod@" + pwProd,
                "--name", "ansible_become_password", "prod become pw");
        write(inv.resolve("hosts.yml"), "all:\n  children:\n    db:\n      hosts:\n        db1:\n        db2:\n"
                + "          ansible_user: admin\n    web:\n      hosts:\n        web1:\n      vars:\n"
                + indent(inline, 8) + "\n");
        write(inv.resolve("host_vars/db1.yml"), inlineProd + "\nplain_for_db1: yes\n");
        // whole files: group_vars/all/vault.yml (1.1), group_vars/db/vault.yml (1.2, id prod)
        write(inv.resolve("group_vars/all/main.yml"), "ntp: pool.ntp.org\nvault_only: overridden below\n");
        write(inv.resolve("group_vars/all/vault.yml"), "vault_only: from the vault\nvault_port: 5432\n"
                + "vault_users: [alice, bob]\n");
        write(inv.resolve("group_vars/db/vault.yml"), "db_password: hunter2\nansible_user: dbadmin\n");
        ansible.run("ansible-vault", "encrypt", "--vault-password-file", pwDefault.toString(),
                inv.resolve("group_vars/all/vault.yml").toString());
        ansible.run("ansible-vault", "encrypt", "--vault-id", "prod@" + pwProd,
                inv.resolve("group_vars/db/vault.yml").toString());
        assertTrue(Files.readString(inv.resolve("group_vars/db/vault.yml")).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod"));
    }

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static String indent(String yaml, int n) {
        return yaml.strip().lines().map(l -> " ".repeat(n) + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static List<String> passwords() {
        return List.of("--vault-id", "prod@" + pwProd, "--vault-password-file", pwDefault.toString());
    }

    @Test
    void inlineValuesPrintAsAnsiblePrintsThemWithoutAPassword() throws Exception {
        // Without passwords Ansible can read only the inventory file itself: the vars files are encrypted.
        Path only = tmp.resolve("inline-only/hosts.yml");
        write(only, Files.readString(inv.resolve("hosts.yml")));
        String theirs = ansible.inventory(List.of(only), "--list");
        Cli.Result ours = Cli.run("inventory", "-i", only.toString(), "--list");
        assertEquals(0, ours.exit(), ours.err());
        AnsibleInventory.assertSameText(theirs, ours.out(), "--list without a vault password");
        assertTrue(ours.out().contains("\"__ansible_vault\": \"$ANSIBLE_VAULT;1.1;AES256\\n"), ours.out());
        for (String s : SECRETS) {
            assertFalse(ours.out().contains(s.substring(0, 6)), "plaintext in the output");
        }
    }

    @Test
    void graphNeedsNoPassword() throws Exception {
        assertEquals(ansible.inventory(List.of(inv), "--graph").strip(),
                Cli.run("inventory", "-i", inv.toString(), "--graph").out().strip());
    }

    @Test
    void encryptedFilesAreDecryptedAndTheirValuesMasked() throws Exception {
        // Expected: ansible-inventory on a copy where each encrypted file holds the masks sysfleet prints.
        Path masked = tmp.resolve("masked");
        copyTree(inv, masked);
        write(masked.resolve("group_vars/all/vault.yml"), mask(inv.resolve("group_vars/all/vault.yml"),
                "vault_only", "vault_port", "vault_users"));
        write(masked.resolve("group_vars/db/vault.yml"), mask(inv.resolve("group_vars/db/vault.yml"),
                "db_password", "ansible_user"));
        List<String> withPw = new ArrayList<>(List.of("ansible-inventory", "-i", masked.toString(), "--list"));
        String expected = ansible.run(withPw.toArray(String[]::new));
        List<String> args = new ArrayList<>(List.of("inventory", "-i", inv.toString(), "--list"));
        args.addAll(passwords());
        Cli.Result ours = Cli.run(args);
        assertEquals(0, ours.exit(), ours.err());
        AnsibleInventory.assertSameText(expected, ours.out(), "--list with encrypted group_vars");
        assertFalse(ours.out().contains("hunter2") || ours.out().contains("from the vault"), ours.out());
        // and the real ansible-inventory, given the passwords, sees the same hosts and plaintexts we decrypt
        List<String> real = new ArrayList<>(List.of("ansible-inventory", "-i", inv.toString(), "--host", "db2"));
        real.addAll(passwords());
        String theirs = ansible.run(real.toArray(String[]::new));
        assertTrue(theirs.contains("\"db_password\": \"hunter2\""), theirs);
        Inventory loaded = InventoryLoader.load(List.of(inv.toString()), InventoryLoader.Options.defaults()
                .withVault(VaultSecrets.load(List.of("prod@" + pwProd), List.of(pwDefault), Map.of())));
        Host db2 = loaded.host("db2");
        assertEquals("hunter2", ((Vaulted) db2.vars().get("db_password")).reveal());
        assertEquals(5432, ((Vaulted) db2.vars().get("vault_port")).reveal());
        assertEquals(List.of("alice", "bob"), ((Vaulted) db2.vars().get("vault_users")).reveal());
        assertEquals("pool.ntp.org", db2.vars().get("ntp"));
    }

    private static String mask(Path file, String... keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(k).append(": \"****(vault ").append(file.toAbsolutePath()).append(")\"\n");
        }
        return sb.toString();
    }

    @Test
    void inlinePlaintextsAreTheOnesEncrypted() throws Exception {
        Inventory loaded = InventoryLoader.load(List.of(inv.toString()), InventoryLoader.Options.defaults()
                .withVault(VaultSecrets.load(List.of("prod@" + pwProd), List.of(pwDefault), Map.of())));
        Host web1 = loaded.host("web1");
        for (int i = 0; i < SECRETS.size(); i++) {
            Vaulted v = assertInstanceOf(Vaulted.class, web1.vars().get("secret" + i));
            assertTrue(v.isInline());
            assertEquals(SECRETS.get(i), v.reveal(), "secret" + i);
            assertFalse(v.toString().contains(SECRETS.get(i)));
        }
        Host db1 = loaded.host("db1");
        assertEquals("prod become pw", db1.becomePassword().reveal());
        assertFalse(db1.becomePassword().toString().contains("prod become pw"));
        // a vaulted connection variable is checked once decrypted, before a run uses it
        Host db2 = ConnectionVars.resolve(loaded.host("db2"), null);
        assertEquals("admin", db2.user(), "the host's inline ansible_user beats group_vars/db");
        assertEquals(null, db2.unmanageable());
    }

    @Test
    void wrongOrMissingPasswordIsOneLineAndExit8() throws Exception {
        Cli.Result none = Cli.run("inventory", "-i", inv.toString(), "--list");
        assertEquals(9, none.exit());
        assertEquals("sysfleet: " + inv.toAbsolutePath().resolve("group_vars/all/vault.yml") + ": vault-encrypted,"
                + " but no vault password was given: use --vault-password-file FILE, --vault-id [LABEL@]FILE or"
                + " ANSIBLE_VAULT_PASSWORD_FILE\n", none.err());
        Cli.Result wrong = Cli.run("inventory", "-i", inv.toString(), "--host", "db1", "--vault-password-file",
                pwWrong.toString());
        assertEquals(9, wrong.exit());
        assertEquals("sysfleet: " + inv.toAbsolutePath().resolve("group_vars/all/vault.yml") + ": wrong vault"
                + " password: none of the 1 vault password(s) given decrypts it\n", wrong.err());
        assertEquals("", wrong.out());
        // the right default password but not the prod one: the prod-encrypted file names its vault id
        Cli.Result half = Cli.run("inventory", "-i", inv.toString(), "--list", "--vault-password-file",
                pwDefault.toString());
        assertEquals(9, half.exit());
        assertTrue(half.err().endsWith("group_vars/db/vault.yml: wrong vault password: none of the 1 vault"
                + " password(s) given decrypts it (vault id 'prod')\n"), half.err());
        // Ansible refuses too
        AnsibleInventory.Result theirs = ansible.result(Map.of(), "ansible-inventory", "-i", inv.toString(),
                "--list", "--vault-password-file", pwWrong.toString());
        assertTrue(theirs.exit() != 0 && theirs.err().contains("Decryption failed"), theirs.err());
    }

    @Test
    void aVaultIdLabelIsAHintAnyPasswordMayFit() throws Exception {
        // Ansible tries every password: the prod file decrypts with its password given under another label.
        Cli.Result r = Cli.run("inventory", "-i", inv.toString(), "--host", "db2", "--vault-id",
                "other@" + pwProd, "--vault-id", pwDefault.toString());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void passwordScriptsClientScriptsAndTheEnvironment() throws Exception {
        Path script = write(tmp.resolve("pw.sh"), "#!/bin/sh\nprintf '%s\\r\\n' 'correct horse battery staple'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path client = write(tmp.resolve("vault-keyring-client.sh"), "#!/bin/sh\n[ \"$1\" = --vault-id ] || exit 3\n"
                + "case \"$2\" in prod) echo ' prod-password ';; *) exit 2;; esac\n");
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        VaultSecrets s = VaultSecrets.load(List.of("prod@" + client), List.of(),
                Map.of("ANSIBLE_VAULT_PASSWORD_FILE", script.toString()));
        assertEquals(List.of("prod", "default"), s.entries().stream().map(VaultSecrets.Entry::id).toList());
        assertEquals(" prod-password ", s.entries().get(0).password().reveal(), "a script's output keeps its spaces");
        assertEquals("correct horse battery staple", s.entries().get(1).password().reveal());
        Inventory loaded = InventoryLoader.load(List.of(inv.toString()), InventoryLoader.Options.defaults().withVault(
                VaultSecrets.load(List.of("prod@" + pwProd), List.of(), Map.of("ANSIBLE_VAULT_PASSWORD_FILE",
                        script.toString()))));
        assertEquals("from the vault", ((Vaulted) loaded.host("web1").vars().get("vault_only")).reveal());
        VaultException unknown = assertThrows(VaultException.class,
                () -> VaultSecrets.load(List.of("dev@" + client), List.of(), Map.of()));
        assertEquals("the vault password client script " + client + " has no password for vault id 'dev'",
                unknown.getMessage());
        VaultException missing = assertThrows(VaultException.class,
                () -> VaultSecrets.load(List.of(), List.of(tmp.resolve("nope")), Map.of()));
        assertEquals("the vault password file " + tmp.resolve("nope") + " was not found", missing.getMessage());
    }

    @Test
    void encryptedInventoryFilesYamlAndIni() throws Exception {
        Path dir = tmp.resolve("encrypted-inventories");
        Path yaml = write(dir.resolve("a.yml"), "web:\n  hosts:\n    w1:\n      token: abc\n");
        Path ini = write(dir.resolve("b"), "[db]\nd1 port=5432\n[db:vars]\nrole=primary\n");
        ansible.run("ansible-vault", "encrypt", "--vault-password-file", pwDefault.toString(), yaml.toString(),
                ini.toString());
        Path maskedDir = tmp.resolve("encrypted-inventories-masked");
        write(maskedDir.resolve("a.yml"), "web:\n  hosts:\n    w1:\n      token: \"****(vault " + yaml + ")\"\n");
        write(maskedDir.resolve("b"), "[db]\nd1 port=\"****(vault " + ini + ")\"\n[db:vars]\nrole=****(vault " + ini
                + ")\n");
        String expected = ansible.inventory(List.of(maskedDir.resolve("a.yml"), maskedDir.resolve("b")), "--list");
        Cli.Result ours = Cli.run("inventory", "-i", yaml.toString(), "-i", ini.toString(), "--list",
                "--vault-password-file", pwDefault.toString());
        assertEquals(0, ours.exit(), ours.err());
        AnsibleInventory.assertSameText(expected, ours.out(), "--list of encrypted YAML and INI inventories");
        String real = ansible.run("ansible-inventory", "-i", yaml.toString(), "-i", ini.toString(), "--host", "d1",
                "--vault-password-file", pwDefault.toString());
        assertTrue(real.contains("\"port\": 5432"), real);
        Inventory loaded = InventoryLoader.load(List.of(yaml.toString(), ini.toString()), InventoryLoader.Options
                .defaults().withVault(VaultSecrets.load(List.of(), List.of(pwDefault), Map.of())));
        assertEquals(5432, ((Vaulted) loaded.host("d1").vars().get("port")).reveal());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
