package io.sysfleet.facts;

import java.nio.charset.StandardCharsets;

/**
 * The sysctl file on a host. {@code content} and {@code sha256} are null unless the file exists and was
 * readable; {@code mode} (octal text like "644"), {@code owner} and {@code group} are null when it is missing.
 * {@code problem} says why the file is no sysctl file sysfleet will edit (not a regular file, larger than
 * {@link FactsProbe#MAX_FILE_BYTES}, NUL bytes), or is null.
 */
public record FileFact(String path, boolean exists, boolean readable, String mode, String owner, String group,
        String sha256, byte[] content, String problem) {

    public FileFact(String path, boolean exists, boolean readable, String mode, String owner, String group,
                    String sha256, byte[] content) {
        this(path, exists, readable, mode, owner, group, sha256, content, notText(content));
    }

    /** "contains NUL bytes ..." for binary content, else null. */
    private static String notText(byte[] content) {
        if (content != null) {
            for (byte b : content) {
                if (b == 0) {
                    return "contains NUL bytes: it is not a sysctl file (nothing of it is shown or changed)";
                }
            }
        }
        return null;
    }

    /** A file that does not exist. */
    public static FileFact missing(String path) {
        return new FileFact(path, false, false, null, null, null, null, null);
    }

    /** The content as UTF-8 text (malformed bytes become U+FFFD); null if unknown. */
    public String text() {
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "FileFact[" + path + (exists ? " mode=" + mode + " " + owner + ":" + group
                + (readable ? " " + content.length + " bytes sha256=" + sha256 : " unreadable") : " missing") + "]";
    }
}
