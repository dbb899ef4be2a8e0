package io.sysfleet.config;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one way sysfleet reads a user's input file (inventory, playbook, variables, vault and thresholds files):
 * only regular files (a link to {@code /dev/zero}, a FIFO or a device is refused before it is opened, so it can
 * neither block nor stream forever), never more than a byte limit (counted while reading, not trusted from the
 * file's size), and text must be UTF-8. Every refusal is a one-line {@link ConfigException} naming the file.
 */
public final class InputFiles {
    /** The default limit for one input file: 8 MiB. */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    private InputFiles() {
    }

    /** The bytes of {@code file}, at most {@code maxBytes}. */
    public static byte[] read(Path file, long maxBytes) {
        SourceLocation where = SourceLocation.file(file);
        if (Files.isDirectory(file)) {
            throw new ConfigException(where, "is a directory, expected a file");
        }
        if (!Files.exists(file)) {
            throw new ConfigException(where, Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? "is a dangling symbolic link" : "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where, "is not a regular file (a device, FIFO or socket); sysfleet reads "
                    + "only regular files");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new ConfigException(where, "file is larger than the " + maxBytes + " bytes sysfleet accepts");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ConfigException(where, "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(where, "cannot read: permission denied");
        } catch (IOException e) {
            throw new ConfigException(where, "cannot read: " + e.getMessage());
        }
    }

    /** The text of {@code file} (UTF-8, at most {@code maxBytes} bytes). */
    public static String readText(Path file, long maxBytes) {
        byte[] bytes = read(file, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(SourceLocation.file(file), "not valid UTF-8 text");
        }
    }

    /** {@link #readText(Path, long)} with {@link #MAX_BYTES}. */
    public static String readText(Path file) {
        return readText(file, MAX_BYTES);
    }
}
