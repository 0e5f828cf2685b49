package org.msglite.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where every command goes, and how to trust a bus served over https. */
final class TargetOptions {
    @Option(names = {"-a", "--address"}, paramLabel = "ADDRESS", defaultValue = "${env:MSGLITE_ADDRESS:-/tmp/msglite.socket}",
            description = "HOST:PORT or a socket path (the text protocol), or http(s)://[NAME:SECRET@]HOST:PORT "
                    + "(the bus); default: $MSGLITE_ADDRESS or /tmp/msglite.socket.")
    String address;

    @Option(names = "--cacert", paramLabel = "FILE.pem",
            description = "Trust the certificates in this PEM file for https, such as a self-signed bus certificate.")
    Path cacert;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    Target target() {
        return Target.parse(address);
    }

    BusClient bus(Target target) {
        return new BusClient(target.bus(), cacert);
    }
}
