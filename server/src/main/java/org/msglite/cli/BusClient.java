package org.msglite.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The bus's REST and SSE API over {@link HttpClient}: publish ({@code POST /TOPIC}), pull the
 * next queued message ({@code GET /TOPIC}, 404 when empty) and subscribe ({@code GET /TOPIC}
 * with {@code Accept: text/event-stream}). The user info of the URL becomes Basic auth.
 */
final class BusClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final HttpClient http;
    private final String authorization;

    BusClient(URI url, Path cacert) {
        this.url = url;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (cacert != null) {
            builder.sslContext(trusting(cacert));
        }
        this.http = builder.build();
        String user = url.getRawUserInfo();
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                URLDecoder.decode(user.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    void publish(String topic, byte[] body, String contentType) {
        HttpRequest request = request(topic).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw refused(response.statusCode(), response.body());
        }
    }

    /** The next queued message on {@code topic}, or empty when there is none. */
    Optional<BusMessage> pull(String topic) {
        HttpRequest request = request(topic).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw refused(response.statusCode(), response.body());
        }
        return Optional.of(BusMessage.parse(response.body()));
    }

    /**
     * Streams the messages published on {@code topic} from now on to {@code each} until it
     * returns false; the stream ending first is an error.
     */
    void subscribe(String topic, Predicate<BusMessage> each) {
        HttpRequest request = request(topic).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw refused(response.statusCode(), new String(body.readNBytes(500), StandardCharsets.UTF_8));
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0 && !each.test(BusMessage.parse(data.toString()))) {
                        return;
                    }
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                }
                // "id:", "event:" and ": keep-alive" comments need no action here
            }
        } catch (IOException e) {
            throw CliFailure.error("the subscription to " + topic + " at " + url + " failed: " + e.getMessage());
        }
        throw CliFailure.error("the bus at " + url + " ended the subscription to " + topic);
    }

    private HttpRequest.Builder request(String topic) {
        if (topic.isEmpty() || topic.indexOf('/') >= 0) {
            throw CliFailure.usage("a bus topic is one path segment, not '" + topic + "'");
        }
        String prefix = url.getPath() == null || url.getPath().equals("/") ? "" : url.getPath().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(url.getScheme(), null, url.getHost(), url.getPort(), prefix + "/" + topic, null, null);
        } catch (URISyntaxException e) {
            throw CliFailure.usage("cannot make a URL for topic " + topic + ": " + e.getReason());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw CliFailure.error("cannot connect to " + url + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
        } catch (SSLHandshakeException e) {
            throw CliFailure.error("TLS handshake with " + url + " failed: " + e.getMessage()
                    + " (--cacert FILE.pem trusts a self-signed certificate)");
        } catch (HttpTimeoutException e) {
            throw CliFailure.error("the bus at " + url + " did not answer in time");
        } catch (IOException e) {
            throw CliFailure.error("talking to " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.error("interrupted");
        }
    }

    private CliFailure refused(int status, String body) {
        if (status == 401) {
            return CliFailure.error("the bus at " + url.getHost() + ":" + url.getPort()
                    + " wants the secret (401): put it in the URL, http(s)://NAME:SECRET@HOST:PORT");
        }
        String text = body == null ? "" : body.strip();
        return CliFailure.error("the bus answered " + status + (text.isEmpty() ? "" : ": "
                + (text.length() > 200 ? text.substring(0, 200) + "..." : text)));
    }

    private static SSLContext trusting(Path cacert) {
        try (InputStream in = Files.newInputStream(cacert)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw CliFailure.usage("no certificate in " + cacert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw CliFailure.usage("cannot read the certificates in " + cacert + ": " + e.getMessage());
        }
    }
}
