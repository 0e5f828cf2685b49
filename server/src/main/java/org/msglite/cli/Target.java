package org.msglite.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.msglite.client.MsgliteClient;

/**
 * Where a command goes: the daemon's text protocol on {@code HOST:PORT} or a Unix socket path
 * (anything with a '/'), or the message bus at {@code http(s)://[user:secret@]HOST:PORT}.
 */
record Target(String spec, SocketAddress socket, URI bus) {

    static Target parse(String spec) {
        if (spec.startsWith("http://") || spec.startsWith("https://")) {
            try {
                URI uri = new URI(spec);
                if (uri.getHost() == null) {
                    throw CliFailure.usage("the bus URL needs a host: " + spec);
                }
                return new Target(spec, null, uri);
            } catch (URISyntaxException e) {
                throw CliFailure.usage("not a URL: " + spec + " (" + e.getReason() + ")");
            }
        }
        if (spec.contains("://")) {
            throw CliFailure.usage("the address must be HOST:PORT, a socket path or an http(s):// bus URL, not " + spec);
        }
        if (spec.indexOf('/') >= 0) {
            return new Target(spec, UnixDomainSocketAddress.of(Path.of(spec)), null);
        }
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            throw CliFailure.usage("the address must be HOST:PORT, a socket path or an http(s):// bus URL, not '" + spec
                    + "' (a socket path has a '/': ./" + spec + ")");
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw CliFailure.usage("bad port in '" + spec + "'");
        }
        return new Target(spec, InetSocketAddress.createUnresolved(host, port), null);
    }

    boolean isBus() {
        return bus != null;
    }

    /** Work done over one text-protocol connection. */
    interface Session {
        void run(MsgliteClient client) throws IOException;
    }

    /** Runs the work on a fresh connection and then says QUIT; a failure skips the QUIT but still closes. */
    void session(Session work) throws IOException {
        try (MsgliteClient client = connect()) {
            work.run(client);
            client.quit();
        }
    }

    /** A text-protocol connection; a refused or missing daemon is an error that names the address. */
    private MsgliteClient connect() {
        SocketAddress address = socket;
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            address = new InetSocketAddress(inet.getHostString(), inet.getPort());
            if (((InetSocketAddress) address).isUnresolved()) {
                throw CliFailure.error("cannot resolve host " + inet.getHostString());
            }
        }
        try {
            return MsgliteClient.connect(address);
        } catch (IOException e) {
            throw CliFailure.error("cannot connect to " + spec + ": " + e.getMessage());
        }
    }
}
