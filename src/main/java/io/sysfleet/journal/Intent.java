package io.sysfleet.journal;

import java.util.Map;

/**
 * Written (and fsynced) before a host's file or live values are changed: everything a rollback needs to put
 * the host back, even if the controller dies during the change.
 *
 * @param host         inventory name
 * @param file         the sysctl file on the host
 * @param existed      whether the file existed before
 * @param mode         its octal mode before ("0644"), owner and group (restored with the bytes)
 * @param owner        owner name
 * @param group        group name
 * @param shaBefore    sha256 of the file before ("absent" when it did not exist)
 * @param shaAfter     sha256 of the text about to be written (equal to shaBefore when only live values change)
 * @param remoteBackup the backup beside the file on the host (null when there was no file)
 * @param localCopy    the original bytes on the controller, relative to the run's directory (null: no file)
 * @param become       whether the run used sudo on this host, and as whom
 * @param becomeUser   the sudo target user, or null
 * @param live         live values before the change of every key the change can touch: /proc/sys path to
 *                     value, null for a key the kernel did not have
 * @param time         ISO-8601 instant
 */
public record Intent(String host, String file, boolean existed, String mode, String owner, String group,
                     String shaBefore, String shaAfter, String remoteBackup, String localCopy, boolean become,
                     String becomeUser, Map<String, String> live, String time) {
}
