package io.sysfleet.journal;

/**
 * A kernel module a run loaded or unloaded on a host (modprobe tasks), journaled twice: with status
 * {@code intent} before {@code modprobe} runs, and with its result after. A rollback reverses the loads and
 * unloads whose result is {@code applied}, or that have no result (the controller died during the change).
 *
 * @param host       inventory name
 * @param module     the module name
 * @param action     {@code load} or {@code unload}
 * @param params     the parameters it was loaded with ("" for none; for an unload, none)
 * @param status     {@code intent}, then {@code applied} or {@code failed}
 * @param become     whether the run used sudo on this host, and as whom
 * @param becomeUser the sudo target user, or null
 * @param message    modprobe's words when it failed, else null
 * @param time       ISO-8601 instant
 */
public record ModuleChange(String host, String module, String action, String params, String status, boolean become,
                           String becomeUser, String message, String time) {
}
