package org.msglite.client;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the msglite proxy hands it to a handler (see docs/http-mapping.md).
 *
 * @param headerList every header as {@code [name, value]}, in order, repeats kept
 * @param reply      the address the response goes to
 */
public record HttpRequest(String method, String url, String protocol, String path, String query,
                          Map<String, String> headers, List<List<String>> headerList, byte[] body,
                          String requestId, String reply) {}
