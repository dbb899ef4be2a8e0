package io.sysfleet.vault;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

/** A vaulted value or file that cannot be decrypted, or a vault password that cannot be read (exit code 9). */
public final class VaultException extends SysfleetException {
    public VaultException(String message) {
        super(ExitCode.VAULT, Phase.VAULT, null, message, null);
    }

    public VaultException(String message, Throwable cause) {
        super(ExitCode.VAULT, Phase.VAULT, null, message, cause);
    }

    @Override
    public String oneLine() {
        return getMessage();
    }
}
