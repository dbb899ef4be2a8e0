package io.sysfleet.transport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Become is one value; Ansible's rule decides it from host variables and play keywords. */
class BecomeTest {
    private static final Secret PW = Secret.of("$SYSFLEET_BECOME_PASSWORD", "pw");

    @Test
    void theHostsConnectionVariablesWinOverThePlay() {
        assertNull(Become.decide(null, null, null, null, PW), "nothing asks for become");
        assertNull(Become.decide(null, "admin", null, "ops", PW), "a user alone does not mean become");
        assertEquals(new Become("root", PW), Become.decide(null, null, true, null, PW));
        assertEquals(new Become("ops", PW), Become.decide(null, null, true, "ops", PW));
        assertNull(Become.decide(false, null, true, "ops", PW), "ansible_become: false wins over become: true");
        assertEquals(new Become("admin", PW), Become.decide(true, "admin", false, "ops", PW));
        assertEquals(new Become("ops", null), Become.decide(true, null, null, "ops", null));
    }

    @Test
    void thePasswordComesFromTheEnvironmentOnly() {
        assertEquals("hunter2", Become.password(Map.of(Become.PASSWORD_ENV, "hunter2")).reveal());
        assertEquals("$SYSFLEET_BECOME_PASSWORD", Become.password(Map.of(Become.PASSWORD_ENV, "x")).source());
        assertNull(Become.password(Map.of()));
        assertNull(Become.password(Map.of(Become.PASSWORD_ENV, "")));
        assertEquals("Become[user=root, password=****($SYSFLEET_BECOME_PASSWORD)]", new Become("root", PW).toString());
        assertThrows(IllegalArgumentException.class, () -> new Become("root; id", null));
    }
}
