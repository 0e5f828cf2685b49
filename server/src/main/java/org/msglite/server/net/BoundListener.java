package org.msglite.server.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** A listener after binding: for TCP the address carries the port the OS chose. */
public record BoundListener(Network network, SocketAddress socketAddress) {

    /** {@code 127.0.0.1:9813} or the socket path, as the start-up line prints it. */
    public String address() {
        if (socketAddress instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return ((UnixDomainSocketAddress) socketAddress).getPath().toString();
    }

    @Override
    public String toString() {
        return network.flagValue() + ":" + address();
    }
}
