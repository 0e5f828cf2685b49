package org.msglite.server.net;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How Unix socket files are made. The original made its socket world-writable (0777), letting
 * any local user talk to the daemon; the default here is owner and group only.
 */
public record UnixSocketOptions(Set<PosixFilePermission> fileMode) {
    public static final String DEFAULT_MODE = "0660";

    public static UnixSocketOptions defaults() {
        return new UnixSocketOptions(parseMode(DEFAULT_MODE));
    }

    /** Parses an octal mode such as {@code 0660} (only the permission bits are allowed). */
    public static Set<PosixFilePermission> parseMode(String octal) {
        int mode;
        try {
            mode = Integer.parseInt(octal, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("socket mode must be octal, like 0660, not '" + octal + "'");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("socket mode must be between 0000 and 0777, not '" + octal + "'");
        }
        StringBuilder rwx = new StringBuilder(9);
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            rwx.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }
}
