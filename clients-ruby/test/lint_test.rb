# frozen_string_literal: true

require_relative "test_helper"
require "json"

# A bare Rack app wrapped in Rack::Lint (test/apps/lint.ru), served by `rackup -s msglite` with
# one worker, through the real proxy with real HTTP requests. Lint raises on any breach of the
# SPEC, which would turn into a 500 here.
class LintTest < Minitest::Test
  include HttpHelpers

  def self.setup_once
    @setup_once ||= begin
      daemon = Daemon.start
      rackup = RackupProcess.new(File.join(CLIENT_ROOT, "test/apps/lint.ru"), daemon, "-E", "none", "-O", "workers=1")
      Minitest.after_run do
        rackup.stop
        daemon.stop
      end
      [daemon, rackup]
    end
  end

  def setup
    @daemon, @rackup = self.class.setup_once
  end

  def get(path, headers = [])
    raw_http(@daemon, "GET #{path} HTTP/1.1", headers)
  end

  def test_env_follows_the_rack_spec
    r = get("/env?x=1&y=%20", ["Cookie: a=1", "Cookie: b=2", "X-Test: yes"])
    assert_equal 200, r.status, r.body
    env = JSON.parse(r.body)
    assert_equal({ "REQUEST_METHOD" => "GET", "SCRIPT_NAME" => "", "PATH_INFO" => "/env", "QUERY_STRING" => "x=1&y=%20",
                   "SERVER_NAME" => "127.0.0.1", "SERVER_PORT" => @daemon.http_port.to_s, "SERVER_PROTOCOL" => "HTTP/1.1",
                   "REMOTE_ADDR" => "127.0.0.1", "HTTP_HOST" => "127.0.0.1:#{@daemon.http_port}",
                   "HTTP_COOKIE" => "a=1; b=2", "HTTP_X_TEST" => "yes", "rack.url_scheme" => "http",
                   "rack.multithread" => false, "rack.multiprocess" => true, "rack.run_once" => false,
                   "rack.hijack?" => false, "rack.version" => [1, 3], "body" => "" }, env)
  end

  # An envelope sent by hand, as the proxy would: returns the reply head and the body pieces.
  def envelope_reply(client, fields, reply)
    envelope = { "method" => "POST", "url" => "/env", "protocol" => "HTTP/1.1", "headers" => { "Host" => "x" } }
    client.send(JSON.generate(envelope.merge(fields)), 10, "msglite.httpRequests", reply: reply)
    head = JSON.parse(client.ready(10, reply).body)
    pieces = +""
    while (piece = client.ready(10, reply)) && !piece.body.empty?
      pieces << piece.body
    end
    [head, pieces]
  end

  def test_body_length_zero_leaves_the_body_message_alone
    Msglite::Client.open(@daemon.unix) do |c|
      c.send("unread", 10, "rb.body.1")
      head, body = envelope_reply(c, { "bodyAddr" => "rb.body.1", "bodyLength" => 0 }, "rb.reply.1")
      assert_equal 200, Integer(head[0])
      assert_equal "", JSON.parse(body)["body"]
      assert_equal "unread", c.ready(0, "rb.body.1")&.body, "the worker never readied on bodyAddr"
    end
  end

  def test_body_length_above_zero_fetches_the_body
    Msglite::Client.open(@daemon.unix) do |c|
      c.send("posted", 10, "rb.body.2")
      _head, body = envelope_reply(c, { "bodyAddr" => "rb.body.2", "bodyLength" => 6 }, "rb.reply.2")
      assert_equal "posted", JSON.parse(body)["body"]
      assert_nil c.ready(0, "rb.body.2")
    end
  end

  def test_post_body_reaches_rack_input_byte_for_byte
    body = (0..255).to_a.pack("C*") * 4
    r = raw_http(@daemon, "POST /echo HTTP/1.1", ["Content-Type: application/octet-stream", "Content-Length: #{body.bytesize}"], body)
    assert_equal 200, r.status
    assert_equal "#{body}|5".b, r.body
  end

  def test_chunked_request_body_arrives_with_a_content_length
    r = raw_http(@daemon, "POST /env HTTP/1.1", ["Content-Type: text/plain", "Transfer-Encoding: chunked"],
                 "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    env = JSON.parse(r.body)
    assert_equal ["hello world", "11", nil], env.values_at("body", "CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING")
  end

  def test_a_non_array_body_is_streamed_piece_by_piece_and_closed
    before = Integer(get("/closes").body)
    r = get("/stream")
    assert_equal [200, "abc", ["chunked"]], [r.status, r.body, r["Transfer-Encoding"]]
    assert_equal before + 1, Integer(get("/closes").body)
  end

  def test_head_gets_no_body_and_the_body_is_still_closed
    before = Integer(get("/closes").body)
    r = raw_http(@daemon, "HEAD /stream HTTP/1.1")
    assert_equal [200, ""], [r.status, r.body]
    assert_equal before + 1, Integer(get("/closes").body)
  end

  def test_app_exception_becomes_500_and_the_worker_carries_on
    r = get("/raise")
    assert_equal [500, "Internal Server Error\n"], [r.status, r.body]
    assert_includes @rackup.output, "app failure"
    assert_equal 200, get("/env").status
  end

  def test_exception_while_streaming_aborts_the_response_and_closes_the_body
    before = Integer(get("/closes").body)
    head, body = raw_bytes(@daemon, "GET /broken-stream HTTP/1.1").split("\r\n\r\n", 2)
    assert_match %r{\AHTTP/1\.1 200 }, head
    assert_includes head, "Transfer-Encoding: chunked"
    assert_equal "1\r\na\r\n", body, "the piece arrives, the last chunk never does: the client sees the response is cut off"
    assert_includes @rackup.output, "failure while streaming"
    assert_equal before + 1, Integer(get("/closes").body)
  end

  def test_two_set_cookie_headers_from_a_newline_joined_value
    assert_equal ["a=1", "b=2"], get("/cookies")["Set-Cookie"]
  end

  def test_no_content_status_has_no_body
    r = get("/no-content")
    assert_equal [204, ""], [r.status, r.body]
  end

  def test_rack_errors_goes_to_the_servers_stderr
    assert_equal "logged", get("/errors").body
    assert_includes @rackup.output, "a line for rack.errors"
  end

  def test_keep_alive_requests_on_one_connection
    uri = @daemon.http_url("/")
    Net::HTTP.start(uri.host, uri.port) do |h|
      3.times { |i| assert_equal "/env", JSON.parse(h.get("/env?n=#{i}").body)["PATH_INFO"] }
    end
  end
end
