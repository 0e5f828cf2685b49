# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "rack"
require "rack/lint"
require "msglite/rack_env"
require "msglite/rack_input"
require "msglite/rack_reply"
require "msglite/handler_options"

# The pure parts of the handler: envelope -> env, response -> reply head, options.
class RackMappingTest < Minitest::Test
  ENVELOPE = {
    "method" => "POST", "url" => "/search%20x?q=msglite&page=2", "protocol" => "HTTP/1.1",
    "headers" => { "Host" => "example.com:8080", "Cookie" => "a=1,b=2" },
    "bodyAddr" => "6b.3", "requestId" => "6b.2", "path" => "/search%20x", "query" => "q=msglite&page=2",
    "remoteAddr" => "10.0.0.7", "remotePort" => 37_034, "serverName" => "example.com", "serverPort" => 8080,
    "scheme" => "http",
    "headerList" => [["Host", "example.com:8080"], ["content-type", "application/x-www-form-urlencoded"],
                     ["Content-Length", "7"], ["Cookie", "a=1"], ["Cookie", "b=2"], ["Accept", "text/html"],
                     ["Accept", "text/plain"], ["X-Latin", "caf\u00e9"], ["X_Forwarded_For", "spoofed"]]
  }.freeze

  def env(envelope = ENVELOPE, body = "a=1&b=2")
    Msglite::RackEnv.build(envelope, Msglite::RackInput.new { body.b })
  end

  def test_cgi_keys_come_from_the_envelope
    e = env
    assert_equal ["POST", "", "/search%20x", "q=msglite&page=2", "/search%20x?q=msglite&page=2", "HTTP/1.1"],
                 e.values_at("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI", "SERVER_PROTOCOL")
    assert_equal ["example.com", "8080", "10.0.0.7", "37034"], e.values_at("SERVER_NAME", "SERVER_PORT", "REMOTE_ADDR", "REMOTE_PORT")
    assert_equal ["application/x-www-form-urlencoded", "7"], e.values_at("CONTENT_TYPE", "CONTENT_LENGTH")
    assert_equal "6b.2", e["msglite.request_id"]
  end

  def test_rack_keys_describe_a_single_threaded_multiprocess_server_without_hijack
    e = env
    assert_equal ["http", false, true, false, false, $stderr],
                 e.values_at("rack.url_scheme", "rack.multithread", "rack.multiprocess", "rack.run_once", "rack.hijack?", "rack.errors")
  end

  def test_repeated_headers_are_joined_cookies_with_semicolons
    e = env
    assert_equal "a=1; b=2", e["HTTP_COOKIE"]
    assert_equal "text/html, text/plain", e["HTTP_ACCEPT"]
    refute e.key?("HTTP_CONTENT_TYPE")
  end

  def test_header_names_with_underscores_are_dropped
    refute env.key?("HTTP_X_FORWARDED_FOR")
  end

  def test_latin1_header_bytes_come_back_as_binary
    assert_equal "caf\xe9".b, env["HTTP_X_LATIN"]
    assert_equal Encoding::BINARY, env["HTTP_X_LATIN"].encoding
  end

  def test_envelope_of_the_original_daemon_is_filled_in_from_url_and_headers
    original = ENVELOPE.slice("method", "url", "protocol", "headers", "bodyAddr")
    e = env(original)
    assert_equal ["/search%20x", "q=msglite&page=2", "example.com", "8080"],
                 e.values_at("PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT")
    refute e.key?("REMOTE_ADDR")
    assert_equal "a=1,b=2", e["HTTP_COOKIE"]
  end

  def test_env_passes_rack_lint_and_the_input_reads_like_an_io
    seen = nil
    app = lambda do |e|
      input = e["rack.input"]
      seen = [input.read]
      input.rewind
      seen << input.gets
      input.rewind
      seen << input.read(3)
      input.each { |line| seen << line }
      [200, { "Content-Type" => "text/plain" }, ["ok"]]
    end
    status, = Rack::Lint.new(app).call(env)
    assert_equal 200, status
    assert_equal ["a=1&b=2", "a=1&b=2", "a=1", "&b=2"], seen
  end

  def test_input_fetches_the_body_only_when_read
    fetched = 0
    input = Msglite::RackInput.new { fetched += 1; "body".b }
    refute input.loaded?
    assert_equal 0, fetched
    2.times { input.read; input.rewind }
    assert_equal 1, fetched
  end

  def test_reply_head_is_status_and_a_flat_header_list
    head = JSON.parse(Msglite::RackReply.head(201, { "Content-Type" => "text/plain", "Set-Cookie" => "a=1\nb=2",
                                                     "x-rack3" => %w[c d], "X-Empty" => "", "rack.hijack" => "no" }))
    assert_equal [201, ["Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2",
                        "x-rack3", "c", "x-rack3", "d", "X-Empty", ""]], head
  end

  def test_reply_header_bytes_go_out_unchanged_as_latin1_chars
    head = JSON.parse(Msglite::RackReply.head(200, { "X-Utf8" => "caf\u00e9", "X-Bin" => "\xff".b }))
    assert_equal ["X-Utf8", "caf\u00c3\u00a9", "X-Bin", "\u00ff"], head[1]
  end

  def test_options_come_from_rackup_then_environment_then_defaults
    env = { "MSGLITE_CONNECT" => "127.0.0.1:9", "MSGLITE_WORKERS" => "3", "MSGLITE_REQUEST_ADDRESS" => "reqs",
            "MSGLITE_PREFETCH" => "2" }
    o = Msglite::HandlerOptions.new({ workers: "5" }, env)
    assert_equal ["127.0.0.1:9", "reqs", 5, 2, 30], [o.connect, o.request_address, o.workers, o.prefetch, o.stop_timeout]
    assert_equal 1, Msglite::HandlerOptions.new({ prefetch: "1" }, env).prefetch
    d = Msglite::HandlerOptions.new({}, {})
    assert_equal ["/tmp/msglite.socket", "msglite.httpRequests", 8], [d.connect, d.request_address, d.prefetch]
    assert_operator d.workers, :>=, 1
  end

  def test_bad_options_are_argument_errors_naming_the_option
    [{ workers: "0" }, { workers: "two" }, { prefetch: "0" }, { prefetch: "1.5" }, { stop_timeout: "-1" },
     { connect: "nohostport" },
     { request_address: "a b" }].each do |bad|
      error = assert_raises(ArgumentError, bad.inspect) { Msglite::HandlerOptions.new(bad, {}) }
      assert_match(/#{bad.keys.first == :connect ? 'nohostport' : bad.keys.first}/, error.message)
    end
  end

  def test_valid_options_lists_every_option_for_rackup_help
    assert_equal %w[connect=VALUE request_address=VALUE workers=VALUE prefetch=VALUE stop_timeout=VALUE],
                 Msglite::HandlerOptions.help.keys
  end
end
