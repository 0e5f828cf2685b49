# frozen_string_literal: true

require_relative "version"

module Msglite
  # Builds a Rack env (the Rack SPEC) from a request envelope (docs/http-mapping.md). Pure: no
  # sockets, so it is tested on plain Hashes. Envelopes from the original daemon, which lack the
  # newer fields (path, query, serverName, headerList, ...), are filled in from url and headers.
  module RackEnv
    # Rack's env keys for these two carry no HTTP_ prefix (CGI's convention, which Rack keeps).
    UNPREFIXED = { "CONTENT_TYPE" => true, "CONTENT_LENGTH" => true }.freeze
    RACK_VERSION = [1, 3].freeze # the SPEC version Rack 2 servers announce
    SOFTWARE = "msglite-rack/#{VERSION}"

    module_function

    # +input+ becomes rack.input; +errors+ rack.errors. The result is a fresh, unfrozen Hash.
    def build(envelope, input, errors = $stderr)
      url = envelope["url"].to_s
      path, query = path_and_query(envelope, url)
      env = {
        "REQUEST_METHOD" => envelope["method"].to_s,
        "SCRIPT_NAME" => "",
        # Still percent-encoded, as Rack servers pass it; routers (Sinatra, Rails) unescape.
        "PATH_INFO" => bytes(path),
        "QUERY_STRING" => bytes(query),
        "REQUEST_URI" => bytes(url),
        "SERVER_PROTOCOL" => envelope["protocol"] || "HTTP/1.0",
        "SERVER_SOFTWARE" => SOFTWARE,
        "rack.version" => RACK_VERSION,
        "rack.url_scheme" => envelope["scheme"] == "https" ? "https" : "http",
        "rack.input" => input,
        "rack.errors" => errors,
        # One request at a time per worker process, and many processes (any handler on the
        # daemon may take the next request).
        "rack.multithread" => false,
        "rack.multiprocess" => true,
        "rack.run_once" => false,
        # The proxy owns the client connection; a handler only ever sees messages.
        "rack.hijack?" => false,
        "msglite.request_id" => envelope["requestId"]
      }
      add_headers(env, header_pairs(envelope))
      add_server(env, envelope)
      add_remote(env, envelope)
      env
    end

    def path_and_query(envelope, url)
      return [envelope["path"], envelope["query"].to_s] if envelope["path"]

      path, query = url.split("?", 2)
      [path, query.to_s]
    end

    def header_pairs(envelope)
      envelope["headerList"] || envelope["headers"].to_h.to_a
    end

    # HTTP_* keys; repeats are joined as RFC 9110 says (", "), except Cookie, whose separator is
    # "; " (RFC 6265). Names holding "_" are dropped, as nginx does by default: after
    # "-" -> "_" they could pose as another header (X_Forwarded_For as X-Forwarded-For).
    def add_headers(env, pairs)
      pairs.each do |name, value|
        next if name.include?("_")

        key = name.upcase.tr("-", "_")
        key = "HTTP_#{key}" unless UNPREFIXED[key]
        value = bytes(value.to_s)
        old = env[key]
        env[key] = old ? "#{old}#{key == 'HTTP_COOKIE' ? '; ' : ', '}#{value}" : value
      end
    end

    def add_server(env, envelope)
      name = envelope["serverName"]
      port = envelope["serverPort"]
      unless name
        host = env["HTTP_HOST"].to_s
        m = /\A(\[[^\]]*\]|[^:]*)(?::(\d+))?\z/.match(host)
        name = m && !m[1].empty? ? m[1] : "localhost"
        port = m && m[2] ? m[2] : 80
      end
      env["SERVER_NAME"] = bytes(name.to_s)
      env["SERVER_PORT"] = port.to_s
    end

    def add_remote(env, envelope)
      addr = envelope["remoteAddr"].to_s
      env["REMOTE_ADDR"] = addr unless addr.empty? # empty on a Unix-socket listener
      port = envelope["remotePort"].to_i
      env["REMOTE_PORT"] = port.to_s if port.positive?
    end

    # The proxy reads head bytes as Latin-1, so each char of the JSON text is one byte of the
    # request: turn them back into those bytes. Rack wants non-ASCII CGI values binary.
    def bytes(text)
      return text if text.ascii_only?

      text.encode(Encoding::ISO_8859_1).force_encoding(Encoding::BINARY)
    rescue EncodingError
      text.b # not from this proxy (the original daemon sent UTF-8): keep the UTF-8 bytes
    end
  end
end
